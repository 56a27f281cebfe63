"""`tenderwatch report`: the self-contained HTML report of responsible public purchasing, with its charts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from models import config
from tenderwatch.commands import options


@click.command("report")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Directory for report.html and the chart PNGs (default: the data directory's reports/).")
@click.option("--region", callback=options.region,
              help="Only this region (e.g. Nouvelle-Aquitaine); the regional comparison keeps all.")
@click.option("--since", type=click.IntRange(2000, date.today().year), default=2017, show_default=True,
              help="First year of publication.")
@click.option("--country", callback=options.country, metavar="CODE",
              help="Buyers of this country (ISO code; 'all' for every notice). Default: FR, with the overseas "
                   "territories. The scope comparable to the national series is always shown beside.")
@click.pass_obj
def report(app, out_dir, region, since, country) -> int:
    """Write a self-contained HTML report: trends by year beside the national series and on the scope comparable
    to it, shares corrected for the classifier's errors, levers, regions, buyers, CPV divisions, declared versus
    detected, and the methodology.

    \b
    Examples:
      tenderwatch report
      tenderwatch report --region Nouvelle-Aquitaine --since 2019 --out rapport-na
    """
    from tenderwatch.report import build_report

    out_dir = options.output_folder(out_dir or config.data_dir() / "reports", "--out")
    country = None if country == "all" else (country or "FR")
    path = build_report(app.store(), out_dir, region=region, since=since, threshold=config.detection_threshold(),
                        country=country)
    click.echo(f"report written to {path}")
    return 0


COMMANDS = [report]
