"""The BOAMP spider end to end, against a local opendatasoft-like API that refuses pages past its offset limit and
fails twice: a crawl of a window (sliced, paged, retried, stored) then an incremental one. Windows, paging and the
offset limit are tested in process (test_boamp_pages.py)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from tests.spiders.crawl_helpers import crawl, runs, stored
from tests.spiders.fake_api import FakeApi, Reply

RECORDS = json.loads((Path(__file__).parents[1] / "files" / "boamp_api" / "records.json").read_text("utf-8"))["records"]
GOOD = [r for r in RECORDS if r["idweb"]]
RECORDS_PATH = "/api/explore/v2.1/catalog/datasets/boamp/records"
MAX_OFFSET = 6  # the real API's 10,000, lowered so that the 15 records need slicing
WINDOW = ("--since", "2025-03-01", "--until", "2025-03-16")
_BOUND = re.compile(r"dateparution (>=|<=) date'(\d{4}-\d{2}-\d{2})'")


def records_endpoint(request):
    """Filter on the `where` date bounds, order by date then idweb, page by offset (refused past MAX_OFFSET)."""
    bounds = dict(_BOUND.findall(request.query["where"]))
    offset, limit = int(request.query["offset"]), int(request.query["limit"])
    if offset + limit > MAX_OFFSET:
        return Reply(400, {"error_code": "InvalidRESTParameterError", "message": "offset + limit > max"})
    found = sorted(
        (r for r in RECORDS if bounds[">="] <= r["dateparution"] <= bounds["<="]),
        key=lambda r: (r["dateparution"], r["idweb"] or ""),
    )
    return {"total_count": len(found), "results": found[offset:offset + limit]}


def window_of(request) -> tuple[str, str]:
    bounds = dict(_BOUND.findall(request.query["where"]))
    return bounds[">="], bounds["<="]


def boamp_api() -> FakeApi:
    return (
        FakeApi()
        .route("GET", RECORDS_PATH, records_endpoint)
        .throttle("first-page-429", lambda r: r.path == RECORDS_PATH, retry_after=0)
        .fault("second-page-500", lambda r: r.path == RECORDS_PATH and r.query.get("offset") == "3", status=500)
    )


def crawl_boamp(db_url: str, api: FakeApi, *args: str):
    return crawl(db_url, "boamp", "-a", f"base_url={api.base_url}", "-a", "page_size=3",
                 "-a", f"max_offset={MAX_OFFSET}", *args)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """A crawl of WINDOW, then an incremental one (no dates: from the last successful run)."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('boamp') / 'store.sqlite'}"
    with boamp_api() as api:
        first = crawl_boamp(db_url, api, *WINDOW)
        del api.requests[:]
        incremental = crawl_boamp(db_url, api)
    return {"db_url": db_url, "api": api, "first": first, "incremental": incremental,
            "incremental_requests": list(api.requests)}


def test_crawls_succeed(crawled):
    for key in ("first", "incremental"):
        assert crawled[key].returncode == 0, crawled[key].stderr[-3000:]


def test_every_good_record_is_stored_once(crawled):
    rows = stored(crawled["db_url"])
    assert [r.source_id for r in rows] == sorted(r["idweb"] for r in GOOD)


def test_faults_were_served_and_retried(crawled):
    assert ("first-page-429", 429) in crawled["api"].faults_served
    assert ("second-page-500", 500) in crawled["api"].faults_served


def test_run_counts_and_errors(crawled):
    run = runs(crawled["db_url"])[0]
    assert run.spider == "boamp"
    assert run.status == "succeeded"
    assert run.counts["new"] == len(GOOD)
    assert run.counts["seen"] == len(RECORDS)
    assert run.errors["errors/parse"] == 1
    assert "retry/max_reached" not in run.errors


def test_fields_of_a_stored_notice(crawled):
    row = next(r for r in stored(crawled["db_url"]) if r.source_id == "25-90001")
    assert row.source == "boamp"
    assert row.title == "Entretien des espaces verts communaux (25-90001)"
    assert row.department == "44" and row.region == "Pays de la Loire"
    assert str(row.published) == "2025-03-03"
    assert row.cpv_codes == ["77310000"]
    assert any(s["kind"] == "execution_conditions" and "insertion" in s["text"] for s in row.sections)


def test_incremental_rerun_starts_at_the_last_run_and_stores_nothing(crawled):
    run = runs(crawled["db_url"])[1]
    assert run.status == "succeeded"
    assert run.since == date.today()
    windows = {window_of(r) for r in crawled["incremental_requests"] if r.path == RECORDS_PATH}
    assert windows == {(date.today().isoformat(), date.today().isoformat())}
    assert (run.counts["new"], run.counts["updated"]) == (0, 0)
