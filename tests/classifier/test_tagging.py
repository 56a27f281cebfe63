"""The `tenderwatch tag` contract: one output per input line, same order, errors inline, exact offsets."""

from __future__ import annotations

import json

import pytest

from classifier.tagging import tag_lines

TEXT = (
    "Objet : collecte et valorisation des biodéchets.\n"
    "Critères d'attribution : prix 60 %, performances en matière de protection de l'environnement 10 %."
)


@pytest.fixture(scope="module")
def results(classifier):
    lines = [
        json.dumps({"id": "a", "text": TEXT}),
        "",
        "{not json",
        json.dumps(
            {
                "id": 7,
                "title": "Marché réservé",
                "sections": [
                    {
                        "heading": "Marché réservé",
                        "text": "Le marché est réservé à des ESAT (article L. 2113-12).",
                    }
                ],
            }
        ),
        "   ",
        json.dumps({"text": "sans identifiant"}),
        json.dumps({"id": "c", "text": "Fourniture de sel de déneigement."}),
    ]
    return list(tag_lines(lines, classifier, batch_size=2))


def test_one_result_per_non_blank_line_in_order(results):
    assert [r.get("id") for r in results] == ["a", None, 7, None, "c"]


def test_unreadable_lines_give_an_error_and_the_stream_goes_on(results):
    assert "not valid JSON" in results[1]["error"] and "line 3" in results[1]["error"]
    assert "missing 'id'" in results[3]["error"]
    assert "considerations" in results[4]


def test_result_fields(results, classifier):
    r = results[0]
    assert set(r) == {"id", "social", "environmental", "considerations", "classifier_version"}
    assert all(set(c) == {"dimension", "lever", "confidence", "evidence", "start", "end", "section", "method"}
               for c in r["considerations"])
    assert r["environmental"] is True and r["social"] is False
    assert r["classifier_version"] == classifier.version
    assert {(c["dimension"], c["lever"]) for c in r["considerations"]} == {
        ("environmental", "contract_subject"),
        ("environmental", "award_criterion"),
    }
    assert all(0 <= c["confidence"] <= 1 for c in r["considerations"])


def test_offsets_are_exact_in_the_given_text(results):
    for c in results[0]["considerations"]:
        assert TEXT[c["start"] : c["end"]] == c["evidence"]


def test_offsets_are_exact_in_the_text_built_from_sections(results):
    built = "Marché réservé\n\nMarché réservé\nLe marché est réservé à des ESAT (article L. 2113-12)."
    (c,) = results[2]["considerations"]
    assert (c["dimension"], c["lever"]) == ("social", "reservation")
    assert built[c["start"] : c["end"]] == c["evidence"]
    assert "L. 2113-12" in c["evidence"]


def test_no_consideration_is_an_empty_list(results):
    assert results[4]["considerations"] == [] and results[4]["social"] is False


def test_a_dimension_is_lit_only_at_the_detection_threshold(classifier, monkeypatch):
    """`tag` applies the pictogram rule: detections below the threshold are listed but light nothing."""
    line = json.dumps({"id": "a", "text": TEXT})
    (low,) = tag_lines([line], classifier, threshold=0.0)
    assert low["environmental"] and low["considerations"]
    below = min(c["confidence"] for c in low["considerations"]) + 1e-9
    (high,) = tag_lines([line], classifier, threshold=max(below, 1.0 + 1e-9))
    assert high["considerations"] == low["considerations"]
    assert not high["environmental"] and not high["social"]
    monkeypatch.setenv("TENDERWATCH_DETECTION_THRESHOLD", "1")
    (from_env,) = tag_lines([line], classifier)
    assert from_env["environmental"] == any(c["confidence"] >= 1.0 for c in low["considerations"]
                                             if c["dimension"] == "environmental")


def test_a_main_cpv_code_naming_an_environmental_purpose_is_shown_but_lights_nothing(classifier):
    lines = [
        json.dumps({"id": "terse", "title": "Lot 3 : secteur nord", "cpv_codes": ["90720000-0", "45000000-7"]}),
        json.dumps({"id": "secondary", "title": "Lot 3 : secteur nord", "cpv_codes": ["45000000-7", "90720000-0"]}),
        json.dumps({"id": "stated", "title": "Rénovation énergétique de la mairie", "cpv_codes": ["45321000"]}),
        json.dumps({"id": "bad", "title": "Lot 3", "cpv_codes": "90720000"}),
    ]
    terse, secondary, stated, bad = tag_lines(lines, classifier, explain=True)
    assert terse["environmental"] is False and terse["considerations"] == []
    (shown,) = [c for c in terse["suppressed"] if c["reason"] == "cpv_only"]
    assert (shown["dimension"], shown["lever"], shown["evidence"]) == ("environmental", "contract_subject",
                                                                        "Lot 3 : secteur nord")
    assert "code CPV principal" in shown["reason_label"]
    assert not [c for c in secondary["suppressed"] if c["reason"] == "cpv_only"]  # an additional code: a part
    assert stated["environmental"] is True and not [c for c in stated["suppressed"] if c["reason"] == "cpv_only"]
    assert "'cpv_codes' must be a list of strings" in bad["error"]
