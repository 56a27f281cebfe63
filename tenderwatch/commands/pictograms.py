"""`tenderwatch pictograms`: list, export or regenerate the pictograms."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from models.vocabulary import DIMENSION_LABELS, Dimension
from storage.exports import pictogram_records, write_csv, write_html, write_json
from storage.pictograms import regenerate_all
from models import config
from tenderwatch.commands.options import iso_date
from tenderwatch.tables import truncate_words
from tenderwatch.terminal import cell

YES_NO = click.Choice(["yes", "no"])
TITLE_WIDTH = 60  # characters of a title listed (cut at a word, "…" marking the cut)

WRITERS = {"json": write_json, "csv": write_csv, "html": write_html}


@click.command("pictograms")
@click.option(
    "--regenerate", is_flag=True, help="Regenerate every pictogram from the current considerations first."
)
@click.option(
    "--export",
    "export_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the pictograms to FILE ('-' = stdout).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "html"]),
    default="json",
    show_default=True,
    help="Export format: json, csv, or html (one document with each notice's embeddable snippet).",
)
@click.option("--since", callback=iso_date, help="Only notices published from this date (YYYY-MM-DD).")
@click.option("--source", help="Only this source (wildcard *, e.g. 'atexo:*').")
@click.option(
    "--limit", type=click.IntRange(1), default=20, show_default=True, help="Rows listed (not exported)."
)
@click.pass_obj
def pictograms(app, regenerate, export_path, fmt, since, source, limit) -> int:
    """List, export or regenerate the notices' social / environmental pictograms.

    \b
    Examples:
      tenderwatch pictograms --source 'atexo:*'
      tenderwatch pictograms --export pictos.json --since 2026-01-01
      tenderwatch pictograms --export pictos.html --format html --source 'atexo:*'
      tenderwatch pictograms --regenerate
    """
    if export_path and export_path != "-" and not Path(export_path).expanduser().parent.is_dir():
        raise click.BadParameter(
            f"no folder {Path(export_path).parent} for {export_path!r}", param_hint="--export"
        )
    store = app.store()
    if regenerate:
        written = regenerate_all(store, config.detection_threshold())
        click.echo(f"{written} pictogram(s) regenerated")
    if export_path:
        with store.session() as session:
            records = pictogram_records(session, since=since, source=source)
            try:
                opened = click.open_file(export_path, "w", encoding="utf-8")
            except OSError as exc:
                raise click.FileError(export_path, hint=exc.strerror) from None
            with opened as out:
                count = WRITERS[fmt](records, out)
        if export_path != "-":
            click.echo(f"{count} pictogram(s) written to {export_path}")
        return 0
    if regenerate:
        return 0
    table = Table(title="Pictogrammes")
    for column in (
        "Avis",
        "Titre",
        DIMENSION_LABELS[Dimension.SOCIAL],
        DIMENSION_LABELS[Dimension.ENVIRONMENTAL],
    ):
        table.add_column(column, overflow="fold")
    with store.session() as session:
        for r in pictogram_records(session, since=since, source=source, limit=limit):
            cells = []
            for dim in ("social", "environmental"):
                d = r[dim]
                cells.append(
                    ("oui" if d["on"] else "non")
                    + (f" ({d['origin_label']})" if d["on"] else "")
                    + "".join(f"\n· {x['label']}" for x in d["levers"])
                )
                sibling = r.get("procedure_override")
                if sibling and sibling.get(dim) is not None:
                    cells[-1] += f"\n(procédure : {'oui' if sibling[dim] else 'non'} selon {sibling['notice']})"
            # the notice's text as it is: no markup read in it, no control characters (tenderwatch/terminal.py)
            table.add_row(cell(f"{r['source']}:{r['source_id']}"), cell(truncate_words(r["title"], TITLE_WIDTH)),
                          *(cell(c) for c in cells))
    Console().print(table)
    return 0


COMMANDS = [pictograms]
