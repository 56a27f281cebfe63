"""Run one spider in this process (Scrapy's reactor runs once per process: the scheduler uses subprocesses)."""

from __future__ import annotations

import os
from dataclasses import dataclass

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
    crawler = process.create_crawler(spider_class(name))
    process.crawl(crawler, **arguments)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return CrawlResult(str(stats.get("finish_reason", "unknown")), stats)


POLITENESS_OFF = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "RETRY_BACKOFF_BASE": 0.05,
    "RETRY_BACKOFF_MAX": 0.5,
}
