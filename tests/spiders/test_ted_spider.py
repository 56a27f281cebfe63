"""The TED spider end to end, against a local TED-like API: one crawl of a window (searched by iteration, XML by link
or by URL pattern, eForms and R2.0.9, retries, a truncated notice) into the store. The query, the iteration, the
XML URLs, the format dispatch and NUTS are tested in process (test_ted_pages.py)."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from tests.spiders.crawl_helpers import crawl, runs, stored
from tests.spiders.fake_api import FakeApi, Reply

FILES = Path(__file__).parents[1] / "files" / "ted_api"
INDEX = json.loads((FILES / "notices.json").read_text("utf-8"))["notices"]
SEARCH = "/v3/notices/search"
WINDOW = ("--since", "2025-03-01", "--until", "2025-03-31")
IN_WINDOW = [n["publication-number"] for n in INDEX if n["publication-date"] >= "2025-03-01"]
BROKEN = "00101005-2025"
STORED = sorted(set(IN_WINDOW) - {BROKEN})


def token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def ted_api() -> FakeApi:
    api = FakeApi()

    def search(request):
        body = request.json()
        if body.get("paginationMode") != "ITERATION" or not 0 < body.get("limit", 0) <= 250:
            return Reply(400, {"message": "bad paging"})
        query = body["query"]
        start, = re.findall(r"publication-date>=(\d{8})", query)
        end, = re.findall(r"publication-date<=(\d{8})", query)
        places = re.findall(r"place-of-performance IN \(([^)]*)\)", query)
        found = [
            n for n in INDEX
            if start <= n["publication-date"][:10].replace("-", "") <= end
            and (not places or set(places[0].split()) & set(n["place-of-performance"]))
        ]
        offset = int(base64.urlsafe_b64decode(body["iterationNextToken"]).decode().split(":")[1]) \
            if body.get("iterationNextToken") else 0
        page = found[offset:offset + body["limit"]]
        # As the live API does, a token comes back even after the last notice: an empty page ends the walk.
        return {"notices": [view(n) for n in page], "totalNoticeCount": len(found),
                "iterationNextToken": token(offset + body["limit"]), "timedOut": False}

    def view(notice: dict) -> dict:
        number = notice["publication-number"]
        shown = {"publication-number": number, "publication-date": notice["publication-date"]}
        if notice["xml"] != "none":
            xml = f"/en/notice/{number}/xml" if notice["xml"] == "api" else f"/files/notices/{number}.xml"
            shown["links"] = {"xml": {"MUL": api.base_url + xml},
                              "html": {"FRA": f"{api.base_url}/fr/notice/-/detail/{number}"}}
        return shown

    def notice_xml(request):
        path = FILES / f"{request.match['number']}.xml"
        if not path.is_file():
            return Reply(404, b"no such notice", content_type="text/plain")
        return Reply(200, path.read_bytes(), content_type="application/xml")

    return (
        api.route("POST", SEARCH, search)
        .route("GET", r"/en/notice/(?P<number>[^/]+)/xml", notice_xml)
        .route("GET", r"/files/notices/(?P<number>[^/]+)\.xml", notice_xml)
        .fault("search-page-2-500", lambda r: r.path == SEARCH and r.json().get("iterationNextToken") == token(2))
        .throttle("xml-429", lambda r: r.path == "/en/notice/00101002-2025/xml", retry_after=0)
    )


def crawl_ted(db_url: str, api: FakeApi, *args: str):
    return crawl(db_url, "ted", "-a", f"base_url={api.base_url}", "-a", "page_size=2", *args)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db_url = f"sqlite:///{tmp_path_factory.mktemp('ted') / 'store.sqlite'}"
    with ted_api() as api:
        return {"db_url": db_url, "api": api, "first": crawl_ted(db_url, api, *WINDOW)}


def test_crawl_succeeds(crawled):
    assert crawled["first"].returncode == 0, crawled["first"].stderr[-3000:]


def test_every_good_notice_in_the_window_is_stored_once(crawled):
    assert [r.source_id for r in stored(crawled["db_url"])] == STORED


def test_faults_were_served_and_retried(crawled):
    assert ("search-page-2-500", 500) in crawled["api"].faults_served
    assert ("xml-429", 429) in crawled["api"].faults_served


def test_run_counts_and_errors(crawled):
    run = runs(crawled["db_url"])[0]
    assert run.spider == "ted"
    assert run.status == "succeeded"
    assert run.counts["new"] == len(STORED)
    assert run.counts["seen"] == len(IN_WINDOW)
    assert run.errors["errors/parse"] == 1


def test_fields_of_stored_eforms_and_r209_notices(crawled):
    rows = {r.source_id: r for r in stored(crawled["db_url"])}
    eforms, r209 = rows["00101001-2025"], rows["104321-2025"]
    assert (eforms.raw_format, r209.raw_format) == ("eforms", "ted_r209")
    assert eforms.source == r209.source == "ted"
    assert eforms.department == "33" and r209.department == "69"
    assert eforms.region == "Nouvelle-Aquitaine" and r209.region == "Auvergne-Rhône-Alpes"
    assert str(r209.published) == "2025-03-07"
