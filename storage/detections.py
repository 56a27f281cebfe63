"""Detected considerations in the store: which notices wait for tagging, and writing a batch's detections."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from models.schema import ClauseRow, ConsiderationRow, NoticeRow, PictogramRow, utcnow
from models.vocabulary import Origin
from storage.id_filters import in_ids

# The tables a re-tag rewrites, analysed as it grows them (storage.planner_stats).
REWRITTEN = (NoticeRow, ClauseRow, ConsiderationRow, PictogramRow)


def _pending_filter(version: str, everything: bool):
    """Notices to tag (a quarantined notice never is: `tenderwatch notices --release` queues it again)."""
    if everything:
        pending = NoticeRow.tagged_version.is_distinct_from(version) | NoticeRow.needs_tagging.is_(True)
    else:
        pending = or_(NoticeRow.needs_tagging.is_(True), NoticeRow.tagged_version.is_(None))
    return pending & NoticeRow.quarantined_at.is_(None)


def count_pending(session: Session, version: str, everything: bool = False) -> int:
    return session.scalar(select(func.count()).select_from(NoticeRow).where(_pending_filter(version, everything))) or 0


def write_detections(session: Session, notice_ids: list[int], detections: list[list], version: str) -> int:
    """Replace the detected considerations (and their clauses) of these notices; manual and declared stay.

    The notices' rows are locked first (in id order, so two writers never deadlock): two re-tags of the same
    notices at once (two `classify --all`) then follow each other, the second replacing the first's rows, where
    both would otherwise delete the rows they could see and insert their own beside the other's (PostgreSQL, read
    committed). SQLite takes its one write lock anyway."""
    lock_notices(session, notice_ids)
    session.execute(
        delete(ConsiderationRow).where(
            in_ids(ConsiderationRow.notice_id, notice_ids), ConsiderationRow.origin == Origin.DETECTED.value
        )
    )
    session.execute(delete(ClauseRow).where(in_ids(ClauseRow.notice_id, notice_ids)))
    now = utcnow()
    found = [(notice_id, det) for notice_id, dets in zip(notice_ids, detections) for det in dets]
    if found:  # clauses (returning their ids in order), then considerations: one INSERT each on PostgreSQL; NULLs
        # rendered so that rows with and without a section are not split into separate statements
        clause_ids = session.scalars(
            insert(ClauseRow)
            .returning(ClauseRow.id, sort_by_parameter_order=True)
            .execution_options(render_nulls=True),
            [
                {"notice_id": notice_id, "section_heading": det.section, "text": det.evidence, "start": det.start,
                 "end": det.end}
                for notice_id, det in found
            ],
        ).all()
        session.execute(
            insert(ConsiderationRow).execution_options(render_nulls=True),
            [
                {"notice_id": notice_id, "clause_id": clause_id, "dimension": str(det.dimension),
                 "lever": str(det.lever), "origin": Origin.DETECTED.value, "confidence": float(det.confidence),
                 "evidence": det.evidence, "start": det.start, "end": det.end, "section": det.section,
                 "classifier_version": version, "stale": False, "created_at": now}
                for (notice_id, det), clause_id in zip(found, clause_ids)
            ],
        )
    written = len(found)
    session.execute(
        update(NoticeRow).where(in_ids(NoticeRow.id, notice_ids)).values(needs_tagging=False, tagged_version=version)
    )
    return written


def lock_notices(session: Session, notice_ids: list[int]) -> None:
    """Hold the row locks of these notices until the transaction ends (SELECT ... FOR UPDATE; nothing on SQLite)."""
    if notice_ids and session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(NoticeRow.id).where(in_ids(NoticeRow.id, notice_ids)).order_by(NoticeRow.id).with_for_update()
        ).all()


def pending_batches(store, version: str, everything: bool, batch: int) -> Iterator[list]:
    """Pending notices by increasing id; each batch is read in its own short transaction."""
    last_id = 0
    while True:
        with store.session() as session:
            rows = session.execute(
                select(NoticeRow.id, NoticeRow.title, NoticeRow.text, NoticeRow.sections, NoticeRow.attachments,
                       NoticeRow.cpv_codes)
                .where(NoticeRow.id > last_id, _pending_filter(version, everything))
                .order_by(NoticeRow.id)
                .limit(batch)
            ).all()
        if not rows:
            return
        last_id = rows[-1].id
        yield rows
