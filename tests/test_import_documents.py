"""Consultation documents (PDF, DOCX, ODT, text): imported as notices of their own or attached to a stored notice."""

from __future__ import annotations

import json

import docx
import matplotlib
import pytest
from odf.opendocument import OpenDocumentText
from odf.text import P
from sqlalchemy import create_engine, select

from crawler.parsers.files import detect_format, read_file
from crawler.parsers.errors import ParseError
from models.schema import NoticeRow
from tenderwatch.cli import main

CLAUSE = "Clause d'insertion : le titulaire réserve 5 % des heures de travail aux personnes éloignées de l'emploi."


def write_pdf(path) -> None:
    matplotlib.use("Agg")
    matplotlib.rcParams["pdf.fonttype"] = 42
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(9, 2))
    fig.text(0.02, 0.5, CLAUSE, fontsize=7)
    fig.savefig(path)
    plt.close(fig)


def write_docx(path) -> None:
    document = docx.Document()
    document.add_paragraph("CCAP - Article 9 : conditions particulières d'exécution")
    document.add_paragraph(CLAUSE)
    document.save(path)


def write_odt(path) -> None:
    document = OpenDocumentText()
    document.text.addElement(P(text="CCAP - Article 9 : conditions particulières d'exécution"))
    document.text.addElement(P(text=CLAUSE))
    document.save(str(path))


@pytest.fixture
def documents(tmp_path):
    paths = {"pdf": tmp_path / "RC.pdf", "docx": tmp_path / "CCAP.docx", "odt": tmp_path / "CCTP.odt",
             "text": tmp_path / "notes.txt"}
    write_pdf(paths["pdf"])
    write_docx(paths["docx"])
    write_odt(paths["odt"])
    paths["text"].write_text(CLAUSE, encoding="cp1252")
    return paths


@pytest.mark.parametrize("fmt", ["pdf", "docx", "odt", "text"])
def test_format_is_detected_and_text_extracted(documents, fmt):
    path = documents[fmt]
    assert detect_format(path) == fmt
    [notice] = list(read_file(path))
    assert "personnes éloignées de l'emploi" in notice.text
    assert (notice.source, notice.raw_format) == ("import", fmt)
    assert notice.source_id.startswith(f"{path.stem}-")  # the name, and a digest of the path (issue 17, case 3)


def test_empty_pdf_is_a_parse_error(tmp_path):
    path = tmp_path / "scan.pdf"
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    fig.savefig(path)
    plt.close(fig)
    [error] = list(read_file(path))
    assert isinstance(error, ParseError) and "no text" in str(error)


def test_documents_attach_to_a_stored_notice(documents, tmp_path, monkeypatch, capsys):
    db = tmp_path / "store.sqlite"
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", f"sqlite:///{db}")
    notice = {"source": "atexo:demat-ampa", "source_id": "2024-0042", "title": "Travaux de voirie",
              "department": "33", "published": "2024-05-02",
              "sections": [{"heading": "Objet", "text": "Réfection de la voirie communale.", "kind": "object"}]}
    (tmp_path / "notice.json").write_text(json.dumps(notice), encoding="utf-8")
    assert main(["import", str(tmp_path / "notice.json")]) == 0
    assert main(["import", str(documents["docx"]), "--notice", "atexo:demat-ampa:2024-0042"]) == 0
    out = capsys.readouterr().out
    assert "0 imported, 1 updated" in out
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(select(NoticeRow)).all()
    assert len(rows) == 1
    assert [s["heading"] for s in rows[0].sections] == ["Objet"]  # the source's
    assert [a["heading"] for a in rows[0].attachments] == ["CCAP.docx"]  # the operator's, apart
    assert "personnes éloignées de l'emploi" in rows[0].text
    assert rows[0].tagged_version is not None


def test_attaching_to_an_unknown_notice_exits_2(documents, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 's.sqlite'}")
    assert main(["import", str(documents["docx"]), "--notice", "boamp:00-000"]) == 2
    assert "no stored notice boamp:00-000" in capsys.readouterr().err


def test_documents_attach_to_a_ted_notice_named_by_any_spelling_of_its_number(documents, tmp_path, monkeypatch):
    """`import --notice` resolves SOURCE:ID as `override` does (storage.notices): the TED API's "91489-2019"
    finds the R2.0.9 notice stored as "091489-2019"."""
    db = tmp_path / "store.sqlite"
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", f"sqlite:///{db}")
    notice = {"source": "ted", "source_id": "091489-2019", "title": "Nettoyage des locaux", "published": "2019-02-25"}
    (tmp_path / "notice.json").write_text(json.dumps(notice), encoding="utf-8")
    assert main(["import", str(tmp_path / "notice.json")]) == 0
    assert main(["import", str(documents["docx"]), "--notice", "ted:91489-2019", "--no-tag"]) == 0
    with create_engine(f"sqlite:///{db}").connect() as conn:
        rows = conn.execute(select(NoticeRow.source_id, NoticeRow.text)).all()
    assert [r.source_id for r in rows] == ["091489-2019"]
    assert "personnes éloignées de l'emploi" in rows[0].text
