"""The JSON API on the statistics' hand-computed world (tests/store/test_stats.py), on SQLite and PostgreSQL:
filters, evidence, confidences kept for operators, pictograms with ETag / Last-Modified, statistics, and writes
refused without credentials."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from models.schema import ManualOverrideRow, NoticeRow, OverrideAuditRow
from storage.stats import Filters, shares
from tests.store.test_stats import T, build_world
from tests.web.conftest import OPERATOR_TOKEN, SETTINGS

OPERATOR = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}


@pytest.fixture
def client(store):
    from tenderwatch.web import create_app

    build_world(store)
    with TestClient(create_app(store, SETTINGS)) as c:
        yield c


def _ids(response) -> list[str]:
    return sorted(n["source_id"] for n in response.json()["notices"])


def test_notices_are_listed_newest_first_with_their_pictograms(client):
    body = client.get("/api/notices", params={"per_page": 3}).json()
    assert (body["count"], body["page"], len(body["notices"])) == (9, 1, 3)
    assert [n["source_id"] for n in body["notices"]] == ["n8", "n9", "n7"]
    first = body["notices"][0]
    assert set(first) >= {"source", "source_id", "title", "buyer", "published", "url", "pictograms"}
    assert first["pictograms"]["environmental"]["on"] is True
    assert first["pictograms"]["environmental"]["origin_label"] == "Détectée automatiquement"


@pytest.mark.parametrize("params, expected", [
    ({"department": "75"}, ["n4", "n5", "n9"]),
    ({"social": "yes"}, ["n1", "n3", "n4"]),
    ({"environmental": "yes", "year": 2026}, ["n8", "n9"]),
    ({"buyer": "22222222200022"}, ["n3", "n6"]),
    ({"region": "Île-de-France", "social": "no"}, ["n5", "n9"]),
    ({"q": "avis n1"}, ["n1"]),
    ({"source": "t*", "year": 2024}, ["n5", "n6"]),
])
def test_notice_filters_combine(client, params, expected):
    assert _ids(client.get("/api/notices", params={**params, "per_page": 100})) == expected


@pytest.mark.parametrize("params, name", [
    ({"per_page": 1000}, "per_page"), ({"page": 0}, "page"), ({"department": "zz"}, "department"),
    ({"social": "maybe"}, "social"), ({"year": "last"}, "year"),
])
def test_bad_parameters_get_422_naming_the_parameter(client, params, name):
    response = client.get("/api/notices", params=params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"{name}: ")


def test_a_notice_gives_the_public_the_considerations_that_light_it_without_confidences(client):
    body = client.get("/api/notices/t/n3").json()
    assert [(c["dimension"], c["lever"], c["origin"]) for c in body["considerations"]] == [
        ("social", "execution_condition", "detected")]
    assert "confidence" not in body["considerations"][0]
    assert body["pictograms"]["social"]["confidence"] is None


def test_operators_get_every_consideration_with_its_confidence(client):
    body = client.get("/api/notices/t/n3", headers=OPERATOR).json()
    found = {(c["dimension"], c["confidence"], c["qualifies"]) for c in body["considerations"]}
    assert found == {("social", 0.7, True), ("environmental", 0.4, False)}
    assert body["pictograms"]["social"]["confidence"] == 0.7


def test_unknown_notice_is_404(client):
    response = client.get("/api/notices/t/nope")
    assert (response.status_code, response.json()["detail"]) == (404, "no stored notice t:nope")


def test_pictograms_are_paged_and_polled_cheaply(client):
    first = client.get("/api/pictograms", params={"per_page": 4, "page": 3})
    body = first.json()
    assert (body["schema"], body["count"], body["total"], body["pages"]) == ("tenderwatch.pictograms/1", 1, 9, 3)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get("/api/pictograms", params={"per_page": 4, "page": 3}, headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    dated = client.get("/api/pictograms", params={"per_page": 4, "page": 3}, headers={"If-Modified-Since": modified})
    assert dated.status_code == 304
    client.post("/api/overrides", headers=OPERATOR, json={"notice": "t:n7", "social": True, "reason": "vu"})
    changed = client.get("/api/pictograms", params={"per_page": 4, "page": 3}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_pictograms_keep_confidences_for_operators(client):
    public = {n["source_id"]: n for n in client.get("/api/pictograms").json()["notices"]}
    operator = {n["source_id"]: n for n in client.get("/api/pictograms", headers=OPERATOR).json()["notices"]}
    assert public["n8"]["environmental"]["confidence"] is None
    assert operator["n8"]["environmental"]["confidence"] == 0.6
    assert public["n4"]["social"]["origin_label"] == "Vérifiée"


def test_pictograms_since_filters_on_publication(client):
    body = client.get("/api/pictograms", params={"since": "2026-01-01"}).json()
    assert sorted(n["source_id"] for n in body["notices"]) == ["n7", "n8", "n9"]
    assert client.get("/api/pictograms", params={"since": "01/01/2026"}).status_code == 422


def test_stats_are_the_rows_of_the_stats_command(client, store):
    body = client.get("/api/stats", params={"by": "year", "department": "33"}).json()
    with store.session() as s:
        expected = [r.as_dict() for r in shares(s, ["year"], Filters(department="33"), T)]
    assert (body["schema"], body["kind"], body["group_by"]) == ("tenderwatch.stats/1", "shares", ["year"])
    assert body["rows"] == expected
    assert body["filters"]["department"] == "33"


def test_stats_modes_formats_and_bad_groupings(client):
    levers = client.get("/api/stats", params={"by": "year", "mode": "levers"}).json()
    assert {r["lever"] for r in levers["rows"]} >= {None, "reservation"}
    csv_text = client.get("/api/stats", params={"by": "region", "format": "csv"}).text
    assert csv_text.splitlines()[0].startswith("region,notices,social")
    bad = client.get("/api/stats", params={"by": "planet"})
    assert bad.status_code == 422 and "unknown grouping planet" in bad.json()["detail"]
    assert client.get("/api/stats", params={"mode": "everything"}).status_code == 422


def test_writes_without_credentials_are_refused(client, store):
    body = {"notice": "t:n7", "social": True, "reason": "ESAT"}
    assert client.post("/api/overrides", json=body).status_code == 401
    wrong = client.post("/api/overrides", json=body, headers={"Authorization": "Bearer wrong-token-0123456789"})
    assert wrong.status_code == 403
    with store.session() as s:
        n7 = select(NoticeRow.id).where(NoticeRow.source_id == "n7").scalar_subquery()
        assert s.scalar(select(ManualOverrideRow).where(ManualOverrideRow.notice_id == n7)) is None


def test_an_override_is_recorded_with_who_when_and_why_and_audited(client, store):
    response = client.post("/api/overrides", headers=OPERATOR, json={
        "notice": "t:n7", "social": True, "levers": ["social:reservation"], "reason": "ESAT, lot 2"})
    assert response.status_code == 200, response.text
    assert response.json()["pictograms"]["social"]["on"] is True
    with store.session() as s:
        n7 = s.scalar(select(NoticeRow).where(NoticeRow.source_id == "n7"))
        decision = s.scalar(select(ManualOverrideRow).where(ManualOverrideRow.notice_id == n7.id))
        audit = s.scalars(select(OverrideAuditRow).where(OverrideAuditRow.notice_id == n7.id)).all()
    assert (decision.social, decision.environmental, decision.levers, decision.author, decision.reason) == (
        True, None, ["social:reservation"], "alice", "ESAT, lot 2")
    assert [(a.action, a.author, a.channel, a.social) for a in audit] == [("set", "alice", "api", True)]


def test_an_override_keeps_the_earlier_decision_on_the_other_dimension(client):
    client.post("/api/overrides", headers=OPERATOR, json={"notice": "t:n4", "environmental": False, "reason": "non"})
    body = client.get("/api/notices/t/n4").json()["pictograms"]
    assert (body["social"]["on"], [x["code"] for x in body["social"]["levers"]]) == (True, ["execution_condition"])
    assert body["environmental"]["on"] is False


@pytest.mark.parametrize("body, status", [
    ({"notice": "t:nope", "social": True, "reason": "x"}, 404),
    ({"notice": "t:n7", "social": True, "reason": ""}, 422),
    ({"notice": "t:n7", "environmental": True, "levers": ["environmental:reservation"], "reason": "x"}, 422),
    ({"notice": "t:n7", "reason": "nothing decided"}, 422),
])
def test_bad_overrides_are_refused_with_a_reason(client, body, status):
    response = client.post("/api/overrides", headers=OPERATOR, json=body)
    assert response.status_code == status and response.json()["detail"]


def test_openapi_documents_every_endpoint_offline(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/notices", "/api/notices/{source}/{source_id}", "/api/pictograms", "/api/stats",
            "/api/overrides"} <= set(spec["paths"])
    docs = client.get("/api/docs").text
    assert "/api/pictograms" in docs and "per_page" in docs
    assert "cdn" not in docs.lower() and "<script" not in docs


def test_stats_corrected_unit_and_scope_as_the_command_has_them(client, store):
    from storage.correction import corrected_shares
    from workflow.correction import shipped_error_rates

    body = client.get("/api/stats", params={"by": "year", "mode": "corrected"}).json()
    with store.session() as s:
        expected, _ = corrected_shares(s, ["year"], Filters(unit="procedure", country="FR"), shipped_error_rates(), T)
    assert body["kind"] == "corrected"
    assert body["rows"] == [r.as_dict() for r in expected]
    assert body["filters"]["unit"] == "procedure" and body["filters"]["country"] == "FR"
    notices = client.get("/api/stats", params={"unit": "notice", "country": "all"}).json()
    assert (notices["filters"]["unit"], notices["filters"]["country"]) == ("notice", "all")
    assert client.get("/api/stats", params={"country": "Bretagne"}).status_code == 422
    assert client.get("/api/stats", params={"notice_type": "poem"}).status_code == 422
    assert client.get("/api/stats", params={"comparable": "true", "min_amount": 5}).status_code == 422
    assert client.get("/api/stats", params={"mode": "corrected", "origin": "declared"}).status_code == 422


def test_the_count_stops_at_its_cap_and_says_so(client, monkeypatch):
    import storage.queries

    assert client.get("/api/notices").json()["count_exact"] is True
    monkeypatch.setattr(storage.queries, "COUNT_CAP", 3)
    body = client.get("/api/notices", params={"per_page": 2}).json()
    assert (body["count"], body["count_exact"], len(body["notices"])) == (3, False, 2)
    assert len(client.get("/api/notices", params={"per_page": 2, "page": 3}).json()["notices"]) >= 1
