"""The nightly scheduler: APScheduler cron jobs kept in the store (apscheduler_jobs), each run under its job's lock."""

from __future__ import annotations

import logging
import pickle
import signal
import threading
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import bindparam, text

from tenderwatch.ops.jobs import JobBusy, JobReport, JobRunner
from tenderwatch.ops.schedule_file import Job, Schedule
from tenderwatch.ops.scrapyd import Placement, ScrapydNode

logger = logging.getLogger(__name__)

JOB_FUNC = "tenderwatch.scheduler:run_scheduled"
TABLE = "apscheduler_jobs"


class Daemon:
    """What the scheduled jobs of this process share: the schedule, the store, the Scrapyd placement, the runners."""

    def __init__(self, schedule: Schedule, store):
        self.schedule = schedule
        self.store = store
        nodes = schedule.scrapyd.nodes
        self.placement = Placement([ScrapydNode(u) for u in nodes], schedule.scrapyd.placement) if nodes else None
        self.stopping: str | None = None
        self._runners: set[JobRunner] = set()
        self._lock = threading.Lock()

    def run_job(self, job_id: str) -> JobReport | None:
        with self._lock:
            if self.stopping:
                return None
            runner = JobRunner(self.schedule, self.schedule.job(job_id), self.store, self.placement)
            self._runners.add(runner)
        try:
            report = runner.run()
        except JobBusy as exc:
            logger.warning("%s: this run is skipped", exc)
            return None
        finally:
            with self._lock:
                self._runners.discard(runner)
        (logger.info if report.ok else logger.error)("%s", report.text())
        return report

    def stop(self, reason: str) -> None:
        with self._lock:
            self.stopping = reason
            runners = list(self._runners)
        for runner in runners:
            runner.stop(reason)

    def wait(self) -> None:
        with self._lock:
            runners = list(self._runners)
        for runner in runners:
            runner.done.wait()


_DAEMON: Daemon | None = None


def run_scheduled(job_id: str) -> None:
    """The function APScheduler calls (by reference, so that jobs can be stored): runs `job_id` in this daemon."""
    if _DAEMON is None:
        raise RuntimeError("no tenderwatch scheduler is running in this process")
    _DAEMON.run_job(job_id)


def make_scheduler(store, schedule: Schedule, cls=BlockingScheduler):
    """A scheduler on the store's job table: coalescing, one instance per job, a misfire grace of hours."""
    return cls(
        jobstores={"default": SQLAlchemyJobStore(engine=store.engine, tablename=TABLE)},
        executors={"default": ThreadPoolExecutor(max(1, len(schedule.jobs)))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace_seconds(schedule)},
        timezone=schedule.tz,
    )


def grace_seconds(schedule: Schedule) -> int:
    return int(schedule.misfire_grace_hours * 3600)


def stored_jobs(store) -> dict[str, dict]:
    """The job states in the store's job table, by id (unpickled, as APScheduler stores them)."""
    with store.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, job_state FROM {TABLE}")).all()
    return {row.id: pickle.loads(row.job_state) for row in rows}


def _unchanged(state: dict, schedule: Schedule, job: Job, func: str) -> bool:
    trigger = schedule.trigger(job)
    stored = state.get("trigger")
    return (state.get("func") == func and tuple(state.get("args", ())) == (job.id,)
            and str(stored) == str(trigger) and str(getattr(stored, "timezone", "")) == str(trigger.timezone)
            and state.get("misfire_grace_time") == grace_seconds(schedule) and state.get("coalesce") is True)


def next_runs(store, schedule: Schedule, func: str = JOB_FUNC) -> dict[str, datetime | None]:
    """Each job's next run: its stored one while its definition is unchanged (a missed run stays due)."""
    stored = stored_jobs(store)
    now = datetime.now(schedule.tz)
    out = {}
    for job in schedule.jobs.values():
        state = stored.get(job.id)
        if state is not None and _unchanged(state, schedule, job, func):
            out[job.id] = state.get("next_run_time")
        else:
            out[job.id] = schedule.trigger(job).get_next_fire_time(None, now)
    return out


def sync_jobs(scheduler, store, schedule: Schedule, func: str = JOB_FUNC) -> None:
    """Add the schedule's jobs by id (replacing stored ones, keeping unchanged next runs); drop the others."""
    with store.engine.begin() as conn:
        if schedule.jobs:
            query = text(f"DELETE FROM {TABLE} WHERE id NOT IN :ids").bindparams(bindparam("ids", expanding=True))
            conn.execute(query, {"ids": list(schedule.jobs)})
        else:
            conn.execute(text(f"DELETE FROM {TABLE}"))
    keep = next_runs(store, schedule, func)
    stored = stored_jobs(store)
    for job in schedule.jobs.values():
        extra = {"next_run_time": keep[job.id]} if job.id in stored else {}
        scheduler.add_job(func, schedule.trigger(job), args=[job.id], id=job.id, name=job.id, replace_existing=True,
                          coalesce=True, max_instances=1, misfire_grace_time=grace_seconds(schedule), **extra)


def run_daemon(store, schedule: Schedule) -> int:
    """Run the scheduler until SIGTERM or SIGINT; the running crawls are then stopped cleanly and recorded."""
    global _DAEMON
    daemon = _DAEMON = Daemon(schedule, store)
    scheduler = make_scheduler(store, schedule)
    sync_jobs(scheduler, store, schedule)

    def handle(signum, _frame):
        name = signal.Signals(signum).name
        logger.info("%s received: stopping the scheduler and the running crawls", name)
        daemon.stop(f"scheduler stopped by {name}")
        try:
            scheduler.shutdown(wait=False)
        except SchedulerNotRunningError:
            pass

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for job_id, when in next_runs(store, schedule).items():
            logger.info("job %s: next run %s", job_id, when)
        if not daemon.stopping:
            scheduler.start()
        daemon.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _DAEMON = None
    return 0


def run_now(store, schedule: Schedule, job_id: str) -> JobReport:
    """Run one job in the foreground (JobBusy when it is already running); SIGINT or SIGTERM stop it cleanly."""
    runner = JobRunner(schedule, schedule.job(job_id), store)

    def handle(signum, _frame):
        runner.stop(f"stopped by {signal.Signals(signum).name}")

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return runner.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
