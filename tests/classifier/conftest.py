"""Fixtures of the classifier tests: the shipped classifier (loaded once) and a real notice reader."""

from __future__ import annotations

import json

import pytest

from classifier import Classifier, load_classifier
from tests.conftest import samples_path


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return load_classifier()


@pytest.fixture(scope="session")
def rules_only() -> Classifier:
    return Classifier(None)


_TEXTS: dict[str, str] = {}


def real_notice(doc_id: str) -> str:
    """The text of one notice of the real 2020 corpus (skips when ../shared/samples is absent)."""
    path = samples_path("corpora", "notices_fr_2020", "notices.jsonl")
    if not _TEXTS:
        with open(path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                _TEXTS[row["doc_id"]] = row["text"]
    if doc_id not in _TEXTS:
        pytest.skip(f"notice {doc_id} not in {path}")
    return _TEXTS[doc_id]
