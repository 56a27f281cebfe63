"""`tenderwatch demo`: the whole job on embedded defaults, offline, in well under a minute."""

from __future__ import annotations

import json
import time
from importlib import resources
from pathlib import Path

import click

from storage.exports import pictogram_records, write_json
from sqlalchemy import func, select

from models.schema import NoticeRow
from models.vocabulary import UI_LABELS
from storage.stats import Filters, shares
from models import config
from tenderwatch.commands.options import output_folder
from tenderwatch.tables import write_rows


DEMO_SOURCE = "atexo:demo"


def load_corpus() -> dict:
    """The demo corpus shipped in the package: a fictitious regional platform's consultations with their truth."""
    return json.loads(resources.files("tenderwatch.demo").joinpath("corpus.json").read_text(encoding="utf-8"))


@click.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Where exports go (default: the data directory).")
@click.pass_obj
def demo(app, out_dir) -> int:
    """Serve a demo platform on 127.0.0.1, crawl it with the Atexo spider, tag, regenerate pictograms, print stats.

    Uses the configured database like every command (the default SQLite file otherwise).
    """
    from tenderwatch.crawling import POLITENESS_OFF, run_crawl
    from tenderwatch.demo_site import serve

    started = time.monotonic()
    out_dir = output_folder(out_dir or config.data_dir() / "exports", "--out")  # before anything is crawled
    corpus = load_corpus()
    records = corpus["consultations"]
    store = app.store()
    click.echo(f"store: {store.display_url()}")
    with serve(records, page_size=10) as site:
        click.echo(f"demo platform '{corpus['platform']['name']}' serving {len(records)} consultations at {site.base_url}")
        result = run_crawl(
            app.db_url,
            "atexo",
            {"platform": "demo", "base_url": site.base_url, "since": "2017-01-01"},
            {**POLITENESS_OFF, "LOG_LEVEL": "WARNING"},
        )
    if result.finish_reason != "finished":
        raise click.ClickException(f"the demo crawl ended with {result.finish_reason}")
    with store.session() as session:
        rows = shares(session, ["year"], Filters(source=DEMO_SOURCE))
        others = session.scalar(select(func.count()).select_from(NoticeRow).where(NoticeRow.source != DEMO_SOURCE))
    notes = [UI_LABELS["demo_others"].format(n=others)] if others else []
    write_rows(rows, ["year"], "table", title=UI_LABELS["demo_title"], notes=notes)
    export = out_dir / "pictograms.json"
    with store.session() as session, export.open("w", encoding="utf-8") as out:
        count = write_json(pictogram_records(session, source=DEMO_SOURCE), out)
    click.echo(f"database: {store.display_url()}")
    click.echo(f"pictograms: {count} notices exported to {export}")
    click.echo("next: tenderwatch pictograms --source 'atexo:demo' · tenderwatch stats --by year,region")
    click.echo(f"done in {time.monotonic() - started:.1f} s")
    return 0


COMMANDS = [demo]
