"""The French pages through the ASGI application: filters in the URL, CSV behind each chart, evidence highlighted
and escaped, nothing loaded from elsewhere, and the review queue behind a sign-in with CSRF-protected forms."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from models.schema import ManualOverrideRow, NoticeRow, OverrideAuditRow
from tests.store.test_stats import build_world
from tests.web.conftest import OPERATOR_TOKEN, SETTINGS

EXTERNAL = re.compile(r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//(?!testserver)""", re.I)


@pytest.fixture
def world(store):
    build_world(store)
    return store


@pytest.fixture
def client(world):
    from tenderwatch.web import create_app

    with TestClient(create_app(world, SETTINGS)) as c:
        yield c


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def signed_in(client) -> TestClient:
    form = client.get("/connexion")
    response = client.post("/connexion", data={"token": OPERATOR_TOKEN, "csrf": _csrf(form.text), "next": "/revue"},
                           follow_redirects=False)
    assert response.status_code == 303
    return client


@pytest.mark.parametrize("path", ["/", "/avis", "/avis/t/n1", "/api/docs", "/connexion", "/?department=33"])
def test_pages_load_nothing_from_elsewhere(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert EXTERNAL.findall(response.text) == []
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_dashboard_figures_follow_the_filters_in_the_url(client):
    whole = client.get("/").text
    gironde = client.get("/", params={"department": "33"}).text
    assert re.search(r'id="total-notices">9<', whole) and re.search(r'id="total-notices">6<', gironde)
    assert '<option value="33" selected>' in gironde
    assert "department=33" in re.search(r'id="share-link">([^<]+)<', gironde).group(1)


def test_dashboard_draws_its_charts_and_maps_on_the_server(client):
    html = client.get("/").text
    for chart in ("trend", "levers", "buyers", "cpv", "map-region", "map-department"):
        assert f'data-chart="{chart}"' in html
    assert len(re.findall(r'<circle[^>]+data-dimension="social" data-year=', html)) == 3  # 2023, 2024, 2026
    assert html.count("<path d=") >= 2 * 96


@pytest.mark.parametrize("chart", ["trend", "regions", "departments", "levers", "buyers", "cpv", "national"])
def test_each_chart_has_its_csv_with_the_same_filters(client, chart):
    html = client.get("/", params={"department": "75"}).text
    link = re.search(rf'href="([^"]+/{chart}\.csv[^"]*)" data-csv', html).group(1).replace("&amp;", "&")
    assert chart == "national" or "department=75" in link
    rows = list(csv.DictReader(io.StringIO(client.get(link).text)))
    assert rows
    if chart == "trend":
        assert {r["year"]: r["notices"] for r in rows} == {"2023": "1", "2024": "1", "2026": "1"}


def test_notice_list_filters_and_shows_public_pictograms(client):
    html = client.get("/avis", params={"social": "yes"}).text
    assert re.search(r'id="count">3<', html)
    assert sorted(re.findall(r'data-notice="t:(n\d)"', html)) == ["n1", "n3", "n4"]
    assert "Vérifiée" in html and "Confiance" not in html


def test_notice_page_highlights_the_evidence_and_escapes_the_text(client, world):
    text = "Objet <script>alert('x')</script>. Clause d'insertion sociale au titre de L2112-2. Fin."
    start = text.index("Clause")
    end = text.index(" Fin")
    with world.session() as s:
        n3 = s.scalar(select(NoticeRow).where(NoticeRow.source_id == "n3"))
        n3.text, n3.url, n3.title = text, "javascript:alert(1)", "<b>titre</b>"
        s.execute(update(n3.considerations[0].__class__)
                  .where(n3.considerations[0].__class__.notice_id == n3.id,
                         n3.considerations[0].__class__.dimension == "social")
                  .values(start=start, end=end, evidence=text[start:end]))
    html = client.get("/avis/t/n3").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<b>titre</b>" not in html and "javascript:" not in html
    mark = re.search(r'<mark class="ev ev-social"[^>]*>([^<]*)</mark>', html)
    assert mark and mark.group(1) == "Clause d&#39;insertion sociale au titre de L2112-2."
    assert "Pourquoi ce pictogramme ?" in html
    assert "0,4" not in html  # the environmental detection below the threshold is for operators


def test_unknown_notice_page_is_404_in_french(client):
    response = client.get("/avis/t/nope")
    assert response.status_code == 404 and "Avis introuvable" in response.text


def test_review_queue_needs_a_signed_in_operator(client):
    response = client.get("/revue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/connexion")
    form = client.get("/connexion")
    refused = client.post("/connexion", data={"token": "not-the-token-000000", "csrf": _csrf(form.text)})
    assert refused.status_code == 403
    assert client.post("/connexion", data={"token": OPERATOR_TOKEN, "csrf": "forged"}).status_code == 403


def test_review_decisions_need_the_form_csrf_token(client, world):
    signed_in(client)
    decision = {"notice": "t:n3", "dimension": "environmental", "lever": "technical_specification",
                "action": "confirm", "reason": "label vu au CCTP"}
    assert client.post("/revue/decision", data={**decision, "csrf": "forged"}).status_code == 403
    api = client.post("/api/overrides", json={"notice": "t:n3", "social": False, "reason": "x"})
    assert api.status_code == 403  # a browser session must send X-CSRF-Token to the API
    with world.session() as s:
        assert s.scalar(select(OverrideAuditRow)).notice_id is not None  # build_world's own two decisions
        assert len(s.scalars(select(OverrideAuditRow)).all()) == 2


def test_review_queue_lists_low_confidence_detections_and_confirms_one(client, world):
    signed_in(client)
    page = client.get("/revue", params={"kind": "low_confidence"}).text
    assert re.findall(r'class="item ev-\w+" data-notice="t:(n\d)" data-dimension="(\w+)"', page) == [
        ("n8", "environmental"), ("n3", "social"), ("n3", "environmental")]
    response = client.post("/revue/decision", data={
        "notice": "t:n3", "dimension": "environmental", "lever": "technical_specification", "action": "confirm",
        "reason": "label vu au CCTP", "csrf": _csrf(page), "next": "/revue"}, follow_redirects=False)
    assert response.status_code == 303
    with world.session() as s:
        n3 = s.scalar(select(NoticeRow).where(NoticeRow.source_id == "n3"))
        decision = s.scalar(select(ManualOverrideRow).where(ManualOverrideRow.notice_id == n3.id))
        audit = s.scalars(select(OverrideAuditRow).where(OverrideAuditRow.notice_id == n3.id)).all()
    assert (decision.environmental, decision.social, decision.levers, decision.author) == (
        True, None, ["environmental:technical_specification"], "alice")
    assert [(a.channel, a.reason) for a in audit] == [("web", "label vu au CCTP")]
    after = client.get("/revue", params={"kind": "low_confidence"}).text
    assert 'data-notice="t:n3" data-dimension="environmental"' not in after
    assert "label vu au CCTP" in after  # the journal


def test_review_can_change_the_lever_or_reject(client, world):
    signed_in(client)
    csrf = _csrf(client.get("/revue").text)
    base = {"notice": "t:n3", "dimension": "social", "lever": "execution_condition", "csrf": csrf, "reason": "r"}
    client.post("/revue/decision", data={**base, "action": "change", "new_lever": "award_criterion"})
    pictograms = client.get("/api/notices/t/n3").json()["pictograms"]
    assert [x["code"] for x in pictograms["social"]["levers"]] == ["award_criterion"]
    client.post("/revue/decision", data={**base, "action": "reject"})
    assert client.get("/api/notices/t/n3").json()["pictograms"]["social"]["on"] is False


def test_a_redirect_after_a_decision_stays_on_this_site(client):
    signed_in(client)
    csrf = _csrf(client.get("/revue").text)
    response = client.post("/revue/decision", data={
        "notice": "t:n3", "dimension": "social", "lever": "execution_condition", "action": "confirm", "reason": "r",
        "csrf": csrf, "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/revue"
