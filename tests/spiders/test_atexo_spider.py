"""The Atexo spider end to end, against a local fake platform: pagination, retries, a malformed notice, an incremental
re-run that stores nothing new. Listing pages, PRADO postbacks and consultation pages are tested in process
(test_atexo_pages.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select

from models.schema import NoticeRow
from tenderwatch.demo_site import DemoPlatform, serve
from tests.doubles import FaultPlan
from tests.spiders.crawl_helpers import crawl, runs


def record(i: int) -> dict:
    return {
        "source_id": f"2025-T-{i:03d}",
        "title": f"Fourniture de mobilier scolaire, lot {i}",
        "buyer_name": "Commune de Testville",
        "buyer_siret": "21330063500017",
        "department": "33",
        "cpv_codes": ["39160000"],
        "procedure": "Procédure adaptée",
        "contract_nature": "supplies",
        "published": "2025-02-03",
        "deadline": "2025-03-03T12:00:00",
        "lots": [],
        "sections": [
            {"heading": "Objet de la consultation", "kind": "object", "text": f"Mobilier scolaire {i}."},
            {"heading": "Critères d'attribution", "kind": "award_criteria", "text": "Prix : 60 %\nValeur technique : 40 %"},
        ],
    }


RECORDS = [record(i) for i in range(1, 24)]  # 3 listing pages of 10
KEYS = DemoPlatform(RECORDS).keys()  # reference shown -> "<orgAcronyme>-<refConsultation>", the stored key


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory):
    db_url = f"sqlite:///{tmp_path_factory.mktemp('atexo') / 'store.sqlite'}"
    faults = (
        FaultPlan()
        .server_error("listing:2")  # a 500 then success on the second listing page
        .throttle("2025-T-004", retry_after=0)  # a 429 on one consultation
        .garbage("2025-T-007")  # a malformed consultation among good ones
    )
    with serve(RECORDS, page_size=10, faults=faults) as site:
        result = crawl(db_url, "atexo", "-a", "platform=testplatform", "-a", f"base_url={site.base_url}",
                       "--since", "2020-01-01")
        served = list(faults.served)
        second = crawl(db_url, "atexo", "-a", "platform=testplatform", "-a", f"base_url={site.base_url}")
    return db_url, result, served, second


def stored(db_url: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(NoticeRow))


def test_crawl_succeeds(first_crawl):
    _, result, _, _ = first_crawl
    assert result.returncode == 0, result.stderr[-2000:]


def test_every_good_consultation_is_stored_once(first_crawl):
    db_url, *_ = first_crawl
    assert stored(db_url) == len(RECORDS) - 1


def test_faults_were_served(first_crawl):
    _, _, served, _ = first_crawl
    assert ("listing:2", "500") in served
    assert ("2025-T-004", "429") in served
    assert ("2025-T-007", "garbage") in served


def test_run_counts_and_errors(first_crawl):
    db_url, *_ = first_crawl
    run = runs(db_url)[0]
    assert run.spider == "atexo:testplatform"
    assert run.status == "succeeded"
    assert run.counts["new"] == len(RECORDS) - 1
    assert run.counts["seen"] == len(RECORDS)
    assert run.errors["errors/parse"] == 1


def test_fields_of_a_stored_notice(first_crawl):
    db_url, *_ = first_crawl
    engine = create_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(select(NoticeRow).where(NoticeRow.source_id == KEYS["2025-T-001"])).one()
    assert row.source == "atexo:testplatform"
    assert row.title.startswith("Fourniture de mobilier scolaire")
    assert row.region == "Nouvelle-Aquitaine"
    assert row.cpv_codes == ["39160000"]
    assert str(row.published) == "2025-02-03"


def test_incremental_rerun_stores_nothing_new(first_crawl):
    db_url, _, _, second = first_crawl
    assert second.returncode == 0, second.stderr[-2000:]
    run = runs(db_url)[1]
    assert run.status == "succeeded"
    assert run.since is not None  # from the last successful run
    assert (run.counts["new"], run.counts["updated"]) == (0, 0)
    assert run.counts["unchanged"] == len(RECORDS) - 1  # the malformed page is still malformed
    assert run.errors["errors/parse"] == 1
