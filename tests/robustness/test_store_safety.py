"""Store safety, on SQLite and PostgreSQL: a crash in the middle of a batch leaves the store consistent (the batch
is rolled back whole) and the next run completes the work; an operator's override survives every command."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

import workflow.retag
import storage.upsert
from models.notice import DeclaredConsideration, Lot, Notice, Section
from models.normalise import normalise
from models.schema import (
    ClauseRow,
    ConsiderationRow,
    CrawlRunRow,
    LotRow,
    ManualOverrideRow,
    NoticeRow,
    PictogramRow,
)
from models.vocabulary import Dimension, Lever, Origin
from workflow.ingest import Ingest
from workflow.retag import retag
from tests.doubles import StubClassifier


class Crash(RuntimeError):
    """The failure injected in the middle of a batch."""


def notice(i: int, version: int = 1) -> Notice:
    return normalise(Notice(
        source="safety", source_id=f"S-{i:03d}", title=f"Marché {i} (version {version})", department="64",
        published=date(2024, 5, 1), cpv_codes=["45233140"],
        sections=[Section("Conditions d'exécution", f"Clause d'insertion sociale, version {version}.",
                          "execution_conditions")],
        lots=[Lot("1", f"Lot unique {version}", "Voirie", ["45233140"])],
        declared=[DeclaredConsideration(Dimension.SOCIAL, Lever.EXECUTION_CONDITION, f"clause sociale v{version}")],
    ))


def crash_on_call(monkeypatch, module, name: str, call: int) -> None:
    """Make module.name raise Crash on its `call`-th call (counting from 1), and run normally otherwise."""
    original = getattr(module, name)
    calls = {"n": 0}

    def patched(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == call:
            raise Crash(f"injected failure in {name}")
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, patched)


def counts(store) -> dict:
    with store.session() as s:
        return {
            "notices": s.scalar(select(func.count()).select_from(NoticeRow)),
            "lots": s.scalar(select(func.count()).select_from(LotRow)),
            "declared": s.scalar(select(func.count()).select_from(ConsiderationRow)
                                 .where(ConsiderationRow.origin == Origin.DECLARED.value)),
            "orphan lots": s.scalar(select(func.count()).select_from(LotRow)
                                    .where(LotRow.notice_id.not_in(select(NoticeRow.id)))),
        }


# --- a crash in the middle of a batch of upserts ------------------------------------------------------------


def test_crash_after_the_first_inserts_of_a_batch_rolls_the_batch_back(store, monkeypatch):
    # batches of 10: the third batch fails after its notices were inserted, while its lots are being prepared
    crash_on_call(monkeypatch, storage.upsert, "_lot_rows", 25)
    ingest = Ingest(store, "safety", batch_size=10)
    with pytest.raises(Crash):
        for i in range(35):
            ingest.add(notice(i))
    assert counts(store) == {"notices": 20, "lots": 20, "declared": 20, "orphan lots": 0}
    with store.session() as s:
        assert s.scalar(select(CrawlRunRow.status).where(CrawlRunRow.id == ingest.run_id)) == "running"

    monkeypatch.undo()  # the next run, without the failure
    again = Ingest(store, "safety", batch_size=10)
    for i in range(35):
        again.add(notice(i))
    summary = again.finish(tag=False)
    assert (summary.counts["new"], summary.counts["unchanged"], summary.status) == (15, 20, "succeeded")
    assert counts(store) == {"notices": 35, "lots": 35, "declared": 35, "orphan lots": 0}


def test_crash_in_the_middle_of_updates_leaves_every_notice_of_the_batch_as_it_was(store, monkeypatch):
    first = Ingest(store, "safety", batch_size=10)
    for i in range(10):
        first.add(notice(i, version=1))
    first.finish(tag=False)
    with store.session() as s:
        before = dict(s.execute(select(NoticeRow.source_id, NoticeRow.content_hash)).all())
        s.add(ConsiderationRow(notice_id=s.scalar(select(NoticeRow.id).limit(1)), dimension="social",
                               lever="execution_condition", origin=Origin.DETECTED.value, confidence=0.9,
                               evidence="x", classifier_version="t", stale=False))

    crash_on_call(monkeypatch, storage.upsert, "_replace", 5)  # changed notices: the 5th update fails
    with pytest.raises(Crash), store.session() as s:
        storage.upsert.upsert_notices(s, [notice(i, version=2) for i in range(10)])
    with store.session() as s:
        assert dict(s.execute(select(NoticeRow.source_id, NoticeRow.content_hash)).all()) == before
        assert set(s.scalars(select(LotRow.title))) == {"Lot unique 1"}
        assert set(s.scalars(select(ConsiderationRow.evidence).where(
            ConsiderationRow.origin == Origin.DECLARED.value))) == {"clause sociale v1"}
        assert not any(s.scalars(select(ConsiderationRow.stale)))

    monkeypatch.undo()
    with store.session() as s:
        result = storage.upsert.upsert_notices(s, [notice(i, version=2) for i in range(10)])
    assert result.updated == 10
    assert counts(store) == {"notices": 10, "lots": 10, "declared": 10, "orphan lots": 0}


# --- a crash in the middle of re-tagging --------------------------------------------------------------------


def test_crash_while_retagging_loses_only_the_batch_in_progress(store, monkeypatch):
    ingest = Ingest(store, "safety", batch_size=50)
    for i in range(12):
        ingest.add(notice(i))
    ingest.finish(tag=False)
    crash_on_call(monkeypatch, workflow.retag, "regenerate_pictograms", 2)  # the second batch fails at its end
    with pytest.raises(Crash):
        retag(store, StubClassifier(), 0.5, batch=5)
    with store.session() as s:
        assert s.scalar(select(func.count()).where(NoticeRow.tagged_version == "stub-1")) == 5
        assert s.scalar(select(func.count()).select_from(ClauseRow)) == 5
        assert s.scalar(select(func.count()).where(ConsiderationRow.origin == Origin.DETECTED.value)) == 5
        assert s.scalar(select(func.count()).select_from(PictogramRow)) == 12  # from the ingest, then batch 1

    monkeypatch.undo()
    result = retag(store, StubClassifier(), 0.5, batch=5)
    assert result.tagged == 7
    with store.session() as s:
        assert s.scalar(select(func.count()).where(NoticeRow.tagged_version == "stub-1")) == 12
        assert s.scalar(select(func.count()).select_from(ClauseRow)) == 12
        assert s.scalar(select(func.count()).where(PictogramRow.social.is_(True))) == 12


def test_ctrl_c_in_classify_says_what_was_committed_and_the_same_command_goes_on(db_url, store, monkeypatch, capsys):
    import classifier
    from tenderwatch.cli import main

    ingest = Ingest(store, "safety", batch_size=50)
    for i in range(5):
        ingest.add(notice(i))
    ingest.finish(tag=False)
    monkeypatch.setattr(classifier, "load_classifier", StubClassifier)
    monkeypatch.setattr(workflow.retag, "BATCH", 2)
    original, calls = workflow.retag.write_detections, []

    def interrupted_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(workflow.retag, "write_detections", interrupted_second_batch)
    assert main(["--db", db_url, "classify", "--all"]) == 130
    err = capsys.readouterr().err
    assert "2 notice(s) tagged and committed before the interruption" in err
    assert err.strip().endswith("tenderwatch: interrupted")
    with store.session() as s:
        assert s.scalar(select(func.count()).where(NoticeRow.tagged_version == "stub-1")) == 2

    monkeypatch.setattr(workflow.retag, "write_detections", original)
    assert main(["--db", db_url, "classify", "--all"]) == 0
    assert "3 notice(s) tagged with stub-1" in capsys.readouterr().out
    with store.session() as s:
        assert s.scalar(select(func.count()).where(NoticeRow.tagged_version == "stub-1")) == 5


# --- an operator's override survives every command ----------------------------------------------------------


def _decision(url: str, source: str, source_id: str) -> tuple:
    from storage.engine import Store

    store = Store(url)
    try:
        with store.session() as s:
            notice_id = s.scalar(select(NoticeRow.id).where(NoticeRow.source == source,
                                                            NoticeRow.source_id == source_id))
            override = s.execute(select(ManualOverrideRow.social, ManualOverrideRow.environmental,
                                        ManualOverrideRow.levers, ManualOverrideRow.reason,
                                        ManualOverrideRow.author, ManualOverrideRow.updated_at)
                                 .where(ManualOverrideRow.notice_id == notice_id)).one()
            picto = s.execute(select(PictogramRow.social, PictogramRow.social_origin, PictogramRow.environmental,
                                     PictogramRow.environmental_origin, PictogramRow.levers)
                              .where(PictogramRow.notice_id == notice_id)).one()
            return tuple(override), tuple(picto)
    finally:
        store.dispose()


def test_an_override_survives_every_command(db_url, tmp_path, capsys):
    from tenderwatch.cli import main
    from tenderwatch.demo_site import DemoPlatform, serve
    from tests.spiders.crawl_helpers import crawl
    from tests.spiders.test_atexo_spider import record

    def cli(*args: str) -> str:
        status = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        assert status == 0, err
        return out

    records = [record(i) for i in range(1, 4)]
    key = DemoPlatform(records).keys()["2025-T-001"]  # the stored key of the first consultation
    changed_records = [dict(r) for r in records]
    changed_records[0]["sections"] = [*records[0]["sections"], {
        "heading": "Conditions d'exécution", "kind": "execution_conditions",
        "text": "Clause d'insertion : 200 heures réservées à des personnes éloignées de l'emploi."}]
    archive = tmp_path / "archive.json"
    archive.write_text(json.dumps([{"source": "archive", "source_id": "A-1", "title": "Entretien des espaces verts",
                                    "department": "64", "published": "2023-04-01",
                                    "text": "Le titulaire emploie des produits écolabellisés."}]), encoding="utf-8")
    port = 0

    def crawl_platform(served: list[dict], expect: str) -> None:
        nonlocal port
        with serve(served, page_size=10, port=port) as site:  # the same address every time: the same URLs
            port = site.port
            result = crawl(db_url, "atexo", "-a", "platform=overrides", "-a", f"base_url={site.base_url}",
                           "--since", "2020-01-01")
        assert result.returncode == 0, result.stderr[-2000:]
        assert expect in result.stdout, result.stdout

    crawl_platform(records, "'new': 3")
    cli("import", str(archive), "--no-tag")
    cli("override", f"atexo:overrides:{key}", "--social", "yes", "--lever", "social:reservation",
        "--reason", "ESAT, vérifié dans le RC", "--author", "operator")
    cli("override", "archive:A-1", "--environmental", "no", "--reason", "écolabel non exigé", "--author", "operator")
    expected = {
        ("atexo:overrides", key): _decision(db_url, "atexo:overrides", key),
        ("archive", "A-1"): _decision(db_url, "archive", "A-1"),
    }
    assert expected[("atexo:overrides", key)][1][:2] == (True, Origin.MANUAL.value)
    assert expected[("archive", "A-1")][1][2:4] == (False, Origin.MANUAL.value)

    changed = json.loads(archive.read_text(encoding="utf-8"))
    changed[0]["text"] += " Critère environnemental : 10 % pour les écolabels."

    def import_changed() -> None:
        archive.write_text(json.dumps(changed), encoding="utf-8")
        assert "0 imported, 1 updated" in cli("import", str(archive), "--no-tag")

    steps = {
        "import again": lambda: "0 imported, 0 updated, 1 unchanged" in cli("import", str(archive), "--no-tag"),
        "import a changed version": import_changed,
        "crawl again": lambda: crawl_platform(records, "'unchanged': 3"),
        "crawl a changed notice": lambda: crawl_platform(changed_records, "'updated': 1"),
        "classify --all": lambda: cli("classify", "--all"),
        "pictograms --regenerate": lambda: cli("pictograms", "--regenerate"),
        "classify --pending": lambda: cli("classify", "--pending"),
    }
    for step, run in steps.items():
        assert run() is not False, step
        for (source, source_id), decision in expected.items():
            assert _decision(db_url, source, source_id) == decision, f"after {step}: {source}:{source_id}"
