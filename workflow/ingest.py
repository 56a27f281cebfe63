"""One ingestion (a crawl or an import): batched upserts, a crawl_run row, then tagging of what changed."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from models.notice import Notice
from models.schema import ConsiderationRow, LotRow, NoticeRow
from storage import runs
from storage.engine import Store
from storage.pictograms import regenerate_pictograms
from storage.procedures import link_batch
from storage.planner_stats import GrowthAnalyzer
from storage.upsert import UpsertCounts, upsert_notices
from models import config

logger = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    run_id: int | None
    status: str
    counts: dict
    errors: dict = field(default_factory=dict)


class Ingest:
    """Collects notices and writes them `batch_size` at a time, one transaction per batch (so a crash loses at
    most the batch in progress, and a re-run resumes: what was stored is unchanged and writes nothing)."""

    def __init__(self, store, run_name: str, arguments: dict | None = None, since: date | None = None,
                 until: date | None = None, batch_size: int = 500, log_path: str | None = None):
        self.store = store
        self.batch_size = batch_size
        self.buffer: list[Notice] = []
        self.counts = UpsertCounts()
        self.failures: Counter[str] = Counter()
        self.relinked = 0  # notices whose procedure changed (storage/procedures.py)
        self.run_id = runs.start_run(store, run_name, arguments or {}, since, until, log_path)
        self.statistics = GrowthAnalyzer(store, (NoticeRow, LotRow, ConsiderationRow))

    @classmethod
    def open(cls, database_url: str, run_name: str, **kwargs) -> Ingest:
        """An ingestion into the store at `database_url` (its schema brought up to date first): for callers above
        the workflow layer, which know a URL and no store."""
        return cls(Store(database_url), run_name, **kwargs)

    def add(self, notice: Notice) -> None:
        self.buffer.append(notice)
        if len(self.buffer) >= self.batch_size:
            self.flush()

    def fail(self, kind: str, message: str) -> None:
        """Count a notice that could not be read; the ingestion goes on."""
        self.failures[kind] += 1
        logger.warning("%s: %s", kind, message)

    def flush(self) -> None:
        if not self.buffer:
            return
        with self.store.session() as session:
            batch = upsert_notices(session, self.buffer)
            self.relinked += link_batch(session, self.buffer, batch.changed_ids)
        self.counts.add(batch)
        self.buffer = []
        self.statistics.wrote(self.counts.new + self.counts.updated)

    def finish(self, succeeded: bool = True, interrupted: bool = False, extra_counts: dict | None = None,
               errors: dict | None = None, tag: bool = True) -> IngestSummary:
        """Write the last batch, tag and regenerate pictograms, and close the crawl_run row."""
        status = runs.SUCCEEDED if succeeded else (runs.INTERRUPTED if interrupted else runs.FAILED)
        all_errors = {**{f"errors/{k}": v for k, v in self.failures.items()}, **(errors or {})}
        counts = {**(extra_counts or {}), **self.counts.as_dict(), "failed": sum(self.failures.values())}
        try:
            self.flush()
            self.statistics.finish(self.counts.new + self.counts.updated)
            counts.update(self.counts.as_dict())
            if tag:
                counts.update(tag_pending(self.store))
            elif self.counts.changed_ids:
                with self.store.session() as session:
                    regenerate_pictograms(session, self.counts.changed_ids, config.detection_threshold())
        except Exception as exc:
            status = runs.FAILED
            all_errors["store"] = f"{type(exc).__name__}: {exc}"[:500]
            runs.finish_run(self.store, self.run_id, status, counts, all_errors)
            raise
        runs.finish_run(self.store, self.run_id, status, counts, all_errors)
        return IngestSummary(self.run_id, status, counts, all_errors)


def tag_pending(store, jobs: int = 1, progress=None) -> dict:
    """Tag every notice waiting for it with the current classifier and regenerate their pictograms."""
    from classifier import load_classifier
    from workflow.retag import retag

    result = retag(store, load_classifier(), config.detection_threshold(), jobs=jobs, progress=progress)
    return {"tagged": result.tagged, "detected": result.considerations}
