"""The BOAMP spider in process, on a saved page of the opendatasoft records API: date windows, offset paging, the
offset limit (a window over it cut in halves), a malformed record."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

from crawler.spiders.bases import Window
from crawler.spiders.boamp import BoampSpider
from tests.spiders.saved_pages import build, follow, notices_of, requests_of, saved_json, start, stat

PAGE = "boamp_records_page.json"  # total_count 5; two good records and one without idweb
RECORDS_URL = "https://boamp-datadila.opendatasoft.com/api/explore/v2.1/catalog/datasets/boamp/records"
_BOUND = re.compile(r"dateparution (>=|<=) date'(\d{4}-\d{2}-\d{2})'")


def query(request) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def window(request) -> tuple[str, str]:
    bounds = dict(_BOUND.findall(query(request)["where"]))
    return bounds[">="], bounds["<="]


def offsets(request) -> tuple[int, int]:
    return int(query(request)["offset"]), int(query(request)["limit"])


def page(count: int) -> dict:
    """The saved page, cut to its first `count` records."""
    data = saved_json(PAGE)
    data["results"] = data["results"][:count]
    return data


def test_start_asks_the_window_since_until_oldest_first():
    first, = start(build(BoampSpider, since="2025-06-01", until="2025-06-08"))
    assert first.url.startswith(RECORDS_URL + "?")
    assert window(first) == ("2025-06-01", "2025-06-08")
    assert query(first)["order_by"] == "dateparution, idweb"
    assert offsets(first) == (0, 100)


def test_window_days_cuts_since_until_before_paging():
    weekly = type("WeeklyBoampSpider", (BoampSpider,), {"window_days": 7})
    requests = start(build(weekly, since="2025-06-01", until="2025-06-16"))
    assert [window(r) for r in requests] == [
        ("2025-06-01", "2025-06-07"), ("2025-06-08", "2025-06-14"), ("2025-06-15", "2025-06-16")]


def test_a_page_gives_its_notices_and_asks_the_next_offset():
    spider = build(BoampSpider, since="2025-06-01", until="2025-06-08", page_size="3")
    results = follow(start(spider)[0], saved_json(PAGE))
    assert [n.source_id for n in notices_of(results)] == ["25-41001", "25-41002"]
    following, = requests_of(results)
    assert window(following) == ("2025-06-01", "2025-06-08") and offsets(following) == (3, 3)
    assert stat(spider, "tenderwatch/seen") == 3
    assert stat(spider, "tenderwatch/errors/parse") == 1  # the record without idweb: counted, skipped


def test_the_page_reaching_the_total_is_the_last():
    spider = build(BoampSpider, since="2025-06-01", until="2025-06-08", page_size="3")
    second = requests_of(follow(start(spider)[0], saved_json(PAGE)))[0]
    assert requests_of(follow(second, page(2))) == []  # offset 3 + 2 records = total_count 5


def test_a_window_over_the_offset_limit_is_cut_in_halves():
    spider = build(BoampSpider, since="2025-06-01", until="2025-06-08", max_offset="4")
    results = follow(start(spider)[0], saved_json(PAGE))  # total_count 5 > 4
    assert notices_of(results) == []
    assert [(window(r), offsets(r)) for r in requests_of(results)] == [
        (("2025-06-01", "2025-06-04"), (0, 4)), (("2025-06-05", "2025-06-08"), (0, 4))]
    assert stat(spider, "tenderwatch/windows_split") == 1


def test_halves_of_an_odd_window():
    june = [date(2025, 6, day) for day in range(1, 6)]
    assert Window(june[0], june[4]).halves() == (Window(june[0], june[1]), Window(june[2], june[4]))


def test_one_day_over_the_offset_limit_is_read_up_to_the_limit_and_counted():
    spider = build(BoampSpider, since="2025-06-02", until="2025-06-02", page_size="3", max_offset="4")
    results = follow(start(spider)[0], saved_json(PAGE))
    assert stat(spider, "tenderwatch/errors/truncated_window") == 1
    assert len(notices_of(results)) == 2
    following, = requests_of(results)
    assert offsets(following) == (3, 1)  # never past offset + limit = 4
    assert requests_of(follow(following, page(1))) == []  # offset 4 reached, though the total is 5


def test_an_unreadable_page_is_counted_and_ends_its_window():
    spider = build(BoampSpider, since="2025-06-01", until="2025-06-08")
    assert follow(start(spider)[0], b"<html>maintenance</html>") == []
    assert stat(spider, "tenderwatch/errors/page") == 1

