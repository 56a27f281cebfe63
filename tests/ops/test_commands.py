"""`tenderwatch runs`, `tenderwatch schedule --list` and the schedule file, `tenderwatch crawl --scrapyd`."""

from __future__ import annotations

import json
import subprocess
import urllib.parse

import pytest

from crawler.platforms import load_platforms
from models.schema import CrawlRunRow
from storage import runs
from storage.engine import Store
from tenderwatch.cli import main
from tenderwatch.crawling import spider_names
from tenderwatch.ops.schedule_file import ScheduleError, load_schedule
from tests.ops.helpers import HTTPSink, SMTPSink, write_schedule


def cli(capsys, db_url: str, *args: str):
    status = main(["--db", db_url, *args])
    out, err = capsys.readouterr()
    return status, out, err


def add_run(store, spider: str, status: str, errors: dict | None = None) -> int:
    run_id = runs.start_run(store, spider, {}, log_path=f"/var/log/{spider}.log")
    runs.finish_run(store, run_id, status, {"new": 2}, errors or {})
    return run_id


def test_runs_shows_history_and_exits_1_while_the_last_run_of_a_spider_failed(db_url, capsys):
    store = Store(db_url)
    add_run(store, "boamp", runs.SUCCEEDED)
    add_run(store, "atexo:demat-ampa", runs.SUCCEEDED)
    add_run(store, "atexo:demat-ampa", runs.FAILED, {"timeout": "killed after 3600 s"})

    status, out, err = cli(capsys, db_url, "runs")
    assert status == 1
    assert "atexo:demat-ampa" in out and "boamp" in out and "failed" in out and "succeeded" in out
    assert "last run of atexo:demat-ampa failed: run 3, timeout: killed after 3600 s" in err

    status, out, _ = cli(capsys, db_url, "runs", "--failed")
    assert status == 1 and "boamp" not in out
    status, out, _ = cli(capsys, db_url, "runs", "--spider", "boamp", "--limit", "1")
    assert status == 0 and "atexo" not in out and "/var/log/boamp.log" in out

    add_run(store, "atexo:demat-ampa", runs.SUCCEEDED)
    assert cli(capsys, db_url, "runs")[0] == 0
    store.dispose()


def test_runs_marks_failed_a_run_whose_process_is_gone(tmp_path, capsys):
    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(db_url)
    gone = subprocess.Popen(["true"])
    gone.wait()
    run_id = runs.start_run(store, "ted", {})
    with store.session() as session:
        session.get(CrawlRunRow, run_id).pid = gone.pid
    alive = runs.start_run(store, "boamp", {})  # this process: still running

    status, _, err = cli(capsys, db_url, "runs")
    assert status == 1 and "last run of ted failed" in err
    with store.session() as session:
        ghost, live = session.get(CrawlRunRow, run_id), session.get(CrawlRunRow, alive)
        assert ghost.status == runs.FAILED and f"process {gone.pid}" in ghost.errors["dead"]
        assert live.status == runs.RUNNING
    store.dispose()


def test_runs_notify_sends_an_email_and_a_webhook_on_failure(tmp_path, capsys):
    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(db_url)
    add_run(store, "decp", runs.FAILED, {"exit": "scrapy exited with status 1"})
    smtp, hook = SMTPSink(), HTTPSink()
    try:
        schedule = write_schedule(tmp_path / "s.toml", [], notify={
            "email_to": "ops@example.org", "smtp_host": "127.0.0.1", "smtp_port": smtp.port,
            "webhook_url": f"{hook.url}/alerts"})
        status, _, _ = cli(capsys, db_url, "runs", "--notify", "--file", str(schedule))
    finally:
        smtp.close()
        hook.close()
    assert status == 1
    (mail,) = smtp.messages
    assert "decp" in mail["data"] and "scrapy exited with status 1" in mail["data"]
    payload = json.loads(hook.requests[0][3])
    assert payload["failed"][0]["spider"] == "decp" and payload["failed"][0]["log"] == "/var/log/decp.log"
    store.dispose()


def test_schedule_list_prints_the_packaged_jobs_with_next_runs(tmp_path, capsys):
    status, out, _ = cli(capsys, f"sqlite:///{tmp_path / 'store.sqlite'}", "schedule", "--list")
    assert status == 0
    for job in ("atexo-nightly", "boamp-nightly", "ted-nightly", "decp-nightly"):
        assert job in out
    assert "platform=demat-ampa" in out and ("CET" in out or "CEST" in out)


def test_packaged_schedule_names_existing_spiders_and_platforms_staggered():
    schedule = load_schedule()
    crawls = [c for job in schedule.jobs.values() for c in job.crawls]
    assert {c.spider for c in crawls} == {"atexo", "boamp", "ted", "decp"} <= set(spider_names())
    platforms = load_platforms()
    assert {c.arguments["platform"] for c in crawls if c.spider == "atexo"} <= set(platforms)
    assert "demat-ampa" in {c.arguments.get("platform") for c in crawls}
    assert len({job.cron for job in schedule.jobs.values()}) == len(schedule.jobs)
    assert schedule.timezone == "Europe/Paris"


@pytest.mark.parametrize(
    "text, message",
    [
        ("[[jobs]]\nid = 'x'\ncron = '0 1 * * *'\n", "spider is required"),
        ("[[jobs]]\nid = 'x'\nspider = 'boamp'\ncron = '61 1 * * *'\n", "invalid cron"),
        ("[[jobs]]\nid = 'x y'\nspider = 'boamp'\ncron = '0 1 * * *'\n", "must be letters"),
        ("[[jobs]]\nid = 'x'\nspider = 'boamp'\ncron = '0 1 * * *'\nwhen = 1\n", "unknown key 'when'"),
        ("timezone = 'Mars/Olympus'\n", "unknown timezone"),
        ("[scrapyd]\nplacement = 'random'\n", "placement must be one of"),
        ("jobs = [", "not valid TOML"),
    ],
)
def test_bad_schedule_files_exit_2_with_one_line(tmp_path, capsys, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScheduleError):
        load_schedule(path)
    status, _, err = cli(capsys, f"sqlite:///{tmp_path / 'store.sqlite'}", "schedule", "--file", str(path), "--list")
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1


def test_run_now_of_an_unknown_job_exits_2(tmp_path, capsys):
    status, _, err = cli(capsys, f"sqlite:///{tmp_path / 'store.sqlite'}", "schedule", "--run-now", "nosuch")
    assert status == 2 and "no job 'nosuch'" in err and "atexo-nightly" in err


def test_crawl_scrapyd_posts_schedule_json_with_the_store_url(tmp_path, capsys):
    sink = HTTPSink(lambda method, path, body: (200, {"status": "ok", "jobid": "j1"}))
    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    try:
        status, out, err = cli(capsys, db_url, "crawl", "atexo", "-a", "platform=demat-ampa", "--since", "2026-11-01",
                               "-s", "LOG_LEVEL=INFO", "--scrapyd", sink.url + "/")
    finally:
        sink.close()
    assert status == 0 and "job j1" in out and "SQLite" in err
    ((method, path, _, body),) = sink.requests
    form = urllib.parse.parse_qs(body.decode())
    assert (method, path) == ("POST", "/schedule.json")
    assert form["project"] == ["tenderwatch"] and form["spider"] == ["atexo"]
    assert form["platform"] == ["demat-ampa"] and form["since"] == ["2026-11-01"]
    assert sorted(form["setting"]) == ["LOG_LEVEL=INFO", f"TENDERWATCH_DATABASE_URL={db_url}"]


def test_crawl_scrapyd_unreachable_or_refusing_exits_2(tmp_path, capsys):
    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    status, _, err = cli(capsys, db_url, "crawl", "boamp", "--scrapyd", "http://127.0.0.1:9")
    assert status == 2 and "cannot reach Scrapyd at http://127.0.0.1:9" in err
    sink = HTTPSink(lambda method, path, body: (200, {"status": "error", "message": "spider 'boamp' not found"}))
    try:
        status, _, err = cli(capsys, db_url, "crawl", "boamp", "--scrapyd", sink.url)
    finally:
        sink.close()
    assert status == 2 and err.strip().splitlines()[-1].startswith("tenderwatch: error: Scrapyd at http://127.0.0.1:")
    assert err.strip().endswith("schedule.json: spider 'boamp' not found")
