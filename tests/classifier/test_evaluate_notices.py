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


def decp_gold(tmp_path, notices: dict, records: list) -> str:
    """A gold file over a folder of DECP zips (keys `<zip stem>:<index in marches>`), as decp_2019_objects.json."""
    import zipfile

    corpus = tmp_path / "decp"
    corpus.mkdir()
    with zipfile.ZipFile(corpus / "publisher_json.zip", "w") as z:
        z.writestr("publisher.json", json.dumps({"marches": records}, ensure_ascii=False))
    path = tmp_path / "decp_gold.json"
    path.write_text(json.dumps({"corpus": str(corpus), "format": "decp_2019_objects", "notices": notices}),
                    encoding="utf-8")
    return str(path)


def record(i: int, objet: str) -> dict:
    return {"id": f"2019-{i}", "acheteur": {"id": "21350238800019"}, "objet": objet, "montant": 1000,
            "dateNotification": f"2019-01-0{i + 1}", "codeCPV": "45000000"}


DECP_RECORDS = [
    record(0, "Travaux de mise en accessibilité PMR de la mairie"),
    record(1, "Fourniture de papier pour photocopieurs"),
    record(2, "R\ufffdnovation \ufffdnerg\ufffdtique du groupe scolaire"),
]


def test_decp_objects_are_read_from_their_zips_and_scored(tmp_path, capsys):
    gold = decp_gold(tmp_path, {
        "publisher_json:0": {"labels": [{"dimension": "social", "lever": "contract_subject", "evidence": "x"}],
                             "part": "holdout"},
        "publisher_json:1": {"labels": [], "part": "holdout"},
        "publisher_json:2": {"labels": [{"dimension": "environmental", "lever": "contract_subject", "evidence": "x"}],
                             "part": "holdout"},
    }, DECP_RECORDS)
    assert main(["evaluate", gold, "--part", "holdout"]) == 0
    out = capsys.readouterr().out
    assert "Gold notices: 3" in out
    assert "social/contract_subject                 1.000  1.000  1.000        1" in out
    assert "environmental/contract_subject          1.000  1.000  1.000        1" in out


def test_training_reads_the_development_part_only(tmp_path):
    from pathlib import Path

    from tenderwatch.gold_corpora import dev_examples

    gold = decp_gold(tmp_path, {
        "publisher_json:0": {"labels": [{"dimension": "social", "lever": "contract_subject"}], "part": "dev"},
        "publisher_json:1": {"labels": [], "part": "holdout"},
        "publisher_json:2": {"labels": [{"dimension": "environmental", "lever": "contract_subject"}],
                             "part": "holdout"},
    }, DECP_RECORDS)
    assert dev_examples(Path(gold)) == [
        ("Travaux de mise en accessibilité PMR de la mairie", "title",
         [{"dimension": "social", "lever": "contract_subject"}]),
    ]


def test_every_annotated_decp_object_is_found_in_the_real_zips():
    """The 6,243 keys of decp_2019_objects.json name records of ../shared/samples/external's DECP zips, each parsed
    and carrying the object it was annotated on (the evidence quotes are substrings of its title)."""
    from classifier.evaluate import DATA, gold_corpus
    from tenderwatch.gold_corpora import gold_notices
    from tests.conftest import samples_path

    samples_path("external", "decp", "format2019_json_zips")  # skips with a reason when the samples are absent
    path = DATA / "decp_2019_objects.json"
    notices = json.loads(path.read_text(encoding="utf-8"))["notices"]
    corpus, fmt = gold_corpus(path)
    parsed = gold_notices(corpus, list(notices), fmt)
    assert len(parsed) == len(notices) == 6243
    for key, gold in notices.items():
        title = " ".join(parsed[key].title.split())
        for lab in gold["labels"]:
            assert lab["evidence"] in title, key


def test_a_malformed_decp_gold_key_is_named_in_one_line(tmp_path, capsys):
    gold = decp_gold(tmp_path, {"publisher_json-0": {"labels": [], "part": "holdout"}}, DECP_RECORDS)
    assert main(["evaluate", gold]) == 2
    err = capsys.readouterr().err
    assert "'publisher_json-0'" in err and "<zip stem>:<index in marches>" in err
