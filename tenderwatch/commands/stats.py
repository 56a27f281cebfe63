"""`tenderwatch stats`: shares of notices with social / environmental considerations, per lever, declared versus
detected, climate-law readiness by buyer, and the national reference series."""

from __future__ import annotations

from pathlib import Path

import click

from models.vocabulary import STATS_ORIGIN_LABELS, UI_LABELS
from storage import national
from storage.stats import GROUPS, ORIGINS, UNITS, Filters, agreement, lever_shares, readiness, shares
from models import config
from tenderwatch.commands.options import iso_date
from tenderwatch.tables import FORMATS, render



def _groups(ctx, param, value):
    if value is None:
        return None
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        raise click.BadParameter(f"unknown grouping {', '.join(unknown)}; choose among {', '.join(GROUPS)}")
    return names


def _mode(levers: bool, agreement_: bool, readiness_: bool, national_: bool) -> str:
    chosen = [name for name, on in (("--levers", levers), ("--agreement", agreement_), ("--readiness", readiness_),
                                    ("--national", national_)) if on]
    if len(chosen) > 1:
        raise click.UsageError(f"choose one of {', '.join(chosen)}")
    return chosen[0].lstrip("-") if chosen else "shares"


@click.command("stats")
@click.option("--by", callback=_groups, help=f"Group by (comma-separated): {', '.join(GROUPS)}. "
              "Default: year,region; none with --agreement.")
@click.option("--levers", is_flag=True, help="One row per dimension and lever (notices with a consideration through it).")
@click.option("--agreement", "agreement_", is_flag=True, help="Declared versus detected, on notices that declare.")
@click.option("--readiness", "readiness_", is_flag=True,
              help="Per buyer: notices since the climate-law obligation date without an environmental consideration.")
@click.option("--national", "national_", is_flag=True, help="The national reference series, with scopes and sources.")
@click.option("--origin", type=click.Choice(ORIGINS), default="all", show_default=True,
              help="Which considerations count: all (the pictogram), declared, detected, both (declared and detected).")
@click.option("--unit", type=click.Choice(UNITS), default="procedure", show_default=True,
              help="What a row counts: procedures (the notices of one procedure once: contract notice, award, the "
              "same notice in BOAMP and TED, its DECP contracts; on when any of its notices is) or notices. "
              "Applies to the shares and --levers.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to FILE (required for parquet).")
@click.option("--since", callback=iso_date, help="Published from (YYYY-MM-DD).")
@click.option("--until", callback=iso_date, help="Published up to (YYYY-MM-DD).")
@click.option("--region", help="Only this region (e.g. Nouvelle-Aquitaine).")
@click.option("--source", help="Only this source (wildcard *, e.g. 'atexo:*').")
@click.option("--limit", type=click.IntRange(1), help="With --readiness: list only the first N buyers.")
@click.pass_obj
def stats(app, by, levers, agreement_, readiness_, national_, origin, unit, fmt, output, since, until, region,
          source, limit) -> int:
    """Notices and shares with a social / an environmental consideration (Wilson 95 % intervals).

    \b
    Examples:
      tenderwatch stats
      tenderwatch stats --by year --region Nouvelle-Aquitaine --format csv
      tenderwatch stats --by source --unit notice
      tenderwatch stats --by year --levers --origin declared
      tenderwatch stats --agreement --by source
      tenderwatch stats --readiness --limit 20
      tenderwatch stats --national
      tenderwatch stats --by year,region --format parquet -o stats.parquet
    """
    mode = _mode(levers, agreement_, readiness_, national_)
    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs -o FILE")
    if origin != "all" and mode in ("agreement", "national"):
        raise click.UsageError(f"--origin does not apply to --{mode}")
    if limit and mode != "readiness":
        raise click.UsageError("--limit applies to --readiness only")
    if mode == "national":
        render("national", national.rows(), [], fmt, path=output, title=UI_LABELS["national_title"])
        return 0
    if by is None:
        by = [] if mode in ("agreement", "readiness") else ["year", "region"]
    elif mode == "readiness":
        raise click.UsageError("--readiness is always by buyer: drop --by")
    filters = Filters(since=since, until=until, region=region, source=source, origin=origin,
                      unit=unit if mode in ("shares", "levers") else "notice")
    threshold = config.detection_threshold()
    with app.store().session() as session:
        if mode == "levers":
            rows, title = lever_shares(session, by, filters, threshold), UI_LABELS["levers_title"]
        elif mode == "agreement":
            rows, title = agreement(session, by, filters, threshold), UI_LABELS["agreement_title"]
        elif mode == "readiness":
            obligation = national.climate_obligation_date()
            rows = readiness(session, obligation, filters, threshold)[:limit]
            title = f"{UI_LABELS['readiness_title']} ({obligation.strftime('%d/%m/%Y')})"
        else:
            rows, title = shares(session, by, filters, threshold), UI_LABELS["stats_title"]
    if origin != "all":
        title = f"{title} — {STATS_ORIGIN_LABELS[origin]}"
    if filters.unit == "procedure":
        title = f"{title} — par procédure"
    render(mode, rows, by, fmt, path=output, title=title, filters=filters.as_dict(), threshold=threshold)
    return 0


COMMANDS = [stats]
