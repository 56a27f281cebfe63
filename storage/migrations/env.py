"""Alembic environment: the engine comes from storage.engine (config.attributes), never from an ini file."""

from alembic import context

from models.schema import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Tables the ORM does not describe (APScheduler's job store) are the migrations' own business."""
    return not (type_ == "table" and reflected and compare_to is None)


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        context.run_migrations()


run_migrations_online()
