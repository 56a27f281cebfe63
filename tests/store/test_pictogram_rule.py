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
