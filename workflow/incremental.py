"""Incremental crawls: where the next run of a spider starts, read from the store's crawl_run history."""

from __future__ import annotations

from datetime import date

from storage import runs
from storage.engine import Store


def last_success_date(database_url: str, run_name: str) -> date | None:
    """The day the last successful run named `run_name` started, or None when it never succeeded.

    Opens the store at `database_url` (bringing its schema up to date) and disposes of it before returning."""
    store = Store(database_url)
    try:
        started = runs.last_success(store, run_name)
    finally:
        store.dispose()
    return started.date() if started is not None else None
