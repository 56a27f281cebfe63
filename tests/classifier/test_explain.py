"""`explain`: the same detections as `classify`, plus every candidate set aside with a reason code."""

from __future__ import annotations

import json

import pytest

from classifier import Document
from classifier.tagging import tag_lines
from models.vocabulary import SUPPRESSION_LABELS, Dimension, Lever

TEXT = (
    "Objet : entretien des espaces verts.\n"
    "Le marché comporte des clauses sociales : non.\n"
    "Conditions particulières d'exécution : clause d'insertion, le titulaire réserve 5 % des heures de travail "
    "aux personnes éloignées de l'emploi.\n"
    "Le candidat atteste sur l'honneur respecter l'obligation d'emploi des personnes handicapées (L. 5212-1).\n"
)


@pytest.fixture(scope="module")
def explained(classifier):
    return classifier.explain(Document(id="e", text=TEXT))


def test_explain_keeps_the_detections_of_classify(classifier, explained):
    assert explained.detections == classifier.classify(Document(id="e", text=TEXT))
    assert (Dimension.SOCIAL, Lever.EXECUTION_CONDITION) in {(d.dimension, d.lever) for d in explained.detections}


def test_every_suppressed_candidate_has_a_known_reason_and_exact_offsets(explained):
    assert explained.suppressed
    for c in explained.suppressed:
        assert c.reason in SUPPRESSION_LABELS
        assert TEXT[c.start:c.end] == c.evidence


def test_the_reasons_name_the_negative_answer_and_the_sworn_declaration(explained):
    reasons = {(c.reason, c.evidence) for c in explained.suppressed}
    assert any(r in ("negative_answer", "negation") and "clauses sociales" in e for r, e in reasons)
    assert any(r == "sworn_declaration" for r, _ in reasons)


def test_tag_explain_adds_the_suppressed_candidates(classifier):
    (plain,) = tag_lines([json.dumps({"id": 1, "text": TEXT})], classifier)
    (explained,) = tag_lines([json.dumps({"id": 1, "text": TEXT})], classifier, explain=True)
    assert "suppressed" not in plain
    assert {k: v for k, v in explained.items() if k != "suppressed"} == plain
    assert explained["suppressed"] and all(s["reason_label"] for s in explained["suppressed"])
