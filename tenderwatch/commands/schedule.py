"""`tenderwatch schedule` (the nightly scheduler) and `tenderwatch runs` (the crawl history, for monitoring)."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from storage import runs as run_rows
from tenderwatch.ops.schedule_file import ScheduleError, load_schedule

_FILE_HELP = "Schedule file (TOML). Default: the one shipped in the package (tenderwatch/schedule.toml)."


def _schedule(path: Path | None):
    try:
        return load_schedule(path)
    except ScheduleError as exc:
        raise click.UsageError(str(exc)) from None


def _console() -> Console:
    return Console(width=160)


@click.command("schedule")
@click.option("--file", "file_", type=click.Path(dir_okay=False, path_type=Path), help=_FILE_HELP)
@click.option("--list", "list_", is_flag=True, help="Print the jobs and their next run times, then exit.")
@click.option("--run-now", metavar="JOB", help="Run JOB once now, in the foreground, then exit.")
@click.pass_obj
def schedule(app, file_, list_, run_now) -> int:
    """Run the nightly scheduler (until SIGTERM / Ctrl-C), list its jobs, or run one job now.

    Each job crawls its spiders one after the other, each as its own `scrapy crawl` process with a timeout and a
    log file in <data dir>/logs (or as Scrapyd jobs when the file names [scrapyd] nodes), then tags the pending
    notices and writes a statistics snapshot in <data dir>/snapshots. A job runs once at a time, even across
    schedulers and manual runs (a lock in the database).

    \b
    Examples:
      tenderwatch schedule --list
      tenderwatch schedule --run-now atexo-nightly
      tenderwatch schedule --file /etc/tenderwatch/schedule.toml
    """
    from tenderwatch import scheduler
    from tenderwatch.ops.jobs import JobBusy

    plan = _schedule(file_)
    if list_ and run_now:
        raise click.UsageError("give --list or --run-now, not both")
    if run_now:
        try:
            plan.job(run_now)
        except ScheduleError as exc:
            raise click.UsageError(str(exc)) from None
    store = app.store()
    if list_:
        _console().print(_jobs_table(plan, scheduler.next_runs(store, plan)))
        return 0
    _logging()
    if run_now:
        try:
            report = scheduler.run_now(store, plan, run_now)
        except JobBusy as exc:
            click.echo(f"tenderwatch: {exc}; not started", err=True)
            return 1
        click.echo(report.text())
        return 0 if report.ok else 1
    return scheduler.run_daemon(store, plan)


def _logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _jobs_table(plan, next_runs: dict) -> Table:
    table = Table(title=f"Jobs of {plan.path} ({plan.timezone})")
    for name in ("job", "cron", "next run", "crawls", "timeout"):
        table.add_column(name)
    for job in plan.jobs.values():
        when = next_runs.get(job.id)
        cells = [
            job.id, job.cron, when.astimezone(plan.tz).strftime("%Y-%m-%d %H:%M %Z") if when else "paused",
            "\n".join(c.spider + "".join(f" {k}={v}" for k, v in c.args) for c in job.crawls),
            f"{job.timeout / 60:.0f} min",
        ]
        table.add_row(*(Text(c) for c in cells))
    return table


@click.command("runs")
@click.option("--spider", help="Only the runs of this spider (as recorded: boamp, atexo:demat-ampa...).")
@click.option("--failed", is_flag=True, help="Only the failed runs.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True, help="How many runs.")
@click.option("--notify", is_flag=True, help="Send the schedule file's notification when a last run failed.")
@click.option("--file", "file_", type=click.Path(dir_okay=False, path_type=Path), help=_FILE_HELP)
@click.pass_obj
def runs(app, spider, failed, limit, notify, file_) -> int:
    """The crawl history; exit status 1 when the last run of a spider failed (for monitoring).

    Runs left `running` by a process that no longer exists on this host are marked failed first.

    \b
    Examples:
      tenderwatch runs
      tenderwatch runs --spider atexo:demat-ampa --limit 5
      tenderwatch runs --failed --notify
    """
    from tenderwatch.notify import notify_failure
    from tenderwatch.ops.outcomes import reap_dead

    plan = _schedule(file_) if notify else None
    store = app.store()
    reap_dead(store)
    rows = run_rows.history(store, spider, run_rows.FAILED if failed else None, limit)
    _console().print(_runs_table(rows))
    latest = [r for r in run_rows.latest_per_spider(store) if spider is None or r.spider == spider]
    broken = [r for r in latest if r.status == run_rows.FAILED]
    for row in broken:
        click.echo(f"last run of {row.spider} failed: run {row.id}, {_errors(row.errors)}", err=True)
    if broken and plan is not None and plan.notify.enabled:
        text = "\n".join(f"{r.spider}: run {r.id} failed at {r.started_at:%Y-%m-%d %H:%M} UTC: {_errors(r.errors)}"
                         for r in broken)
        payload = {"failed": [{"spider": r.spider, "run_id": r.id, "errors": r.errors, "log": r.log_path}
                              for r in broken]}
        for problem in notify_failure(plan.notify, "tenderwatch: crawl failed", text, payload):
            click.echo(f"tenderwatch: notification failed: {problem}", err=True)
    return 1 if broken else 0


def _errors(errors: dict | None) -> str:
    return "; ".join(f"{k}: {v}" for k, v in sorted((errors or {}).items())) or "-"


def _duration(row) -> str:
    if row.finished_at is None:
        return "-"
    seconds = int((row.finished_at - row.started_at).total_seconds())
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _runs_table(rows) -> Table:
    table = Table(title="Crawl runs (UTC)")
    for name in ("id", "spider", "start", "end", "duration", "status", "counts", "errors", "log"):
        table.add_column(name, justify="right" if name == "id" else "left", overflow="fold",
                         no_wrap=name in ("id", "spider", "start", "end", "duration", "status"))
    styles = {run_rows.FAILED: "red", run_rows.SUCCEEDED: "green", run_rows.RUNNING: "yellow"}
    for row in rows:
        cells = [
            str(row.id), row.spider, f"{row.started_at:%Y-%m-%d %H:%M:%S}",
            f"{row.finished_at:%Y-%m-%d %H:%M:%S}" if row.finished_at else "-", _duration(row), row.status,
            " ".join(f"{k}={v}" for k, v in (row.counts or {}).items() if v) or "-",
            _errors(row.errors), row.log_path or "-",
        ]
        table.add_row(*(Text(c, style=styles.get(row.status, "") if i == 5 else "") for i, c in enumerate(cells)))
    return table


COMMANDS = [schedule, runs]
