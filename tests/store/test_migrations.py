"""The shipped migrations build exactly the schema the ORM describes (plus APScheduler's job table)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from models.schema import Base
from storage.engine import current_revision, head_revision


def _include(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name == "apscheduler_jobs")


def test_migrations_match_the_orm(store):
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include, "compare_type": False})
        assert compare_metadata(context, Base.metadata) == []


def test_store_is_at_head_with_the_scheduler_table(store):
    assert current_revision(store.engine) == head_revision()
    assert "apscheduler_jobs" in inspect(store.engine).get_table_names()
