"""Option callbacks shared by the commands."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click


def iso_date(ctx, param, value: str | None) -> date | None:
    """A YYYY-MM-DD option value as a date; anything else is a usage error naming the value."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


SCHEDULE_FILE_HELP = (
    "Schedule file (TOML). Default: the one shipped in the package (tenderwatch/schedule.toml)."
)


def schedule_file(path: Path | None):
    """The schedule file (the shipped one when `path` is None); a bad one is a usage error."""
    from tenderwatch.ops.schedule_file import ScheduleError, load_schedule

    try:
        return load_schedule(path)
    except ScheduleError as exc:
        raise click.UsageError(str(exc)) from None


def output_folder(path: Path, option: str) -> Path:
    """`path` created (with its parents) if need be, before any work: a folder that cannot be is a usage error."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.BadParameter(f"cannot create the folder {path}: {exc.strerror}", param_hint=option) from None
    if not os.access(path, os.W_OK):
        raise click.BadParameter(f"cannot write into the folder {path}", param_hint=option)
    return path
