"""The Atexo spider over a local platform that misbehaves: garbage and truncated pages, a redirect loop, a 404, an
answer slower than DOWNLOAD_TIMEOUT, a page larger than DOWNLOAD_MAXSIZE, a listing page failing once. The crawl
completes, stores every good notice, and the crawl_run counts each failure by kind; the next run completes the
work."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select

from models.schema import NoticeRow
from tenderwatch.demo_site import DemoPlatform, serve
from tests.doubles import FaultPlan
from tests.spiders.crawl_helpers import crawl, runs
from tests.spiders.test_atexo_spider import record

RECORDS = [record(i) for i in range(1, 31)]  # 3 listing pages of 10
KEYS = DemoPlatform(RECORDS).keys()  # reference shown -> stored key
# Three attempts of at most 2 s each: a good page answers in time even on a loaded machine, the slow one never.
LIMITS = ["-s", "DOWNLOAD_TIMEOUT=2", "-s", "DOWNLOAD_MAXSIZE=500000", "-s", "RETRY_TIMES=2"]
BAD = {
    "2025-T-003": "garbage",
    "2025-T-005": "truncated",
    "2025-T-007": "redirect_loop",
    "2025-T-009": "404",
    "2025-T-013": "oversized",
    "2025-T-011": "slow",
}


def faults(slow: bool = True) -> FaultPlan:
    plan = (
        FaultPlan()
        .server_error("listing:2")  # once: the retry gets it
        .garbage("2025-T-003")
        .truncated("2025-T-005", times=None)
        .redirect_loop("2025-T-007")
        .not_found("2025-T-009")
        .oversized("2025-T-013", size=2_000_000)
    )
    return plan.slow("2025-T-011", delay=5.0) if slow else plan


def stored_ids(db_url: str) -> set[str]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(select(NoticeRow.source_id)))
    finally:
        engine.dispose()


def run_crawl(db_url: str, plan: FaultPlan | None, port: int = 0):
    """Crawl the platform served with `plan`; returns the finished process and the port it was served on."""
    with serve(RECORDS, page_size=10, faults=plan, port=port) as site:
        result = crawl(db_url, "atexo", "-a", "platform=faulty", "-a", f"base_url={site.base_url}",
                       "--since", "2020-01-01", *LIMITS, timeout=180)
    return result, site.port


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    db_url = f"sqlite:///{tmp_path_factory.mktemp('faults') / 'store.sqlite'}"
    plan = faults()
    first, port = run_crawl(db_url, plan)
    after_first = stored_ids(db_url)
    second, _ = run_crawl(db_url, None, port)  # the platform is well again (same address: same notice URLs)
    return db_url, plan, first, after_first, second


def test_every_fault_was_served(faulty):
    _, plan, *_ = faulty
    kinds = {kind for _, kind in plan.served}
    assert {"500", "garbage", "truncated", "redirect_loop", "404", "oversized", "slow"} <= kinds


def test_the_crawl_completes_and_stores_every_good_notice(faulty):
    _, _, first, after_first, _ = faulty
    assert "Spider error processing" not in first.stderr  # no exception in a spider callback
    assert "Error processing" not in first.stderr  # nor in an item pipeline
    assert after_first == {KEYS[r["source_id"]] for r in RECORDS} - {KEYS[ref] for ref in BAD}


def test_each_failure_is_counted_by_kind(faulty):
    db_url, *_ = faulty
    run = runs(db_url)[0]
    assert run.finished_at is not None
    errors = run.errors
    assert errors["errors/parse"] == 2  # garbage, truncated
    assert errors["http/404"] == 1
    assert errors["errors/redirect_loop"] == 1
    assert errors["download/DownloadCancelledError"] == 1  # larger than DOWNLOAD_MAXSIZE
    assert errors["download/DownloadTimeoutError"] >= 2  # every attempt of the slow page
    assert errors["retry/max_reached"] == 1
    assert run.counts["new"] == len(RECORDS) - len(BAD)


def test_a_request_given_up_fails_the_run_so_the_next_one_covers_the_window_again(faulty):
    db_url, _, first, *_ = faulty
    run = runs(db_url)[0]
    assert run.status == "failed" and first.returncode == 1
    assert f"run {run.id} atexo:faulty: failed" in first.stdout


def test_the_next_run_completes_the_work(faulty):
    db_url, _, _, _, second = faulty
    run = runs(db_url)[1]
    assert second.returncode == 0, second.stderr[-2000:]
    assert run.status == "succeeded"
    assert run.counts["new"] == len(BAD) and run.counts["unchanged"] == len(RECORDS) - len(BAD)
    assert stored_ids(db_url) == set(KEYS.values())


def test_failures_that_give_nothing_up_leave_the_run_succeeded(tmp_path):
    """Malformed pages, a 404, a redirect loop and an oversized page are counted, not retried: the run succeeds."""
    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    result, _ = run_crawl(db_url, faults(slow=False))
    assert result.returncode == 0, result.stderr[-2000:]
    run = runs(db_url)[0]
    assert run.status == "succeeded"
    assert {k: run.errors[k] for k in ("errors/parse", "http/404", "errors/redirect_loop")} == {
        "errors/parse": 2, "http/404": 1, "errors/redirect_loop": 1,
    }
    assert len(stored_ids(db_url)) == len(RECORDS) - len(BAD) + 1  # the slow one is fine this time


def test_redirects_given_up_are_counted_by_kind():
    """A chain longer than REDIRECT_MAX_TIMES and a loop (A -> B -> A) each end in IgnoreRequest and a stat."""
    from scrapy import Spider
    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import Request, Response
    from scrapy.utils.test import get_crawler

    from crawler.middlewares import CountingRedirectMiddleware

    crawler = get_crawler(Spider, {"REDIRECT_MAX_TIMES": 2})
    crawler.spider = crawler._create_spider("redirects")
    middleware = CountingRedirectMiddleware.from_crawler(crawler)

    def hop(request: Request, location: str):
        response = Response(request.url, status=302, headers={"Location": location}, request=request)
        return middleware.process_response(request, response)

    request = Request("https://a.example/1")
    request = hop(hop(request, "https://a.example/2"), "https://a.example/3")
    with pytest.raises(IgnoreRequest):
        hop(request, "https://a.example/4")
    with pytest.raises(IgnoreRequest):
        hop(hop(Request("https://a.example/A"), "https://a.example/B"), "https://a.example/A")
    stats = crawler.stats.get_stats()
    assert (stats["tenderwatch/errors/redirect_max"], stats["tenderwatch/errors/redirect_loop"]) == (1, 1)
