"""Nightly jobs on a local demo platform: kill, timeout, failing spider, tagging, snapshot, notice, concurrency."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest

from storage import runs
from storage.engine import Store
from tenderwatch.demo_site import serve
from tests.doubles import FaultPlan
from tenderwatch.ops.jobs import JobRunner
from tests.ops.helpers import (
    HTTPSink,
    SMTPSink,
    count_notices,
    crawl_runs,
    demo_job,
    demo_schedule,
    records,
    wait_for,
)


def slow(items: list[dict], delay: float) -> FaultPlan:
    faults = FaultPlan()
    for item in items:
        faults.slow(item["source_id"], delay)
    return faults


def test_crawl_killed_midway_is_failed_then_a_rerun_stores_everything_once(db_url, tmp_path, data_dir):
    items = records(5)
    one_by_one = {"CONCURRENT_REQUESTS": 1, "TENDERWATCH_BATCH_SIZE": 1}
    with serve(items, faults=slow(items, 0.25)) as site:
        plan = demo_schedule(tmp_path, [demo_job("demo", site, settings=one_by_one)])
        store = Store(db_url)
        reports = []
        runner = JobRunner(plan, plan.job("demo"), store, data_dir=data_dir)
        thread = threading.Thread(target=lambda: reports.append(runner.run()))
        thread.start()
        row = wait_for(lambda: next((r for r in crawl_runs(store) if r.status == runs.RUNNING), None)
                       if count_notices(store)[0] >= 1 else None, what="a crawl that stored a notice")
        os.kill(row.pid, signal.SIGKILL)
        thread.join(60)
        stored_when_killed = count_notices(store)[0]
        (killed,) = reports[0].outcomes
        assert killed.status == runs.FAILED and "SIGKILL" in killed.reason
        assert 1 <= stored_when_killed < len(items)

        again = JobRunner(plan, plan.job("demo"), store, data_dir=data_dir).run()
    assert again.ok, again.text()
    assert count_notices(store) == (len(items), len(items))
    first, second = crawl_runs(store)
    assert (first.status, second.status) == (runs.FAILED, runs.SUCCEEDED)
    assert "killed" in first.errors and first.finished_at is not None
    assert second.counts["unchanged"] == stored_when_killed and second.counts["new"] == len(items) - stored_when_killed
    store.dispose()


def test_a_crawl_over_its_timeout_is_killed_and_recorded_failed(tmp_path, data_dir):
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    items = records(4)
    with serve(items, faults=slow(items, 8)) as site:
        plan = demo_schedule(tmp_path, [demo_job("demo", site, timeout_minutes=0.06)], kill_grace_seconds=0.5)
        report = JobRunner(plan, plan.job("demo"), store, data_dir=data_dir).run()
    (outcome,) = report.outcomes
    assert outcome.status == runs.FAILED and "timeout" in outcome.reason
    (row,) = crawl_runs(store)
    assert row.status == runs.FAILED and "timeout" in row.errors and row.finished_at is not None
    assert row.log_path and os.path.exists(row.log_path)
    assert not report.ok
    store.dispose()


def test_a_failing_spider_is_recorded_the_others_go_on_and_failure_is_notified(tmp_path, data_dir):
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    smtp, hook = SMTPSink(), HTTPSink()
    try:
        with serve(records(3)) as site:
            job = demo_job("mixed", site)
            job["crawls"] = [{"spider": "nosuchspider"}, {"spider": "atexo", "args": job.pop("args")}]
            del job["spider"]
            notify = {"email_to": ["ops@example.org"], "email_from": "tw@example.org", "smtp_host": "127.0.0.1",
                      "smtp_port": smtp.port, "webhook_url": f"{hook.url}/hook"}
            plan = demo_schedule(tmp_path, [job], notify=notify)
            report = JobRunner(plan, plan.job("mixed"), store, data_dir=data_dir).run()
    finally:
        smtp.close()
        hook.close()
    failed, crawled = report.outcomes
    assert failed.status == runs.FAILED and "exit" in crawl_runs(store, "nosuchspider")[0].errors
    assert crawled.status == runs.SUCCEEDED and count_notices(store) == (3, 3)
    assert not report.ok
    (mail,) = smtp.messages
    assert mail["to"] == ["<ops@example.org>"] and "job mixed failed" in mail["data"]
    assert "nosuchspider: failed" in mail["data"]
    (method, path, headers, body) = hook.requests[0]
    payload = json.loads(body)
    assert (method, path, headers["Content-Type"]) == ("POST", "/hook", "application/json")
    assert payload["job"] == "mixed" and [c["status"] for c in payload["crawls"]] == ["failed", "succeeded"]
    store.dispose()


def test_job_tags_pending_notices_and_writes_a_statistics_snapshot(tmp_path, data_dir):
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with serve(records(3)) as site:
        plan = demo_schedule(tmp_path, [demo_job("tagged", site, tag=True)])
        report = JobRunner(plan, plan.job("tagged"), store, data_dir=data_dir).run()
    assert report.ok, report.text()
    assert report.tagging["tagged"] == 3
    snapshot = json.loads(Path(report.snapshot).read_text(encoding="utf-8"))
    assert report.snapshot.startswith(str(data_dir / "snapshots" / "tagged-"))
    assert snapshot["shares"]["total"][0]["notices"] == 3
    assert snapshot["crawls"][0]["status"] == runs.SUCCEEDED
    assert (data_dir / "logs").glob("tagged-atexo-demo-*.log")
    store.dispose()


def test_two_platforms_crawl_concurrently_into_postgresql(postgres_schema_url, tmp_path, data_dir):
    store = Store(postgres_schema_url)
    # detail pages slow enough that both crawls are surely under way at once
    with serve(records(4), faults=slow(records(4), 3.0)) as site_a, \
            serve(records(5), faults=slow(records(5), 3.0)) as site_b:
        plan = demo_schedule(tmp_path, [demo_job("a", site_a, platform="demo-a"),
                                        demo_job("b", site_b, platform="demo-b")])
        reports: dict[str, object] = {}
        threads = [threading.Thread(target=lambda j=j: reports.__setitem__(j, JobRunner(
            plan, plan.job(j), store, data_dir=data_dir).run())) for j in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
    assert reports["a"].ok and reports["b"].ok
    assert count_notices(store, "atexo:demo-a") == (4, 4)
    assert count_notices(store, "atexo:demo-b") == (5, 5)
    rows = crawl_runs(store)
    assert sorted(r.spider for r in rows) == ["atexo:demo-a", "atexo:demo-b"]
    assert all(r.status == runs.SUCCEEDED for r in rows)
    a, b = rows
    assert a.started_at < b.finished_at and b.started_at < a.finished_at, "the two crawls did not overlap"
    store.dispose()


@pytest.mark.parametrize("policy", ["round_robin", "least_busy"])
def test_placement_over_scrapyd_nodes(policy):
    from tenderwatch.ops.scrapyd import Placement, ScrapydNode

    loads = {"a": 3, "b": 1}
    sinks = {name: HTTPSink(lambda m, p, b, n=name: (200, {"status": "ok", "running": loads[n], "pending": 0}))
             for name in loads}
    try:
        nodes = [ScrapydNode(sinks[name].url) for name in ("a", "b")]
        placement = Placement(nodes, policy)
        picked = [placement.pick().url for _ in range(3)]
    finally:
        for sink in sinks.values():
            sink.close()
    if policy == "round_robin":
        assert picked == [nodes[0].url, nodes[1].url, nodes[0].url]
    else:
        assert picked == [nodes[1].url] * 3


def test_a_scrapyd_crawl_over_its_timeout_is_cancelled_then_killed_and_recorded(tmp_path):
    from tenderwatch.ops.remote import RemoteCrawl
    from tenderwatch.ops.schedule_file import Crawl
    from tenderwatch.ops.scrapyd import Placement, ScrapydNode

    def answer(method, path, body):
        if path.startswith("/listjobs.json"):
            return 200, {"status": "ok", "pending": [], "running": [{"id": job_ids[0]}], "finished": []}
        if path == "/schedule.json":
            job_ids.append(dict(p.split("=", 1) for p in body.decode().split("&"))["jobid"])
            return 200, {"status": "ok", "jobid": job_ids[0]}
        return 200, {"status": "ok", "prevstate": "running"}

    job_ids: list[str] = []
    node = HTTPSink(answer)
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        crawl = RemoteCrawl(store, Crawl("boamp"), Placement([ScrapydNode(node.url)]), "tenderwatch", timeout=0.3,
                            kill_grace=0.3, settings={}, poll=0.05)
        outcome = crawl.run()
        cancels = [body.decode() for _, path, _, body in node.requests if path == "/cancel.json"]
    finally:
        node.close()
    assert outcome.status == runs.FAILED and "timeout" in outcome.reason
    assert [c.rsplit("signal=", 1)[1] for c in cancels[:2]] == ["INT", "KILL"]
    (row,) = crawl_runs(store, "boamp")
    assert row.status == runs.FAILED and "timeout" in row.errors
    store.dispose()
