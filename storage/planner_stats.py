"""PostgreSQL's planner statistics kept up with bulk writes.

The planner chooses its plans from table statistics that autovacuum refreshes, when it runs, some time after the
tables changed. A crawl, an import or a re-tag that writes hundreds of thousands of rows outruns it: planned on
the statistics of a nearly empty table, the per-batch lookups become full scans and every batch gets slower than
the one before (bench/RESULTS.md). So bulk writers ANALYZE the tables they grow when their count of written rows
reaches FIRST, each time it doubles, and at the end. SQLite's planner uses the indexes without statistics.
"""

from __future__ import annotations

from sqlalchemy import text

FIRST = 5000


def refresh(store, tables) -> None:
    """ANALYZE these tables (ORM classes) on PostgreSQL; nothing elsewhere."""
    if store.dialect == "postgresql":
        with store.session() as session:
            session.execute(text("ANALYZE " + ", ".join(table.__tablename__ for table in tables)))


class GrowthAnalyzer:
    """Refreshes `tables`' statistics as a count of written rows reaches FIRST, then doubles, and at the end."""

    def __init__(self, store, tables) -> None:
        self.store, self.tables = store, tuple(tables)
        self.next = FIRST

    def wrote(self, total: int) -> None:
        """`total`: rows (or notices) written so far."""
        if total >= self.next:
            refresh(self.store, self.tables)
            while self.next <= total:
                self.next *= 2

    def finish(self, total: int) -> None:
        if total >= FIRST:
            refresh(self.store, self.tables)
