"""The scope of the statistics, to match the national series: the buyer's country, the notice types, a minimum
amount, and the "comparable to the national series" preset; and what a scope leaves out, counted, so every figure
can say what it excludes.

- country: "FR" keeps French buyers, overseas territories included (some sources give them their own ISO code),
  and notices whose country no source gave (text documents, some platform pages: the sources are French ones);
  another ISO code keeps that country only; None or "all" keeps every notice.
- notice types: the parsers' notice_type codes (models.vocabulary.NOTICE_TYPE_LABELS).
- minimum amount (€ HT): applies where the amount is known; notices of unknown amount are kept and counted.
- comparable: what the OECP census counts, as far as the store can tell: French buyers, notified contracts (award
  notices and DECP contracts, not calls for tender), of at least 90 k€ until 2023 and 40 k€ from 2024 where the
  amount is known (storage/data/national_series.json).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from models.schema import NoticeRow
from models.vocabulary import FRANCE_OVERSEAS_CODES
from storage import national

FRANCE = "FR"
ALL = "all"
FRANCE_CODES = (FRANCE, *FRANCE_OVERSEAS_CODES)
#: The notice types that record a notified contract, as the national series count them.
COMPARABLE_NOTICE_TYPES = ("award_notice", "contract")


def effective(filters) -> tuple[str | None, tuple[str, ...], float | None, bool]:
    """(country, notice types, minimum amount, national thresholds) a Filters stands for, the preset resolved."""
    if filters.comparable:
        return FRANCE, COMPARABLE_NOTICE_TYPES, None, True
    country = None if filters.country in (None, ALL) else filters.country.upper()
    return country, tuple(filters.notice_types or ()), filters.min_amount, False


def _country_ok(country: str | None):
    if country is None:
        return None
    if country == FRANCE:
        return or_(NoticeRow.country.is_(None), NoticeRow.country.in_(FRANCE_CODES))
    return and_(NoticeRow.country.is_not(None), NoticeRow.country == country)


def _type_ok(types: tuple[str, ...]):
    return func.coalesce(NoticeRow.notice_type, "").in_(types) if types else None


def _amount_ok(min_amount: float | None, national_thresholds: bool):
    amount = NoticeRow.amount
    if national_thresholds:
        year = func.coalesce(NoticeRow.year, 0)
        bands = []
        for start, end, minimum in national.amount_thresholds():
            conditions = [amount >= minimum]
            if start is not None:
                conditions.append(year >= start)
            if end is not None:
                conditions.append(year <= end)
            bands.append(and_(*conditions))
        return or_(amount.is_(None), *bands)
    if min_amount is None:
        return None
    return or_(amount.is_(None), amount >= min_amount)


def conditions(filters) -> list:
    """The WHERE conditions of a Filters' scope (country, notice types, amount) on the notice table."""
    country, types, min_amount, thresholds = effective(filters)
    out = [_country_ok(country), _type_ok(types), _amount_ok(min_amount, thresholds)]
    return [c for c in out if c is not None]


@dataclass
class ScopeSummary:
    """What the scope keeps and leaves out among the notices the other filters (dates, region, source) keep."""

    country: str | None
    notice_types: tuple[str, ...]
    min_amount: float | None
    comparable: bool
    considered: int = 0  # notices the dates, region and source keep
    kept: int = 0
    foreign: int = 0  # excluded: a buyer of another country
    foreign_countries: dict[str, int] = field(default_factory=dict)
    unknown_country: int = 0  # kept among `kept`: no country given (counted as France)
    other_types: int = 0  # excluded by the notice types (among those of the country)
    below_amount: int = 0  # excluded: known amount below the minimum (among the previous)
    unknown_amount: int = 0  # kept among `kept`: amount unknown although a minimum applies
    no_region: int = 0  # among `kept`: notices without a region (foreign buyers, or no department given)

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def _flag(condition) -> object:
    return func.sum(case((condition, 1), else_=0))


def summary(session: Session, filters) -> ScopeSummary:
    """Count what the scope of `filters` keeps and excludes, step by step (country, then types, then amount)."""
    from storage.stats import Filters, apply_filters, counted

    country, types, min_amount, thresholds = effective(filters)
    base = replace(filters or Filters(), country=None, notice_types=(), min_amount=None, comparable=False)
    country_ok = _country_ok(country)
    if country_ok is None:
        country_ok = literal(True)
    type_ok = _type_ok(types)
    type_ok = literal(True) if type_ok is None else type_ok
    amount_ok = _amount_ok(min_amount, thresholds)
    applies = amount_ok is not None
    amount_ok = amount_ok if applies else literal(True)
    kept = and_(country_ok, type_ok, amount_ok)
    query = select(
        func.count().label("considered"),
        _flag(kept).label("kept"),
        _flag(~country_ok).label("foreign"),
        _flag(and_(kept, NoticeRow.country.is_(None))).label("unknown_country") if country == FRANCE
        else literal(0).label("unknown_country"),
        _flag(and_(country_ok, ~type_ok)).label("other_types"),
        _flag(and_(country_ok, type_ok, ~amount_ok)).label("below_amount"),
        _flag(and_(kept, NoticeRow.amount.is_(None))).label("unknown_amount") if applies
        else literal(0).label("unknown_amount"),
        _flag(and_(kept, NoticeRow.region.is_(None))).label("no_region"),
    ).select_from(NoticeRow)
    row = session.execute(counted(session, apply_filters(query, base))).one()
    out = ScopeSummary(country, types, min_amount, thresholds,
                       **{k: int(getattr(row, k) or 0) for k in ("considered", "kept", "foreign", "unknown_country",
                                                                  "other_types", "below_amount", "unknown_amount",
                                                                  "no_region")})
    if out.foreign:
        by_country = select(NoticeRow.country, func.count()).where(~country_ok).group_by(NoticeRow.country)
        out.foreign_countries = {code or "?": int(n) for code, n in session.execute(
            counted(session, apply_filters(by_country, base)))}
        out.foreign_countries = dict(sorted(out.foreign_countries.items(), key=lambda kv: (-kv[1], kv[0])))
    return out
