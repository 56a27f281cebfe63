"""The golden test: `tag` on a fixed set of notices gives the recorded outputs, unless the declared version moved.

The inputs (tests/classifier/golden/inputs.jsonl) are the demo corpus's consultations and a few raw texts. When
the classifier's behaviour changes on purpose, bump DECLARED_VERSION (classifier/version.py) and regenerate the
outputs with `python -m tests.classifier.golden`; a change of outputs under the same version fails here, because
stores tagged under that version would silently disagree with new tags. A refactor that changes no output needs
neither, and no store needs a re-tag.
"""

from __future__ import annotations

import json
from pathlib import Path

from classifier import load_classifier
from classifier.tagging import tag_lines
from classifier.version import DECLARED_VERSION

GOLDEN = Path(__file__).resolve().parent / "golden"
INPUTS = GOLDEN / "inputs.jsonl"
OUTPUTS = GOLDEN / "outputs.jsonl"
THRESHOLD = 0.5


def current_outputs() -> tuple[str, list[dict]]:
    classifier = load_classifier()
    lines = INPUTS.read_text(encoding="utf-8").splitlines()
    results = [json.loads(json.dumps(r, ensure_ascii=False)) for r in tag_lines(lines, classifier, threshold=THRESHOLD)]
    for r in results:
        r["considerations"] = [{**c, "confidence": round(c["confidence"], 4)} for c in r["considerations"]]
    return classifier.version, results


def recorded_outputs() -> tuple[str, list[dict]]:
    header, *rows = OUTPUTS.read_text(encoding="utf-8").splitlines()
    return json.loads(header)["classifier_version"], [json.loads(r) for r in rows]


def test_the_golden_outputs_were_recorded_under_the_declared_version():
    recorded_version, _ = recorded_outputs()
    assert recorded_version.removeprefix("rules-").split("+")[0] == DECLARED_VERSION, (
        f"outputs recorded under {recorded_version}, declared version is {DECLARED_VERSION}: "
        "regenerate them with `python -m tests.classifier.golden`"
    )


def test_outputs_are_unchanged_unless_the_declared_version_was_bumped():
    version, results = current_outputs()
    recorded_version, recorded = recorded_outputs()
    assert version == recorded_version, "the classifier's version changed: regenerate the golden outputs"
    changed = [r["id"] for r, old in zip(results, recorded) if r != old]
    assert len(results) == len(recorded) and not changed, (
        f"tag outputs changed on {changed[:10]} while the declared version is still {DECLARED_VERSION}: "
        "bump DECLARED_VERSION in classifier/version.py (every stored notice will be re-tagged), then "
        "`python -m tests.classifier.golden`"
    )


def test_the_golden_set_exercises_both_dimensions_and_several_levers():
    _, recorded = recorded_outputs()
    pairs = {(c["dimension"], c["lever"]) for r in recorded for c in r["considerations"]}
    assert {d for d, _ in pairs} == {"social", "environmental"}
    assert len({lever for _, lever in pairs}) >= 4
    assert any(not r["considerations"] for r in recorded)
