"""The DECP spider in process, on a saved DECP file: the files asked, contracts streamed and filtered on since /
until as they go by, a malformed contract, a truncated file."""

from __future__ import annotations

from crawler.spiders.decp import DecpSpider
from tests.spiders.saved_pages import build, follow, notices_of, respond, saved, start, stat

FILE = "decp_contracts.json"  # six contracts: May, June (two), no buyer, July, undated
NATIONAL = "/fr/datasets/r/16962018-5c31-4296-9454-5998585496d2"
MIRROR = "http://127.0.0.1:8765"


def test_the_national_file_is_asked_with_its_size_and_time_limits():
    request, = start(build(DecpSpider))
    assert request.url == "https://www.data.gouv.fr" + NATIONAL
    assert request.meta == {"download_maxsize": 4 * 1024**3, "download_warnsize": 4 * 1024**3,
                            "download_timeout": 3600}


def test_max_file_size_bounds_the_download():
    request, = start(build(DecpSpider, max_file_size="2000"))
    assert request.meta["download_maxsize"] == request.meta["download_warnsize"] == 2000


def test_other_files_are_asked_in_order_and_have_their_own_run_name():
    spider = build(DecpSpider, url="/static/a.json, https://example.org/b.json", base_url=MIRROR)
    assert [r.url for r in start(spider)] == [f"{MIRROR}/static/a.json", "http://127.0.0.1:8765/b.json"]
    assert spider.run_name.startswith("decp:") and spider.run_name != build(DecpSpider, url="/other.json").run_name
    assert spider.run_arguments["url"] == "/static/a.json, https://example.org/b.json"
    assert build(DecpSpider).run_name == "decp"


def test_contracts_published_between_since_and_until_are_kept_as_they_stream():
    spider = build(DecpSpider, since="2025-06-01", until="2025-06-30")
    notices = notices_of(follow(start(spider)[0], saved(FILE)))
    assert [n.source_id for n in notices] == [
        "21350888800015-2025-REST-02",  # published 2 June
        "21290777700012-2025-ESPV-03",  # notified 10 June, no publication date
        "21290777700012-2025-SANS-DATE",  # undated: kept
    ]
    assert stat(spider, "tenderwatch/skipped/outside_window") == 2  # May and July
    assert stat(spider, "tenderwatch/errors/parse") == 1  # the contract without buyer


def test_contracts_come_one_at_a_time():
    spider = build(DecpSpider, since="2025-06-01", until="2025-06-30")
    stream = spider.parse_file(respond(start(spider)[0], saved(FILE)))
    assert next(stream).source_id == "21350888800015-2025-REST-02"
    assert stat(spider, "tenderwatch/skipped/outside_window") == 1  # May; the later contracts not handled yet
    assert stat(spider, "tenderwatch/errors/parse") is None


def test_a_truncated_file_gives_the_contracts_before_the_cut_then_one_error():
    data = saved(FILE)
    spider = build(DecpSpider, since="2025-05-01", until="2025-06-30")
    notices = notices_of(follow(start(spider)[0], data[: data.index(b'"2025-ESPV-03"')]))
    assert [n.source_id for n in notices] == ["21350888800015-2025-PROP-01", "21350888800015-2025-REST-02"]
    assert stat(spider, "tenderwatch/errors/parse") == 1
