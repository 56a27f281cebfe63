"""Statistics of responsible public purchasing, read from the store only (notices joined to their pictograms)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import Session

from models.schema import NoticeRow, PictogramRow

Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson score interval of a proportion (95 % by default); (None, None) when n is 0."""
    if n <= 0:
        return None, None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _month(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(NoticeRow.published, "YYYY-MM")
    return func.strftime("%Y-%m", NoticeRow.published)


GROUPS = ("year", "month", "region", "former_region", "department", "buyer", "source", "cpv_division",
          "contract_nature", "procedure", "notice_type")


def _group_column(session: Session, name: str):
    if name == "month":
        return _month(session)
    if name == "buyer":
        return NoticeRow.buyer_siret
    if name not in GROUPS:
        raise ValueError(f"unknown grouping {name!r}; choose among {', '.join(GROUPS)}")
    return getattr(NoticeRow, name)


@dataclass
class ShareRow:
    group: dict
    notices: int
    social: int
    environmental: int
    social_share: float | None
    social_low: float | None
    social_high: float | None
    environmental_share: float | None
    environmental_low: float | None
    environmental_high: float | None

    def as_dict(self) -> dict:
        d = asdict(self)
        group = d.pop("group")
        return {**group, **d}


@dataclass
class Filters:
    since: date | None = None
    until: date | None = None
    region: str | None = None
    source: str | None = None


def _apply_filters(query, filters: Filters | None):
    if not filters:
        return query
    if filters.since:
        query = query.where(NoticeRow.published >= filters.since)
    if filters.until:
        query = query.where(NoticeRow.published <= filters.until)
    if filters.region:
        query = query.where(NoticeRow.region == filters.region)
    if filters.source:
        query = query.where(NoticeRow.source.like(filters.source.replace("*", "%")))
    return query


def shares(session: Session, by: list[str], filters: Filters | None = None) -> list[ShareRow]:
    """Notices and shares with a social / an environmental pictogram, grouped by `by`, with Wilson 95 % bounds."""
    columns = [_group_column(session, name).label(name) for name in by]
    social = func.sum(case((PictogramRow.social.is_(True), 1), else_=0)).cast(Integer)
    env = func.sum(case((PictogramRow.environmental.is_(True), 1), else_=0)).cast(Integer)
    query = (
        select(*columns, func.count(NoticeRow.id).label("n"), social.label("s"), env.label("e"))
        .select_from(NoticeRow)
        .outerjoin(PictogramRow, PictogramRow.notice_id == NoticeRow.id)
    )
    query = _apply_filters(query, filters)
    if columns:
        query = query.group_by(*columns).order_by(*columns)
    rows = []
    for r in session.execute(query):
        n, s, e = int(r.n), int(r.s or 0), int(r.e or 0)
        s_low, s_high = wilson_interval(s, n)
        e_low, e_high = wilson_interval(e, n)
        rows.append(
            ShareRow(
                group={name: getattr(r, name) for name in by},
                notices=n,
                social=s,
                environmental=e,
                social_share=s / n if n else None,
                social_low=s_low,
                social_high=s_high,
                environmental_share=e / n if n else None,
                environmental_low=e_low,
                environmental_high=e_high,
            )
        )
    return rows
