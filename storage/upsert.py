"""Idempotent, batched writes of notices keyed on (source, source_id) with a content hash.

Same notice again: nothing is written (last_seen moves at most once a day). Changed notice: its fields, lots and
declared considerations are replaced, its detected considerations are marked stale and it is queued for re-tagging.
Manual decisions (override table, manual considerations) are never touched, nor are the documents operators
attached to a notice (storage/attachments.py): the hash compared is the source's, and a changed notice keeps its
attachments after the source's new sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.notice import Notice
from models.normalise import former_region
from models.schema import ConsiderationRow, LotRow, NoticeRow, utcnow
from models.vocabulary import Origin
from storage.attachments import merged_text, stored_attachments


@dataclass
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    repeated: int = 0  # the same notice again in one batch (two files, two renderings of it): the last one is kept
    changed_ids: list[int] = field(default_factory=list)  # notice ids that are new or updated

    def add(self, other: UpsertCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.repeated += other.repeated
        self.changed_ids.extend(other.changed_ids)

    def as_dict(self) -> dict[str, int]:
        counts = {"new": self.new, "updated": self.updated, "unchanged": self.unchanged}
        if self.repeated:
            counts["repeated"] = self.repeated
        return counts


def notice_values(notice: Notice, content_hash: str) -> dict:
    """The notice table's columns for one item."""
    published = notice.published
    return {
        "source": notice.source,
        "source_id": notice.source_id,
        "content_hash": content_hash,
        "title": notice.title or "",
        "url": notice.url,
        "buyer_name": notice.buyer_name,
        "buyer_siret": notice.buyer_siret,
        "buyer_nuts": notice.buyer_nuts,
        "country": notice.country,
        "department": notice.department,
        "region": notice.region,
        "former_region": former_region(notice),
        "cpv_codes": list(notice.cpv_codes),
        "cpv_division": notice.cpv_codes[0][:2] if notice.cpv_codes else None,
        "procedure": (notice.procedure or None) and notice.procedure[:200],
        "contract_nature": notice.contract_nature,
        "notice_type": notice.notice_type,
        "published": published,
        "year": published.year if published else None,
        "deadline": notice.deadline,
        "language": notice.language,
        "amount": notice.amount,
        "raw_format": notice.raw_format,
        "text": notice.full_text(),
        "sections": [
            {"heading": s.heading, "text": s.text, "kind": s.kind, "lot": s.lot} for s in notice.sections
        ],
    }


def _lot_rows(notice_id: int, notice: Notice) -> list[dict]:
    return [
        {
            "notice_id": notice_id,
            "lot_id": str(lot.lot_id)[:64],
            "title": lot.title or "",
            "description": lot.description or "",
            "cpv_codes": list(lot.cpv_codes),
        }
        for lot in notice.lots
    ]


def _declared_rows(notice_id: int, notice: Notice, now: datetime) -> list[dict]:
    seen: set[tuple] = set()
    rows = []
    for d in notice.declared:
        key = (str(d.dimension), str(d.lever) if d.lever else None, d.evidence, d.lot)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "notice_id": notice_id,
                "dimension": key[0],
                "lever": key[1],
                "origin": Origin.DECLARED.value,
                "confidence": 1.0,
                "evidence": d.evidence,
                "lot_id": d.lot[:64] if isinstance(d.lot, str) else d.lot,
                "stale": False,
                "created_at": now,
            }
        )
    return rows


def _insert_ignoring_conflicts(session: Session, rows: list[dict]) -> dict[tuple[str, str], int]:
    """Insert new notices; a row a concurrent writer inserted first is skipped (it is compared on the next pass)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgresql.insert(NoticeRow).on_conflict_do_nothing(index_elements=["source", "source_id"])
    elif dialect == "sqlite":
        stmt = sqlite.insert(NoticeRow).on_conflict_do_nothing(index_elements=["source", "source_id"])
    else:
        stmt = insert(NoticeRow)
    stmt = stmt.returning(NoticeRow.id, NoticeRow.source, NoticeRow.source_id).execution_options(render_nulls=True)
    result = session.execute(stmt, rows) if len(rows) > 1 else session.execute(stmt.values(rows[0]))
    return {(r.source, r.source_id): r.id for r in result}


def upsert_notices(session: Session, notices: Sequence[Notice], now: datetime | None = None) -> UpsertCounts:
    """Store one batch of (normalised, valid) notices in the session's transaction; returns what happened."""
    now = now or utcnow()
    counts = UpsertCounts()
    latest: dict[tuple[str, str], Notice] = {}
    for notice in notices:  # the last version of a notice repeated within a batch wins
        latest[(notice.source, notice.source_id)] = notice
    counts.repeated = len(notices) - len(latest)
    if not latest:
        return counts
    hashes = {key: n.content_hash() for key, n in latest.items()}
    existing = _stored(session, list(latest))
    fresh = [key for key in latest if key not in existing]
    if fresh:
        rows = []
        for key in fresh:
            values = notice_values(latest[key], hashes[key])
            values.update(first_seen=now, last_seen=now, updated_at=now, needs_tagging=True)
            rows.append(values)
        inserted = _insert_ignoring_conflicts(session, rows)
        lots, declared = [], []
        for key, notice_id in inserted.items():
            lots += _lot_rows(notice_id, latest[key])
            declared += _declared_rows(notice_id, latest[key], now)
        if lots:
            session.execute(insert(LotRow).execution_options(render_nulls=True), lots)
        if declared:
            session.execute(insert(ConsiderationRow).execution_options(render_nulls=True), declared)
        counts.new += len(inserted)
        counts.changed_ids += list(inserted.values())
        raced = [key for key in fresh if key not in inserted]
        if raced:  # inserted meanwhile by another writer: compare as existing
            session.flush()
            counts.add(upsert_notices(session, [latest[k] for k in raced], now))
    seen_today: list[int] = []
    changed = [notice_id for key, (notice_id, old_hash, _) in existing.items() if old_hash != hashes[key]]
    attached = stored_attachments(session, changed)
    for key, (notice_id, old_hash, last_seen) in existing.items():
        if old_hash == hashes[key]:
            counts.unchanged += 1
            if last_seen is None or last_seen.date() < now.date():
                seen_today.append(notice_id)
            continue
        _replace(session, notice_id, latest[key], hashes[key], now, attached.get(notice_id))
        counts.updated += 1
        counts.changed_ids.append(notice_id)
    if seen_today:
        session.execute(update(NoticeRow).where(NoticeRow.id.in_(seen_today)).values(last_seen=now))
    return counts


def _stored(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple]:
    """(id, content hash, last seen) of the stored notices among `keys`, one query per source: `source = s AND
    source_id IN (...)` is an index scan of the unique key on any statistics, where a row-value IN list over both
    columns was planned on PostgreSQL as a scan of the whole source (20x slower on stale statistics, 6x analysed:
    bench/planner_stats.py)."""
    by_source: dict[str, list[str]] = {}
    for source, source_id in keys:
        by_source.setdefault(source, []).append(source_id)
    found = {}
    for source, source_ids in by_source.items():
        rows = session.execute(
            select(NoticeRow.id, NoticeRow.source_id, NoticeRow.content_hash, NoticeRow.last_seen)
            .where(NoticeRow.source == source, NoticeRow.source_id.in_(source_ids))
        )
        found.update({(source, r.source_id): (r.id, r.content_hash, r.last_seen) for r in rows})
    return found


def _replace(session: Session, notice_id: int, notice: Notice, content_hash: str, now: datetime,
             attachments: list[dict] | None = None) -> None:
    """Update a changed notice: new fields, lots and declared considerations; detected ones marked for re-tagging;
    its attached documents kept (after the source's new text)."""
    values = notice_values(notice, content_hash)
    if attachments:
        values["text"] = merged_text(values["text"], attachments)
    values.update(last_seen=now, updated_at=now, needs_tagging=True)
    session.execute(update(NoticeRow).where(NoticeRow.id == notice_id).values(**values))
    session.execute(delete(LotRow).where(LotRow.notice_id == notice_id))
    session.execute(
        delete(ConsiderationRow).where(
            ConsiderationRow.notice_id == notice_id, ConsiderationRow.origin == Origin.DECLARED.value
        )
    )
    session.execute(
        update(ConsiderationRow)
        .where(ConsiderationRow.notice_id == notice_id, ConsiderationRow.origin == Origin.DETECTED.value)
        .values(stale=True)
    )
    lots = _lot_rows(notice_id, notice)
    if lots:
        session.execute(insert(LotRow), lots)
    declared = _declared_rows(notice_id, notice, now)
    if declared:
        session.execute(insert(ConsiderationRow), declared)


def batched(items: Iterable, size: int) -> Iterable[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
