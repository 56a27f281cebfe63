"""crawl_run rows: one per spider run or import, with arguments, status, counts and errors by kind."""

from __future__ import annotations

import os
import socket
from datetime import date, datetime

from sqlalchemy import select, update

from models.schema import CrawlRunRow, utcnow

RUNNING, SUCCEEDED, FAILED, INTERRUPTED = "running", "succeeded", "failed", "interrupted"


def start_run(store, spider: str, arguments: dict, since: date | None = None, until: date | None = None,
              log_path: str | None = None) -> int:
    with store.session() as session:
        row = CrawlRunRow(
            spider=spider,
            arguments={k: str(v) for k, v in arguments.items()},
            started_at=utcnow(),
            status=RUNNING,
            since=since,
            until=until,
            counts={},
            errors={},
            log_path=log_path,
            host=socket.gethostname(),
            pid=os.getpid(),
        )
        session.add(row)
        session.flush()
        return row.id


def finish_run(store, run_id: int, status: str, counts: dict, errors: dict) -> None:
    with store.session() as session:
        session.execute(
            update(CrawlRunRow)
            .where(CrawlRunRow.id == run_id)
            .values(status=status, finished_at=utcnow(), counts=counts, errors=errors)
        )


def last_success(store, spider: str) -> datetime | None:
    """When the last successful run of `spider` started (the default `since` of the next incremental run)."""
    with store.session() as session:
        return session.scalar(
            select(CrawlRunRow.started_at)
            .where(CrawlRunRow.spider == spider, CrawlRunRow.status == SUCCEEDED)
            .order_by(CrawlRunRow.started_at.desc())
            .limit(1)
        )


def latest_run(store, spider: str | None = None) -> CrawlRunRow | None:
    with store.session() as session:
        query = select(CrawlRunRow).order_by(CrawlRunRow.id.desc()).limit(1)
        if spider:
            query = query.where(CrawlRunRow.spider == spider)
        return session.scalar(query)
