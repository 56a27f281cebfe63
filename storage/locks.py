"""Job locks held for a job's duration: a PostgreSQL advisory lock, or an exclusive flock beside a SQLite file."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError


class LockBusy(RuntimeError):
    """Another process holds the lock."""


def lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key derived from `name`."""
    digest = hashlib.blake2b(f"tenderwatch:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_path(store, name: str) -> Path:
    """The lock file of `name` beside the SQLite database file (in the data directory for an in-memory one)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    database = make_url(store.url).database
    if not database or database == ":memory:":
        from models import config

        return config.data_dir() / "locks" / f"{safe}.lock"
    return Path(database).expanduser().resolve().parent / f"{Path(database).name}.{safe}.lock"


@contextmanager
def job_lock(store, name: str) -> Iterator[None]:
    """Hold the lock of `name` for the duration of the block; LockBusy at once when another process holds it."""
    if store.dialect == "postgresql":
        with _advisory_lock(store.engine, lock_key(name), name):
            yield
    else:
        with _file_lock(lock_path(store, name), name):
            yield


@contextmanager
def _advisory_lock(engine, key: int, name: str) -> Iterator[None]:
    conn = engine.connect()
    try:
        acquired = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        conn.commit()
    except BaseException:
        conn.close()
        raise
    if not acquired:
        conn.close()
        raise LockBusy(f"{name} is locked by another process (PostgreSQL advisory lock {key})")
    try:
        yield
    finally:
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()
        except DBAPIError:
            conn.invalidate()
        finally:
            conn.close()


@contextmanager
def _file_lock(path: Path, name: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        raise LockBusy(f"{name} is locked by another process (pid {holder or '?'}, {path})") from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
