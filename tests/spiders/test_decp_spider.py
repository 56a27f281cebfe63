"""The DECP spider end to end, against a local data.gouv.fr-like server: one crawl of the consolidated file behind a
redirect, with retries, a broken contract and date filtering, into the store. The files asked, since / until
filtering as contracts stream, several files, a truncated file and the size limit are tested in process
(test_decp_pages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.spiders.crawl_helpers import crawl, runs, stored
from tests.spiders.fake_api import FakeApi, Reply

FILES = Path(__file__).parents[1] / "files" / "decp"
CONSOLIDATED = "/fr/datasets/r/16962018-5c31-4296-9454-5998585496d2"  # the spider's default file, on the mirror
WINDOW = ("--since", "2025-03-01", "--until", "2025-03-31")
# The 2024-format file's contracts published in March 2025 (one more, without buyer, is refused by the parser).
IN_WINDOW = sorted([
    "21330999900017-2025-00017-002", "25690999900019-2025-00019-003", "25690999900019-2025-00019-004",
    "21330999900017-2025-00017-005", "25690999900019-2025-00019-006", "25690999900019-2025-CONC-001",
])


def decp_server() -> FakeApi:
    api = FakeApi()

    def static(request):
        path = FILES / request.match["name"]
        if not path.is_file():
            return Reply(404, b"not found", content_type="text/plain")
        return Reply(200, path.read_bytes())

    return (
        api.route("GET", CONSOLIDATED, lambda r: Reply(302, b"", {"Location": f"{api.base_url}/static/decp_2024_format.json"}))
        .route("GET", r"/static/(?P<name>[\w.-]+)", static)
        .throttle("redirect-429", lambda r: r.path == CONSOLIDATED, retry_after=0)
        .fault("file-500", lambda r: r.path == "/static/decp_2024_format.json", status=500)
    )


def crawl_decp(db_url: str, api: FakeApi, *args: str):
    return crawl(db_url, "decp", "-a", f"base_url={api.base_url}", *args)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db_url = f"sqlite:///{tmp_path_factory.mktemp('decp') / 'store.sqlite'}"
    with decp_server() as api:
        first = crawl_decp(db_url, api, *WINDOW)
        return {"db_url": db_url, "api": api, "first": first, "first_requests": list(api.requests)}


def test_crawl_succeeds(crawled):
    assert crawled["first"].returncode == 0, crawled["first"].stderr[-3000:]


def test_contracts_published_in_the_window_are_stored(crawled):
    assert [r.source_id for r in stored(crawled["db_url"])] == IN_WINDOW


def test_the_default_file_is_fetched_on_the_mirror_and_its_redirect_followed(crawled):
    paths = [r.path for r in crawled["first_requests"]]
    assert paths.count(CONSOLIDATED) == 2  # a 429, then the redirect
    assert paths.count("/static/decp_2024_format.json") == 2  # a 500, then the file
    assert crawled["api"].faults_served == [("redirect-429", 429), ("file-500", 500)]


def test_run_counts_and_errors(crawled):
    run = runs(crawled["db_url"])[0]
    assert run.spider == "decp"
    assert run.status == "succeeded"
    assert run.counts["new"] == len(IN_WINDOW)
    assert run.counts["seen"] == len(IN_WINDOW) + 1
    assert run.errors["errors/parse"] == 1


def test_fields_of_a_stored_contract(crawled):
    row = next(r for r in stored(crawled["db_url"]) if r.source_id == "21330999900017-2025-00017-005")
    assert row.source == "decp"
    assert row.buyer_siret == "21330999900017"
    assert row.department == "33" and row.region == "Nouvelle-Aquitaine"
    assert str(row.published) == "2025-03-12"
    assert row.amount == 910000.0
