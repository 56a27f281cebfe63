"""The fake Atexo platform: pages the parser reads back, PRADO pagination by POST, and planned faults."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from datetime import date, datetime
from urllib.parse import urlencode

import pytest

from models.notice import Notice, Section
from crawler.parsers.atexo import parse_atexo_detail, parse_atexo_listing
from crawler.parsers.errors import ParseError
from tenderwatch.demo_site import render_detail, serve
from tests.doubles import FaultPlan

RECORDS = [
    {
        "source_id": "2024-AMPA-001",
        "title": "Réhabilitation énergétique du groupe scolaire Jean Moulin",
        "buyer_name": "Commune de Mérignac",
        "buyer_siret": "21330281200012",
        "department": "33",
        "cpv_codes": ["45214200", "45321000"],
        "procedure": "Procédure adaptée",
        "contract_nature": "works",
        "published": "2024-03-04",
        "deadline": "2024-04-05T12:00:00",
        "lots": [
            {
                "lot_id": "1",
                "title": "Isolation",
                "description": "Isolation des combles\nMenuiseries",
                "cpv_codes": ["45321000"],
            },
            {"lot_id": "2", "title": "Chauffage", "description": "Pompe à chaleur", "cpv_codes": []},
        ],
        "sections": [
            {
                "heading": "Objet du marché",
                "kind": "object",
                "text": "Travaux de rénovation thermique de l'école.",
            },
            {
                "heading": "Critères d'attribution",
                "kind": "award_criteria",
                "text": "Prix : 40 %\nValeur technique : 45 %\nPerformance environnementale : 15 %",
            },
            {
                "heading": "Conditions particulières d'exécution",
                "kind": "execution_conditions",
                "text": "Action d'insertion : 350 heures réservées à des personnes éloignées de l'emploi.",
            },
        ],
        "declared": [
            {"dimension": "social", "lever": "execution_condition"},
            {"dimension": "environmental", "lever": "award_criterion"},
            {"dimension": "social", "lever": "reservation", "lot": "2"},
        ],
    },
    {
        "source_id": "24-0107",
        "title": "Fourniture de denrées alimentaires issues de l'agriculture biologique",
        "buyer_name": "SIVU Restauration du Bassin",
        "department": "2A",
        "cpv_codes": ["15000000"],
        "procedure": "Appel d'offres ouvert",
        "contract_nature": "supplies",
        "notice_type": "prior_information",
        "published": "2024-05-07",
        "deadline": "2024-06-10T16:30:00",
        "lots": [],
        "sections": [
            {
                "heading": "Marché réservé",
                "kind": "reservation",
                "text": "Marché réservé aux structures d'insertion par l'activité économique (L2113-13).",
            },
            {
                "heading": "Questions fréquentes",
                "kind": "additional_info",
                "text": "Réponses publiées en ligne.",
            },
        ],
        "declared": [{"dimension": "environmental", "lever": None}],
    },
    {
        "source_id": "MAPA-2024-15",
        "title": "Entretien des espaces verts",
        "buyer_name": "Commune de Dax",
        "department": "40",
        "cpv_codes": [],
        "procedure": "Procédure adaptée",
        "contract_nature": "services",
        "published": "2024-05-09",
        "deadline": "2024-06-01T12:00:00",
        "lots": [],
        "sections": [],
        "declared": [],
    },
]
FIELDS = ("title", "buyer_name", "department", "cpv_codes", "procedure", "contract_nature")


def fetch(url: str, form: dict | None = None, timeout: float = 5) -> tuple[int, bytes, dict]:
    """Status, body and headers of a GET (or a POST of `form`)."""
    data = urlencode(form).encode() if form is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def crawl_listing(site) -> list[str]:
    """Every detail URL of the listing, following the PRADO postbacks to the last page."""
    status, body, _ = fetch(site.search_url)
    assert status == 200
    page = parse_atexo_listing(body, site.search_url)
    urls = list(page.detail_urls)
    while page.next_page is not None:
        status, body, _ = fetch(page.next_page.action, page.next_page.formdata)
        assert status == 200
        page = parse_atexo_listing(body, page.next_page.action)
        urls += page.detail_urls
    return urls


def assert_round_trip(notice: Notice, record: dict) -> None:
    """The notice gives back the record's fields, sections (plus one per lot), lots and declared; its key is the
    platform's consultation number, not the reference the page shows (`source_id` in the record)."""
    assert {name: getattr(notice, name) for name in FIELDS} == {name: record[name] for name in FIELDS}
    assert notice.published == date.fromisoformat(record["published"])
    assert notice.deadline == datetime.fromisoformat(record["deadline"])
    assert [s for s in notice.sections if s.lot is None] == [
        Section(s["heading"], s["text"], s["kind"]) for s in record["sections"]
    ]
    assert [(s.heading, s.text, s.kind, s.lot) for s in notice.sections if s.lot is not None] == [
        (f"Lot {lot['lot_id']} : {lot['title']}", lot["description"], "description", lot["lot_id"])
        for lot in record["lots"]
    ]
    assert [lot.__dict__ for lot in notice.lots] == record["lots"]
    assert [(str(d.dimension), d.lever and str(d.lever), d.lot) for d in notice.declared] == [
        (d["dimension"], d["lever"], d.get("lot")) for d in record["declared"]
    ]


# --- pages --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("record", RECORDS, ids=[r["source_id"] for r in RECORDS])
def test_render_detail_round_trip(record):
    notice = parse_atexo_detail(
        render_detail(record), "http://demo/?refConsultation=1001&orgAcronyme=d4m", "demo"
    )
    assert_round_trip(notice, record)
    assert notice.source_id == "d4m-1001"


def test_records_notice_types():
    notices = [parse_atexo_detail(render_detail(r), "http://demo/", "demo") for r in RECORDS]
    assert [n.notice_type for n in notices] == ["contract_notice", "prior_information", "contract_notice"]


def test_buyer_siret_is_not_shown_as_on_real_pages():
    assert b"21330281200012" not in render_detail(RECORDS[0])


def test_render_detail_accepts_a_notice():
    notice = parse_atexo_detail(render_detail(RECORDS[1]), "http://demo/", "demo")
    again = parse_atexo_detail(render_detail(notice), "http://demo/", "demo")
    assert again.sections == notice.sections and again.declared[0].dimension == notice.declared[0].dimension


def test_chrome_stays_out_of_the_text():
    text = parse_atexo_detail(render_detail(RECORDS[2]), "http://demo/", "demo").full_text()
    assert text == "Entretien des espaces verts"


# --- the running site ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [1, 2, 3, 10])
def test_listing_pagination_collects_every_detail_url_once(page_size):
    with serve(RECORDS, page_size=page_size) as site:
        urls = crawl_listing(site)
        assert urls == [site.detail_url(i) for i in range(len(RECORDS))]
        posts = [r for r in site.requests if r[0] == "POST"]
        assert len(posts) == -(-len(RECORDS) // page_size) - 1


def test_listing_shows_total_and_page_count():
    with serve(RECORDS, page_size=2) as site:
        page = parse_atexo_listing(fetch(site.search_url)[1], site.search_url)
        assert page.total == 3 and len(page.detail_urls) == 2
        assert page.next_page.formdata["ctl0$CONTENU_PAGE$resultSearch$numPageTop"] == "1"


def test_page_size_postback():
    with serve(RECORDS, page_size=1) as site:
        page = parse_atexo_listing(fetch(site.search_url)[1], site.search_url)
        form = {
            **page.next_page.formdata,
            "PRADO_POSTBACK_TARGET": "ctl0$CONTENU_PAGE$resultSearch$listePageSizeTop",
            "ctl0$CONTENU_PAGE$resultSearch$listePageSizeTop": "10",
        }
        bigger = parse_atexo_listing(fetch(page.next_page.action, form)[1], page.next_page.action)
        assert len(bigger.detail_urls) == 3 and bigger.next_page is None


def test_postback_past_the_last_page_is_a_server_error():
    with serve(RECORDS, page_size=10) as site:
        first = fetch(site.search_url)[1]
        state = first.split(b'name="PRADO_PAGESTATE" id="PRADO_PAGESTATE" value="')[1].split(b'"')[0].decode()
        form = {
            "PRADO_PAGESTATE": state,
            "PRADO_POSTBACK_TARGET": "ctl0$CONTENU_PAGE$resultSearch$PagerTop$ctl2",
        }
        assert fetch(site.search_url, form)[0] == 500
        assert fetch(site.search_url, {"PRADO_PAGESTATE": "not-a-state"})[0] == 500


def test_detail_pages_round_trip_over_http():
    with serve(RECORDS) as site:
        for i, record in enumerate(RECORDS):
            status, body, headers = fetch(site.detail_url(i))
            assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
            notice = parse_atexo_detail(body, site.detail_url(i), "demo")
            assert_round_trip(notice, record)
            assert (notice.url, notice.source_id) == (site.detail_url(i), site.platform.key(i))


def test_robots_allows_everything():
    with serve(RECORDS) as site:
        assert fetch(site.base_url + "/robots.txt")[:2] == (200, b"User-agent: *\nAllow: /\n")


def test_unknown_consultation_and_page_are_404():
    with serve(RECORDS) as site:
        assert (
            fetch(
                site.base_url
                + "/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation=9&orgAcronyme=d4m"
            )[0]
            == 404
        )
        assert fetch(site.detail_url(0).replace("d4m", "zzz"))[0] == 404
        assert fetch(site.base_url + "/nothing")[0] == 404


def test_platform_settings():
    with serve(RECORDS, platform={"name": "AMPA", "org_acronyme": "a1b"}) as site:
        assert site.detail_url(2).endswith("refConsultation=1003&orgAcronyme=a1b")
        assert b"AMPA - D\xc3\xa9tail de la consultation" in fetch(site.detail_url(2))[1]


# --- faults -------------------------------------------------------------------------------------------------


def test_server_error_then_success_on_retry():
    faults = FaultPlan().server_error("24-0107")
    with serve(RECORDS, faults=faults) as site:
        assert fetch(site.detail_url(1))[0] == 500
        status, body, _ = fetch(site.detail_url(1))
        assert status == 200 and parse_atexo_detail(body, site.detail_url(1)).source_id == site.platform.key(1)
        assert fetch(site.detail_url(0))[0] == 200
    assert faults.served == [("24-0107", "500")]


def test_throttle_with_retry_after_then_success():
    faults = FaultPlan().throttle("listing:2", retry_after=7)
    with serve(RECORDS, page_size=1, faults=faults) as site:
        page = parse_atexo_listing(fetch(site.search_url)[1], site.search_url)
        status, _, headers = fetch(page.next_page.action, page.next_page.formdata)
        assert (status, headers["Retry-After"]) == (429, "7")
        status, body, _ = fetch(page.next_page.action, page.next_page.formdata)
        assert status == 200 and parse_atexo_listing(body, site.search_url).detail_urls == [
            site.detail_url(1)
        ]


def test_garbage_once_then_the_page_comes_back():
    with serve(RECORDS, faults=FaultPlan().garbage("MAPA-2024-15", times=1)) as site:
        status, body, _ = fetch(site.detail_url(2))
        assert status == 200
        with pytest.raises(ParseError):
            parse_atexo_detail(body, site.detail_url(2))
        again = parse_atexo_detail(fetch(site.detail_url(2))[1], site.detail_url(2))
        assert again.source_id == site.platform.key(2)


def test_garbage_page_is_a_parse_error_every_time():
    with serve(RECORDS, faults=FaultPlan().garbage("1003")) as site:
        for _ in range(3):
            with pytest.raises(ParseError):
                parse_atexo_detail(fetch(site.detail_url(2))[1], site.detail_url(2))


def test_truncated_page_is_a_parse_error():
    with serve(RECORDS, faults=FaultPlan().truncated("2024-AMPA-001")) as site:
        status, body, _ = fetch(site.detail_url(0))
        assert status == 200 and body
        with pytest.raises(ParseError, match="truncated"):
            parse_atexo_detail(body, site.detail_url(0))
        assert (
            parse_atexo_detail(fetch(site.detail_url(0))[1], site.detail_url(0)).source_id == site.platform.key(0)
        )


def test_not_found_by_path():
    with serve(RECORDS) as site:
        path = site.detail_url(1).removeprefix(site.base_url)
        site.faults = FaultPlan().not_found(path)
        assert fetch(site.detail_url(1))[0] == 404
        assert fetch(site.detail_url(1))[0] == 404
        assert fetch(site.detail_url(0))[0] == 200


def test_slow_response_still_answers():
    faults = FaultPlan().slow("1001", delay=0.3)
    with serve(RECORDS, faults=faults) as site:
        start = time.monotonic()
        status, body, _ = fetch(site.detail_url(0))
        assert time.monotonic() - start >= 0.3
        assert status == 200 and parse_atexo_detail(body, site.detail_url(0)).source_id == site.platform.key(0)
    assert faults.served == [("1001", "slow")]


def test_faults_fire_in_the_order_planned():
    faults = FaultPlan().server_error("listing:1", times=2, status=503).throttle("listing:1", retry_after=1)
    with serve(RECORDS, faults=faults) as site:
        assert [fetch(site.search_url)[0] for _ in range(4)] == [503, 503, 429, 200]
