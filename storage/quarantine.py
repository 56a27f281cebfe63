"""Notices set aside or removed by an operator (`tenderwatch notices`), and the listing that finds them.

A quarantined notice stays in the store (a re-crawl of it finds it and leaves it aside) but is never tagged,
counted in the statistics nor exported, and has no pictogram, until it is released (then it is tagged again). A
removed notice is deleted with everything attached to it (lots, clauses, considerations, pictogram, override): a
later crawl or import that publishes it again stores it anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from models.schema import NoticeRow, PictogramRow, utcnow
from storage.patterns import source_matches


@dataclass
class NoticeLine:
    ref: str
    title: str
    published: str | None
    characters: int
    quarantined_at: datetime | None
    reason: str | None


def list_notices(session: Session, source: str | None = None, quarantined: bool = False, largest: bool = False,
                 limit: int = 20) -> list[NoticeLine]:
    """Notices (the quarantined ones only with `quarantined`), newest first or the largest texts first."""
    size = func.length(NoticeRow.text).label("characters")
    query = select(NoticeRow.source, NoticeRow.source_id, NoticeRow.title, NoticeRow.published, size,
                   NoticeRow.quarantined_at, NoticeRow.quarantine_reason)
    if source:
        query = query.where(source_matches(NoticeRow.source, source))
    if quarantined:
        query = query.where(NoticeRow.quarantined_at.is_not(None))
    query = query.order_by(size.desc(), NoticeRow.id) if largest else query.order_by(NoticeRow.id.desc())
    return [
        NoticeLine(f"{r.source}:{r.source_id}", r.title or "", r.published.isoformat() if r.published else None,
                   int(r.characters or 0), r.quarantined_at, r.quarantine_reason)
        for r in session.execute(query.limit(limit))
    ]


def quarantine(session: Session, notice: NoticeRow, reason: str) -> bool:
    """Set `notice` aside (its pictogram removed); False when it already was."""
    if notice.quarantined_at is not None:
        return False
    session.execute(update(NoticeRow).where(NoticeRow.id == notice.id)
                    .values(quarantined_at=utcnow(), quarantine_reason=reason))
    session.execute(delete(PictogramRow).where(PictogramRow.notice_id == notice.id))
    _restand(session, notice)
    return True


def release(session: Session, notice: NoticeRow) -> bool:
    """Bring a quarantined notice back (queued for tagging); False when it was not quarantined."""
    if notice.quarantined_at is None:
        return False
    session.execute(update(NoticeRow).where(NoticeRow.id == notice.id)
                    .values(quarantined_at=None, quarantine_reason=None, needs_tagging=True))
    _restand(session, notice)
    return True


def _restand(session: Session, notice: NoticeRow) -> None:
    """Choose again the notice its procedure stands as: one set aside does not take its procedure with it."""
    from storage.procedures import relink

    if notice.procedure_key is not None:
        session.flush()
        relink(session, [notice.id])


def remove(session: Session, notice: NoticeRow) -> None:
    """Delete `notice` and everything attached to it (the foreign keys cascade: its procedure keys too); the other
    notices of its procedure are linked again without it (storage/procedures.py)."""
    from storage.procedures import relink

    siblings = []
    if notice.procedure_key is not None:
        siblings = list(session.scalars(select(NoticeRow.id).where(NoticeRow.procedure_key == notice.procedure_key,
                                                                   NoticeRow.id != notice.id)))
    session.execute(delete(NoticeRow).where(NoticeRow.id == notice.id))
    if siblings:
        relink(session, siblings)
