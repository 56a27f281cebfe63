"""Operators' decisions on pictograms: kept with who, when and why; no re-run changes them."""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.schema import ManualOverrideRow, NoticeRow, utcnow
from models.vocabulary import Dimension, Lever
from storage.pictograms import regenerate_pictograms


class OverrideError(ValueError):
    """An override that cannot be applied (unknown notice, bad lever); the message says which."""


def find_notice(session: Session, ref: str) -> NoticeRow:
    """The notice named `SOURCE:ID` (the source may itself contain colons, e.g. atexo:demat-ampa:a1b-482913)."""
    candidates = []
    parts = ref.split(":")
    for cut in range(1, len(parts)):
        candidates.append((":".join(parts[:cut]), ":".join(parts[cut:])))
    for source, source_id in candidates:
        for variant in _spellings(source, source_id):
            row = session.scalar(select(NoticeRow).where(NoticeRow.source == source, NoticeRow.source_id == variant))
            if row is not None:
                return row
    raise OverrideError(f"no stored notice {ref!r} (expected SOURCE:ID, e.g. boamp:26-80978)")


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


def parse_levers(values: list[str]) -> list[str]:
    """Validate "dimension:lever" strings (e.g. "social:reservation")."""
    out = []
    for value in values:
        dim, _, lever = value.partition(":")
        try:
            Dimension(dim)
            Lever(lever)
        except ValueError:
            raise OverrideError(
                f"{value!r} is not DIMENSION:LEVER (dimensions: {', '.join(Dimension)}; levers: {', '.join(Lever)})"
            ) from None
        if lever == Lever.RESERVATION and dim != Dimension.SOCIAL:
            raise OverrideError("a reservation is always social")
        out.append(f"{dim}:{lever}")
    return sorted(set(out))


def set_override(session: Session, notice: NoticeRow, social: bool | None, environmental: bool | None,
                 levers: list[str], reason: str, author: str, threshold: float) -> ManualOverrideRow:
    """Record (or replace) the operator's decision for a notice and regenerate its pictogram."""
    if social is None and environmental is None:
        raise OverrideError("say --social and/or --environmental")
    if not reason.strip():
        raise OverrideError("--reason is required: say why, for the next operator")
    row = session.scalar(select(ManualOverrideRow).where(ManualOverrideRow.notice_id == notice.id))
    now = utcnow()
    if row is None:
        row = ManualOverrideRow(notice_id=notice.id, created_at=now)
        session.add(row)
    row.social, row.environmental = social, environmental
    row.levers, row.reason, row.author, row.updated_at = parse_levers(levers), reason.strip(), author, now
    session.flush()
    regenerate_pictograms(session, [notice.id], threshold)
    return row


def clear_override(session: Session, notice: NoticeRow, threshold: float) -> bool:
    deleted = session.execute(delete(ManualOverrideRow).where(ManualOverrideRow.notice_id == notice.id)).rowcount
    regenerate_pictograms(session, [notice.id], threshold)
    return bool(deleted)
