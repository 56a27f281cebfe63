"""The classifier's measured error rates: the counts, and the shipped file kept in step with the classifier."""

from classifier import error_rates
from models.vocabulary import Dimension, Lever

S, E = Dimension.SOCIAL, Dimension.ENVIRONMENTAL


def test_confusion_counts_notices_per_dimension():
    gold = {"a": {(S, Lever.RESERVATION)}, "b": {(E, Lever.AWARD_CRITERION)}, "c": set(), "d": {(S, Lever.AWARD_CRITERION)}}
    detected = {"a": {(S, Lever.EXECUTION_CONDITION)}, "b": set(), "c": {(E, Lever.CONTRACT_SUBJECT)}}
    counts = error_rates.confusion(gold, detected)
    assert counts == {"social": {"tp": 1, "fn": 1, "fp": 0, "tn": 2}, "environmental": {"tp": 0, "fn": 1, "fp": 1, "tn": 2}}
    doc = error_rates.document("v1", 0.5, [{"gold": "g.json", "part": None, "notices": 4, "counts": counts}])
    assert doc["dimensions"]["social"]["sensitivity"] == 0.5 and doc["dimensions"]["social"]["specificity"] == 1.0


def test_the_shipped_error_rates_are_those_of_the_shipped_classifier():
    from classifier import load_classifier

    shipped = error_rates.load()
    assert shipped is not None and shipped["schema"] == error_rates.SCHEMA
    assert shipped["classifier_version"] == load_classifier().version, (
        "the classifier changed: run `tenderwatch evaluate --write-error-rates` and commit the file")
    for counts in shipped["dimensions"].values():
        assert counts["tp"] + counts["fn"] > 0 and counts["tn"] + counts["fp"] > 0
    import json

    held_out = 0
    for name, part in error_rates.HOLDOUT_SETS:  # every held-out notice of every set, and nothing else
        notices = json.loads((error_rates.DATA / name).read_text(encoding="utf-8"))["notices"]
        held_out += sum(1 for v in notices.values() if part is None or v.get("part") == part)
    assert [s["gold"] for s in shipped["sets"]] == [name for name, _ in error_rates.HOLDOUT_SETS]
    assert sum(s["notices"] for s in shipped["sets"]) == held_out == 1984
