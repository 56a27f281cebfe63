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


POSTGRES_ENV = "TENDERWATCH_TEST_POSTGRES_URL"


def postgres_url_or_skip() -> str:
    import os

    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: the PostgreSQL variant runs where it is (.ci/run sets it)")
    return url


@pytest.fixture
def postgres_schema_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text

    base = postgres_url_or_skip()
    schema = f"tw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The same test on a SQLite file and, when TENDERWATCH_TEST_POSTGRES_URL is set, on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres_schema_url")


@pytest.fixture
def store(db_url):
    from storage.engine import Store

    opened = Store(db_url)
    yield opened
    opened.dispose()
