"""The TED spider in process, on a saved page of the search API v3 and two saved notices: the expert query, paging by
iteration token, each notice's XML by its link or by the documented URL, eForms or R2.0.9 by content."""

from __future__ import annotations

import json

from crawler.spiders.ted import TedSpider
from tests.spiders.saved_pages import (
    build, follow, follow_saved, notices_of, requests_of, saved, saved_json, start, stat,
)

SEARCH_PAGE = "ted_search_page.json"  # a notice with its XML link, one without, one without publication-number
TOKEN = saved_json(SEARCH_PAGE)["iterationNextToken"]
MIRROR = "http://127.0.0.1:8765"


def body(request) -> dict:
    return json.loads(request.body)


def test_the_search_asks_french_buyers_of_the_window_in_iteration_mode():
    search, = start(build(TedSpider, since="2025-06-01", until="2025-06-30"))
    assert (search.method, search.url) == ("POST", "https://api.ted.europa.eu/v3/notices/search")
    assert body(search) == {
        "query": "buyer-country=FRA AND publication-date>=20250601 AND publication-date<=20250630",
        "fields": ["publication-number", "publication-date"],
        "limit": 250,
        "scope": "ALL",
        "paginationMode": "ITERATION",
        "checkQuerySyntax": False,
    }


def test_nuts_narrows_the_query_and_names_the_run():
    spider = build(TedSpider, since="2025-06-01", until="2025-06-30", nuts="fri12, FRK26")
    assert body(start(spider)[0])["query"].endswith("AND place-of-performance IN (FRI12 FRK26)")
    assert spider.run_name == "ted:nuts=FRI12,FRK26"
    assert build(TedSpider).run_name == "ted"


def test_a_search_page_asks_each_notice_and_the_next_page_by_its_token():
    spider = build(TedSpider, since="2025-06-01", until="2025-06-30", page_size="3", base_url=MIRROR)
    results = follow(start(spider)[0], saved_json(SEARCH_PAGE))
    linked, patterned, following = requests_of(results)
    assert linked.url == "https://ted.europa.eu/en/notice/00345001-2025/xml"  # the link the API gave, as given
    assert patterned.url == f"{MIRROR}/en/notice/00345002-2025/xml"  # no link: the documented URL, on the mirror
    assert patterned.cb_kwargs == {"number": "00345002-2025"}
    assert following.url == f"{MIRROR}/v3/notices/search"
    assert body(following)["iterationNextToken"] == TOKEN and body(following)["limit"] == 3
    assert stat(spider, "tenderwatch/errors/listing") == 1  # the result without publication-number


def test_an_empty_page_ends_the_iteration():
    spider = build(TedSpider, since="2025-06-01", until="2025-06-30")
    empty = {"notices": [], "totalNoticeCount": 3, "iterationNextToken": "bmV4dA==", "timedOut": False}
    assert follow(start(spider)[0], empty) == []


def test_the_same_token_twice_ends_the_iteration():
    spider = build(TedSpider, since="2025-06-01", until="2025-06-30")
    second = requests_of(follow(start(spider)[0], saved_json(SEARCH_PAGE)))[-1]
    again = requests_of(follow(second, saved_json(SEARCH_PAGE)))  # the page names the token it was asked with
    assert [r.cb_kwargs["number"] for r in again] == ["00345001-2025", "00345002-2025"]  # notices only


def notice_request(spider, number: str):
    page = {"notices": [{"publication-number": number}], "iterationNextToken": None}
    return requests_of(follow(start(spider)[0], page))[0]


def test_an_eforms_notice_is_read_as_eforms():
    spider = build(TedSpider, since="2025-06-01", until="2025-06-30")
    notice, = notices_of(follow_saved(notice_request(spider, "00345001-2025"), "ted_eforms_cn.xml"))
    assert (notice.source, notice.source_id, notice.raw_format) == ("ted", "00345001-2025", "eforms")
    assert notice.url == "https://ted.europa.eu/en/notice/-/detail/00345001-2025"  # the notice gives none


def test_a_ted_export_is_read_as_r209():
    spider = build(TedSpider, since="2025-06-01", until="2025-06-30")
    notice, = notices_of(follow_saved(notice_request(spider, "00345002-2025"), "ted_r209_f02.xml"))
    assert (notice.source, notice.source_id, notice.raw_format) == ("ted", "345002-2025", "ted_r209")
    assert notice.title == "Blanchisserie du linge hospitalier"


def test_a_truncated_notice_is_counted_and_skipped():
    spider = build(TedSpider, since="2025-06-01", until="2025-06-30")
    cut = saved("ted_eforms_cn.xml")[:900]
    assert follow(notice_request(spider, "00345001-2025"), cut, "cut.xml") == []
    assert stat(spider, "tenderwatch/errors/parse") == 1
