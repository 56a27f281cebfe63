"""crawl_run rows: one per spider run or import, with arguments, status, counts and errors by kind."""

from __future__ import annotations

import os
import socket
from datetime import date, datetime

from sqlalchemy import func, select, update

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


def close_run(store, run_id: int, status: str, reasons: dict) -> None:
    """Close a run as `status` (a timeout, a dead or stopped process), adding `reasons` to its errors, counts kept."""
    with store.session() as session:
        row = session.get(CrawlRunRow, run_id)
        row.errors = {**(row.errors or {}), **reasons}
        row.status = status
        row.finished_at = row.finished_at or utcnow()


def process_runs(store, host: str, pid: int, since: datetime) -> list[CrawlRunRow]:
    """The runs that process `pid` on `host` started from `since` on."""
    with store.session() as session:
        return list(session.scalars(
            select(CrawlRunRow)
            .where(CrawlRunRow.host == host, CrawlRunRow.pid == pid, CrawlRunRow.started_at >= since)
            .order_by(CrawlRunRow.id)
        ))


def running(store, host: str | None = None) -> list[CrawlRunRow]:
    """Runs still marked running (on `host` only, when given)."""
    with store.session() as session:
        query = select(CrawlRunRow).where(CrawlRunRow.status == RUNNING).order_by(CrawlRunRow.id)
        if host is not None:
            query = query.where(CrawlRunRow.host == host)
        return list(session.scalars(query))


def history(store, spider: str | None = None, status: str | None = None, limit: int = 20) -> list[CrawlRunRow]:
    """The latest runs, newest first."""
    with store.session() as session:
        query = select(CrawlRunRow).order_by(CrawlRunRow.id.desc()).limit(limit)
        if spider:
            query = query.where(CrawlRunRow.spider == spider)
        if status:
            query = query.where(CrawlRunRow.status == status)
        return list(session.scalars(query))


def latest_per_spider(store) -> list[CrawlRunRow]:
    """The latest run of each spider (or import) name."""
    with store.session() as session:
        newest = select(func.max(CrawlRunRow.id)).group_by(CrawlRunRow.spider)
        query = select(CrawlRunRow).where(CrawlRunRow.id.in_(newest)).order_by(CrawlRunRow.spider)
        return list(session.scalars(query))
