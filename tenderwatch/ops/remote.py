"""One crawl as a Scrapyd job on a node sharing the PostgreSQL store: scheduled, followed, cancelled on timeout."""

from __future__ import annotations

import threading
import time
import uuid

from sqlalchemy import select

from models.schema import CrawlRunRow
from storage import runs
from tenderwatch.ops.outcomes import CrawlOutcome, close_as, settle
from tenderwatch.ops.schedule_file import Crawl
from tenderwatch.ops.scrapyd import Placement, ScrapydError


class RemoteCrawl:
    """One crawl on the node `placement` picks; its run is found by the `_job` argument Scrapyd gives the spider."""

    def __init__(self, store, crawl: Crawl, placement: Placement, project: str, timeout: float, kill_grace: float,
                 settings: dict[str, str], poll: float = 10.0):
        self.store = store
        self.crawl = crawl
        self.placement = placement
        self.project = project
        self.timeout = timeout
        self.kill_grace = kill_grace
        self.settings = settings
        self.poll = poll
        self._stop = threading.Event()
        self._stopped_for: str | None = None

    def stop(self, reason: str = "stopped") -> None:
        self._stopped_for = self._stopped_for or reason
        self._stop.set()

    def run(self) -> CrawlOutcome:
        job_id = uuid.uuid4().hex
        try:
            node = self.placement.pick()
            node.schedule(self.project, self.crawl.spider, self.crawl.arguments,
                          {**self.settings, "TENDERWATCH_DATABASE_URL": self.store.url}, job_id)
        except ScrapydError as exc:
            return close_as(self.store, self.crawl, None, runs.FAILED, "scrapyd", str(exc), None, "scrapyd")
        where = f"{node.url} job {job_id}"
        started = time.monotonic()
        cancelled_at, killed = None, False
        while True:
            try:
                state = node.job_state(self.project, job_id)
            except ScrapydError as exc:
                return close_as(self.store, self.crawl, self._row(job_id), runs.FAILED, "scrapyd", str(exc), None,
                                where)
            if state in (None, "finished"):
                break
            now = time.monotonic()
            if cancelled_at is None:
                if now - started > self.timeout:
                    self._stopped_for = self._stopped_for or "timeout"
                if self._stopped_for:
                    self._cancel(node, job_id)
                    cancelled_at = now
            elif not killed and now - cancelled_at > self.kill_grace:
                self._cancel(node, job_id, "KILL")
                killed = True
            elif killed and now - cancelled_at > 2 * self.kill_grace:
                break
            if cancelled_at is None:
                self._stop.wait(self.poll)
            else:
                time.sleep(min(self.poll, 1.0))
        log = f"{node.url}/logs/{self.project}/{self.crawl.spider}/{job_id}.log"
        return self._settle(job_id, time.monotonic() - started, log, where)

    def _cancel(self, node, job_id: str, signal: str = "INT") -> None:
        try:
            node.cancel(self.project, job_id, signal)
        except ScrapydError:
            pass

    def _row(self, job_id: str):
        with self.store.session() as session:
            candidates = session.scalars(
                select(CrawlRunRow).where(CrawlRunRow.spider == self.crawl.run_name)
                .order_by(CrawlRunRow.id.desc()).limit(50)
            )
            return next((row for row in candidates if (row.arguments or {}).get("_job") == job_id), None)

    def _settle(self, job_id: str, elapsed: float, log: str, where: str) -> CrawlOutcome:
        row = self._row(job_id)
        log = (row.log_path if row is not None and row.log_path else None) or log
        if self._stopped_for == "timeout":
            return close_as(self.store, self.crawl, row, runs.FAILED, "timeout",
                            f"cancelled after {elapsed:.0f} s (timeout {self.timeout:.0f} s)", log, where)
        if self._stopped_for is not None:
            return close_as(self.store, self.crawl, row, runs.INTERRUPTED, "stopped", f"stopped: {self._stopped_for}",
                            log, where)
        return settle(self.store, self.crawl, row, log, where)
