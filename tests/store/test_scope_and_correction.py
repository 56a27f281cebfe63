"""Scope filters matching the national series, and shares corrected for the classifier's measured errors
(SQLite and PostgreSQL).

On top of tests/store/test_stats.py's world (9 French notices, 2023-2026, no amount, no notice type), four more:
  f1 2023 Belgian buyer (country BE, no department)
  u1 2023 no country, no department, award notice, 50 k€
  a1 2023 Gironde award notice 50 k€ (below the 90 k€ of the census until 2023)
  a2 2024 Gironde award notice 50 k€ (above the 40 k€ of the census from 2024)
"""

from dataclasses import replace
from datetime import date

import pytest

from models.normalise import normalise
from models.notice import Notice
from storage.correction import (
    CORRECTED,
    THRESHOLD_MISMATCH,
    UNMEASURED,
    VERSION_MISMATCH,
    DimensionRates,
    ErrorRates,
    corrected_share,
    corrected_shares,
    rogan_gladen,
)
from storage.pictograms import regenerate_all
from storage.scope import summary
from storage.stats import Filters, shares, wilson_interval
from storage.upsert import upsert_notices
from tests.store.test_stats import T, build_world

EXTRA = [
    dict(source_id="f1", published=date(2023, 4, 1), country="BE", buyer_name="Ville de Liège"),
    dict(source_id="u1", published=date(2023, 4, 2), notice_type="award_notice", amount=50_000.0),
    dict(source_id="a1", published=date(2023, 4, 3), department="33", notice_type="award_notice", amount=50_000.0),
    dict(source_id="a2", published=date(2024, 4, 3), department="33", notice_type="award_notice", amount=50_000.0),
]
RATES = ErrorRates("test-1", 0.5, {"social": DimensionRates(tp=8, fn=2, fp=1, tn=89),
                                   "environmental": DimensionRates(tp=6, fn=4, fp=0, tn=90)}, 100, ("gold (holdout)",))


@pytest.fixture
def world(store):
    build_world(store)
    with store.session() as s:
        upsert_notices(s, [normalise(Notice(source="t", title=f"avis {e['source_id']}", **e)) for e in EXTRA])
    regenerate_all(store, T)
    return store


def total(store, filters: Filters) -> int:
    with store.session() as s:
        return sum(r.notices for r in shares(s, [], filters, T))


def test_country_keeps_french_buyers_and_unknown_countries_and_counts_the_foreign_ones(world):
    assert total(world, Filters()) == 13
    with world.session() as s:
        kept = summary(s, Filters(country="FR"))
        assert (kept.considered, kept.kept, kept.foreign, kept.unknown_country) == (13, 12, 1, 1)
        assert kept.foreign_countries == {"BE": 1}
        belgian = summary(s, Filters(country="BE"))
        assert (belgian.kept, belgian.foreign) == (1, 12)
    assert total(world, Filters(country="FR")) == 12
    assert total(world, Filters(country="all")) == 13


def test_min_amount_applies_where_the_amount_is_known_and_counts_the_unknown(world):
    with world.session() as s:
        kept = summary(s, Filters(country="FR", min_amount=60_000))
    # u1, a1, a2 have 50 k€: excluded; the 9 notices of the world have no amount: kept and counted
    assert (kept.kept, kept.below_amount, kept.unknown_amount) == (9, 3, 9)
    assert total(world, Filters(country="FR", min_amount=40_000)) == 12


def test_notice_types_and_the_comparable_preset(world):
    assert total(world, Filters(notice_types=("award_notice",))) == 3
    with world.session() as s:
        kept = summary(s, Filters(comparable=True))
        rows = {r.group["year"]: r.notices for r in shares(s, ["year"], Filters(comparable=True), T)}
    # French award notices: u1 (2023, 50 k€ < 90 k€), a1 (2023, 50 k€ < 90 k€), a2 (2024, 50 k€ >= 40 k€)
    assert rows == {2024: 1}
    assert (kept.kept, kept.foreign, kept.other_types, kept.below_amount) == (1, 1, 9, 2)


def test_rogan_gladen_matches_the_hand_computation():
    assert rogan_gladen(0.3, 0.8, 0.9) == pytest.approx(0.2 / 0.7)
    assert rogan_gladen(0.05, 0.8, 0.9) == 0.0  # clipped
    assert rogan_gladen(0.99, 0.8, 0.99) == 1.0  # clipped
    assert rogan_gladen(0.3, 0.5, 0.5) is None  # no better than chance


def test_the_corrected_interval_is_deterministic_and_carries_the_error_rates_uncertainty():
    few, many = DimensionRates(8, 2, 1, 89), DimensionRates(8000, 2000, 1000, 89000)
    first = corrected_share(30, 100, few)
    assert first == corrected_share(30, 100, few)
    estimate, low, high = first
    assert low <= estimate <= high
    assert estimate == pytest.approx(rogan_gladen(0.3, 0.8, 89 / 90))
    _, low_many, high_many = corrected_share(30, 100, many)
    assert high - low > high_many - low_many
    wilson_low, wilson_high = wilson_interval(30, 100)
    # with near-exact error rates, only the sampling of the share remains: about Wilson's width, rescaled
    assert (high_many - low_many) == pytest.approx((wilson_high - wilson_low) / (0.8 + 0.9 - 1), rel=0.2)


def test_corrected_shares_on_the_store_equal_rogan_gladen_by_hand(world):
    with world.session() as s:
        rows, applicable = corrected_shares(s, ["year"], Filters(country="FR"), RATES, T)
    assert applicable.status == {"social": CORRECTED, "environmental": CORRECTED}
    assert applicable.versions == ("test-1",)
    y2023 = next(r for r in rows if r.group["year"] == 2023)
    # 2023, French buyers: n1..n4, u1, a1 = 6 notices; detected social: n1 (0.9), n3 (0.7); environmental: n2 (0.8)
    assert y2023.notices == 6
    social, environmental = y2023.values["social"], y2023.values["environmental"]
    assert (social["detected"], environmental["detected"]) == (2, 1)
    assert social["corrected"] == pytest.approx((2 / 6 + 89 / 90 - 1) / (0.8 + 89 / 90 - 1))
    assert environmental["corrected"] == pytest.approx((1 / 6 + 1.0 - 1) / (0.6 + 1.0 - 1))
    assert social["corrected_low"] <= social["corrected"] <= social["corrected_high"]
    assert (social["low"], social["high"]) == pytest.approx(wilson_interval(2, 6))


def test_no_correction_for_another_version_another_threshold_or_unmeasured_rates(world):
    with world.session() as s:
        rows, applicable = corrected_shares(s, [], None, replace(RATES, version="other"), T)
        assert applicable.status["social"] == VERSION_MISMATCH and rows[0].values["social"]["corrected"] is None
        _, applicable = corrected_shares(s, [], None, replace(RATES, threshold=0.7), T)
        assert applicable.status["environmental"] == THRESHOLD_MISMATCH
        unmeasured = replace(RATES, dimensions={**RATES.dimensions, "social": DimensionRates(0, 0, 1, 99)})
        rows, applicable = corrected_shares(s, [], None, unmeasured, T)
        assert applicable.status == {"social": UNMEASURED, "environmental": CORRECTED}
        assert rows[0].values["social"]["corrected"] is None
        assert rows[0].values["environmental"]["corrected"] is not None
