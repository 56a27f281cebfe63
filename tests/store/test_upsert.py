"""Idempotent upserts keyed on (source, source_id) with a content hash, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from models.notice import DeclaredConsideration, Lot, Notice, Section
from models.normalise import normalise
from models.schema import ConsiderationRow, LotRow, ManualOverrideRow, NoticeRow
from models.vocabulary import Dimension, Lever, Origin
from storage.overrides import set_override
from storage.upsert import upsert_notices


def make_notice(source_id: str = "2024-001", title: str = "Travaux de voirie", **extra) -> Notice:
    return normalise(
        Notice(
            source="test",
            source_id=source_id,
            title=title,
            department="33",
            cpv_codes=["45233140-2"],
            published=date(2024, 3, 1),
            sections=[Section("Critères d'attribution", "Prix 60 %, valeur technique 40 %", "award_criteria")],
            lots=[Lot("1", "Voirie", "Réfection", ["45233140"])],
            declared=[DeclaredConsideration(Dimension.SOCIAL, Lever.EXECUTION_CONDITION, "considerationsSociales")],
            **extra,
        )
    )


def count(session, table) -> int:
    return session.scalar(select(func.count()).select_from(table))


def test_first_store_inserts_notice_lots_and_declared(store):
    with store.session() as s:
        counts = upsert_notices(s, [make_notice()])
    assert (counts.new, counts.updated, counts.unchanged) == (1, 0, 0)
    with store.session() as s:
        row = s.scalar(select(NoticeRow))
        assert row.region == "Nouvelle-Aquitaine"
        assert row.former_region == "Aquitaine"
        assert row.cpv_codes == ["45233140"] and row.cpv_division == "45"
        assert row.year == 2024 and row.needs_tagging
        assert count(s, LotRow) == 1
        assert s.scalar(select(ConsiderationRow.origin)) == Origin.DECLARED


def test_same_notice_twice_writes_nothing(store):
    with store.session() as s:
        upsert_notices(s, [make_notice()])
    with store.session() as s:
        before = s.execute(select(NoticeRow.updated_at, NoticeRow.last_seen, NoticeRow.content_hash)).one()
    with store.session() as s:
        counts = upsert_notices(s, [make_notice()])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)
    with store.session() as s:
        assert count(s, NoticeRow) == 1 and count(s, LotRow) == 1 and count(s, ConsiderationRow) == 1
        assert s.execute(select(NoticeRow.updated_at, NoticeRow.last_seen, NoticeRow.content_hash)).one() == before


def test_duplicates_within_one_batch_make_one_row(store):
    with store.session() as s:
        counts = upsert_notices(s, [make_notice(), make_notice(title="Travaux de voirie (rectificatif)")])
    assert counts.new == 1
    assert (counts.repeated, counts.as_dict()["repeated"]) == (1, 1)  # counted, so every notice read is accounted for
    with store.session() as s:
        assert s.scalar(select(NoticeRow.title)) == "Travaux de voirie (rectificatif)"


def test_changed_notice_is_updated_and_queued_for_retagging(store):
    with store.session() as s:
        upsert_notices(s, [make_notice()])
        notice_id = s.scalar(select(NoticeRow.id))
        s.add(ConsiderationRow(notice_id=notice_id, dimension="environmental", lever="award_criterion",
                               origin=Origin.DETECTED, confidence=0.9, evidence="x", stale=False))
        s.execute(NoticeRow.__table__.update().values(needs_tagging=False, tagged_version="v1"))
    with store.session() as s:
        counts = upsert_notices(s, [make_notice(title="Travaux de voirie et trottoirs")])
    assert (counts.new, counts.updated) == (0, 1)
    with store.session() as s:
        row = s.scalar(select(NoticeRow))
        assert row.title == "Travaux de voirie et trottoirs" and row.needs_tagging
        detected = s.scalar(select(ConsiderationRow).where(ConsiderationRow.origin == Origin.DETECTED))
        assert detected.stale
        assert count(s, LotRow) == 1
        assert s.scalar(select(func.count()).where(ConsiderationRow.origin == Origin.DECLARED)) == 1


def test_manual_override_survives_an_update(store):
    with store.session() as s:
        upsert_notices(s, [make_notice()])
        notice = s.scalar(select(NoticeRow))
        set_override(s, notice, True, False, ["social:reservation"], "ESAT", "operator", 0.5)
    with store.session() as s:
        upsert_notices(s, [make_notice(title="changed")])
    with store.session() as s:
        row = s.scalar(select(ManualOverrideRow))
        assert (row.social, row.environmental, row.levers, row.reason) == (True, False, ["social:reservation"], "ESAT")


def test_large_batch_counts(store):
    notices = [make_notice(f"id-{i}") for i in range(1200)]
    with store.session() as s:
        first = upsert_notices(s, notices)
    with store.session() as s:
        second = upsert_notices(s, notices[:600] + [make_notice("id-5000")])
    assert first.new == 1200
    assert (second.new, second.unchanged) == (1, 600)
