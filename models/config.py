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
