"""One ingestion (a crawl or an import): batched upserts, a crawl_run row, then tagging of what changed."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import OperationalError, StatementError

from models.notice import Notice
from models.schema import ConsiderationRow, LotRow, NoticeRow
from storage import runs
from storage.attachments import attach_document
from storage.engine import Store
from storage.notices import find_notice
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
        self.closed = False
        _OPEN.add(self)

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

    def attach(self, ref: str, document: Notice) -> bool:
        """Attach a document (its one section) to the stored notice `ref` (SOURCE:ID), apart from what the source
        publishes (storage/attachments.py); counted as updated or unchanged. Whether it changed the notice."""
        if not document.sections:
            raise ValueError("nothing to attach: the file has no section of text")
        self.flush()
        with self.store.session() as session:
            row = find_notice(session, ref)
            changed = attach_document(session, row, document.sections[0])
        if changed:
            self.counts.updated += 1
            self.counts.changed_ids.append(row.id)
        else:
            self.counts.unchanged += 1
        return changed

    def flush(self) -> None:
        """Write the buffered notices in one transaction. A batch the database refuses (a value PostgreSQL will not
        store) is written again notice by notice, each in its own transaction: the bad ones are counted as
        failed (`store`) and skipped, the others stored. A database that cannot be reached or is locked stops the
        ingestion (OperationalError): retrying row by row would only wait longer."""
        if not self.buffer:
            return
        buffer, self.buffer = self.buffer, []
        try:
            with self.store.session() as session:
                batch = upsert_notices(session, buffer)
                linked = link_batch(session, buffer, batch.changed_ids)
            self.relinked += linked  # once the transaction is committed
        except OperationalError:
            raise
        except StatementError:  # a DBAPI error, or a value the driver could not even send
            logger.warning("a batch of %d notices was refused by the database: writing them one by one", len(buffer))
            batch = self._one_by_one(buffer)
        self.counts.add(batch)
        self.statistics.wrote(self.counts.new + self.counts.updated)

    def _one_by_one(self, notices: list[Notice]) -> UpsertCounts:
        counts = UpsertCounts()
        for notice in notices:
            try:
                with self.store.session() as session:
                    one = upsert_notices(session, [notice])
                    linked = link_batch(session, [notice], one.changed_ids)
                counts.add(one)
                self.relinked += linked
            except OperationalError:
                raise
            except StatementError as exc:
                reason = str(getattr(exc, "orig", exc) or exc).strip().splitlines()[0]
                self.fail("store", f"{notice.source}:{notice.source_id}: refused by the database: {reason}"[:500])
        return counts

    def finish(self, succeeded: bool = True, interrupted: bool = False, extra_counts: dict | None = None,
               errors: dict | None = None, tag: bool = True) -> IngestSummary:
        """Write the last batch, tag and regenerate pictograms, and close the crawl_run row. A run where every
        notice failed and none was stored is failed, whatever `succeeded` says."""
        status = runs.SUCCEEDED if succeeded else (runs.INTERRUPTED if interrupted else runs.FAILED)
        counts = {**(extra_counts or {}), **self.counts.as_dict(), "failed": sum(self.failures.values())}
        try:
            self.flush()
            self.statistics.finish(self.counts.new + self.counts.updated)
            counts.update(self.counts.as_dict(), failed=sum(self.failures.values()))
            if status == runs.SUCCEEDED and self.failures and not any(self.counts.as_dict().values()):
                status = runs.FAILED
            if tag:
                counts.update(tag_pending(self.store))
            elif self.counts.changed_ids:
                with self.store.session() as session:
                    regenerate_pictograms(session, self.counts.changed_ids, config.detection_threshold())
        except BaseException as exc:
            status = runs.INTERRUPTED if isinstance(exc, KeyboardInterrupt) else runs.FAILED
            all_errors = {**self._failure_errors(), **(errors or {}), "store": f"{type(exc).__name__}: {exc}"[:500]}
            self._close(status, counts, all_errors)
            raise
        all_errors = {**self._failure_errors(), **(errors or {})}
        self._close(status, counts, all_errors)
        return IngestSummary(self.run_id, status, counts, all_errors)

    def _failure_errors(self) -> dict:
        return {f"errors/{k}": v for k, v in self.failures.items()}

    def abort(self, status: str, reason: str) -> None:
        """Close the run as `status` (failed, interrupted) with `reason`, keeping what was counted; the buffered
        notices are not written. For the CLI boundary, when a command stops on an exception or Ctrl-C."""
        if self.closed:
            return
        counts = {**self.counts.as_dict(), "failed": sum(self.failures.values())}
        errors = {**self._failure_errors(), "stopped": reason[:500]}
        self._close(status, counts, errors)

    def _close(self, status: str, counts: dict, errors: dict) -> None:
        self.closed = True
        _OPEN.discard(self)
        runs.finish_run(self.store, self.run_id, status, counts, errors)


#: The ingestions of this process whose run is still open (closed by `close_open_runs` when a command fails).
_OPEN: set[Ingest] = set()


def close_open_runs(status: str, reason: str) -> list[int]:
    """Close every run this process left open as `status` with `reason` (a command stopped by an exception or
    Ctrl-C); the ids of those it could close. A store that refuses even that (still locked) leaves the run open:
    `tenderwatch runs` shows it, and the scheduler marks it failed once this process is gone."""
    closed = []
    for ingest in list(_OPEN):
        try:
            ingest.abort(status, reason)
            closed.append(ingest.run_id)
        except Exception as exc:
            logger.warning("run %s could not be closed: %s", ingest.run_id, exc)
            _OPEN.discard(ingest)
    return closed


def tag_pending(store, jobs: int = 1, progress=None) -> dict:
    """Tag every notice waiting for it with the current classifier and regenerate their pictograms."""
    from classifier import load_classifier
    from workflow.retag import retag

    result = retag(store, load_classifier(), config.detection_threshold(), jobs=jobs, progress=progress)
    return {"tagged": result.tagged, "detected": result.considerations}
