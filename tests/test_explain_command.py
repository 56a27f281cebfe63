"""`tenderwatch explain SOURCE:ID` on a stored notice: detections, what was set aside, in French, one line per
error; `--format json` for tools."""

from __future__ import annotations

import json

from tenderwatch.cli import main

NOTICE = {
    "source": "boamp", "source_id": "26-11111", "title": "Nettoyage des écoles [/] \x1b[2J",
    "sections": [
        {"heading": "Conditions particulières d'exécution", "kind": "execution_conditions",
         "text": "Clause d'insertion : le titulaire réserve 5 % des heures de travail aux personnes éloignées de "
                 "l'emploi."},
        {"heading": "Renseignements complémentaires", "kind": "additional_info",
         "text": "Le marché comporte des clauses sociales : non."},
    ],
}


def stored(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    (tmp_path / "n.json").write_text(json.dumps(NOTICE), encoding="utf-8")
    assert main(["import", str(tmp_path / "n.json")]) == 0


def test_explain_shows_detections_and_what_was_set_aside(tmp_path, monkeypatch, capsys):
    stored(tmp_path, monkeypatch)
    capsys.readouterr()
    assert main(["explain", "boamp:26-11111"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Pictogrammes : Considération sociale" in out
    assert "Considération sociale · Conditions d'exécution" in out
    assert "formulation négative" in out  # "clauses sociales : non"
    assert "\x1b" not in out and "[2J" not in out and "[/]" in out  # the title's escape sequence is dropped, its brackets shown


def test_explain_json_lists_detected_and_suppressed(tmp_path, monkeypatch, capsys):
    stored(tmp_path, monkeypatch)
    capsys.readouterr()
    assert main(["explain", "boamp:26-11111", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["notice"] == "boamp:26-11111"
    assert [(d["dimension"], d["lever"]) for d in data["detected"]] == [("social", "execution_condition")]
    assert any(s["reason"] == "negation" for s in data["suppressed"])


def test_explain_an_unknown_notice_exits_2_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    assert main(["explain", "boamp:00-00000"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "no stored notice boamp:00-00000" in err


def test_a_stored_notice_whose_main_cpv_code_names_an_environmental_purpose(tmp_path, monkeypatch, capsys):
    """Explain reads the stored notice's CPV codes and says what its main code names, without a pictogram: the
    title states no purpose."""
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    terse = {"source": "decp", "source_id": "2019-77", "title": "Marché 2019-77 lot 2",
             "cpv_codes": ["90722000-0"], "sections": []}
    (tmp_path / "n.json").write_text(json.dumps(terse), encoding="utf-8")
    assert main(["import", str(tmp_path / "n.json")]) == 0
    capsys.readouterr()
    assert main(["explain", "decp:2019-77", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["detected"] == []
    (shown,) = [s for s in data["suppressed"] if s["reason"] == "cpv_only"]
    assert shown["section"] == "CPV 90722000 : services relatifs à l'environnement"
    assert shown["evidence"] == "Marché 2019-77 lot 2"
