"""`tenderwatch stats`: shares of notices with social / environmental considerations, per lever, declared versus
detected, climate-law readiness by buyer, shares corrected for the classifier's errors, and the national series."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from models import config
from models.vocabulary import STATS_ORIGIN_LABELS, UI_LABELS
from storage import national
from storage.buyers import merge_readiness
from storage.stats import GROUPS, ORIGINS, UNITS, Filters, agreement, lever_shares, readiness, shares
from tenderwatch.commands import options
from tenderwatch.tables import FORMATS, correction_sentences, render, scope_sentence

DEFAULT_COUNTRY = "FR"


def _groups(ctx, param, value):
    if value is None:
        return None
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        raise click.BadParameter(f"unknown grouping {', '.join(unknown)}; choose among {', '.join(GROUPS)}")
    return names


def _mode(levers: bool, agreement_: bool, readiness_: bool, national_: bool, corrected: bool) -> str:
    chosen = [name for name, on in (("--levers", levers), ("--agreement", agreement_), ("--readiness", readiness_),
                                    ("--national", national_), ("--corrected", corrected)) if on]
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
@click.option("--unit", type=click.Choice(UNITS), default="procedure", show_default=True,
              help="What a row counts: procedures (the notices of one procedure once: contract notice, award, the "
              "same notice in BOAMP and TED, its DECP contracts; on when any of its notices is) or notices. "
              "Applies to the shares, --levers and --corrected.")
@click.option("--corrected", is_flag=True,
              help="Detected shares beside their prevalence corrected for the classifier's measured errors "
                   "(Rogan-Gladen, interval including the error rates' uncertainty).")
@click.option("--origin", type=click.Choice(ORIGINS),
              help="Which considerations count: all (the pictogram; the default), declared, detected, both "
                   "(declared and detected). With --corrected: detected (the default) or declared.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to FILE (required for parquet).")
@options.notice_filters
@options.scope_options(DEFAULT_COUNTRY)
@click.option("--limit", type=click.IntRange(1), help="With --readiness: list only the first N buyers.")
@click.pass_obj
def stats(app, by, levers, agreement_, readiness_, national_, unit, corrected, origin, fmt, output, since, until,
          region, source, country, notice_type, min_amount, comparable, limit) -> int:
    """Notices and shares with a social / an environmental consideration (Wilson 95 % intervals).

    Counts French buyers by default (--country all for every notice) and says what the scope leaves out.

    \b
    Examples:
      tenderwatch stats
      tenderwatch stats --by year --region Nouvelle-Aquitaine --format csv
      tenderwatch stats --by source --unit notice
      tenderwatch stats --by year --comparable
      tenderwatch stats --by year --notice-type award_notice,contract --min-amount 90000
      tenderwatch stats --by year --corrected
      tenderwatch stats --by year --levers --origin declared
      tenderwatch stats --agreement --by source
      tenderwatch stats --readiness --limit 20
      tenderwatch stats --national
      tenderwatch stats --by year,region --format parquet -o stats.parquet
    """
    mode = _mode(levers, agreement_, readiness_, national_, corrected)
    if fmt == "parquet" and output is None:
        raise click.UsageError("--format parquet needs -o FILE")
    if output is not None and not output.expanduser().parent.is_dir():
        raise click.BadParameter(f"no folder {output.parent} for {str(output)!r}: No such file or directory",
                                 param_hint="-o")
    if origin is not None and mode in ("agreement", "national"):
        raise click.UsageError(f"--origin does not apply to --{mode}")
    if mode == "corrected" and origin not in (None, "detected", "declared"):
        raise click.UsageError("--corrected corrects detected shares: --origin detected (the default) or declared")
    if limit and mode != "readiness":
        raise click.UsageError("--limit applies to --readiness only")
    options.date_range(since, until)
    scope = options.scope_filters(country, notice_type, min_amount, comparable, DEFAULT_COUNTRY)
    if mode == "national":
        render("national", national.rows(), [], fmt, path=output, title=UI_LABELS["national_title"])
        return 0
    if by is None:
        by = [] if mode in ("agreement", "readiness") else ["year", "region"]
    elif mode == "readiness":
        raise click.UsageError("--readiness is always by buyer: drop --by")
    origin = origin or ("detected" if mode == "corrected" else "all")
    filters = Filters(since=since, until=until, region=region, source=source, origin=origin,
                      unit=unit if mode in ("shares", "levers", "corrected") else "notice", **scope)
    threshold = config.detection_threshold()
    notes: list[str] = []
    extra: dict = {}
    with app.store().session() as session:
        from storage.scope import summary

        options.check_source(session, source)
        kept = summary(session, filters)
        if mode == "readiness":
            since_obligation = national.climate_obligation_date()
            kept = summary(session, replace(filters, since=max(since or since_obligation, since_obligation)))
        notes.append(scope_sentence(kept))
        extra["scope"] = kept.as_dict()
        if mode == "levers":
            rows, title = lever_shares(session, by, filters, threshold), UI_LABELS["levers_title"]
        elif mode == "agreement":
            rows, title = agreement(session, by, filters, threshold), UI_LABELS["agreement_title"]
        elif mode == "readiness":
            obligation = national.climate_obligation_date()
            rows = merge_readiness(readiness(session, obligation, filters, threshold))[:limit]
            title = f"{UI_LABELS['readiness_title']} ({obligation.strftime('%d/%m/%Y')})"
            if not rows and fmt == "table" and output is None:
                click.echo(UI_LABELS["readiness_none"].format(date=obligation.strftime("%d/%m/%Y")))
                click.echo(notes[0])
                return 0
        elif mode == "corrected" and origin == "detected":
            from storage.correction import corrected_shares
            from workflow.correction import shipped_error_rates

            rows, applicable = corrected_shares(session, by, filters, shipped_error_rates(), threshold)
            title = UI_LABELS["corrected_title"]
            notes += correction_sentences(applicable, threshold)
            extra["correction"] = applicable.as_dict()
        else:
            rows, title = shares(session, by, filters, threshold), UI_LABELS["stats_title"]
            if mode == "corrected":
                notes.append(UI_LABELS["declared_no_correction"])
                extra["correction"] = {"status": {"social": "declared", "environmental": "declared"},
                                       "note": UI_LABELS["declared_no_correction"]}
    if origin != "all" and mode != "corrected":
        title = f"{title} — {STATS_ORIGIN_LABELS[origin]}"
    if filters.unit == "procedure":
        title = f"{title} — par procédure"
    kind = "corrected" if mode == "corrected" and origin == "detected" else ("shares" if mode == "corrected" else mode)
    render(kind, rows, by, fmt, path=output, title=title, filters=filters.as_dict(), threshold=threshold,
           notes=notes, extra=extra)
    if fmt in ("csv", "parquet") or (fmt == "json" and output is not None):
        for line in notes:
            click.echo(line, err=True)
    return 0


COMMANDS = [stats]
