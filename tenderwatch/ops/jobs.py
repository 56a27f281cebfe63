"""A nightly job under its lock: each crawl (a subprocess or a Scrapyd job), tagging, a statistics snapshot, notice."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from workflow import ingest
from storage.locks import LockBusy, job_lock
from storage.stats import shares
from models import config
from tenderwatch.notify import notify_failure
from tenderwatch.ops.local import LocalCrawl
from tenderwatch.ops.outcomes import CrawlOutcome, reap_dead
from tenderwatch.ops.remote import RemoteCrawl
from tenderwatch.ops.schedule_file import Job, Schedule
from tenderwatch.ops.scrapyd import Placement, ScrapydNode

logger = logging.getLogger(__name__)

#: Crawls of a job leave tagging to the job, which tags once after all of them.
JOB_SETTINGS = {"TENDERWATCH_TAG_AFTER_CRAWL": "False"}


class JobBusy(RuntimeError):
    """The job is already running (its lock is held by another process)."""


@dataclass
class JobReport:
    job: str
    started: datetime
    finished: datetime | None = None
    outcomes: list[CrawlOutcome] = field(default_factory=list)
    tagging: dict | None = None
    snapshot: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return not self.stopped and not self.errors and all(o.ok for o in self.outcomes)

    def as_dict(self) -> dict:
        return {"job": self.job, "started": self.started.isoformat(), "ok": self.ok, "stopped": self.stopped,
                "finished": self.finished.isoformat() if self.finished else None,
                "crawls": [o.as_dict() for o in self.outcomes], "tagging": self.tagging, "errors": self.errors}

    def text(self) -> str:
        lines = [f"job {self.job} started {self.started:%Y-%m-%d %H:%M:%S} UTC: {'ok' if self.ok else 'FAILED'}"]
        for o in self.outcomes:
            lines.append(f"  {o.crawl.label}: {o.status} (run {o.run_id or '-'})"
                         + (f": {o.reason}" if o.reason else "") + (f"; log {o.log}" if o.log else ""))
        lines += [f"  {step}: {error}" for step, error in self.errors.items()]
        return "\n".join(lines)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


class JobRunner:
    """Runs one job of the schedule to its end (or until `stop`), one crawl after the other."""

    def __init__(self, schedule: Schedule, job: Job, store, placement: Placement | None = None,
                 data_dir: Path | None = None):
        self.schedule = schedule
        self.job = job
        self.store = store
        self.data_dir = data_dir or config.data_dir()
        if placement is None and schedule.scrapyd.nodes:
            placement = Placement([ScrapydNode(url) for url in schedule.scrapyd.nodes], schedule.scrapyd.placement)
        self.placement = placement
        self.current: LocalCrawl | RemoteCrawl | None = None
        self.done = threading.Event()
        self._stop_reason: str | None = None

    def stop(self, reason: str = "scheduler stopped") -> None:
        """Stop cleanly: the running crawl is stopped and recorded, the next ones are not started."""
        self._stop_reason = self._stop_reason or reason
        current = self.current
        if current is not None:
            current.stop(reason)

    def run(self) -> JobReport:
        """Run the job; JobBusy at once when another process runs it."""
        try:
            with job_lock(self.store, f"job:{self.job.id}"):
                return self._run()
        except LockBusy as exc:
            raise JobBusy(f"job {self.job.id!r} is already running ({exc})") from None
        finally:
            self.done.set()

    def _run(self) -> JobReport:
        report = JobReport(self.job.id, datetime.now(UTC))
        for run_id in reap_dead(self.store):
            logger.warning("run %s was left running by a dead process: marked failed", run_id)
        for crawl in self.job.crawls:
            if self._stop_reason:
                break
            self.current = self._crawl(crawl)
            if self._stop_reason:
                self.current.stop(self._stop_reason)
            outcome = self.current.run()
            self.current = None
            report.outcomes.append(outcome)
            logger.info("job %s: %s %s%s", self.job.id, crawl.label, outcome.status,
                        f" ({outcome.reason})" if outcome.reason else "")
        report.stopped = self._stop_reason is not None
        if not report.stopped:
            self._steps(report)
        report.finished = datetime.now(UTC)
        if not report.ok and not report.stopped and self.schedule.notify.enabled:
            problems = notify_failure(self.schedule.notify, f"tenderwatch: job {self.job.id} failed", report.text(),
                                      report.as_dict())
            report.errors.update({f"notify {i}": p for i, p in enumerate(problems, 1)})
        return report

    def _crawl(self, crawl):
        settings = {**JOB_SETTINGS, **dict(self.job.settings)}
        if self.placement is not None:
            return RemoteCrawl(self.store, crawl, self.placement, self.schedule.scrapyd.project, self.job.timeout,
                               self.schedule.kill_grace_seconds, settings, self.schedule.scrapyd.poll_seconds)
        log = self.data_dir / "logs" / f"{self.job.id}-{crawl.label}-{stamp(datetime.now(UTC))}.log"
        return LocalCrawl(self.store, crawl, log, self.job.timeout, self.schedule.kill_grace_seconds, settings)

    def _steps(self, report: JobReport) -> None:
        if self.job.tag:
            try:
                report.tagging = ingest.tag_pending(self.store)
            except Exception as exc:
                logger.exception("job %s: tagging failed", self.job.id)
                report.errors["tagging"] = f"{type(exc).__name__}: {exc}"[:500]
        if self.job.snapshot:
            try:
                report.snapshot = str(self._snapshot(report))
            except Exception as exc:
                logger.exception("job %s: statistics snapshot failed", self.job.id)
                report.errors["snapshot"] = f"{type(exc).__name__}: {exc}"[:500]

    def _snapshot(self, report: JobReport) -> Path:
        """Shares overall, by year and by source, with what the job did, as <data dir>/snapshots/<job>-<time>.json."""
        with self.store.session() as session:
            figures = {name: [row.as_dict() for row in shares(session, by)]
                       for name, by in (("total", []), ("by_year", ["year"]), ("by_source", ["source"]))}
        path = self.data_dir / "snapshots" / f"{self.job.id}-{stamp(report.started)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {**report.as_dict(), "taken_at": datetime.now(UTC).isoformat(), "shares": figures}
        document.pop("finished")
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        return path
