"""`tenderwatch runs`: the crawl and import history, for monitoring (exit 1 when a spider's last run failed)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from models.safe import printable
from storage import runs as run_rows
from tenderwatch.commands.options import SCHEDULE_FILE_HELP, schedule_file


def _console() -> Console:
    """The terminal's width (rich's detection; 80 columns when not a terminal): long cells fold."""
    return Console()


@click.command("runs")
@click.option("--spider", help="Only the runs of this spider (as recorded: boamp, atexo:demat-ampa...).")
@click.option("--failed", is_flag=True, help="Only the failed runs.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True, help="How many runs.")
@click.option("--notify", is_flag=True, help="Send the schedule file's notification when a last run failed.")
@click.option("--file", "file_", type=click.Path(dir_okay=False, path_type=Path), help=SCHEDULE_FILE_HELP)
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

    plan = schedule_file(file_) if notify else None
    store = app.store()
    reap_dead(store)
    rows = run_rows.history(store, spider, run_rows.FAILED if failed else None, limit)
    _console().print(_runs_table(rows))
    latest = [r for r in run_rows.latest_per_spider(store) if spider is None or r.spider == spider]
    broken = [r for r in latest if r.status == run_rows.FAILED]
    for row in broken:
        click.echo(f"last run of {row.spider} failed: run {row.id}, {_errors(row.errors)}", err=True)
    if broken and plan is not None and plan.notify.enabled:
        text = "\n".join(
            f"{r.spider}: run {r.id} failed at {r.started_at:%Y-%m-%d %H:%M} UTC: {_errors(r.errors)}"
            for r in broken
        )
        payload = {
            "failed": [
                {"spider": r.spider, "run_id": r.id, "errors": r.errors, "log": r.log_path} for r in broken
            ]
        }
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
    """One row per run; its counts, errors and log path in one folding column, so the table fits the terminal."""
    table = Table(title="Crawl runs (UTC)", title_justify="left")
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("spider", no_wrap=True)
    table.add_column("start\nduration", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("counts · errors · log", overflow="fold", ratio=1, min_width=16)
    styles = {run_rows.FAILED: "red", run_rows.SUCCEEDED: "green", run_rows.RUNNING: "yellow"}
    for row in rows:
        details = [" ".join(f"{k}={v}" for k, v in (row.counts or {}).items() if v) or "-"]
        if row.errors:
            details.append(f"errors: {_errors(row.errors)}")
        if row.log_path:
            details.append(f"log: {row.log_path}")
        table.add_row(
            # errors and paths name files and notices: shown as they are (no markup read, no control characters)
            str(row.id), Text(printable(row.spider)), f"{row.started_at:%Y-%m-%d %H:%M}\n{_duration(row)}",
            Text(row.status, style=styles.get(row.status, "")), Text(printable("\n".join(details))),
        )
    return table


COMMANDS = [runs]
