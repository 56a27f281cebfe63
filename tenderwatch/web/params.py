"""Query parameters shared by the API and the pages, validated once (a bad one is a 422 saying which and why).

An empty value means "not set" (the pages' forms send empty menus), so a shared URL reads the same way.
"""

from __future__ import annotations

from datetime import date

from fastapi import HTTPException, Query

from storage.notices import NoticeNotFound, find_notice
from storage.queries import NoticeFilters
from storage.stats import GROUPS, ORIGINS, Filters

DEPARTMENT = r"^(\d{2,3}|2[AaBb])?$"
YES_NO = r"^(yes|no|true|false|oui|non)?$"
DATE = r"^(\d{4}|\d{4}-\d{2}-\d{2})?$"


def published_notice(session, source: str, source_id: str):
    """The stored notice a path names, or 404: unknown, or set aside by an operator (`tenderwatch notices`: a
    quarantined notice is never published)."""
    try:
        row = find_notice(session, f"{source}:{source_id}")
    except NoticeNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    if row.quarantined_at is not None:
        raise HTTPException(404, f"notice {source}:{source_id} is quarantined")
    return row


def bad(name: str, message: str) -> HTTPException:
    return HTTPException(422, f"{name}: {message}")


def yes_no(value: str | None) -> bool | None:
    if not value:
        return None
    return value.lower() in ("yes", "true", "oui")


def day(name: str, value: str | None, end: bool = False) -> date | None:
    """YYYY-MM-DD, or a year YYYY (its first day, or its last with `end`)."""
    if not value:
        return None
    try:
        return date(int(value), 12 if end else 1, 31 if end else 1) if len(value) == 4 else date.fromisoformat(value)
    except ValueError:
        raise bad(name, f"{value!r} is not a date (YYYY-MM-DD or YYYY)") from None


def groupings(value: str | None, default: list[str]) -> list[str]:
    if value is None:
        return default
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        raise bad("by", f"unknown grouping {', '.join(unknown)}; choose among {', '.join(GROUPS)}")
    return names


def notice_filters(
    region: str | None = Query(None, max_length=64, description="Region (2016), e.g. Nouvelle-Aquitaine"),
    department: str | None = Query(None, pattern=DEPARTMENT, description="INSEE department code, e.g. 33, 2A"),
    buyer: str | None = Query(None, max_length=200, description="Buyer's SIRET (or name where none is published)"),
    cpv: str | None = Query(None, pattern=r"^(\d{2,8})?$", description="CPV division (2 digits) or code prefix"),
    source: str | None = Query(None, max_length=64, description="Source, wildcard *: boamp, atexo:*"),
    year: int | None = Query(None, ge=1990, le=2100, description="Year of publication"),
    social: str | None = Query(None, pattern=YES_NO, description="Social pictogram on (yes) or off (no)"),
    environmental: str | None = Query(None, pattern=YES_NO, description="Environmental pictogram on (yes) or off (no)"),
    q: str | None = Query(None, max_length=200, description="Words of the title"),
) -> NoticeFilters:
    return NoticeFilters(region or None, (department or "").upper() or None, buyer or None, cpv or None,
                         source or None, year, yes_no(social), yes_no(environmental), (q or "").strip() or None)


def stats_filters(
    since: str | None = Query(None, pattern=DATE, description="Published from (YYYY-MM-DD, or a year)"),
    until: str | None = Query(None, pattern=DATE, description="Published up to (YYYY-MM-DD, or a year)"),
    region: str | None = Query(None, max_length=64, description="Only this region"),
    source: str | None = Query(None, max_length=64, description="Only this source (wildcard *)"),
    origin: str = Query("all", description=f"Which considerations count: {', '.join(ORIGINS)}"),
    department: str | None = Query(None, pattern=DEPARTMENT, description="Only this department"),
    buyer: str | None = Query(None, max_length=200, description="Only this buyer (SIRET)"),
    cpv_division: str | None = Query(None, pattern=r"^(\d{2})?$", description="Only this CPV division"),
    unit: str = Query("procedure", pattern="^(procedure|notice)$",
                      description="What a row counts: procedures (the notices of one procedure once) or notices"),
    country: str = Query("FR", max_length=3, description="Buyers of this country (ISO code, FR with the overseas "
                         "territories by default; 'all' for every notice)"),
    notice_type: str | None = Query(None, max_length=200, description="Only these notice types, comma-separated"),
    min_amount: float | None = Query(None, ge=0, description="At least this amount (€ HT) where it is known"),
    comparable: bool = Query(False, description="The national series' scope (sets country, types and amounts)"),
) -> Filters:
    from models.vocabulary import COUNTRY_LABELS, FRANCE_OVERSEAS_CODES, NOTICE_TYPE_LABELS

    if origin not in ORIGINS:
        raise bad("origin", f"{origin!r} is not one of {', '.join(ORIGINS)}")
    first, last = day("since", since), day("until", until, end=True)
    if first and last and first > last:
        raise bad("until", "is before since")
    code = country.strip().upper()
    if code != "ALL" and code not in COUNTRY_LABELS and code not in FRANCE_OVERSEAS_CODES:
        raise bad("country", f"{country!r} is not an ISO country code (e.g. FR, BE) nor 'all'")
    types = tuple(t.strip() for t in (notice_type or "").split(",") if t.strip())
    unknown = [t for t in types if t not in NOTICE_TYPE_LABELS]
    if unknown:
        raise bad("notice_type", f"{unknown[0]!r} is not one of {', '.join(NOTICE_TYPE_LABELS)}")
    if comparable and (country.strip().upper() != "FR" or types or min_amount is not None):
        raise bad("comparable", "sets the country, notice types and amounts itself: drop country, notice_type and "
                  "min_amount")
    return Filters(first, last, region or None, source or None, origin, (department or "").upper() or None,
                   buyer or None, cpv_division or None, unit=unit, country="all" if code == "ALL" else code,
                   notice_types=types, min_amount=min_amount, comparable=comparable)
