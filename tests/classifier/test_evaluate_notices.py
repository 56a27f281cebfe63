"""`tenderwatch evaluate` on a gold set whose corpus is a folder of notices: read through the parsers, scored on
what the pictogram shows (declared + detected), optionally on one part of the set."""

from __future__ import annotations

import json
import shutil

from tenderwatch.cli import main
from tests.conftest import FILES

RESERVED = FILES / "ted" / "f02_reserved_fr.xml"


def gold_file(tmp_path, notices: dict) -> str:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(RESERVED, corpus / "reserved.xml")
    shutil.copy(RESERVED, corpus / "again.xml")
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"corpus": str(corpus), "format": "ted_r209_xml", "notices": notices}), encoding="utf-8")
    return str(path)


def label(dimension, lever):
    return {"dimension": dimension, "lever": lever, "evidence": "RESTRICTED_SHELTERED_WORKSHOP"}


def test_a_ticked_reserved_box_counts_as_the_pictogram_shows_it(tmp_path, capsys):
    gold = gold_file(tmp_path, {"reserved": {"labels": [label("social", "reservation")], "part": "dev"}})
    assert main(["evaluate", gold]) == 0
    out = capsys.readouterr().out
    assert "Gold notices: 1" in out
    assert "social/reservation                      1.000  1.000  1.000        1" in out


def test_part_keeps_only_that_part_and_errors_lists_the_misses(tmp_path, capsys):
    gold = gold_file(tmp_path, {
        "reserved": {"labels": [label("social", "reservation")], "part": "dev"},
        "again": {"labels": [label("environmental", "award_criterion")], "part": "holdout"},
    })
    assert main(["evaluate", gold, "--part", "holdout", "--errors"]) == 0
    out = capsys.readouterr().out
    assert "Gold notices: 1" in out
    assert "again: missed ['environmental/award_criterion']" in out


def test_a_part_with_no_notice_is_a_usage_error(tmp_path, capsys):
    gold = gold_file(tmp_path, {"reserved": {"labels": [], "part": "dev"}})
    assert main(["evaluate", gold, "--part", "holdout"]) == 2
    assert "has no notice of part 'holdout'" in capsys.readouterr().err


def test_calibration_is_the_weighted_gap_between_confidence_and_accuracy():
    from classifier.evaluate import calibration

    result = calibration([(0.9, True), (0.9, False), (0.65, True), (0.61, True)], bins=5)
    assert result["detections"] == 4
    assert result["bins"] == [
        {"bin": "0.6-0.8", "n": 2, "confidence": 0.63, "accuracy": 1.0},
        {"bin": "0.8-1.0", "n": 2, "confidence": 0.9, "accuracy": 0.5},
    ]
    assert result["ece"] == round(0.5 * 0.37 + 0.5 * 0.4, 4)
    assert calibration([])["ece"] is None


def test_errors_list_the_evidence_of_each_miss(tmp_path, capsys):
    gold = gold_file(tmp_path, {"again": {"labels": [label("environmental", "award_criterion")], "part": "dev"}})
    assert main(["evaluate", gold, "--errors"]) == 0
    out = capsys.readouterr().out
    assert "missed environmental/award_criterion: « RESTRICTED_SHELTERED_WORKSHOP »" in out
