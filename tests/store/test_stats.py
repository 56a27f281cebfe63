"""Statistics against hand-computed values on a small store (SQLite and PostgreSQL).

The world (threshold 0.5), with what each notice's pictogram shows:
  n1 2023 Gironde  A  declared + detected (0.9) social reservation          -> social (reservation)
  n2 2023 Gironde  A  declared env (no lever) + detected env award (0.8)    -> env (award_criterion)
  n3 2023 Gironde  B  detected social execution (0.7), env technical (0.4)  -> social (execution_condition)
  n4 2023 Paris    C  declared env execution; override social yes + lever   -> social (execution), env (execution)
  n5 2024 Paris    C  detected social award (0.95) but stale                -> nothing
  n6 2024 Gironde  B  declared social execution; override social no         -> nothing
  n7 2026-09 Gironde A  nothing                                              -> nothing
  n8 2026-10 Gironde A  detected env award (0.6)                            -> env (award_criterion)
  n9 2026-09 Paris  C  declared env technical                               -> env (technical_specification)
"""

from datetime import date

import pytest
from sqlalchemy import Integer, cast, func, insert, select

from models.notice import DeclaredConsideration, Notice
from models.normalise import normalise
from models.schema import ConsiderationRow, NoticeRow, PictogramRow
from models.vocabulary import Dimension, Lever
from storage.overrides import set_override
from storage.pictograms import regenerate_all
from storage.stats import Filters, agreement, lever_shares, readiness, shares, wilson_interval
from storage.upsert import upsert_notices

T = 0.5
SOCIAL, ENV = Dimension.SOCIAL, Dimension.ENVIRONMENTAL
BUYERS = {"A": ("11111111100011", "Commune A"), "B": ("22222222200022", "Hôpital B"), "C": ("33333333300033", "Région C")}
NOTICES = {  # id: (published, department, buyer, declared)
    "n1": (date(2023, 3, 1), "33", "A", [(SOCIAL, Lever.RESERVATION)]),
    "n2": (date(2023, 5, 1), "33", "A", [(ENV, None)]),
    "n3": (date(2023, 5, 2), "33", "B", []),
    "n4": (date(2023, 7, 1), "75", "C", [(ENV, Lever.EXECUTION_CONDITION)]),
    "n5": (date(2024, 2, 1), "75", "C", []),
    "n6": (date(2024, 6, 1), "33", "B", [(SOCIAL, Lever.EXECUTION_CONDITION)]),
    "n7": (date(2026, 9, 1), "33", "A", []),
    "n8": (date(2026, 10, 1), "33", "A", []),
    "n9": (date(2026, 9, 15), "75", "C", [(ENV, Lever.TECHNICAL_SPECIFICATION)]),
}
DETECTED = [  # notice, dimension, lever, confidence, stale
    ("n1", SOCIAL, Lever.RESERVATION, 0.9, False),
    ("n2", ENV, Lever.AWARD_CRITERION, 0.8, False),
    ("n3", SOCIAL, Lever.EXECUTION_CONDITION, 0.7, False),
    ("n3", ENV, Lever.TECHNICAL_SPECIFICATION, 0.4, False),
    ("n5", SOCIAL, Lever.AWARD_CRITERION, 0.95, True),
    ("n8", ENV, Lever.AWARD_CRITERION, 0.6, False),
]


def notice(key: str) -> Notice:
    published, department, buyer, declared = NOTICES[key]
    siret, name = BUYERS[buyer]
    return normalise(Notice(
        source="t", source_id=key, title=f"avis {key}", department=department, published=published,
        buyer_siret=siret, buyer_name=name,
        declared=[DeclaredConsideration(d, lever, "test") for d, lever in declared],
    ))


def build_world(store) -> dict[str, int]:
    """Store the world above, with its overrides and pictograms; returns notice ids by key."""
    with store.session() as s:
        upsert_notices(s, [notice(k) for k in NOTICES])
        ids = {r.source_id: r.id for r in s.execute(select(NoticeRow.id, NoticeRow.source_id))}
        s.execute(insert(ConsiderationRow), [
            {"notice_id": ids[k], "dimension": d.value, "lever": lever.value, "origin": "detected",
             "confidence": c, "evidence": "…", "stale": stale, "classifier_version": "test-1"}
            for k, d, lever, c, stale in DETECTED
        ])
    regenerate_all(store, T)
    with store.session() as s:
        rows = {r.source_id: r for r in s.scalars(select(NoticeRow))}
        set_override(s, rows["n4"], True, None, ["social:execution_condition"], "clause vue au CCAP", "op", T)
        set_override(s, rows["n6"], False, None, [], "clause d'insertion retirée", "op", T)
    return ids


@pytest.fixture
def world(store):
    build_world(store)
    return store


def by_year(store, origin="all", levers=False):
    with store.session() as s:
        return {r.group["year"]: r for r in shares(s, ["year"], Filters(origin=origin), T, levers=levers)}


def test_wilson_interval_matches_hand_computation():
    low, high = wilson_interval(3, 10)
    assert low == pytest.approx(0.10779, abs=1e-4)
    assert high == pytest.approx(0.60322, abs=1e-4)
    assert wilson_interval(0, 0) == (None, None)
    assert wilson_interval(0, 5)[0] == 0.0


def test_counts_and_shares_by_year_follow_the_pictogram_rule(world):
    rows = by_year(world)
    assert {y: (r.notices, r.social, r.environmental) for y, r in rows.items()} == {
        2023: (4, 3, 2), 2024: (2, 0, 0), 2026: (3, 0, 2),
    }
    r = rows[2023]
    assert r.social_share == pytest.approx(3 / 4)
    assert (r.social_low, r.social_high) == pytest.approx(wilson_interval(3, 4))
    assert (r.environmental_low, r.environmental_high) == pytest.approx(wilson_interval(2, 4))
    assert rows[2024].social_share == 0.0 and rows[2024].social_low == 0.0


def test_origin_all_counts_exactly_the_stored_pictograms(world):
    with world.session() as s:
        stored = {
            r.year: (r.n, int(r.s), int(r.e))
            for r in s.execute(
                select(NoticeRow.year, func.count().label("n"),
                       func.sum(cast(PictogramRow.social, Integer)).label("s"),
                       func.sum(cast(PictogramRow.environmental, Integer)).label("e"))
                .join(PictogramRow, PictogramRow.notice_id == NoticeRow.id).group_by(NoticeRow.year)
            )
        }
    assert {y: (r.notices, r.social, r.environmental) for y, r in by_year(world).items()} == stored


def test_levers_count_qualifying_considerations_and_override_levers(world):
    rows = by_year(world, levers=True)
    nonzero = {y: {k: v for k, v in r.levers.items() if v} for y, r in rows.items()}
    assert nonzero == {
        2023: {"social:reservation": 1, "social:execution_condition": 2,
               "environmental:award_criterion": 1, "environmental:execution_condition": 1},
        2024: {},
        2026: {"environmental:award_criterion": 1, "environmental:technical_specification": 1},
    }
    assert "environmental:reservation" not in rows[2023].levers


@pytest.mark.parametrize("origin, expected", [
    ("declared", {2023: (1, 2), 2024: (1, 0), 2026: (0, 1)}),
    ("detected", {2023: (2, 1), 2024: (0, 0), 2026: (0, 1)}),
    ("both", {2023: (1, 1), 2024: (0, 0), 2026: (0, 0)}),
    ("all", {2023: (3, 2), 2024: (0, 0), 2026: (0, 2)}),
])
def test_origin_chooses_which_considerations_count(world, origin, expected):
    assert {y: (r.social, r.environmental) for y, r in by_year(world, origin).items()} == expected


@pytest.mark.parametrize("origin, expected", [
    ("declared", {"social:reservation": 1, "environmental:execution_condition": 1}),
    ("detected", {"social:reservation": 1, "social:execution_condition": 1, "environmental:award_criterion": 1}),
    ("both", {"social:reservation": 1}),
])
def test_lever_counts_by_origin(world, origin, expected):
    levers = by_year(world, origin, levers=True)[2023].levers
    assert {k: v for k, v in levers.items() if v} == expected


def test_long_lever_rows_carry_shares_and_bounds(world):
    with world.session() as s:
        rows = lever_shares(s, ["year"], Filters(since=date(2023, 1, 1), until=date(2023, 12, 31)), T)
    cell = next(r for r in rows if r.dimension == "social" and r.lever == "execution_condition")
    assert (cell.group, cell.notices, cell.count, cell.share) == ({"year": 2023}, 4, 2, 0.5)
    assert (cell.low, cell.high) == pytest.approx(wilson_interval(2, 4))
    dimension = next(r for r in rows if r.dimension == "social" and r.lever is None)
    assert dimension.count == 3
    assert len(rows) == 2 + 6 + 5


def test_groupings_and_filters(world):
    with world.session() as s:
        regions = {r.group["region"]: (r.notices, r.social, r.environmental) for r in shares(s, ["region"], None, T)}
        buyers = {r.group["buyer"]: r for r in shares(s, ["buyer"], Filters(region="Nouvelle-Aquitaine"), T)}
        months = [r.group["month"] for r in shares(s, ["month"], Filters(since=date(2026, 1, 1)), T)]
        dated = {r.group["region"]: r.notices for r in shares(s, ["region"], Filters(since=date(2024, 1, 1)), T)}
        sourced = shares(s, [], Filters(source="t*"), T)
    assert regions == {"Nouvelle-Aquitaine": (6, 2, 2), "Île-de-France": (3, 1, 2)}
    assert buyers["11111111100011"].group["buyer_name"] == "Commune A"
    assert (buyers["11111111100011"].notices, buyers["22222222200022"].notices) == (4, 2)
    assert months == ["2026-09", "2026-10"]
    assert dated == {"Nouvelle-Aquitaine": 3, "Île-de-France": 2}
    assert [(r.notices, r.social, r.environmental) for r in sourced] == [(9, 3, 4)]


def test_unknown_origin_or_grouping_is_refused(world):
    with world.session() as s, pytest.raises(ValueError, match="origin"):
        shares(s, ["year"], Filters(origin="maybe"), T)
    with world.session() as s, pytest.raises(ValueError, match="grouping"):
        shares(s, ["colour"], None, T)


def test_agreement_table_on_notices_that_declare(world):
    with world.session() as s:
        rows = {(r.dimension, r.lever): r for r in agreement(s, [], None, T)}
    counts = {k: (r.notices, r.both, r.declared_only, r.detected_only, r.neither) for k, r in rows.items()}
    assert counts[("social", None)] == (5, 1, 1, 0, 3)
    assert counts[("environmental", None)] == (5, 1, 2, 0, 2)
    assert counts[("social", "reservation")] == (4, 1, 0, 0, 3)
    assert counts[("social", "execution_condition")] == (4, 0, 1, 0, 3)
    assert counts[("environmental", "execution_condition")] == (4, 0, 1, 0, 3)
    assert counts[("environmental", "technical_specification")] == (4, 0, 1, 0, 3)
    assert counts[("environmental", "award_criterion")] == (4, 0, 0, 0, 4)
    social = rows[("social", None)]
    assert social.agreement == pytest.approx(4 / 5)
    assert social.kappa == pytest.approx((0.8 - 0.56) / 0.44)
    assert len(rows) == 2 + 6 + 5


def test_agreement_by_year(world):
    with world.session() as s:
        rows = {(r.group["year"], r.dimension, r.lever): r for r in agreement(s, ["year"], None, T)}
    assert (rows[(2023, "social", None)].notices, rows[(2023, "social", None)].both) == (3, 1)
    assert rows[(2024, "social", None)].declared_only == 1
    assert (rows[(2026, "environmental", None)].notices, rows[(2026, "environmental", None)].declared_only) == (1, 1)


def test_readiness_lists_buyers_without_environmental_considerations_since_the_obligation(world):
    with world.session() as s:
        rows = readiness(s, date(2026, 8, 21), None, T)
    assert [(r.buyer_siret, r.buyer_name, r.notices, r.without_environmental) for r in rows] == [
        ("11111111100011", "Commune A", 2, 1),
        ("33333333300033", "Région C", 1, 0),
    ]
    assert rows[0].share == 0.5
    assert (rows[0].low, rows[0].high) == pytest.approx(wilson_interval(1, 2))
