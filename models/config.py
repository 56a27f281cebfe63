"""Configuration from the environment, with embedded defaults that work offline on a fresh machine."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATABASE_URL = "TENDERWATCH_DATABASE_URL"
ENV_DATA_DIR = "TENDERWATCH_DATA_DIR"
ENV_THRESHOLD = "TENDERWATCH_DETECTION_THRESHOLD"

#: Detected considerations below this confidence do not light a pictogram (precision first).
DEFAULT_DETECTION_THRESHOLD = 0.5


def data_dir() -> Path:
    """Where the default SQLite store, exports, reports and logs live: $TENDERWATCH_DATA_DIR or ~/.local/share/tenderwatch."""
    explicit = os.environ.get(ENV_DATA_DIR)
    if explicit:
        path = Path(explicit).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "tenderwatch"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(explicit: str | None = None) -> str:
    """--db first, then $TENDERWATCH_DATABASE_URL, then a SQLite file in the data directory."""
    if explicit:
        return explicit
    from_env = os.environ.get(ENV_DATABASE_URL)
    if from_env:
        return from_env
    return f"sqlite:///{data_dir() / 'tenderwatch.sqlite'}"


def detection_threshold() -> float:
    raw = os.environ.get(ENV_THRESHOLD)
    if not raw:
        return DEFAULT_DETECTION_THRESHOLD
    value = float(raw)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{ENV_THRESHOLD} must be between 0 and 1, got {raw}")
    return value


# --- size limits ------------------------------------------------------------------------------------------------

ENV_MAX_FILE_BYTES = "TENDERWATCH_MAX_FILE_BYTES"
ENV_MAX_EXPANDED_BYTES = "TENDERWATCH_MAX_EXPANDED_BYTES"
ENV_MAX_NOTICE_CHARS = "TENDERWATCH_MAX_NOTICE_CHARS"

#: A file read whole (a notice, a document): 50 MiB. Streamed DECP files have no file limit (each contract is
#: checked as a notice).
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024
#: What a DOCX or ODT (a zip) expands to, as its members declare it: 200 MiB.
DEFAULT_MAX_EXPANDED_BYTES = 200 * 1024 * 1024
#: The text of one notice (its sections and attached documents): 2 million characters, about 1,000 pages.
DEFAULT_MAX_NOTICE_CHARS = 2_000_000


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)  # digits may be grouped with "_": 4_000_000
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {raw}")
    return value


def max_file_bytes() -> int:
    return _positive_int(ENV_MAX_FILE_BYTES, DEFAULT_MAX_FILE_BYTES)


def max_expanded_bytes() -> int:
    return _positive_int(ENV_MAX_EXPANDED_BYTES, DEFAULT_MAX_EXPANDED_BYTES)


def max_notice_chars() -> int:
    return _positive_int(ENV_MAX_NOTICE_CHARS, DEFAULT_MAX_NOTICE_CHARS)


ENV_ARCHIVE_MAX_BYTES = "TENDERWATCH_ARCHIVE_MAX_BYTES"
ENV_ARCHIVE_MAX_MEMBERS = "TENDERWATCH_ARCHIVE_MAX_MEMBERS"
#: What one archive may expand to (its members together, archives inside it included): 4 GiB.
DEFAULT_ARCHIVE_MAX_BYTES = 4 * 1024**3
#: How many members one archive may hold.
DEFAULT_ARCHIVE_MAX_MEMBERS = 10_000


def archive_max_bytes() -> int:
    return _positive_int(ENV_ARCHIVE_MAX_BYTES, DEFAULT_ARCHIVE_MAX_BYTES)


def archive_max_members() -> int:
    return _positive_int(ENV_ARCHIVE_MAX_MEMBERS, DEFAULT_ARCHIVE_MAX_MEMBERS)


ENV_SQLITE_BUSY_TIMEOUT = "TENDERWATCH_SQLITE_BUSY_TIMEOUT"
DEFAULT_SQLITE_BUSY_TIMEOUT = 30.0


def sqlite_busy_timeout() -> float:
    """Seconds a SQLite write waits for another process's lock before "database is locked"."""
    raw = os.environ.get(ENV_SQLITE_BUSY_TIMEOUT)
    if not raw:
        return DEFAULT_SQLITE_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{ENV_SQLITE_BUSY_TIMEOUT} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise ValueError(f"{ENV_SQLITE_BUSY_TIMEOUT} must not be negative, got {raw}")
    return value
