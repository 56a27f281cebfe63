"""(Re)tag stored notices in committed batches: streaming, resumable, manual decisions untouched."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from dataclasses import dataclass

from storage.attachments import reading_sections
from storage.detections import REWRITTEN, count_pending, pending_batches, write_detections
from storage.pictograms import regenerate_pictograms
from storage.planner_stats import GrowthAnalyzer

__all__ = ["BATCH", "RetagCounts", "count_pending", "retag", "write_detections"]

BATCH = 200


@dataclass
class RetagCounts:
    tagged: int = 0
    considerations: int = 0
    pictograms: int = 0


def _documents(rows) -> list:
    from classifier import Document

    return [
        Document(
            id=str(r.id),
            text=r.text or "",
            title=r.title or "",
            sections=reading_sections(r.sections, getattr(r, "attachments", None)),
            cpv_codes=list(getattr(r, "cpv_codes", None) or []),
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
        batches = pending_batches(store, classifier.version, everything, batch or BATCH)
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
