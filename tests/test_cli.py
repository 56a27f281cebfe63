"""The CLI on bad input: one readable line on stderr, exit status 2, nothing written."""

from __future__ import annotations

import json

import pytest

from tenderwatch.cli import main


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", url)
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "cli.sqlite"


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    "args, message",
    [
        (["stats", "--by", "colour"], "unknown grouping colour"),
        (["stats", "--since", "2024-13-45"], "is not a date"),
        (["stats", "--format", "xml"], "'xml' is not one of"),
        (["import", "/no/such/file.json"], "does not exist"),
        (["pictograms", "--since", "yesterday"], "is not a date"),
        (["override", "nosuch:1", "--social", "yes", "--reason", "x"], "no stored notice"),
        (["override", "nosuch:1", "--social", "maybe"], "'maybe' is not one of"),
        (["crawl", "nospider"], "unknown spider 'nospider'"),
        (["crawl", "atexo", "-a", "platform=demat-ampa", "--since", "01/02/2024"], "is not a date"),
        (["crawl", "atexo", "-a", "platform"], "is not KEY=VALUE"),
        (["frobnicate"], "No such command"),
    ],
)
def test_bad_input_exits_2_with_one_line(db, capsys, args, message):
    status, _out, err = run(capsys, *args)
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("tenderwatch: error: ")


def test_unreadable_database_url_exits_2(capsys, tmp_path):
    status, _, err = run(capsys, "--db", "oracle://x", "stats")
    assert status == 2 and "unsupported database 'oracle'" in err


def test_unreachable_postgres_exits_2(capsys):
    status, _, err = run(capsys, "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x", "stats")
    assert status == 2 and "cannot open the database" in err


def test_bad_input_writes_nothing(db, capsys):
    run(capsys, "stats", "--by", "colour")
    assert not db.exists()


def test_db_upgrade_is_idempotent(db, capsys):
    status, out, _ = run(capsys, "db", "upgrade")
    assert status == 0 and "upgraded from empty" in out
    status, out, _ = run(capsys, "db", "upgrade")
    assert status == 0 and "already at revision" in out


def test_import_own_json_then_stats(db, capsys, tmp_path):
    notices = [
        {"source": "archive", "source_id": f"A-{i}", "title": f"Avis {i}", "department": "64",
         "published": f"{2018 + i}-05-01", "declared": [{"dimension": "social", "lever": "reservation", "evidence": "x"}] if i % 2 else []}
        for i in range(4)
    ]
    path = tmp_path / "notices.json"
    path.write_text(json.dumps(notices), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"source_id": "A-9", "title": "no source"}', encoding="utf-8")
    status, out, err = run(capsys, "import", str(path), str(bad), "--no-tag")
    assert status == 0
    assert "files: 2 read: 1 with notices, 0 not a notice (skipped), 1 refused" in out
    assert "4 imported" in out and "1 refused" in out
    assert f"{bad}[0]: a notice needs 'source'" in err
    status, out, _ = run(capsys, "import", str(path), "--no-tag")
    assert "0 imported, 0 updated, 4 unchanged" in out
    status, out, _ = run(capsys, "stats", "--by", "year", "--format", "json")
    rows = json.loads(out)["rows"]
    assert [(r["year"], r["notices"], r["social"]) for r in rows] == [(2018, 1, 0), (2019, 1, 1), (2020, 1, 0), (2021, 1, 1)]
