"""Re-tagging stored notices: only the notices of a batch are rewritten, PostgreSQL's statistics follow the
tables a long re-tag grows, and a parallel re-tag stops its workers when interrupted, then resumes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time

from sqlalchemy import func, select, text

from storage import planner_stats
from models.notice import Notice
from models.schema import ClauseRow, NoticeRow
from workflow.ingest import Ingest
from storage.detections import write_detections
from tests.doubles import StubClassifier
from workflow.retag import retag


class StuckAfterFirstBatch(StubClassifier):
    """A worker's classifier that tags the first batch ("Marché 0" and "Marché 1") and hangs on any other."""

    def classify_many(self, docs):
        docs = list(docs)
        if any(d.title not in ("Marché 0", "Marché 1") for d in docs):
            time.sleep(600)
        return super().classify_many(docs)


class InterruptedWorker(StubClassifier):
    """A worker's classifier that receives SIGINT (a Ctrl-C meant for the main process) during its first task."""

    interrupted = False

    def classify_many(self, docs):
        if not InterruptedWorker.interrupted:
            InterruptedWorker.interrupted = True
            os.kill(os.getpid(), signal.SIGINT)
        return super().classify_many(docs)


def in_thread(function, *args, **kwargs) -> list:
    """Run `function` in a thread; what it returned or raised, or [] if it is still running after 120 s (a
    liveness bound for a re-tag that would wait for ever, not a speed figure)."""
    out = []

    def run():
        try:
            out.append(function(*args, **kwargs))
        except BaseException as exc:  # the caller checks what was raised
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(120)
    return out


def fill(store, n: int) -> list[int]:
    ingest = Ingest(store, "retag", batch_size=50)
    for i in range(n):
        ingest.add(Notice(source="retag", source_id=f"R-{i:03d}", title=f"Marché {i}", text=f"Marché {i}."))
    ingest.finish(tag=False)
    with store.session() as s:
        return list(s.scalars(select(NoticeRow.id).order_by(NoticeRow.id)))


def clauses_by_notice(store) -> dict[int, int]:
    with store.session() as s:
        return dict(s.execute(select(ClauseRow.notice_id, func.count()).group_by(ClauseRow.notice_id)).all())


def test_a_batch_rewrites_its_own_notices_only(store):
    ids = fill(store, 6)
    retag(store, StubClassifier(), 0.5)
    assert clauses_by_notice(store) == dict.fromkeys(ids, 1)
    chosen = [ids[4], ids[1]]  # not contiguous, not sorted: the notices between keep their clauses
    with store.session() as s:
        write_detections(s, chosen, [[], []], "stub-2")
    assert clauses_by_notice(store) == {i: 1 for i in ids if i not in chosen}


def test_statistics_are_refreshed_as_the_tables_grow(store, monkeypatch):
    fill(store, 10)
    calls = []
    refresh = planner_stats.refresh
    monkeypatch.setattr(planner_stats, "FIRST", 4)
    monkeypatch.setattr(planner_stats, "refresh", lambda st, tables: (calls.append(tables), refresh(st, tables)))
    retag(store, StubClassifier(), 0.5, batch=3)
    assert len(calls) == 3  # at 6 tagged (>= 4), at 9 (>= 8), and at the end
    if store.dialect == "postgresql":  # ANALYZE sets the planner's row counts (-1: never analysed)
        with store.session() as s:
            assert s.scalar(text("SELECT reltuples FROM pg_class WHERE oid = 'clause'::regclass")) == 10


def tagged_titles(store) -> set[str]:
    with store.session() as s:
        return set(s.scalars(select(NoticeRow.title).where(NoticeRow.tagged_version == StubClassifier.version)))


def test_an_interrupted_parallel_retag_stops_its_workers_then_resumes(store):
    """Ctrl-C during `classify --jobs 2`: the workers stop at once (the pool used to be closed, not terminated, so
    it fed and classified every remaining notice before returning), the batches written stay, and the next run
    tags the rest."""
    fill(store, 8)

    def interrupt(_n):
        raise KeyboardInterrupt

    out = in_thread(retag, store, StubClassifier(), 0.5, jobs=2, batch=2, progress=interrupt,
                    worker_classifier=StuckAfterFirstBatch)
    assert out, "the interrupted re-tag waited for its stuck workers"
    assert type(out[0]) is KeyboardInterrupt
    assert multiprocessing.active_children() == []
    assert tagged_titles(store) == {"Marché 0", "Marché 1"}  # the batch written before the interruption

    counts = retag(store, StubClassifier(), 0.5, jobs=2, batch=2, worker_classifier=StubClassifier)
    assert counts.tagged == 6
    assert tagged_titles(store) == {f"Marché {i}" for i in range(8)}
    assert sorted(clauses_by_notice(store).values()) == [1] * 8


def test_a_worker_ignores_the_ctrl_c_meant_for_the_main_process(store):
    """SIGINT reaches a worker in the middle of a task: the re-tag goes on and tags everything (a worker that died of
    it would have been replaced and its batch awaited for ever)."""
    fill(store, 8)
    out = in_thread(retag, store, StubClassifier(), 0.5, jobs=2, batch=2, worker_classifier=InterruptedWorker)
    assert out, "the re-tag waited for a batch whose worker died"
    assert out[0].tagged == 8
    assert tagged_titles(store) == {f"Marché {i}" for i in range(8)}
