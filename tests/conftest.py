"""Shared fixtures: paths to the public samples (skipped when ../shared is absent) and to the project's own files."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).resolve().parent / "files"
SAMPLES = ROOT.parent / "shared" / "samples"


def samples_path(*parts: str) -> Path:
    """Path under ../shared/samples; skips the calling test with a reason when the samples are not there."""
    path = SAMPLES.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"public samples not available at {path} (they live in ../shared/samples beside the clone)")
    return path


@pytest.fixture
def samples() -> Path:
    return samples_path()


@pytest.fixture
def files() -> Path:
    return FILES
