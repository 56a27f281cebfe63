"""The `tenderwatch` command line. Bad input exits 2 with one readable line; --help on every command."""

from __future__ import annotations

import sys

import click

from storage.engine import Store, StoreError
from models import config


class AppContext:
    """What every command shares: the database URL, and the store opened (and brought up to date) on first use."""

    def __init__(self, db: str | None):
        self.db_url = config.database_url(db)
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option(
    "--db",
    metavar="URL",
    help="Database URL (sqlite:///path or postgresql+psycopg://...). "
    "Default: $TENDERWATCH_DATABASE_URL, else a SQLite file in the data directory.",
)
@click.version_option(package_name="tenderwatch")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """tenderwatch: social and environmental considerations in public-procurement notices."""
    app = AppContext(db)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _register() -> None:
    from tenderwatch.commands import (
        classify,
        crawl,
        db,
        demo,
        evaluate,
        export_dataset,
        importing,
        override,
        pictograms,
        report,
        runs,
        schedule,
        stats,
        tag,
        train,
    )

    modules = (db, importing, crawl, tag, classify, train, evaluate, pictograms, override, stats, report, demo,
               schedule, runs, export_dataset)
    for module in modules:
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI, turns usage and store errors into one line on stderr and exit status 2."""
    try:
        result = cli.main(args=argv, prog_name="tenderwatch", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("tenderwatch: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        message = exc.format_message().strip().replace("\n", " ")
        click.echo(f"tenderwatch: error: {message}", err=True)
        return 2 if exc.exit_code in (1, 2) else exc.exit_code
    except StoreError as exc:
        click.echo(f"tenderwatch: error: {exc}", err=True)
        return 2
    if isinstance(result, int):
        return result
    return 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
