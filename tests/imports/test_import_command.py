"""`tenderwatch import`: archives within limits, DECP table shapes, files that are no notice, one line per error,
files and notices counted apart, the run recorded."""

from __future__ import annotations

import csv
import gzip
import io
import json
import tarfile
import zipfile

import pytest
from sqlalchemy import create_engine, select

from crawler.parsers.decp_flat import iter_decp_csv, iter_decp_flat_json
from crawler.parsers.errors import ParseError
from crawler.parsers.files import read_file
from models.schema import ConsiderationRow, CrawlRunRow, NoticeRow
from tenderwatch.cli import main
from tests.imports.helpers import decp_2019, decp_contract, ted_r209


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", f"sqlite:///{path}")
    return path


def _rows(db, *columns):
    with create_engine(f"sqlite:///{db}").connect() as conn:
        return conn.execute(select(*columns)).all()


def _run(capsys, *args):
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _contracts(n: int, buyer: str = "21200033300019") -> bytes:
    return decp_2019([decp_contract(f"2020-{i:04d}", buyer=buyer, amount=1000.0 + i) for i in range(n)])


def test_zip_gz_and_tar_gz_archives_are_read_member_by_member(db, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "decp.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/decp-1.json", _contracts(3))
        archive.writestr("README.md", "# DECP\n")
        archive.writestr("__MACOSX/._decp-1.json", b"\x00\x05\x16\x07")
    (folder / "decp-2.json.gz").write_bytes(gzip.compress(_contracts(2, buyer="21330063500017")))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in [("ted/cn.xml", ted_r209("012345-2020")), ("ted/logo.png", b"\x89PNG\r\n\x1a\n")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    (folder / "ted.tar.gz").write_bytes(buffer.getvalue())
    status, out, err = _run(capsys, "import", str(folder), "--no-tag")
    assert status == 0 and err == ""
    assert "files: 5 read: 3 with notices, 2 not a notice (skipped), 0 refused" in out
    assert "notices: 6 read: 6 imported" in out
    assert sorted(r.source for r in _rows(db, NoticeRow.source)) == ["decp"] * 5 + ["ted"]


def test_an_archive_bomb_is_refused_in_one_line_and_the_rest_goes_on(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TENDERWATCH_ARCHIVE_MAX_BYTES", str(1024 * 1024))
    folder = tmp_path / "in"
    folder.mkdir()
    with zipfile.ZipFile(folder / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.json", b"\x00" * (8 * 1024 * 1024))  # 8 MiB of zeros in 8 KiB
    (folder / "bomb.json.gz").write_bytes(gzip.compress(b'{"marches": [' + b" " * (4 * 1024 * 1024) + b"]}"))
    (folder / "ok.json").write_bytes(_contracts(2))
    status, out, err = _run(capsys, "import", str(folder), "--no-tag")
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith(f"{folder / 'bomb.json.gz'}: expands to more than 1 MiB")
    assert lines[1] == (f"{folder / 'bomb.zip'}: expands to 8 MiB, more than the limit of 1 MiB "
                        "(TENDERWATCH_ARCHIVE_MAX_BYTES)")
    assert "files: 3 read: 1 with notices, 0 not a notice (skipped), 2 refused" in out and status == 0
    assert "notices: 2 read: 2 imported, 0 updated, 0 unchanged, 0 refused" in out
    assert len(_rows(db, NoticeRow.id)) == 2


def test_an_archive_with_too_many_members_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("TENDERWATCH_ARCHIVE_MAX_MEMBERS", "3")
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(5):
            archive.writestr(f"n{i}.json", _contracts(1))
    [error] = list(read_file(path))
    assert isinstance(error, ParseError) and "5 members, more than the limit of 3" in error.message


FLAT = {"id": "2026T06966", "nature": "Marché", "objet": "Réhabilitation - Plomberie", "codecpv": "45000000-7",
        "procedure": "Procédure adaptée", "titulaire_id_1": "30102983100031", "titulaire_typeidentifiant_1": "SIRET",
        "titulaire_id_2": "CDL", "acheteur_id": "21220295600018", "datenotification": "2026-08-17",
        "datepublicationdonnees": "2026-08-17", "montant": 57988.0, "lieuexecution_code": "22",
        "lieuexecution_typecode": "Code département", "considerationssociales": "Clause sociale, Critère social",
        "considerationsenvironnementales": "Pas de considération environnementale", "idaccordcadre": "CDL"}


@pytest.mark.parametrize("shape", ["results", "records", "list"])
def test_flattened_decp_json_reads_like_the_nested_format(shape):
    document = {"results": [FLAT]} if shape == "results" else (
        {"records": [{"fields": FLAT}]} if shape == "records" else [FLAT])
    data = json.dumps(document).encode()
    [notice] = list(iter_decp_flat_json(io.BytesIO(data), where="x", head=data))
    nested = {"id": FLAT["id"], "acheteur": {"id": FLAT["acheteur_id"]}, "objet": FLAT["objet"],
              "codeCPV": FLAT["codecpv"], "lieuExecution": {"code": "22", "typeCode": "Code département"},
              "considerationsSociales": {"considerationSociale": ["Clause sociale", "Critère social"]},
              "montant": 57988.0, "datePublicationDonnees": "2026-08-17"}
    [same] = list(read_file_from_bytes(json.dumps({"marches": [nested]}).encode()))
    assert notice.source_id == same.source_id == "21220295600018-2026T06966"
    assert (notice.department, notice.amount, notice.cpv_codes) == ("22", 57988.0, ["45000000"])
    assert {(str(d.dimension), str(d.lever)) for d in notice.declared} == {
        ("social", "execution_condition"), ("social", "award_criterion")}
    assert notice.declared and {(d.dimension, d.lever) for d in notice.declared} == {
        (d.dimension, d.lever) for d in same.declared}


def read_file_from_bytes(data: bytes):
    from crawler.parsers.decp import iter_decp

    return iter_decp(io.BytesIO(data), where="nested")


def test_the_portals_csv_export_is_read(tmp_path):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FLAT), delimiter=";")
    writer.writeheader()
    writer.writerow({**FLAT, "considerationsenvironnementales": "Critère environnemental"})
    writer.writerow({**FLAT, "id": "", "acheteur_id": ""})
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    results = list(iter_decp_csv(io.BytesIO(data), where="export.csv", head=data))
    notice, error = results
    assert notice.source_id == "21220295600018-2026T06966"
    assert {(str(d.dimension), str(d.lever)) for d in notice.declared} >= {("environmental", "award_criterion")}
    assert isinstance(error, ParseError) and error.where == "export.csv: line 3" and "names no buyer" in error.message


def test_files_that_hold_no_notice_are_skipped_and_never_stored(db, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "README.md").write_text("# Marché réservé\n\nLes ESAT et EA (L2113-12).", encoding="utf-8")
    (folder / "LICENSE").write_text("MIT License\n\nPermission is hereby granted", encoding="utf-8")
    (folder / "codes.csv").write_text("code,label\nres-ws,Marché réservé\nres-pub-ser,Réservé\n", encoding="utf-8")
    (folder / "cn.xml").write_bytes(ted_r209("012345-2020"))
    status, out, err = _run(capsys, "import", str(folder), "--no-tag")
    assert status == 0 and err == ""
    assert "files: 4 read: 1 with notices, 3 not a notice (skipped), 0 refused" in out
    assert [r.source_id for r in _rows(db, NoticeRow.source_id)] == ["012345-2020"]


def test_errors_are_one_line_each_without_exception_text(db, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.xml").write_bytes(ted_r209("012345-2020")[:400])
    (folder / "odd.json").write_text(json.dumps([{"source": "x", "source_id": "1", "title": ["a", "list"]}]))
    (folder / "decp.json").write_bytes(decp_2019([decp_contract("A-2020-1"), {"id": "B-2", "objet": "Sans acheteur"}]))
    status, out, err = _run(capsys, "import", str(folder), "--no-tag")
    lines = err.strip().splitlines()
    assert status == 0 and len(lines) == 3, err
    assert lines[0].startswith(f"{folder / 'broken.xml'}: malformed XML: ")
    assert lines[1:] == [
        f"{folder / 'decp.json'}: marches[1]: contract 'B-2' names no buyer ('acheteur.id')",
        f"{folder / 'odd.json'}[0]: not a notice: title must be a string, not list",
    ]
    for line in lines:
        assert line.count(str(folder)) == 1 and "ted_r209" not in line and "KeyError" not in line
    assert "files: 3 read: 1 with notices, 0 not a notice (skipped), 2 refused" in out
    assert "notices: 1 read: 1 imported, 0 updated, 0 unchanged, 2 refused" in out


def test_an_import_is_a_run_failed_when_every_file_failed(db, tmp_path, capsys):
    bad = tmp_path / "broken.xml"
    bad.write_bytes(ted_r209("012345-2020")[:400])
    status, out, _ = _run(capsys, "import", str(bad), "--no-tag")
    assert status == 1 and "run 1: failed" in out
    good = tmp_path / "cn.xml"
    good.write_bytes(ted_r209("012345-2020"))
    status, out, _ = _run(capsys, "import", str(bad), str(good), "--no-tag")
    assert status == 0 and "run 2: succeeded" in out
    runs = {r.id: r for r in _rows(db, CrawlRunRow.id, CrawlRunRow.spider, CrawlRunRow.status, CrawlRunRow.counts)}
    assert (runs[1].spider, runs[1].status, runs[1].counts["files_refused"]) == ("import", "failed", 1)
    assert (runs[2].status, runs[2].counts["files_with_notices"], runs[2].counts["new"]) == ("succeeded", 1, 1)
    status, out, _ = _run(capsys, "runs", "--spider", "import")
    assert status == 0 and "failed" in out and "succeeded" in out


def test_decp_flat_considerations_are_stored_as_declared(db, tmp_path, capsys):
    path = tmp_path / "portal.json"
    path.write_text(json.dumps({"total_count": 1, "results": [FLAT]}), encoding="utf-8")
    status, out, _ = _run(capsys, "import", str(path), "--no-tag")
    assert status == 0 and "1 imported" in out
    assert sorted((r.dimension, r.lever) for r in _rows(db, ConsiderationRow.dimension, ConsiderationRow.lever)) == [
        ("social", "award_criterion"), ("social", "execution_condition")]
