"""The one resolver of `SOURCE:ID`, the name every command gives a stored notice."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema import NoticeRow


class NoticeNotFound(LookupError):
    """No stored notice has that name; the message gives it and the expected form."""


def check_ref(ref: str) -> str:
    """`ref` if it has the form SOURCE:ID, else NoticeNotFound saying so (no database needed)."""
    source, sep, source_id = ref.rpartition(":")
    if not sep or not source or not source_id:
        raise NoticeNotFound(f"{ref!r} is not SOURCE:ID (e.g. boamp:26-80978)")
    return ref


def find_notice(session: Session, ref: str) -> NoticeRow:
    """The notice named `SOURCE:ID` (the source may itself contain colons, e.g. atexo:demat-ampa:a1b-482913)."""
    check_ref(ref)
    candidates = []
    parts = ref.split(":")
    for cut in range(1, len(parts)):
        candidates.append((":".join(parts[:cut]), ":".join(parts[cut:])))
    for source, source_id in candidates:
        for variant in _spellings(source, source_id):
            row = session.scalar(select(NoticeRow).where(NoticeRow.source == source, NoticeRow.source_id == variant))
            if row is not None:
                return row
    raise NoticeNotFound(f"no stored notice {ref}")


_TED_NUMBER = re.compile(r"^0*(\d{1,8})-(\d{4})$")


def _spellings(source: str, source_id: str) -> list[str]:
    """The id as given, then for TED the other spellings of one publication number: the search API writes
    "175200-2025", eForms "00175200-2025", TED R2.0.9 "091489-2019"."""
    found = _TED_NUMBER.match(source_id) if source == "ted" else None
    if found is None:
        return [source_id]
    number, year = found.groups()
    variants = [f"{number.zfill(width)}-{year}" for width in (1, 6, 8)]
    return list(dict.fromkeys([source_id, *variants]))
