"""`tenderwatch db upgrade|current`: the store's schema."""

from __future__ import annotations

import click

from storage.engine import Store, current_revision, head_revision, upgrade


@click.group("db")
def db_group() -> None:
    """Manage the store's schema (Alembic migrations shipped in the package)."""


@db_group.command("upgrade")
@click.pass_obj
def db_upgrade(app) -> None:
    """Apply pending migrations (every command also does this before opening the store)."""
    store = Store(app.db_url, migrate=False)
    try:
        before, after = upgrade(store.engine)
    finally:
        store.dispose()
    if before == after:
        click.echo(f"{store.display_url()}: already at revision {after}")
    else:
        click.echo(f"{store.display_url()}: upgraded from {before or 'empty'} to {after}")


@db_group.command("current")
@click.pass_obj
def db_current(app) -> None:
    """Print the database's revision and the newest one this version knows."""
    store = Store(app.db_url, migrate=False)
    try:
        click.echo(f"database: {current_revision(store.engine) or 'empty'}; head: {head_revision()}")
    finally:
        store.dispose()


COMMANDS = [db_group]
