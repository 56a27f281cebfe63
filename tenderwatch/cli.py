"""The `tenderwatch` command line. Bad input exits 2 with one readable line; --help on every command."""

from __future__ import annotations

import importlib
import sys

import click

from models import config


class AppContext:
    """What every command shares: the database URL, and the store opened (and brought up to date) on first use."""

    def __init__(self, db: str | None):
        self.db_url = config.database_url(db)
        self._store = None

    def store(self):
        """The store (storage.engine.Store), opened and migrated on first use."""
        if self._store is None:
            from storage.engine import Store

            self._store = Store(self.db_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()


#: Each command's module under tenderwatch/commands, in the order `--help` lists them. A command's module is imported
#: only when that command runs (`tag` starts without the web face, Scrapy or the migrations being imported).
COMMAND_MODULES = {
    "db": "db", "import": "importing", "crawl": "crawl", "tag": "tag", "classify": "classify", "train": "train",
    "evaluate": "evaluate", "explain": "explain", "pictograms": "pictograms", "override": "override",
    "notices": "notices", "stats": "stats", "report": "report", "demo": "demo", "serve": "serve",
    "schedule": "schedule", "runs": "runs", "procedures": "procedures", "export-dataset": "export_dataset",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use, from COMMAND_MODULES."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(name)
        if module is None:
            return None
        commands = importlib.import_module(f"tenderwatch.commands.{module}").COMMANDS
        return next(c for c in commands if c.name == name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
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


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI; whatever stops it becomes one line on stderr (tenderwatch/boundary.py): exit 2 for
    bad input (usage, an unusable database or path), 1 for a failure, 130 / 143 for Ctrl-C / SIGTERM; the runs the
    command left open are closed as failed or interrupted."""
    from tenderwatch import boundary

    with boundary.signals():
        try:
            result = cli.main(args=argv, prog_name="tenderwatch", standalone_mode=False)
        except BaseException as exc:  # the boundary: every exception becomes one line
            return boundary.handle(exc)
    if isinstance(result, int):
        return result
    return 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
