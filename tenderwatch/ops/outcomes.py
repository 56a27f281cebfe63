"""What became of one crawl, and the closing of crawl_run rows that their process left open."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from storage import runs
from tenderwatch.ops.schedule_file import Crawl


@dataclass
class CrawlOutcome:
    crawl: Crawl
    status: str
    run_id: int | None = None
    reason: str | None = None
    log: str | None = None
    where: str = "local"

    @property
    def ok(self) -> bool:
        return self.status == runs.SUCCEEDED

    def as_dict(self) -> dict:
        return {"spider": self.crawl.spider, "arguments": self.crawl.arguments, "status": self.status,
                "run_id": self.run_id, "reason": self.reason, "log": self.log, "where": self.where}


def settle(store, crawl: Crawl, row, log: str | None, where: str = "local") -> CrawlOutcome:
    """A crawl that ended by itself: its run's own status, or failed when it recorded none or left it open."""
    if row is None:
        return close_as(store, crawl, None, runs.FAILED, "exit", "the crawl ended without recording a run (see its log)",
                        log, where)
    if row.status == runs.RUNNING:
        return close_as(store, crawl, row, runs.FAILED, "dead", "the crawl process ended without closing its run", log,
                        where)
    return CrawlOutcome(crawl, row.status, row.id, _summary(row.errors), row.log_path or log, where)


def close_as(store, crawl: Crawl, row, status: str, key: str, reason: str, log: str | None,
             where: str = "local") -> CrawlOutcome:
    """Record the crawl as `status` with `reason` under `key` in its run's errors (a new run when it has none)."""
    run_id = row.id if row is not None else runs.start_run(store, crawl.run_name, crawl.arguments, log_path=log)
    runs.close_run(store, run_id, status, {key: reason})
    return CrawlOutcome(crawl, status, run_id, reason, log, where)


def _summary(errors: dict | None) -> str | None:
    return ", ".join(f"{k}: {v}" for k, v in sorted((errors or {}).items())) or None


def alive(pid: int) -> bool:
    """Whether a process `pid` exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_dead(store) -> list[int]:
    """Mark failed the runs of this host still `running` whose process no longer exists; their ids."""
    host = socket.gethostname()
    reaped = []
    for row in runs.running(store, host):
        if row.pid is not None and not alive(row.pid):
            runs.close_run(store, row.id, runs.FAILED,
                           {"dead": f"process {row.pid} on {host} is gone; the run was never closed"})
            reaped.append(row.id)
    return reaped
