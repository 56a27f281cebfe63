"""Every operations test keeps its data directory (logs, snapshots, lock files) in its own temporary folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    path = tmp_path / "data"
    monkeypatch.setenv("TENDERWATCH_DATA_DIR", str(path))
    return path
