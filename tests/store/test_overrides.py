"""Finding the notice an operator names (SOURCE:ID) for an override or an attached document."""

from __future__ import annotations

import pytest

from models.notice import Notice
from storage.notices import NoticeNotFound, find_notice
from storage.upsert import upsert_notices

STORED = [
    Notice(source="ted", source_id="00175200-2025", title="eForms"),
    Notice(source="ted", source_id="091489-2019", title="R2.0.9"),
    Notice(source="atexo:demat-ampa", source_id="a1b-482913", title="Atexo"),
    Notice(source="boamp", source_id="0175200-2025", title="BOAMP, same digits"),
]


@pytest.fixture
def session(store):
    with store.session() as session:
        upsert_notices(session, STORED)
        yield session


@pytest.mark.parametrize(
    ("ref", "title"),
    [
        ("ted:00175200-2025", "eForms"),
        ("ted:175200-2025", "eForms"),  # as the TED search API writes it
        ("ted:91489-2019", "R2.0.9"),
        ("ted:00091489-2019", "R2.0.9"),
        ("atexo:demat-ampa:a1b-482913", "Atexo"),  # a source with a colon
        ("boamp:0175200-2025", "BOAMP, same digits"),
    ],
)
def test_finds_the_notice(session, ref, title):
    assert find_notice(session, ref).title == title


@pytest.mark.parametrize("ref", ["boamp:175200-2025", "ted:175201-2025", "ted:175200-2024", "atexo:demat-ampa:482913"])
def test_other_spellings_only_for_ted_numbers(session, ref):
    with pytest.raises(NoticeNotFound, match="no stored notice"):
        find_notice(session, ref)
