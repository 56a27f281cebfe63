"""Option callbacks shared by the commands."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click


def iso_date(ctx, param, value: str | None) -> date | None:
    """A YYYY-MM-DD option value as a date; anything else is a usage error naming the value."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


SCHEDULE_FILE_HELP = (
    "Schedule file (TOML). Default: the one shipped in the package (tenderwatch/schedule.toml)."
)


def schedule_file(path: Path | None):
    """The schedule file (the shipped one when `path` is None); a bad one is a usage error."""
    from tenderwatch.ops.schedule_file import ScheduleError, load_schedule

    try:
        return load_schedule(path)
    except ScheduleError as exc:
        raise click.UsageError(str(exc)) from None


def output_folder(path: Path, option: str) -> Path:
    """`path` created (with its parents) if need be, before any work: a folder that cannot be is a usage error."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.BadParameter(f"cannot create the folder {path}: {exc.strerror}", param_hint=option) from None
    if not os.access(path, os.W_OK):
        raise click.BadParameter(f"cannot write into the folder {path}", param_hint=option)
    return path


def _choices(values) -> str:
    return ", ".join(values)


def close_matches(value: str, choices) -> list[str]:
    """The choices a mistyped value most likely meant (accents and case ignored)."""
    import difflib

    from models.text import fold

    folded = {fold(c): c for c in choices}
    return [folded[m] for m in difflib.get_close_matches(fold(value), list(folded), n=3, cutoff=0.6)]


def _unknown(kind: str, value: str, choices) -> click.BadParameter:
    near = close_matches(value, choices)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    return click.BadParameter(f"unknown {kind} {value!r}{hint} Choose among: {_choices(choices)}")


def region(ctx, param, value: str | None) -> str | None:
    """A region name (accents and case forgiven); an unknown one names the close matches and every region."""
    if value is None:
        return None
    import re

    from models.regions import REGIONS
    from models.text import fold

    def key(text: str) -> str:
        return re.sub(r"[^0-9a-z]", "", fold(text, ligatures=True))

    exact = {key(r): r for r in REGIONS}.get(key(value))
    if exact:
        return exact
    raise _unknown("region", value, REGIONS)


def country(ctx, param, value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code of a buyer's country, or "all"."""
    if value is None:
        return None
    from models.vocabulary import COUNTRY_LABELS, FRANCE_OVERSEAS_CODES

    from models.text import fold

    code = value.strip().upper()
    if code == "ALL":
        return "all"
    if code in COUNTRY_LABELS or code in FRANCE_OVERSEAS_CODES:
        return code
    by_name = {fold(name): c for c, name in COUNTRY_LABELS.items()}
    if fold(value) in by_name:
        return by_name[fold(value)]
    near = close_matches(value, list(COUNTRY_LABELS.values()))
    hint = f"; did you mean {' or '.join(by_name[fold(n)] + ' (' + n + ')' for n in near)}?" if near else ""
    raise click.BadParameter(f"unknown country {value!r}{hint} Choose among: all, "
                             f"{_choices(sorted(COUNTRY_LABELS))} (FR includes the overseas territories)")


def notice_types(ctx, param, value: str | None) -> tuple[str, ...]:
    """Comma-separated notice types of models.vocabulary.NOTICE_TYPE_LABELS."""
    if not value:
        return ()
    from models.vocabulary import NOTICE_TYPE_LABELS

    names = tuple(v.strip() for v in value.split(",") if v.strip())
    for name in names:
        if name not in NOTICE_TYPE_LABELS:
            raise _unknown("notice type", name, list(NOTICE_TYPE_LABELS))
    return names


def scope_options(default_country: str | None):
    """--country, --notice-type, --min-amount and --comparable: the scope of the national series (storage/scope.py)."""
    default_text = "FR, with the overseas territories" if default_country == "FR" else "all"

    def decorate(command):
        for option in reversed([
            click.option("--country", callback=country, metavar="CODE",
                         help=f"Buyers of this country (ISO code; 'all' for every notice). Default: {default_text}."),
            click.option("--notice-type", "notice_type", callback=notice_types, metavar="TYPES",
                         help="Only these notice types, comma-separated: contract_notice, award_notice, contract "
                              "(DECP), prior_information, ..."),
            click.option("--min-amount", type=click.FloatRange(min=0), metavar="EUR",
                         help="Only notices of at least this amount (€ HT) where the amount is known; the others "
                              "are kept and counted."),
            click.option("--comparable", is_flag=True,
                         help="The national series' scope: French buyers, award notices and DECP contracts, "
                              "≥ 90 k€ HT until 2023 and ≥ 40 k€ HT from 2024 where the amount is known."),
        ]):
            command = option(command)
        return command

    return decorate


def scope_filters(country_: str | None, types: tuple[str, ...], min_amount: float | None, comparable: bool,
                  default_country: str | None) -> dict:
    """The Filters fields of the scope options; --comparable is a preset that the others would contradict."""
    if comparable and (country_ or types or min_amount is not None):
        raise click.UsageError("--comparable sets the country, notice types and amounts itself: drop --country, "
                               "--notice-type and --min-amount")
    return {"country": country_ or default_country, "notice_types": types, "min_amount": min_amount,
            "comparable": comparable}


def check_source(session, pattern: str | None) -> None:
    """A --source pattern must match a source of the store; otherwise name the sources there are."""
    if not pattern:
        return
    import re

    from sqlalchemy import select

    from models.schema import NoticeRow

    # `*` is the one wildcard, as in the queries (storage/patterns.py): `%`, `_`, `?` and `[` are literal
    matches = re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL).fullmatch
    sources = sorted(s for s in session.scalars(select(NoticeRow.source).distinct()) if s)
    if not any(matches(s) for s in sources):
        raise click.BadParameter(f"no source of the store matches {pattern!r}; choose among: "
                                 f"{_choices(sources) or 'none (the store is empty)'}", param_hint="'--source'")


def date_range(since, until) -> None:
    if since and until and since > until:
        raise click.UsageError(f"--since {since.isoformat()} is after --until {until.isoformat()}")


def notice_filters(command):
    """--since, --until, --region and --source: which notices a statistic or an export reads."""
    for option in reversed([
        click.option("--since", callback=iso_date, help="Published from (YYYY-MM-DD)."),
        click.option("--until", callback=iso_date, help="Published up to (YYYY-MM-DD)."),
        click.option("--region", callback=region, help="Only this region (e.g. Nouvelle-Aquitaine)."),
        click.option("--source", help="Only this source (wildcard *, e.g. 'atexo:*')."),
    ]):
        command = option(command)
    return command
