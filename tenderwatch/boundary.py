"""The CLI boundary: whatever stops a command becomes one readable line on stderr and an exit status.

- 2: bad input (a usage error, a database URL or file that cannot be a store, a path that cannot be read or
  written, input that is not text);
- 1: a failure (the database locked by another process or unreachable, a full disk, anything unexpected);
- 130 / 143: Ctrl-C / SIGTERM (SIGTERM is turned into the same clean interruption as Ctrl-C).

The runs the command opened and did not close (an import, an in-process ingestion) are closed as failed or
interrupted, so that `tenderwatch runs` never shows a dead command as running. TENDERWATCH_DEBUG=1 prints the
traceback as well.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import click

#: OSError numbers that say the path given is wrong (bad input), not that the machine failed.
BAD_PATH = {errno.ENOENT, errno.EACCES, errno.EPERM, errno.EISDIR, errno.ENOTDIR, errno.EEXIST, errno.EROFS,
            errno.ENAMETOOLONG, errno.ELOOP}
MAX_MESSAGE = 400


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C so that every command stops the same clean way."""


@contextmanager
def signals() -> Iterator[None]:
    """SIGTERM raises Terminated while the block runs (main thread only; the previous handler is restored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, _frame):
        raise Terminated("SIGTERM")

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def one_line(text: object) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def _database_message(exc) -> tuple[int, str]:
    from sqlalchemy.exc import OperationalError

    from models import config

    original = str(getattr(exc, "orig", None) or exc).strip()
    first = original.splitlines()[0] if original else type(exc).__name__
    if isinstance(exc, OperationalError):
        if "database is locked" in original:
            return 1, (f"the database is locked by another process (waited {config.sqlite_busy_timeout():g} s); "
                       "try again when it has finished")
        return 1, f"cannot use the database: {first}"
    return 1, f"the database refused the operation: {first}"


def describe(exc: BaseException) -> tuple[int, str]:
    """The exit status and the one-line message of an exception that reached the boundary."""
    from sqlalchemy.exc import DBAPIError

    from storage.engine import StoreError

    if isinstance(exc, StoreError):
        return 2, str(exc)
    if isinstance(exc, DBAPIError):
        return _database_message(exc)
    if isinstance(exc, UnicodeDecodeError):
        return 2, f"not UTF-8 text ({exc.reason} at byte {exc.start}); re-encode it, e.g. iconv -f cp1252 -t utf-8"
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else ""
        reason = exc.strerror or type(exc).__name__
        return (2 if exc.errno in BAD_PATH else 1), (f"{where}: {reason}" if where else reason)
    if isinstance(exc, RecursionError):
        return 2, "input nested too deeply to be read"
    if isinstance(exc, MemoryError):
        return 1, "out of memory"
    return 1, f"{type(exc).__name__}: {exc} (TENDERWATCH_DEBUG=1 shows the traceback)"


def close_runs(status: str, reason: str) -> None:
    """Close the runs this process left open (never fails: the boundary must still print its line)."""
    try:
        from workflow.ingest import close_open_runs

        close_open_runs(status, reason)
    except Exception:  # nothing more to do at the boundary
        pass


def handle(exc: BaseException) -> int:
    """Turn `exc` into one line on stderr and an exit status, closing the runs left open."""
    from storage import runs

    if isinstance(exc, click.exceptions.Exit):
        return exc.exit_code
    if isinstance(exc, SystemExit):
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code:
            close_runs(runs.FAILED, f"exited with status {code}")
        return code
    if isinstance(exc, (click.exceptions.Abort, KeyboardInterrupt)):
        terminated = isinstance(exc, Terminated) or isinstance(exc.__cause__, Terminated)
        name = "SIGTERM" if terminated else "Ctrl-C"
        close_runs(runs.INTERRUPTED, f"interrupted by {name}")
        click.echo("tenderwatch: interrupted" + (" by SIGTERM" if terminated else ""), err=True)
        return 143 if terminated else 130
    if isinstance(exc, click.ClickException):
        message = one_line(exc.format_message())
        close_runs(runs.FAILED, message)
        click.echo(f"tenderwatch: error: {message}", err=True)
        return 2 if exc.exit_code in (1, 2) else exc.exit_code
    status, message = describe(exc)
    message = one_line(message)
    close_runs(runs.FAILED, message)
    click.echo(f"tenderwatch: error: {message}", err=True)
    if os.environ.get("TENDERWATCH_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    return status
