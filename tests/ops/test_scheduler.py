"""The scheduler: stored jobs, a missed run fired once, one run of a job at a time, a clean stop on SIGTERM."""

from __future__ import annotations

import pickle
import signal
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text

from storage import runs
from storage.engine import Store
from tenderwatch import scheduler
from tenderwatch.demo_site import serve
from tests.doubles import FaultPlan
from tests.ops.helpers import (
    crawl_runs,
    demo_job,
    demo_schedule,
    records,
    tenderwatch,
    wait_for,
    write_schedule,
)

CALLS: list[tuple[str, float]] = []
RECORD = "tests.ops.test_scheduler:record_call"


def record_call(job_id: str) -> None:
    CALLS.append((job_id, time.monotonic()))


def stored_next_runs(store, schedule, due: dict[str, datetime], func: str) -> None:
    """Leave the schedule's jobs in the store's job table as a scheduler that stopped would, `due` at those times."""
    first = scheduler.make_scheduler(store, schedule, BackgroundScheduler)
    scheduler.sync_jobs(first, store, schedule, func)
    first.start(paused=True)
    first.shutdown()
    states = scheduler.stored_jobs(store)
    with store.engine.begin() as conn:
        for job_id, when in due.items():
            states[job_id]["next_run_time"] = when
            conn.execute(text("UPDATE apscheduler_jobs SET next_run_time = :t, job_state = :s WHERE id = :id"),
                         {"t": when.timestamp(), "s": pickle.dumps(states[job_id]), "id": job_id})


def test_a_run_missed_while_down_fires_once_after_a_restart(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    half_an_hour_ago = datetime.now(ZoneInfo("Europe/Paris")).replace(second=0, microsecond=0) - timedelta(minutes=30)
    plan = demo_schedule(tmp_path, [
        {"id": "daily", "cron": f"{half_an_hour_ago.minute} {half_an_hour_ago.hour} * * *", "spider": "boamp"},
        {"id": "yearly", "cron": "0 3 1 1 *", "spider": "ted"},
    ], misfire_grace_hours=1)
    now = datetime.now(plan.tz)
    # down for three days: the daily runs of the last three days were missed; the yearly one 3 h ago, beyond the grace
    stored_next_runs(store, plan, {"daily": half_an_hour_ago - timedelta(days=2), "yearly": now - timedelta(hours=3)},
                     RECORD)
    assert scheduler.next_runs(store, plan, RECORD)["daily"] < now

    CALLS.clear()
    restarted = scheduler.make_scheduler(store, plan, BackgroundScheduler)
    scheduler.sync_jobs(restarted, store, plan, RECORD)
    restarted.start()
    try:
        wait_for(lambda: CALLS, timeout=10, what="the missed run")
        time.sleep(1.0)
        assert [job for job, _ in CALLS] == ["daily"], CALLS
        assert restarted.get_job("daily").next_run_time == half_an_hour_ago + timedelta(days=1)
        assert restarted.get_job("yearly").next_run_time.year == now.year + 1
    finally:
        restarted.shutdown()
    assert scheduler.next_runs(store, plan, RECORD)["daily"] > now
    store.dispose()


def test_jobs_are_stored_with_explicit_ids_and_a_changed_cron_is_rescheduled(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    plan = demo_schedule(tmp_path, [{"id": "nightly", "cron": "0 1 * * *", "spider": "boamp"},
                                    {"id": "gone", "cron": "0 2 * * *", "spider": "ted"}])
    stored_next_runs(store, plan, {}, RECORD)
    assert set(scheduler.stored_jobs(store)) == {"nightly", "gone"}
    state = scheduler.stored_jobs(store)["nightly"]
    assert (state["coalesce"], state["max_instances"], state["misfire_grace_time"]) == (True, 1, 6 * 3600)
    assert str(state["trigger"].timezone) == "Europe/Paris"

    changed = demo_schedule(tmp_path, [{"id": "nightly", "cron": "0 4 * * *", "spider": "boamp"}])
    again = scheduler.make_scheduler(store, changed, BackgroundScheduler)
    scheduler.sync_jobs(again, store, changed, RECORD)
    again.start(paused=True)
    try:
        job = again.get_job("nightly")
        assert (job.next_run_time.hour, job.next_run_time.minute) == (4, 0)
        assert again.get_job("gone") is None
    finally:
        again.shutdown()
    store.dispose()


def test_a_second_run_of_a_running_job_exits_at_once_and_sigterm_stops_the_first_cleanly(db_url, tmp_path,
                                                                                          data_dir):
    """Deterministic: the first run's crawl is held on a page until the test lets it go, so SIGTERM always finds
    it crawling (no timing: the site says when the page was asked for, the crawl's log when SIGINT reached it)."""
    store = Store(db_url)
    items = records(4)
    gate, arrived = threading.Event(), threading.Event()
    faults = FaultPlan().hold(items[0]["source_id"], gate, arrived)
    with serve(items, faults=faults) as site:
        path = write_schedule(tmp_path / "s.toml", [demo_job("demo", site, settings={"CONCURRENT_REQUESTS": 1})],
                              kill_grace_seconds=60)
        first = tenderwatch(db_url, data_dir, "schedule", "--file", str(path), "--run-now", "demo", wait=False)
        try:
            assert arrived.wait(60), "the first run's crawl never asked for the held page"
            second = tenderwatch(db_url, data_dir, "schedule", "--file", str(path), "--run-now", "demo")
            assert second.returncode == 1, second.stderr  # had it waited for the lock, it would have run the job
            assert "job 'demo' is already running" in second.stderr
            first.send_signal(signal.SIGTERM)
            wait_for(lambda: "Received SIGINT" in crawl_log(data_dir), what="the crawl to be told to stop")
            gate.set()  # the held page is answered: scrapy ends its crawl and closes its run itself
            _, err = first.communicate(timeout=60)
        finally:
            gate.set()
            if first.poll() is None:
                first.kill()
    assert first.returncode == 1, err
    (row,) = crawl_runs(store)
    assert row.status == runs.INTERRUPTED and "SIGTERM" in row.errors["stopped"]
    assert row.finished_at is not None and row.counts.get("requests", 0) >= 1, "scrapy closed its run itself"
    store.dispose()


def crawl_log(data_dir) -> str:
    """The text of the crawl logs the jobs wrote so far."""
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in (data_dir / "logs").glob("*.log"))


def test_daemon_fires_a_due_job_at_start_and_stops_its_crawl_on_sigterm(tmp_path, data_dir):
    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(db_url)
    items = records(3)
    faults = FaultPlan()
    for item in items:
        faults.slow(item["source_id"], 5.0)
    with serve(items, faults=faults) as site:
        plan = demo_schedule(tmp_path, [demo_job("demo", site)], kill_grace_seconds=0.5)
        stored_next_runs(store, plan, {"demo": datetime.now(plan.tz) - timedelta(minutes=10)}, scheduler.JOB_FUNC)
        daemon = tenderwatch(db_url, data_dir, "schedule", "--file", str(plan.path), wait=False)
        try:
            wait_for(lambda: any(r.status == runs.RUNNING for r in crawl_runs(store)), what="the due job's crawl")
            daemon.send_signal(signal.SIGTERM)
            _, err = daemon.communicate(timeout=30)
        finally:
            if daemon.poll() is None:
                daemon.kill()
    assert daemon.returncode == 0, err
    (row,) = crawl_runs(store)
    assert row.status == runs.INTERRUPTED and "stopped" in row.errors, row.errors
    assert scheduler.next_runs(store, plan)["demo"] > datetime.now(plan.tz)
    store.dispose()
