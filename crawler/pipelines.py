"""Item pipelines: validate and normalise (drop with a counted reason), then store in batched idempotent upserts.

The store is reached through the workflow layer only (`workflow.ingest.Ingest`). When the spider closes, the
crawl_run row gets its counts and status, and the new and changed notices are tagged and their pictograms
regenerated (TENDERWATCH_TAG_AFTER_CRAWL).
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import CloseSpider, DropItem

from models.notice import Notice
from models.normalise import InvalidNotice, normalise, validate
from workflow.ingest import Ingest
from models import config

logger = logging.getLogger(__name__)


class ValidatePipeline:
    """Drop what cannot be stored, counting each reason under tenderwatch/dropped/<reason>."""

    def __init__(self, crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        try:
            return normalise(validate(item))
        except (InvalidNotice, ValueError, TypeError) as exc:
            reason = type(exc).__name__ if not isinstance(exc, InvalidNotice) else "invalid"
            self.stats.inc_value(f"tenderwatch/dropped/{reason}")
            logger.warning("dropped notice: %s", exc)
            raise DropItem(str(exc)) from None


class StorePipeline:
    """Batched idempotent upsert into the store; records the crawl_run."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.url = config.database_url(settings.get("TENDERWATCH_DATABASE_URL") or None)
        self.batch_size = settings.getint("TENDERWATCH_BATCH_SIZE", 500)
        self.tag_after = settings.getbool("TENDERWATCH_TAG_AFTER_CRAWL", True)
        self.ingest: Ingest | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def spider_opened(self, spider):
        """Open the crawl_run once the spider's window is known: on `spider_opened`, after the IncrementalSince
        extension has set `since` (extensions are built, and connected, before the engine builds the pipelines;
        receivers are called in the order they connected). A store that cannot be opened stops the crawl."""
        try:
            self.ingest = Ingest.open(
                self.url,
                run_name=getattr(spider, "run_name", spider.name),
                arguments=getattr(spider, "run_arguments", {}),
                since=getattr(spider, "since_or_default", getattr(spider, "since", None)),
                until=getattr(spider, "until", None),
                batch_size=self.batch_size,
                log_path=self.crawler.settings.get("LOG_FILE") or None,
            )
        except Exception as exc:
            logger.error("cannot open the store to record the run: %s", exc, exc_info=True)
            raise CloseSpider("store unavailable") from exc

    def process_item(self, item, spider=None):
        if isinstance(item, Notice):
            self.ingest.add(item)
            self.crawler.stats.inc_value("tenderwatch/stored_items")
        return item

    def close_spider(self, spider=None):
        """Write the last batch now; the run is closed on `spider_closed`, which knows why the crawl ended."""
        if self.ingest is not None:
            self.ingest.flush()

    def spider_closed(self, spider, reason):
        """Close the run. It succeeded only if the crawl finished and no request was given up after its retries:
        otherwise the next incremental run starts from the last successful one and covers the window again.
        (A malformed notice does not fail a run: it is counted, and would fail every run again.)"""
        if self.ingest is None:
            return
        stats = self.crawler.stats.get_stats()
        self.ingest.finish(
            succeeded=reason == "finished" and not stats.get("retry/max_reached"),
            interrupted=reason in ("shutdown", "cancelled", "sample reached"),
            extra_counts=crawl_counts(stats),
            errors=crawl_errors(stats),
            tag=self.tag_after,
        )


def crawl_counts(stats: dict) -> dict:
    counts = {
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "seen": stats.get("tenderwatch/seen", 0),
        "dropped": sum(v for k, v in stats.items() if k.startswith("tenderwatch/dropped/")),
        "skipped": sum(v for k, v in stats.items() if k.startswith("tenderwatch/skipped/")),
    }
    return counts


def crawl_errors(stats: dict) -> dict:
    """Errors by kind: parse errors, dropped notices, HTTP statuses given up, download exceptions."""
    errors: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("tenderwatch/errors/") or key.startswith("tenderwatch/dropped/"):
            errors[key.removeprefix("tenderwatch/")] = value
        elif key.startswith("httperror/response_ignored_status_count/"):
            errors["http/" + key.rsplit("/", 1)[1]] = value
        elif key.startswith("retry/max_reached"):
            errors["retry/max_reached"] = value
        elif key.startswith("downloader/exception_type_count/"):
            errors["download/" + key.rsplit("/", 1)[1].rsplit(".", 1)[-1]] = value
    return errors
