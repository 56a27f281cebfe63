"""What every spider shares, in process: arguments checked when the spider is built, `-a sample=N`, `base_url`
rebasing, and the window of a spider given no since (with no store behind it)."""

from __future__ import annotations

from datetime import date
from urllib.parse import unquote_plus

import pytest
from freezegun import freeze_time
from scrapy.exceptions import CloseSpider

from crawler.spiders.atexo import AtexoSpider
from crawler.spiders.base import SpiderArgumentError, rebase
from crawler.spiders.boamp import BoampSpider
from crawler.spiders.decp import DecpSpider
from crawler.spiders.ted import TedSpider
from tests.spiders.saved_pages import build, notices_of, respond, saved, saved_json, start


@pytest.mark.parametrize("spidercls, arguments, message", [
    (BoampSpider, {"since": "01/06/2025"}, "since='01/06/2025' is not a date"),
    (BoampSpider, {"until": "2025-02-30"}, "until='2025-02-30' is not a date"),
    (BoampSpider, {"since": "2025-06-30", "until": "2025-06-01"}, "is after until"),
    (BoampSpider, {"sample": "ten"}, "sample='ten' is not a whole number"),
    (BoampSpider, {"base_url": "http://"}, "is not a URL"),
    (BoampSpider, {"page_size": "0"}, "page_size='0' must be above zero"),
    (BoampSpider, {"max_offset": "deep"}, "max_offset='deep' is not a whole number"),
    (TedSpider, {"department": "33"}, "narrow by NUTS code instead"),
    (TedSpider, {"nuts": "Gironde"}, "GIRONDE is not a NUTS code"),
    (DecpSpider, {"max_file_size": "big"}, "max_file_size='big' is not a whole number"),
    (AtexoSpider, {}, "platform is required"),
])
def test_a_bad_argument_stops_the_spider_before_any_request(spidercls, arguments, message):
    with pytest.raises(SpiderArgumentError, match=message):
        build(spidercls, **arguments)


def test_sample_stops_the_crawl_after_n_notices():
    spider = build(BoampSpider, since="2025-06-01", until="2025-06-08", sample="1")
    callback = spider.parse_page(respond(start(spider)[0], saved_json("boamp_records_page.json")))
    assert next(callback).source_id == "25-41001"
    with pytest.raises(CloseSpider) as stopped:
        next(callback)
    assert stopped.value.reason == "sample reached"


def test_sample_counts_notices_not_files():
    spider = build(DecpSpider, since="2025-01-01", until="2025-12-31", sample="2")
    callback = spider.parse_file(respond(start(spider)[0], saved("decp_contracts.json")))
    assert len(notices_of([next(callback), next(callback)])) == 2
    with pytest.raises(CloseSpider):
        next(callback)


@pytest.mark.parametrize("base_url, expected", [
    ("http://127.0.0.1:8765", "http://127.0.0.1:8765/api/records?limit=3"),
    ("127.0.0.1:8765", "http://127.0.0.1:8765/api/records?limit=3"),  # no scheme: http
    ("https://mirror.example.org/boamp/", "https://mirror.example.org/boamp/api/records?limit=3"),  # a path prefix
    (None, "https://source.example.org/api/records?limit=3"),
])
def test_base_url_replaces_scheme_and_host_and_keeps_the_path(base_url, expected):
    assert rebase("https://source.example.org/api/records?limit=3", base_url) == expected


def test_base_url_rebases_the_requests_a_spider_builds():
    spider = build(BoampSpider, since="2025-06-01", until="2025-06-08", base_url="http://127.0.0.1:8765")
    assert start(spider)[0].url.startswith("http://127.0.0.1:8765/api/explore/v2.1/catalog/datasets/boamp/records?")
    assert spider.run_arguments["base_url"] == "http://127.0.0.1:8765"


@freeze_time("2025-06-15")
def test_without_since_a_spider_starts_default_since_days_ago():
    boamp, decp = build(BoampSpider, until="2025-06-15"), build(DecpSpider)
    assert boamp.since is None  # nothing was given, and no extension ran
    assert boamp.since_or_default == date(2025, 6, 8)  # 7 days
    assert "dateparution >= date'2025-06-08'" in unquote_plus(start(boamp)[0].url)
    assert decp.since_or_default == date(2025, 4, 16)  # 60 days: contracts are published up to two months late


def test_a_given_since_is_the_window_start():
    assert build(TedSpider, since="2025-01-02").since_or_default == date(2025, 1, 2)
