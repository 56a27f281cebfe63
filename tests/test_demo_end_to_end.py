"""End to end: the demo serves its platform, crawls it with the Atexo spider, stores, tags, regenerates pictograms
and prints statistics; checked against the demo corpus' known truth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest
from sqlalchemy import create_engine, func, select

from models.schema import CrawlRunRow, NoticeRow
from tenderwatch.commands.demo import load_corpus
from tenderwatch.demo_site import DemoPlatform


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    db_url = f"sqlite:///{tmp / 'demo.sqlite'}"
    env = {**os.environ, "TENDERWATCH_DATA_DIR": str(tmp / "data")}
    env.pop("TENDERWATCH_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tenderwatch.cli", "--db", db_url, "demo", "--out", str(tmp / "exports")],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    export = json.loads((tmp / "exports" / "pictograms.json").read_text(encoding="utf-8"))
    stats = subprocess.run(
        [sys.executable, "-m", "tenderwatch.cli", "--db", db_url, "stats", "--by", "year", "--format", "json"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    return db_url, result.stdout, export, json.loads(stats.stdout)


def truth() -> dict[str, dict]:
    """Each consultation's truth by its stored key (the demo platform's "<orgAcronyme>-<refConsultation>")."""
    consultations = load_corpus()["consultations"]
    keys = DemoPlatform(consultations).keys()
    return {keys[c["source_id"]]: c["truth"] for c in consultations}


def test_every_consultation_is_stored(demo_run):
    db_url, *_ = demo_run
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(NoticeRow)) == len(truth())
        run = conn.execute(select(CrawlRunRow)).one()
    assert (run.spider, run.status, run.counts["new"]) == ("atexo:demo", "succeeded", len(truth()))


def test_output_says_where_results_are(demo_run):
    _, stdout, _, _ = demo_run
    assert "database: sqlite:///" in stdout
    assert "pictograms.json" in stdout


def test_no_pictogram_is_wrong(demo_run):
    """Precision first: a pictogram the truth does not have would mislead every company reading the notice."""
    _, _, export, _ = demo_run
    known = truth()
    wrong = [
        (n["source_id"], dim)
        for n in export["notices"]
        for dim in ("social", "environmental")
        if n[dim]["on"] and not known[n["source_id"]][dim]
    ]
    assert wrong == []


def test_missed_pictograms_are_few(demo_run):
    _, _, export, _ = demo_run
    known = truth()
    for dim in ("social", "environmental"):
        positives = [n for n in export["notices"] if known[n["source_id"]][dim]]
        found = sum(n[dim]["on"] for n in positives)
        assert found >= 0.85 * len(positives), f"{dim}: {found}/{len(positives)}"


def test_stats_table_counts_the_pictograms(demo_run):
    _, _, export, stats = demo_run
    by_year: Counter = Counter()
    social: Counter = Counter()
    env: Counter = Counter()
    for n in export["notices"]:
        year = int(n["published"][:4])
        by_year[year] += 1
        social[year] += n["social"]["on"]
        env[year] += n["environmental"]["on"]
    rows = {r["year"]: r for r in stats["rows"]}
    assert set(rows) == set(range(2017, 2027))
    for year, row in rows.items():
        assert (row["notices"], row["social"], row["environmental"]) == (by_year[year], social[year], env[year])


def test_demo_on_a_store_with_other_data_titles_only_its_own_notices(tmp_path):
    from models.normalise import normalise
    from models.notice import Notice
    from storage.engine import Store
    from storage.upsert import upsert_notices

    db_url = f"sqlite:///{tmp_path / 'mixed.sqlite'}"
    store = Store(db_url)
    with store.session() as s:
        upsert_notices(s, [normalise(Notice(source="boamp", source_id="26-1", title="autre", department="33"))])
    store.dispose()
    env = {**os.environ, "TENDERWATCH_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120"}
    env.pop("TENDERWATCH_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tenderwatch.cli", "--db", db_url, "demo", "--out", str(tmp_path / "exports")],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = " ".join(result.stdout.split())
    assert "Démo : avis de la plateforme de démonstration" in out
    assert "La base compte aussi 1 avis d'autres sources" in out
