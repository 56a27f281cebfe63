"""The pictogram rule: manual wins, then declared, then detected at or above the threshold; stale never counts."""

import pytest

from models.vocabulary import Dimension
from storage.pictograms import ConsiderationView as C
from storage.pictograms import OverrideView, decide_dimension, pictogram_values

SOCIAL = Dimension.SOCIAL
ENV = Dimension.ENVIRONMENTAL


@pytest.mark.parametrize(
    "considerations, override, on, origin",
    [
        ([], None, False, None),
        ([C("social", "reservation", "declared", 1.0)], None, True, "declared"),
        ([C("social", None, "declared", 1.0)], None, True, "declared"),
        ([C("social", "execution_condition", "detected", 0.8)], None, True, "detected"),
        ([C("social", "execution_condition", "detected", 0.5)], None, True, "detected"),
        ([C("social", "execution_condition", "detected", 0.49)], None, False, None),
        ([C("social", "execution_condition", "detected", 0.9, stale=True)], None, False, None),
        ([C("environmental", "award_criterion", "detected", 0.9)], None, False, None),
        ([C("social", "reservation", "declared", 1.0)], OverrideView(social=False), False, "manual"),
        ([], OverrideView(social=True, levers=("social:reservation",)), True, "manual"),
        ([C("social", "award_criterion", "detected", 0.9)], OverrideView(environmental=True), True, "detected"),
        ([C("social", "award_criterion", "detected", 0.9), C("social", None, "declared")], None, True, "declared"),
    ],
)
def test_social_truth_table(considerations, override, on, origin):
    decision = decide_dimension(SOCIAL, considerations, override, threshold=0.5)
    assert (decision.on, decision.origin) == (on, origin)


def test_levers_are_those_that_qualified():
    decision = decide_dimension(
        ENV,
        [C("environmental", "award_criterion", "detected", 0.9), C("environmental", "technical_specification", "detected", 0.2),
         C("environmental", None, "declared")],
        None,
        threshold=0.5,
    )
    assert decision.levers == ["award_criterion"]


def test_manual_levers_replace_the_detected_ones():
    decision = decide_dimension(
        SOCIAL, [C("social", "award_criterion", "detected", 0.9)],
        OverrideView(social=True, levers=("social:reservation", "environmental:award_criterion")), 0.5,
    )
    assert (decision.levers, decision.confidence) == (["reservation"], 1.0)


def test_threshold_is_configurable():
    considerations = [C("environmental", "award_criterion", "detected", 0.7)]
    assert decide_dimension(ENV, considerations, None, 0.6).on
    assert not decide_dimension(ENV, considerations, None, 0.8).on


def test_row_values_name_both_dimensions():
    values = pictogram_values(7, [C("social", "reservation", "declared", 1.0),
                                  C("environmental", "award_criterion", "detected", 0.75)], None, 0.5)
    assert values["social"] and values["environmental"]
    assert values["levers"] == ["social:reservation", "environmental:award_criterion"]
    assert values["environmental_confidence"] == 0.75


# --- one rule, two paths: the pictograms (Python) and the statistics (SQL) agree on every case ----------------

ORIGINS = ("declared", "detected", "manual")
CONFIDENCES = (None, 0.0, 0.3, 0.5, 0.9, 1.0)
CASES = [(o, c, s) for o in ORIGINS for c in CONFIDENCES for s in (False, True)]


@pytest.mark.parametrize("threshold", [0.0, 0.5, 1.0])
def test_python_and_sql_paths_agree_on_the_whole_truth_table(store, threshold):
    """Each case is one notice with one social consideration: its pictogram (storage.pictograms, Python) and the
    statistics (storage.stats, SQL) must light it alike, and both as `qualifies` says."""
    from sqlalchemy import insert, select

    from models.notice import Notice
    from models.normalise import normalise
    from models.pictogram_rule import qualifies, qualifies_sql
    from models.schema import ConsiderationRow, NoticeRow, PictogramRow
    from storage.pictograms import regenerate_all
    from storage.stats import Filters, shares
    from storage.upsert import upsert_notices

    with store.session() as s:
        upsert_notices(s, [normalise(Notice(source="rule", source_id=f"c{i}", title=f"cas {i}"))
                           for i in range(len(CASES))])
        ids = {r.source_id: r.id for r in s.execute(select(NoticeRow.id, NoticeRow.source_id))}
        s.execute(insert(ConsiderationRow), [
            {"notice_id": ids[f"c{i}"], "dimension": "social", "lever": "execution_condition", "origin": origin,
             "confidence": confidence, "evidence": "…", "stale": stale, "classifier_version": "rule-test"}
            for i, (origin, confidence, stale) in enumerate(CASES)
        ])
    regenerate_all(store, threshold)
    with store.session() as s:
        lit = {r.source_id: r.social for r in s.execute(
            select(NoticeRow.source_id, PictogramRow.social).join(PictogramRow, PictogramRow.notice_id == NoticeRow.id))}
    expected = {f"c{i}": qualifies(o, c, st, threshold) for i, (o, c, st) in enumerate(CASES)}
    assert lit == expected
    # The SQL path: one count per case, through the same statistics query a researcher runs.
    with store.session() as s:
        sql_lit = {
            r.source_id: bool(r.on) for r in s.execute(
                select(NoticeRow.source_id, qualifies_sql(ConsiderationRow, threshold).label("on"))
                .join(ConsiderationRow, ConsiderationRow.notice_id == NoticeRow.id))
        }
        total = shares(s, [], Filters(), threshold)[0]
    assert sql_lit == expected
    assert total.social == sum(expected.values())
