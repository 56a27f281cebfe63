"""The CLI on bad input, beyond tests/test_cli.py: one readable line on stderr, exit status 2, nothing written.

Missing and unreadable files, database URLs that cannot be opened, unknown spiders and platforms, bad spider
arguments and settings, impossible dates, undecodable input for `tag`. `tag` keeps its documented contract for
JSONL lines it cannot read: an {"id", "error"} object per such line, the others tagged, one summary line.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from tenderwatch.cli import main


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "cli.sqlite"
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(tmp_path / "data"))
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status: int, err: str, message: str) -> None:
    assert status == 2, err
    assert err.startswith("tenderwatch: error: "), err
    assert len(err.strip().splitlines()) == 1, err
    assert message in err, err


def rows(path, table: str) -> int:
    if not path.exists():
        return 0
    with sqlite3.connect(path) as conn:
        try:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        except sqlite3.OperationalError:  # no such table: nothing was written
            return 0


@pytest.mark.parametrize(
    "args, message",
    [
        # unknown spiders and platforms, bad spider arguments and settings
        (["crawl"], "missing SPIDER"),
        (["crawl", "atexo"], "platform is required"),
        (["crawl", "atexo", "-a", "platform=no-such-platform"], "unknown Atexo platform 'no-such-platform'"),
        (["crawl", "atexo", "-a", "platform=demat-ampa", "-a", "base_url=http://"], "is not a URL"),
        (["crawl", "boamp", "-a", "sample=many"], "sample='many' is not a whole number"),
        (["crawl", "boamp", "-s", "DOWNLOAD_DELAY"], "Invalid value for -s: 'DOWNLOAD_DELAY' is not NAME=VALUE"),
        # impossible or inconsistent dates
        (["crawl", "boamp", "--since", "2024-02-30"], "since='2024-02-30' is not a date"),
        (["crawl", "boamp", "--until", "tomorrow"], "until='tomorrow' is not a date"),
        (["crawl", "decp", "-a", "since=2024-13-01"], "since='2024-13-01' is not a date"),
        (["crawl", "ted", "--since", "2024-03-01", "--until", "2024-02-01"], "since (2024-03-01) is after until"),
        (["stats", "--until", "2024-02-30"], "is not a date"),
        (["pictograms", "--export", "-", "--since", "30/01/2024"], "is not a date"),
        # missing or unusable files
        (["tag", "/no/such/export.jsonl"], "No such file or directory"),
        (["evaluate", "/no/such/gold.json"], "does not exist"),
        (["import", "/no/such/notices.json", "--no-tag"], "does not exist"),
        (["pictograms", "--export", "/no/such/folder/pictos.json"], "no folder /no/such/folder"),
        # options out of range
        (["classify", "--jobs", "0"], "0 is not in the range"),
        (["pictograms", "--limit", "0"], "0 is not in the range"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(db, capsys, args, message):
    status, _, err = run(capsys, *args)
    assert_one_line_error(status, err, message)
    assert not db.exists()


@pytest.mark.parametrize(
    "url, message",
    [
        ("sqlite:////proc/no-such-folder/store.sqlite", "cannot create the folder of the SQLite file"),
        ("not a database url", "unreadable database URL"),
        ("mysql://user@host/db", "unsupported database 'mysql'"),
    ],
)
def test_unusable_database_urls(capsys, url, message):
    status, _, err = run(capsys, "--db", url, "stats")
    assert_one_line_error(status, err, message)


def test_a_folder_given_as_the_sqlite_file(capsys, tmp_path):
    status, _, err = run(capsys, "--db", f"sqlite:///{tmp_path}", "stats")
    assert_one_line_error(status, err, "cannot open the database")


def test_database_url_from_the_environment_is_checked_too(capsys, monkeypatch):
    monkeypatch.setenv("TENDERWATCH_DATABASE_URL", "oracle://scott@db/orcl")
    status, _, err = run(capsys, "stats")
    assert_one_line_error(status, err, "unsupported database 'oracle'")


def test_attaching_to_a_notice_that_is_not_stored_records_no_run(db, capsys, tmp_path):
    document = tmp_path / "RC.txt"
    document.write_text("Règlement de la consultation.", encoding="utf-8")
    status, _, err = run(capsys, "import", str(document), "--notice", "boamp:00-00000")
    assert_one_line_error(status, err, "no stored notice boamp:00-00000")
    assert rows(db, "crawl_run") == 0 and rows(db, "notice") == 0


def test_a_notice_reference_that_is_not_source_colon_id(db, capsys, tmp_path):
    document = tmp_path / "RC.txt"
    document.write_text("Règlement de la consultation.", encoding="utf-8")
    status, _, err = run(capsys, "import", str(document), "--notice", "no-colon")
    assert_one_line_error(status, err, "is not SOURCE:ID")
    assert not db.exists()


def test_a_gold_file_that_is_not_json(capsys, tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text("{not json", encoding="utf-8")
    status, _, err = run(capsys, "evaluate", str(gold))
    assert_one_line_error(status, err, "is not a gold file")


def test_an_export_that_cannot_be_opened(db, capsys, tmp_path):
    folder = tmp_path / "export.json"
    folder.mkdir()  # a folder where the file should be
    status, _, err = run(capsys, "pictograms", "--export", str(folder))
    assert status == 2 and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("data", [b'{"id": 1, "text": "Clause d\xe9insertion sociale."}\n', b"\xff\xfe{\x00\n"])
def test_tag_on_input_that_is_not_utf8_gives_an_error_line(capsys, tmp_path, data):
    """A line that is not UTF-8 is one {"id", "error"} line saying so (the stream goes on: issue 17, case 9)."""
    source = tmp_path / "export.jsonl"
    source.write_bytes(data)
    output = tmp_path / "tagged.jsonl"
    status, _, err = run(capsys, "tag", str(source), "-o", str(output))
    assert status == 0, err
    [result] = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert "not UTF-8 text" in result["error"]
    assert err.strip() == "1 line(s) could not be read (see their `error` field)"


def test_tag_keeps_going_past_bad_lines(capsys, tmp_path):
    source = tmp_path / "export.jsonl"
    source.write_text("\n".join([
        "not json at all",
        json.dumps({"id": "a", "text": "Marché réservé aux entreprises adaptées et aux ESAT."}),
        json.dumps([1, 2]),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "b", "text": 42}),
        json.dumps({"id": "c", "sections": "not a list"}),
        '{"id": "d", "text": "cut',
        json.dumps({"id": "e", "text": "x" * 200_000}),
    ]) + "\n", encoding="utf-8")
    status, out, err = run(capsys, "tag", str(source))
    results = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert [r.get("id") for r in results] == [None, "a", None, None, "b", "c", None, "e"]
    assert [("error" in r) for r in results] == [True, False, True, True, True, True, True, False]
    assert results[1]["social"] is True
    assert err.strip() == "6 line(s) could not be read (see their `error` field)"
