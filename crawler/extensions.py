"""Scrapy extensions: the crawler's hooks into the store, reached through the workflow layer (spiders know no store)."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured

from models import config
from workflow.incremental import last_success_date

logger = logging.getLogger(__name__)


class IncrementalSince:
    """Starts a spider where its last successful run started: sets `spider.since` on `spider_opened` when no
    `since` was given, to the start date of the last successful run of `spider.run_name` in the store
    (TENDERWATCH_DATABASE_URL, else the CLI's default). With no such run, `since` stays None and the spider falls
    back to its own `default_since_days`. Off (NotConfigured) when TENDERWATCH_INCREMENTAL is false.

    Timing, checked in Scrapy 2.19's scrapy/core/engine.py: `ExecutionEngine.open_spider_async` calls
    `spider.start()` through `self.scraper.spidermw.process_start()` (line 564), which only creates the asynchronous
    generator, opens the item pipelines (line 569), then sends `spider_opened` (line 584); the generator's body
    first runs at `anext(self._start)` in `_process_start_next` (line 284), reached from `start_async`, which
    `Crawler.crawl` awaits only after `open_spider_async` has returned (scrapy/crawler.py, lines 281-285). So
    `since` is set before `start()` runs a line. Item pipelines are opened before this signal: the StorePipeline
    opens its crawl_run on `spider_opened` too, after this handler (extensions are built and connected in
    `Crawler._apply_settings`, before `_create_engine` builds the pipelines), and so records the `since` set here.
    A store that cannot be read stops the crawl (CloseSpider) rather than guess a window.
    """

    def __init__(self, database_url: str):
        self.database_url = database_url

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("TENDERWATCH_INCREMENTAL", True):
            raise NotConfigured("TENDERWATCH_INCREMENTAL is off")
        extension = cls(config.database_url(settings.get("TENDERWATCH_DATABASE_URL") or None))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider):
        run_name = getattr(spider, "run_name", None)
        if run_name is None or getattr(spider, "since", None) is not None:
            return  # not one of ours, or given a since
        try:
            spider.since = last_success_date(self.database_url, run_name)
        except Exception as exc:
            logger.error("cannot read the last successful run of %s: %s", run_name, exc)
            raise CloseSpider("store unavailable") from exc
        if spider.since is not None:
            logger.info("incremental: %s starts at its last successful run, %s", run_name, spider.since)
