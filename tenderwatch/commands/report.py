"""`tenderwatch report`: the self-contained HTML report of responsible public purchasing, with its charts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from models.regions import REGIONS
from models import config
from tenderwatch.commands.options import output_folder


def _region(ctx, param, value):
    if value is None or value in REGIONS:
        return value
    raise click.BadParameter(f"unknown region {value!r}; choose among {', '.join(REGIONS)}")


@click.command("report")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Directory for report.html and the chart PNGs (default: the data directory's reports/).")
@click.option("--region", callback=_region, help="Only this region (e.g. Nouvelle-Aquitaine); the regional comparison keeps all.")
@click.option("--since", type=click.IntRange(2000, date.today().year), default=2017, show_default=True,
              help="First year of publication.")
@click.pass_obj
def report(app, out_dir, region, since) -> int:
    """Write a self-contained HTML report: trends by year beside the national series, levers, regions, buyers,
    CPV divisions, declared versus detected, and the methodology.

    \b
    Examples:
      tenderwatch report
      tenderwatch report --region Nouvelle-Aquitaine --since 2019 --out rapport-na
    """
    from tenderwatch.report import build_report

    out_dir = output_folder(out_dir or config.data_dir() / "reports", "--out")
    path = build_report(app.store(), out_dir, region=region, since=since, threshold=config.detection_threshold())
    click.echo(f"report written to {path}")
    return 0


COMMANDS = [report]
