"""`tenderwatch stats`: shares of notices with a social / an environmental consideration."""

from __future__ import annotations

from datetime import date

import click

from storage.stats import GROUPS, Filters, shares
from tenderwatch.tables import write_rows


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _groups(ctx, param, value):
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        raise click.BadParameter(f"unknown grouping {', '.join(unknown)}; choose among {', '.join(GROUPS)}")
    return names


@click.command("stats")
@click.option("--by", default="year,region", show_default=True, callback=_groups, help=f"Group by: {', '.join(GROUPS)}.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--since", callback=_date, help="Published from (YYYY-MM-DD).")
@click.option("--until", callback=_date, help="Published up to (YYYY-MM-DD).")
@click.option("--region", help="Only this region (e.g. Nouvelle-Aquitaine).")
@click.option("--source", help="Only this source (wildcard *, e.g. 'atexo:*').")
@click.pass_obj
def stats(app, by, fmt, since, until, region, source) -> int:
    """Notices and shares with a social / an environmental pictogram (Wilson 95 % intervals).

    \b
    Examples:
      tenderwatch stats
      tenderwatch stats --by year --region Nouvelle-Aquitaine --format csv
    """
    store = app.store()
    with store.session() as session:
        rows = shares(session, by, Filters(since=since, until=until, region=region, source=source))
    write_rows(rows, by, fmt, title="Achats publics responsables")
    return 0


COMMANDS = [stats]
