"""Statistics against hand-computed values on a small store (SQLite and PostgreSQL)."""

from datetime import date

import pytest

from crawler.items import DeclaredConsideration, Notice
from crawler.normalise import normalise
from models.vocabulary import Dimension, Lever
from storage.pictograms import regenerate_all
from storage.stats import Filters, shares, wilson_interval
from storage.upsert import upsert_notices


def test_wilson_interval_matches_hand_computation():
    low, high = wilson_interval(3, 10)
    assert low == pytest.approx(0.10779, abs=1e-4)
    assert high == pytest.approx(0.60322, abs=1e-4)
    assert wilson_interval(0, 0) == (None, None)
    assert wilson_interval(0, 5)[0] == 0.0


def _notice(i: int, year: int, department: str, social: bool, env: bool) -> Notice:
    declared = []
    if social:
        declared.append(DeclaredConsideration(Dimension.SOCIAL, Lever.RESERVATION, "test"))
    if env:
        declared.append(DeclaredConsideration(Dimension.ENVIRONMENTAL, None, "test"))
    return normalise(Notice(source="t", source_id=str(i), title=f"avis {i}", department=department,
                            published=date(year, 6, 1), declared=declared))


@pytest.fixture
def filled(store):
    notices = [
        _notice(1, 2023, "33", True, False),
        _notice(2, 2023, "33", False, False),
        _notice(3, 2023, "33", True, True),
        _notice(4, 2023, "75", False, True),
        _notice(5, 2024, "33", False, False),
    ]
    with store.session() as s:
        upsert_notices(s, notices)
    regenerate_all(store, 0.5)
    return store


def test_shares_by_year_and_region(filled):
    with filled.session() as s:
        rows = {(r.group["year"], r.group["region"]): r for r in shares(s, ["year", "region"])}
    na_2023 = rows[(2023, "Nouvelle-Aquitaine")]
    assert (na_2023.notices, na_2023.social, na_2023.environmental) == (3, 2, 1)
    assert na_2023.social_share == pytest.approx(2 / 3)
    assert (na_2023.social_low, na_2023.social_high) == pytest.approx(wilson_interval(2, 3))
    assert (rows[(2023, "Île-de-France")].environmental, rows[(2024, "Nouvelle-Aquitaine")].social) == (1, 0)


def test_filters_restrict_the_rows(filled):
    with filled.session() as s:
        rows = shares(s, ["year"], Filters(region="Île-de-France"))
    assert [(r.group["year"], r.notices) for r in rows] == [(2023, 1)]
