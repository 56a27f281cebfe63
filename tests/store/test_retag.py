"""Re-tagging stored notices: only the notices of a batch are rewritten, and PostgreSQL's statistics follow the
tables a long re-tag grows."""

from __future__ import annotations

from sqlalchemy import func, select, text

from storage import planner_stats
from classifier import Detection
from crawler.items import Notice
from models.schema import ClauseRow, NoticeRow
from models.vocabulary import Dimension, Lever
from storage.ingest import Ingest
from storage.retag import retag, write_detections


class StubClassifier:
    """One social execution condition per notice: the store's behaviour is under test, not the model."""

    version = "stub-1"

    def classify_many(self, docs):
        for _doc in docs:
            yield [Detection(Dimension.SOCIAL, Lever.EXECUTION_CONDITION, 0.9, "Clause d'insertion", 0, 10,
                             "Conditions d'exécution", "rule", self.version)]


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
