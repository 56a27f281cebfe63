"""The dashboard's data: one function per chart, each the rows of `stats` under the dashboard's filters, so the
CSV behind a chart is exactly what it draws (`chart_rows`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.regions import DEPARTMENTS
from models.vocabulary import CPV_DIVISION_LABELS, LEVER_LABELS, UI_LABELS, Dimension, Lever
from storage import national
from storage.stats import Filters, lever_shares, shares
from tenderwatch.web.charts import Bar, Point
from tenderwatch.web.maps import geometry

DIMENSIONS = [d.value for d in Dimension]
TOP = 10
#: chart -> (kind of `stats` rows, groupings); "national" is the shipped reference series.
CHARTS = {
    "trend": ("shares", ["year"]),
    "regions": ("shares", ["region"]),
    "departments": ("shares", ["department"]),
    "levers": ("levers", []),
    "buyers": ("shares", ["buyer"]),
    "cpv": ("shares", ["cpv_division"]),
    "national": ("national", []),
}


def chart_rows(session: Session, chart: str, filters: Filters, threshold: float) -> list:
    kind, by = CHARTS[chart]
    if kind == "national":
        return national.rows()
    if kind == "levers":
        return lever_shares(session, by, filters, threshold)
    rows = shares(session, by, filters, threshold)
    if chart in ("buyers", "cpv"):
        rows.sort(key=lambda r: (-r.notices, str(next(iter(r.group.values())))))
    return rows


def trend(rows) -> dict[str, list[Point]]:
    return {
        d: [Point(r.group["year"], getattr(r, f"{d}_share"), getattr(r, f"{d}_low"), getattr(r, f"{d}_high"),
                  getattr(r, d), r.notices) for r in rows if r.group["year"] is not None]
        for d in DIMENSIONS
    }


def national_series() -> dict[str, list[Point]]:
    return {d: [Point(c.year, getattr(c, d)) for c in national.census()] for d in DIMENSIONS}


def by_key(rows, key: str) -> dict[str, tuple[float | None, int]]:
    """{region or department: (share, notices)} per dimension, for the maps."""
    return {d: {r.group[key]: (getattr(r, f"{d}_share"), r.notices) for r in rows if r.group[key]}
            for d in DIMENSIONS}


def _bar(label: str, r, href: str | None = None) -> Bar:
    return Bar(label, {d: getattr(r, f"{d}_share") for d in DIMENSIONS}, {d: getattr(r, d) for d in DIMENSIONS},
               r.notices, href)


def lever_bars(rows) -> list[Bar]:
    cells = {(r.dimension, r.lever): r for r in rows if r.lever}
    bars = []
    for lever in Lever:
        found = {d: cells.get((d, lever.value)) for d in DIMENSIONS}
        notices = next((r.notices for r in found.values() if r), 0)
        bars.append(Bar(LEVER_LABELS[lever], {d: r.share if r else None for d, r in found.items()},
                        {d: r.count for d, r in found.items() if r}, notices))
    return bars


def buyer_bars(rows, href) -> list[Bar]:
    return [_bar(r.group.get("buyer_name") or r.group["buyer"] or UI_LABELS["unknown"], r,
                 href(buyer=r.group["buyer"]) if r.group["buyer"] else None) for r in rows[:TOP]]


def cpv_bars(rows, href) -> list[Bar]:
    out = []
    for r in rows[:TOP]:
        code = r.group["cpv_division"]
        label = f"{code} – {CPV_DIVISION_LABELS.get(code, '')}" if code else UI_LABELS["unknown"]
        out.append(_bar(label, r, href(cpv_division=code) if code else None))
    return out


def outside_map(rows) -> list:
    """Department rows the metropolitan map cannot show (overseas, unknown), with their name."""
    drawn = geometry().paths
    return [(DEPARTMENTS.get(r.group["department"] or "", (UI_LABELS["unknown"],))[0], r)
            for r in rows if r.group["department"] not in drawn]
