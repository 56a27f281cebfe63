"""Bulk writers keep PostgreSQL's planner statistics up with the tables they grow."""

from __future__ import annotations

from sqlalchemy import text

from models.notice import Lot, Notice
from models.schema import NoticeRow
from storage import planner_stats
from workflow.ingest import Ingest


class FakeStore:
    dialect = "sqlite"


def test_growth_analyzer_refreshes_at_first_then_at_each_doubling(monkeypatch):
    calls = []
    monkeypatch.setattr(planner_stats, "refresh", lambda store, tables: calls.append(tables))
    analyzer = planner_stats.GrowthAnalyzer(FakeStore(), (NoticeRow,))
    for total in (1000, 4999, 5000, 7000, 9999, 10000, 45000, 50000, 80000):
        analyzer.wrote(total)
    analyzer.finish(80000)
    # 5000 (next 10000), 10000 (next 20000), 45000 (past 20000 and 40000: next 80000), 80000, then the end
    assert len(calls) == 5 and calls[0] == (NoticeRow,)


def test_nothing_to_refresh_for_a_small_write(monkeypatch):
    calls = []
    monkeypatch.setattr(planner_stats, "refresh", lambda store, tables: calls.append(tables))
    analyzer = planner_stats.GrowthAnalyzer(FakeStore(), (NoticeRow,))
    analyzer.wrote(4999)
    analyzer.finish(4999)
    assert calls == []


def test_an_ingest_analyses_the_tables_it_grows(store, monkeypatch):
    monkeypatch.setattr(planner_stats, "FIRST", 4)
    calls, refresh = [], planner_stats.refresh
    monkeypatch.setattr(planner_stats, "refresh", lambda st, tables: (calls.append(tables), refresh(st, tables)))
    ingest = Ingest(store, "stats", batch_size=3)
    for i in range(10):
        ingest.add(Notice(source="stats", source_id=f"N-{i}", title=f"Avis {i}", lots=[Lot("1", "Lot 1")]))
    summary = ingest.finish(tag=False)
    assert summary.counts["new"] == 10
    # flushed at 3, 6, 9 and 10 notices: refreshed at 6 (>= 4; next 8), at 9 (next 16), and at the end
    assert len(calls) == 3 and {t.__tablename__ for t in calls[0]} == {"notice", "lot", "consideration"}
    if store.dialect == "postgresql":  # ANALYZE sets the planner's row counts (-1: never analysed)
        with store.session() as s:
            counts = dict(s.execute(text("SELECT relname, reltuples FROM pg_class WHERE relname IN ('notice', 'lot')"
                                         " AND relnamespace = current_schema()::regnamespace")).all())
        assert counts == {"notice": 10, "lot": 10}
