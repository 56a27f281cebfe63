"""Run one spider in this process (Scrapy's reactor runs once per process: the scheduler uses subprocesses)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from crawler.spiders.base import SpiderArgumentError


def project_settings(db_url: str, overrides: dict | None = None) -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("TENDERWATCH_DATABASE_URL", db_url, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def spider_names() -> list[str]:
    return sorted(SpiderLoader.from_settings(project_settings("sqlite://")).list())


def spider_class(name: str):
    loader = SpiderLoader.from_settings(project_settings("sqlite://"))
    try:
        return loader.load(name)
    except KeyError:
        raise SpiderArgumentError(f"unknown spider {name!r}; spiders: {', '.join(sorted(loader.list()))}") from None


def check_arguments(name: str, arguments: dict) -> None:
    """Instantiate the spider once to validate its arguments before anything is fetched or written."""
    spider_class(name)(**arguments)


@dataclass
class CrawlResult:
    finish_reason: str
    stats: dict


def run_crawl(db_url: str, name: str, arguments: dict, overrides: dict | None = None) -> CrawlResult:
    """Crawl `name` with `arguments` into the store at `db_url`; blocks until the crawl ends."""
    check_arguments(name, arguments)
    process = CrawlerProcess(project_settings(db_url, overrides))
    quiet = OneLineNetworkErrors()

    def quieten() -> None:  # once Scrapy has installed its log handler (when the crawl starts)
        for handler in logging.getLogger().handlers:
            handler.addFilter(quiet)

    crawler = process.create_crawler(spider_class(name))
    crawler.signals.connect(quieten, signal=signals.engine_started)
    process.crawl(crawler, **arguments)
    try:
        process.start()
    finally:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(quiet)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return CrawlResult(str(stats.get("finish_reason", "unknown")), stats)


#: Download failures whose message says it all (connection refused, unknown host, timeout, connection lost...).
NETWORK_MODULES = ("twisted.internet.error", "twisted.web._newclient")
NETWORK_ERRORS = ("DownloadConnectionRefusedError", "CannotResolveHostError", "DownloadTimeoutError",
                  "DownloadCancelledError", "DownloadFailedError", "ResponseDataLossError")


def network_error(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) is a download failure of the network, not a bug."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__name__ in NETWORK_ERRORS or type(exc).__module__.startswith(NETWORK_MODULES):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class OneLineNetworkErrors(logging.Filter):
    """A refused connection or a timeout is logged on its one line (the run counts it under errors), without
    the traceback Scrapy attaches: tracebacks are kept for what is a bug."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and network_error(record.exc_info[1]):
            reason = str(record.exc_info[1])
            message = record.getMessage()
            if reason and reason not in message:
                record.msg, record.args = f"{message}: {reason}", ()
            record.exc_info = None
            record.exc_text = None
        return True


POLITENESS_OFF = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "RETRY_BACKOFF_BASE": 0.05,
    "RETRY_BACKOFF_MAX": 0.5,
}
