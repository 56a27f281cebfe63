"""(Re)tag stored notices in committed batches: streaming, resumable, manual decisions untouched."""

from __future__ import annotations

import multiprocessing
import signal
from dataclasses import dataclass
from collections.abc import Callable, Iterator

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from crawler.items import Section
from models.schema import ClauseRow, ConsiderationRow, NoticeRow, PictogramRow, utcnow
from models.vocabulary import Origin
from storage.id_filters import in_ids
from storage.pictograms import regenerate_pictograms
from storage.planner_stats import GrowthAnalyzer

BATCH = 200
# The tables a re-tag rewrites, analysed as it grows them (storage.planner_stats).
REWRITTEN = (NoticeRow, ClauseRow, ConsiderationRow, PictogramRow)


@dataclass
class RetagCounts:
    tagged: int = 0
    considerations: int = 0
    pictograms: int = 0


def _pending_filter(version: str, everything: bool):
    if everything:
        return NoticeRow.tagged_version.is_distinct_from(version) | NoticeRow.needs_tagging.is_(True)
    return or_(NoticeRow.needs_tagging.is_(True), NoticeRow.tagged_version.is_(None))


def count_pending(session: Session, version: str, everything: bool = False) -> int:
    return session.scalar(select(func.count()).select_from(NoticeRow).where(_pending_filter(version, everything))) or 0


def _documents(rows) -> list:
    from classifier import Document

    return [
        Document(
            id=str(r.id),
            text=r.text or "",
            title=r.title or "",
            sections=[Section(**s) for s in (r.sections or [])],
        )
        for r in rows
    ]


_WORKER_CLASSIFIER = None


def _worker_init(factory: Callable[[], object] | None = None) -> None:
    """A worker loads its own classifier and ignores SIGINT: Ctrl-C in a terminal reaches every process of the
    group, and it is the main process's to stop the pool; a worker killed by SIGINT mid-task would be replaced by
    the pool and its task's result awaited for ever."""
    global _WORKER_CLASSIFIER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if factory is None:
        from classifier import load_classifier

        factory = load_classifier
    _WORKER_CLASSIFIER = factory()


def _worker_classify(docs: list) -> list:
    return [list(d) for d in _WORKER_CLASSIFIER.classify_many(docs)]


def write_detections(session: Session, notice_ids: list[int], detections: list[list], version: str) -> int:
    """Replace the detected considerations (and their clauses) of these notices; manual and declared stay."""
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


def _batches(store, version: str, everything: bool, batch: int) -> Iterator[list]:
    """Pending notices by increasing id; each batch is read in its own short transaction."""
    last_id = 0
    while True:
        with store.session() as session:
            rows = session.execute(
                select(NoticeRow.id, NoticeRow.title, NoticeRow.text, NoticeRow.sections)
                .where(NoticeRow.id > last_id, _pending_filter(version, everything))
                .order_by(NoticeRow.id)
                .limit(batch)
            ).all()
        if not rows:
            return
        last_id = rows[-1].id
        yield rows


def retag(
    store,
    classifier,
    threshold: float,
    *,
    everything: bool = False,
    jobs: int = 1,
    batch: int | None = None,
    progress: Callable[[int], None] | None = None,
    worker_classifier: Callable[[], object] | None = None,
) -> RetagCounts:
    """Tag pending notices (or all of another version with `everything`), committing batch by batch.

    With jobs > 1, `jobs` worker processes classify (each builds its classifier with `worker_classifier`, by
    default the shipped one: the version written is `classifier.version`, so both must be the same model).
    An interruption (Ctrl-C, an error) stops the workers at once and loses only the work of the batches in progress
    (each batch is committed whole or not at all): the next run picks up the notices still pending.
    """
    counts = RetagCounts()
    statistics = GrowthAnalyzer(store, REWRITTEN)
    pool = None
    if jobs > 1:
        pool = multiprocessing.get_context("spawn").Pool(jobs, initializer=_worker_init, initargs=(worker_classifier,))
    try:
        batches = _batches(store, classifier.version, everything, batch or BATCH)
        if pool:
            chunks = ((rows, _documents(rows)) for rows in batches)
            results = pool.imap(_worker_classify_pair, chunks, chunksize=1)
        else:
            results = ((rows, [list(d) for d in classifier.classify_many(_documents(rows))]) for rows in batches)
        for rows, detections in results:
            ids = [r.id for r in rows]
            with store.session() as session:
                counts.considerations += write_detections(session, ids, detections, classifier.version)
                counts.pictograms += regenerate_pictograms(session, ids, threshold)
            counts.tagged += len(ids)
            statistics.wrote(counts.tagged)
            if progress:
                progress(len(ids))
    except BaseException:
        if pool:  # close() would let the pool's feeder read and classify every remaining notice first
            pool.terminate()
            pool.join()
        raise
    if pool:
        pool.close()
        pool.join()
    statistics.finish(counts.tagged)
    return counts


def _worker_classify_pair(pair: tuple) -> tuple:
    rows, docs = pair
    return [_Row(r.id) for r in rows], _worker_classify(docs)


@dataclass
class _Row:
    id: int
