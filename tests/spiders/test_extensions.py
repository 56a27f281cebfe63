"""The incremental extension in process, on a temporary SQLite store: a spider given no since starts at its last
successful run; a given since is left alone; TENDERWATCH_INCREMENTAL=False turns the extension off. Then the store
pipeline, opened on the same signal after it, records that since in the new run."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from sqlalchemy import update

from crawler.extensions import IncrementalSince
from crawler.pipelines import StorePipeline
from crawler.spiders.boamp import BoampSpider
from crawler.spiders.ted import TedSpider
from models.schema import CrawlRunRow
from storage import runs
from storage.engine import Store

UNUSABLE = "oracle://nobody@nowhere/x"  # any use of the store raises


def add_run(store: Store, spider: str, status: str, started: datetime) -> None:
    run_id = runs.start_run(store, spider, {})
    runs.finish_run(store, run_id, status, {}, {})
    with store.session() as session:
        session.execute(update(CrawlRunRow).where(CrawlRunRow.id == run_id).values(started_at=started))


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('incremental') / 'store.sqlite'}"
    store = Store(url)
    add_run(store, "boamp", runs.SUCCEEDED, datetime(2025, 5, 4, 22, 30))
    add_run(store, "boamp", runs.FAILED, datetime(2025, 5, 10, 3, 0))  # failed: its window is covered again
    add_run(store, "ted", runs.SUCCEEDED, datetime(2025, 5, 20, 3, 0))
    add_run(store, "ted:nuts=FRI12", runs.SUCCEEDED, datetime(2025, 5, 12, 3, 0))
    store.dispose()
    return url


def crawler_for(spidercls, db_url: str, **settings):
    """A crawler on the store at `db_url` (LogStats off: its spider_opened needs a running loop)."""
    return get_crawler(spidercls, {"TENDERWATCH_DATABASE_URL": db_url, "LOGSTATS_INTERVAL": 0, **settings})


def opened(spidercls, db_url: str, **arguments):
    """A spider built on a crawler with the extension enabled, after `spider_opened` was sent."""
    crawler = crawler_for(spidercls, db_url, EXTENSIONS={IncrementalSince: 100})
    spider = crawler._create_spider(**arguments)
    crawler.signals.send_catch_log(signals.spider_opened, spider=spider)
    return spider


def test_since_is_the_start_of_the_last_successful_run(db_url):
    assert opened(BoampSpider, db_url).since == date(2025, 5, 4)


def test_the_run_name_is_looked_up(db_url):
    assert opened(TedSpider, db_url).since == date(2025, 5, 20)
    assert opened(TedSpider, db_url, nuts="FRI12").since == date(2025, 5, 12)


def test_without_a_successful_run_since_stays_unset(db_url):
    spider = opened(TedSpider, db_url, nuts="FRK26")
    assert spider.since is None  # the spider falls back on default_since_days


def test_a_given_since_is_left_alone_and_the_store_not_opened():
    spider = crawler_for(BoampSpider, UNUSABLE)._create_spider(since="2025-01-02")
    IncrementalSince(UNUSABLE).spider_opened(spider)  # opening the store would raise CloseSpider
    assert spider.since == date(2025, 1, 2)


def test_an_unusable_store_stops_the_crawl():
    crawler = crawler_for(BoampSpider, UNUSABLE)
    extension = IncrementalSince.from_crawler(crawler)
    with pytest.raises(CloseSpider) as stopped:
        extension.spider_opened(crawler._create_spider())
    assert stopped.value.reason == "store unavailable"


def test_tenderwatch_incremental_false_turns_it_off():
    crawler = crawler_for(BoampSpider, UNUSABLE, TENDERWATCH_INCREMENTAL=False)
    with pytest.raises(NotConfigured):
        IncrementalSince.from_crawler(crawler)


@pytest.mark.parametrize("incremental, enabled", [(True, True), (False, False)])
def test_the_project_settings_enable_it(incremental, enabled):
    project = Settings()
    project.setmodule("crawler.settings")
    crawler = get_crawler(BoampSpider, {"EXTENSIONS": project["EXTENSIONS"], "TENDERWATCH_INCREMENTAL": incremental})
    assert any(isinstance(e, IncrementalSince) for e in crawler.extensions.middlewares) is enabled


def test_the_store_pipeline_records_the_since_set_before_it(db_url):
    crawler = crawler_for(BoampSpider, db_url, EXTENSIONS={IncrementalSince: 100})
    pipeline = StorePipeline.from_crawler(crawler)  # built after the extensions, as the engine builds it
    crawler.signals.send_catch_log(signals.spider_opened, spider=crawler._create_spider())
    pipeline.ingest.store.dispose()
    store = Store(db_url)
    with store.session() as session:
        run = session.get(CrawlRunRow, pipeline.ingest.run_id)
    store.dispose()
    assert (run.spider, run.status, run.since) == ("boamp", runs.RUNNING, date(2025, 5, 4))  # never a last success


def test_the_store_pipeline_stops_the_crawl_when_the_store_cannot_be_opened():
    pipeline = StorePipeline.from_crawler(crawler_for(BoampSpider, UNUSABLE))
    with pytest.raises(CloseSpider) as stopped:
        pipeline.spider_opened(pipeline.crawler._create_spider())
    assert stopped.value.reason == "store unavailable"
