"""`tenderwatch schedule`: the nightly scheduler (`--list`, `--run-now JOB`)."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tenderwatch.commands.options import SCHEDULE_FILE_HELP, schedule_file
from tenderwatch.ops.schedule_file import ScheduleError


def _console() -> Console:
    """The terminal's width (rich's detection; 80 columns when not a terminal): long cells fold."""
    return Console()


@click.command("schedule")
@click.option("--file", "file_", type=click.Path(dir_okay=False, path_type=Path), help=SCHEDULE_FILE_HELP)
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

    plan = schedule_file(file_)
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
    for name in ("job", "cron", "next run", "timeout"):
        table.add_column(name, no_wrap=True)
    table.add_column("crawls", overflow="fold", ratio=1, min_width=12)
    for job in plan.jobs.values():
        when = next_runs.get(job.id)
        cells = [
            job.id,
            job.cron,
            when.astimezone(plan.tz).strftime("%Y-%m-%d\n%H:%M %Z") if when else "paused",
            f"{job.timeout / 60:.0f} min",
            "\n".join(c.spider + "".join(f" {k}={v}" for k, v in c.args) for c in job.crawls),
        ]
        table.add_row(*(Text(c) for c in cells))
    return table


COMMANDS = [schedule]
