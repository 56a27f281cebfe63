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
