"""The annotated evaluation sets are consistent: evidence quoted from the real texts, flags equal to the labels,
known levers, one label per pair, and held-out sets that share no notice with gold or with each other."""

from __future__ import annotations

import json

import pytest

from classifier.evaluate import DATA, load_corpus
from models.vocabulary import Dimension, Lever
from tests.conftest import samples_path

SETS = ["gold_notices_fr_2020.json", "holdout_notices_fr_2020.json", "holdout_b_notices_fr_2020.json"]


def annotated(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    corpus = samples_path("corpora", "notices_fr_2020", "notices.jsonl")
    return {doc_id: record["text"] for doc_id, record in load_corpus(corpus).items()}


@pytest.mark.parametrize("name", SETS)
def test_labels_are_well_formed(name):
    data = annotated(name)
    assert data["guidelines"] and data["corpus"].endswith("notices.jsonl")
    for doc_id, notice in data["notices"].items():
        pairs = [(Dimension(x["dimension"]), Lever(x["lever"])) for x in notice["labels"]]
        assert len(pairs) == len(set(pairs)), doc_id
        for dim in Dimension:
            assert notice[str(dim)] == any(d is dim for d, _ in pairs), (doc_id, dim)
        assert notice["confidence"] in ("high", "medium", "low"), doc_id
        assert all(0 < len(x["evidence"]) <= 300 for x in notice["labels"]), doc_id


@pytest.mark.parametrize("name", SETS)
def test_evidence_is_quoted_from_the_notice(name, texts):
    for doc_id, notice in annotated(name)["notices"].items():
        assert doc_id in texts, doc_id
        for label in notice["labels"]:
            assert label["evidence"] in texts[doc_id], (doc_id, label["evidence"][:80])


def test_held_out_sets_share_no_notice_with_gold_or_each_other():
    keys = [set(annotated(name)["notices"]) for name in SETS]
    assert all(len(a & b) == 0 for i, a in enumerate(keys) for b in keys[i + 1 :])


def test_report_does_not_claim_a_recall_it_could_not_measure():
    from classifier.evaluate import PRF, EvalReport, format_report

    empty, half = PRF.of(0, 0, 0), PRF.of(1, 1, 2)
    report = EvalReport(2, {"social": empty, "environmental": half}, {"environmental/award_criterion": half}, half, {})
    lines = format_report(report).splitlines()
    social = next(line for line in lines if line.strip().startswith("social"))
    environmental = next(line for line in lines if line.strip().startswith("environmental "))
    assert social.split()[1:4] == ["-", "-", "-"] and "recall unmeasured" in social
    assert environmental.split()[1:4] == ["1.000", "0.500", "0.667"] and environmental.endswith("NOT met")
