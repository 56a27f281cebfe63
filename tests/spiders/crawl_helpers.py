"""Run `tenderwatch crawl` in a subprocess (Scrapy's reactor runs once per process) against a local server: the
end-to-end tests, one or two crawls per spider. What a spider asks and reads is tested in process (saved_pages.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, select

from models.schema import CrawlRunRow, NoticeRow

FAST = [
    "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_BACKOFF_BASE=0.05",
    "-s", "RETRY_BACKOFF_MAX=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=WARNING",
    "-s", "TENDERWATCH_TAG_AFTER_CRAWL=0",
]


def crawl(db_url: str, spider: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "TENDERWATCH_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "tenderwatch.cli", "crawl", spider, *args, *FAST],
        capture_output=True, text=True, timeout=timeout, env=env,
    )


def runs(db_url: str) -> list[CrawlRunRow]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(CrawlRunRow).order_by(CrawlRunRow.id)))
    finally:
        engine.dispose()


def stored(db_url: str) -> list[NoticeRow]:
    """The stored notices, by source_id."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(NoticeRow).order_by(NoticeRow.source_id)))
    finally:
        engine.dispose()

