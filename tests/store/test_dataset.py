"""`tenderwatch export-dataset`: one row per notice, stable order and values, and its data dictionary (SQLite and
PostgreSQL)."""

import csv
import json

import pyarrow.parquet as pq
import pytest

from storage import dataset
from tenderwatch.cli import main
from tests.store.test_stats import build_world


@pytest.fixture
def db(store):
    build_world(store)
    return store.url


def export(db, path, *args) -> int:
    return main(["--db", db, "export-dataset", str(path), *args])


def test_csv_rows_columns_and_considerations(db, tmp_path, capsys):
    path = tmp_path / "notices.csv"
    assert export(db, path) == 0
    assert "9 notices of 9 procedures" in capsys.readouterr().out
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["notice_key"] for r in rows] == [f"t:n{i}" for i in range(1, 10)]
    assert list(rows[0]) == list(dataset.NAMES)
    assert all(r["procedure_key"] == r["notice_key"] for r in rows)  # no notice of the world links to another
    n1, n4, n6 = rows[0], rows[3], rows[5]
    assert (n1["social"], n1["social_origin"], n1["social_levers"], n1["social_declared"], n1["social_detected"],
            n1["social_detected_confidence"]) == ("true", "declared", "reservation", "true", "true", "0.9")
    assert (n1["published"], n1["year"], n1["department"], n1["region"], n1["buyer_siret"]) == (
        "2023-03-01", "2023", "33", "Nouvelle-Aquitaine", "11111111100011")
    assert n4["social_manual"] == "true" and n4["social"] == "true" and n6["social_manual"] == "false"
    considerations = json.loads(rows[2]["considerations"])  # n3: social 0.7 qualifies, environmental 0.4 does not
    assert [(c["dimension"], c["confidence"], c["qualifies"]) for c in considerations] == [
        ("environmental", 0.4, False), ("social", 0.7, True)]
    assert rows[2]["environmental_detected"] == "false" and rows[2]["environmental_detected_confidence"] == "0.4"
    assert rows[4]["social_detected"] == "false"  # n5: stale detection
    assert n1["amount"] == "" and n1["classifier_version"] == ""


def test_exports_are_reproducible_and_carry_their_dictionary(db, tmp_path):
    first, second = tmp_path / "a" / "notices.csv", tmp_path / "b" / "notices.csv"
    first.parent.mkdir()
    second.parent.mkdir()
    assert export(db, first) == 0 and export(db, second) == 0
    assert first.read_bytes() == second.read_bytes()
    doc = json.loads((tmp_path / "a" / "notices.csv.dictionary.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in doc["columns"]] == list(dataset.NAMES) and doc["rows"] == 9
    assert "procedure" in doc["unit"] and doc["detection_threshold"] == 0.5
    markdown = (tmp_path / "a" / "notices.csv.dictionary.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in markdown for name in dataset.NAMES)
    parquet = tmp_path / "notices.parquet"
    assert export(db, parquet, "--since", "2024-01-01") == 0 and export(db, tmp_path / "again.parquet",
                                                                        "--since", "2024-01-01") == 0
    table = pq.read_table(parquet)
    assert table.equals(pq.read_table(tmp_path / "again.parquet"))
    assert table.column_names == list(dataset.NAMES) and table.num_rows == 5
    assert str(table.schema.field("published").type) == "date32[day]"
    assert str(table.schema.field("social").type) == "bool"


def test_bad_arguments_exit_2(db, tmp_path, capsys):
    assert export(db, tmp_path / "notices.xlsx") == 2
    assert ".parquet or .csv" in capsys.readouterr().err
    assert export(db, tmp_path / "notices.csv", "--region", "Bretagn") == 2
    assert "Bretagne" in capsys.readouterr().err


def test_the_notices_of_one_procedure_share_its_key(store, tmp_path):
    """An award notice quoting its contract notice's OJ S number joins its procedure: both rows carry one key."""
    from models.notice import Notice
    from models.normalise import normalise
    from workflow.ingest import Ingest

    ingest = Ingest(store, "test")
    ingest.add(normalise(Notice(source="ted", source_id="123456-2021", title="Avis de marché")))
    ingest.add(normalise(Notice(source="ted", source_id="234567-2021", title="Avis d'attribution",
                                links=["ted:123456-2021"])))
    ingest.finish(tag=False)
    path = tmp_path / "p.csv"
    assert main(["--db", store.url, "export-dataset", str(path)]) == 0
    keys = {r["notice_key"]: r["procedure_key"] for r in csv.DictReader(path.open(encoding="utf-8"))}
    assert keys["ted:123456-2021"] == keys["ted:234567-2021"]
