"""The shipped migrations build exactly the schema the ORM describes (plus APScheduler's job table)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from models.schema import MIGRATION_ONLY_INDEXES, Base
from storage.engine import current_revision, head_revision


def _include(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "index" and name in MIGRATION_ONLY_INDEXES:
        return False
    return not (type_ == "table" and name == "apscheduler_jobs")


def test_migrations_match_the_orm(store):
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include, "compare_type": False})
        assert compare_metadata(context, Base.metadata) == []


def test_store_is_at_head_with_the_scheduler_table(store):
    assert current_revision(store.engine) == head_revision()
    assert "apscheduler_jobs" in inspect(store.engine).get_table_names()


# --- 0004: Atexo notices re-keyed on the platform's consultation number ------------------------------------

AMPA = "https://www.demat-ampa.fr/?page=Entreprise.EntrepriseDetailsConsultation"


def _notice(reference: str, url: str | None, source: str = "atexo:demat-ampa"):
    from models.notice import Notice

    return Notice(source=source, source_id=reference, title=f"Consultation {reference}", url=url)


def test_atexo_notices_are_rekeyed_in_place_and_keep_their_overrides(db_url):
    from alembic import command
    from sqlalchemy import select
    from sqlalchemy.orm import load_only

    from models.schema import ManualOverrideRow, NoticeRow
    from storage.engine import Store, alembic_config, upgrade
    from storage.upsert import upsert_notices

    old = Store(db_url, migrate=False)
    command.upgrade(alembic_config(old.engine), "0003")
    notices = [
        _notice("2024-ST-0042", AMPA + "&refConsultation=482913&orgAcronyme=a1b"),
        _notice("MAPA-7", "https://www.demat-ampa.fr/entreprise/consultation/5512?orgAcronyme=c3d"),
        _notice("2024-09", "/saved/page.html"),  # no consultation number: keeps its key
        _notice("a1b-900", AMPA + "&refConsultation=900&orgAcronyme=a1b"),  # already the new key
        _notice("OLD-900", AMPA + "&refConsultation=900&orgAcronyme=a1b"),  # same consultation twice: keeps its key
    ]
    with old.session() as session:
        upsert_notices(session, notices)
        upsert_notices(session, [_notice("24-1", "https://x/?refConsultation=1&orgAcronyme=z", source="boamp")])
        first = session.scalar(select(NoticeRow).options(load_only(NoticeRow.id))  # the columns of revision 0003
                               .where(NoticeRow.source_id == "2024-ST-0042"))
        # written as a store at 0003 held it (set_override now also writes 0005's audit table)
        session.add(ManualOverrideRow(notice_id=first.id, social=True, levers=[], reason="checked by hand", author="op"))
        ids = {r.source_id: r.id for r in session.execute(select(NoticeRow.source_id, NoticeRow.id))}

    upgrade(old.engine)
    with old.session() as session:
        after = {r.id: r.source_id for r in session.execute(select(NoticeRow.id, NoticeRow.source_id))}
        override = session.scalar(select(ManualOverrideRow))
    old.dispose()
    assert after == {
        ids["2024-ST-0042"]: "a1b-482913",
        ids["MAPA-7"]: "c3d-5512",
        ids["2024-09"]: "2024-09",
        ids["a1b-900"]: "a1b-900",
        ids["OLD-900"]: "OLD-900",
        ids["24-1"]: "24-1",  # other sources are left alone
    }
    assert (override.notice_id, override.social, override.reason) == (ids["2024-ST-0042"], True, "checked by hand")


def test_notices_are_listed_along_an_index_in_their_order(store):
    """The list of the web face and the API reads notices newest first along ix_notice_list_order (0008)."""
    indexes = {ix["name"] for ix in inspect(store.engine).get_indexes("notice")}
    assert "ix_notice_list_order" in indexes


def test_deleting_a_clause_finds_the_considerations_that_point_at_it_by_an_index(store):
    """Re-tagging deletes the notice's clauses; the foreign key's check (ON DELETE SET NULL) looks up
    consideration.clause_id for each, along ix_consideration_clause (0009) rather than by scanning the table."""
    from sqlalchemy import text

    indexes = {ix["name"]: ix["column_names"] for ix in inspect(store.engine).get_indexes("consideration")}
    assert indexes.get("ix_consideration_clause") == ["clause_id"]
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            plan = " ".join(str(row[-1]) for row in conn.execute(
                text("EXPLAIN QUERY PLAN SELECT 1 FROM consideration WHERE clause_id = 7")))
            assert "ix_consideration_clause" in plan and "SCAN" not in plan
        else:
            conn.execute(text("SET enable_seqscan = off"))  # an empty table: ask whether an index can serve
            plan = " ".join(row[0] for row in conn.execute(
                text("EXPLAIN SELECT 1 FROM consideration WHERE clause_id = 7")))
            assert "ix_consideration_clause" in plan
