"""`tenderwatch stats`: every mode and format, and bad input exiting 2 with one readable line."""

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from storage.stats import LeverRow, ShareRow
from tenderwatch.cli import main
from tenderwatch.tables import SCHEMA
from tests.store.test_stats import build_world


@pytest.fixture
def db(store):
    build_world(store)
    return store.url


def run(db, *args, capsys) -> tuple[int, str, str]:
    status = main(["--db", db, "stats", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_default_table_in_french(db, capsys):
    status, out, _ = run(db, capsys=capsys)
    assert status == 0
    for text in ("Achats publics responsables", "Année", "Région", "Sociale", "IC 95 %", "Nouvelle-Aquitaine", "66,7 %"):
        assert text in out


def test_json_document(db, capsys):
    status, out, _ = run(db, "--by", "year", "--format", "json", capsys=capsys)
    document = json.loads(out)
    assert (status, document["schema"], document["kind"], document["group_by"]) == (0, SCHEMA, "shares", ["year"])
    assert document["filters"]["origin"] == "all" and document["threshold"] == 0.5
    first = document["rows"][0]
    assert list(first) == ["year"] + [k for k in ShareRow({}, 0, 0, 0, *[None] * 6).as_dict()]
    assert (first["year"], first["notices"], first["social"]) == (2023, 4, 3)


def test_levers_csv_by_origin(db, capsys):
    status, out, _ = run(db, "--by", "year", "--levers", "--origin", "declared", "--format", "csv", capsys=capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0
    assert list(rows[0]) == ["year"] + [k for k in LeverRow({}, "", None, 0, 0, None, None, None).as_dict()]
    cell = next(r for r in rows if (r["year"], r["dimension"], r["lever"]) == ("2023", "social", "reservation"))
    assert (cell["notices"], cell["count"]) == ("4", "1")


def test_parquet_needs_a_file_and_writes_it(db, tmp_path, capsys):
    status, _, err = run(db, "--format", "parquet", capsys=capsys)
    assert status == 2 and err.count("\n") == 1 and "-o FILE" in err
    path = tmp_path / "stats.parquet"
    assert run(db, "--by", "year,region", "--format", "parquet", "-o", str(path), capsys=capsys)[0] == 0
    table = pq.read_table(path)
    assert table.num_rows == 6
    assert table.column_names[:3] == ["year", "region", "notices"]


def test_agreement_json(db, capsys):
    status, out, _ = run(db, "--agreement", "--format", "json", capsys=capsys)
    document = json.loads(out)
    social = next(r for r in document["rows"] if r["dimension"] == "social" and r["lever"] is None)
    assert (status, document["kind"], document["group_by"]) == (0, "agreement", [])
    assert (social["notices"], social["both"], social["declared_only"], social["neither"]) == (5, 1, 1, 3)


def test_readiness_table_and_limit(db, capsys):
    status, out, _ = run(db, "--readiness", "--limit", "1", capsys=capsys)
    assert status == 0 and "Commune A" in out and "Région C" not in out and "21/08/2026" in out


def test_national_series_with_absent_figures(db, capsys):
    status, out, _ = run(db, "--national", capsys=capsys)
    assert status == 0
    for text in ("12,5 %", "15,8 %", "22,3 %", "29,2 %", "18,7 %", "non publié ou non vérifié", "2026-08-21",
                 "≥ 90 k€", "≥ 40 k€"):
        assert text in out
    rows = json.loads(run(db, "--national", "--format", "json", capsys=capsys)[1])["rows"]
    census = {(r["year"], r["dimension"]): r["share"] for r in rows if r["kind"] == "census"}
    assert census[(2019, "social")] == 0.125 and census[(2023, "environmental")] is None
    assert all(r["sources"] for r in rows if r["share"] is not None)


@pytest.mark.parametrize("args, message", [
    (["--by", "colour"], "unknown grouping"),
    (["--since", "2024-13-01"], "not a date"),
    (["--agreement", "--levers"], "choose one of"),
    (["--national", "--origin", "declared"], "--origin does not apply"),
    (["--limit", "3"], "--limit applies to --readiness"),
    (["--readiness", "--by", "year"], "always by buyer"),
    (["--origin", "maybe"], "maybe"),
])
def test_bad_input_exits_2_with_one_line(db, capsys, args, message):
    status, _, err = run(db, *args, capsys=capsys)
    assert status == 2 and err.count("\n") == 1 and message in err
