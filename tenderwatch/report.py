"""The HTML report for researchers: PNG charts (matplotlib, Agg) and tables inlined in one self-contained file.

Trend of the social and environmental shares by year (Wilson 95 % bands) beside the national series, levers by
year, regions compared, top buyers and CPV divisions, declared versus detected, and the methodology. No network:
CSS is inline and images are base64 PNG; the same PNG files are written beside the HTML for reuse.
"""

from __future__ import annotations

import base64
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from textwrap import shorten

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from sqlalchemy import func, select

from models.safe import printable
from models.schema import ConsiderationRow, NoticeRow
from models.vocabulary import (
    CPV_DIVISION_LABELS,
    DIMENSION_LABELS,
    LEVER_LABELS,
    ORIGIN_LABELS,
    UI_LABELS,
    Dimension,
    Origin,
)
from storage import national
from storage.stats import (
    LEVERS,
    AgreementRow,
    Filters,
    ShareRow,
    agreement,
    readiness,
    shares,
    wilson_interval,
)
from tenderwatch.tables import group_label, lever_label, pct

COLOURS = {"social": "#5b3c88", "environmental": "#1e6b35"}
LEVER_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d"]
AGREEMENT_COLOURS = {"both": "#2b6cb0", "declared_only": "#9ac1e6", "detected_only": "#e8a33d"}
TOP = 15
FIRST_YEAR = 2017
CHARTS = ("trend", "levers", "regions", "buyers", "cpv", "agreement")


@dataclass
class Chart:
    name: str
    title: str
    alt: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class ReportData:
    region: str | None
    since: int
    threshold: float
    by_year: list[ShareRow]
    regions: list[ShareRow]
    buyers: list[ShareRow]
    cpv: list[ShareRow]
    agreement: list[AgreementRow]
    readiness: list
    sources: list[tuple[str, int]]
    versions: list[tuple[str, int]]
    period: tuple[date | None, date | None]
    total: int
    charts: list[Chart] = field(default_factory=list)


def _percent_axis(ax, top: float | None = None) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.0f} %"))
    ax.set_ylim(0, top)
    ax.grid(axis="y", alpha=0.3)


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _empty(fig: Figure) -> None:
    fig.text(0.5, 0.5, UI_LABELS["no_data"], ha="center", va="center", fontsize=14, color="#666")


def trend_chart(data: ReportData) -> Figure:
    """Shares by year with Wilson bands, OECP census points, PNAD 2025 targets and the climate-law date."""
    fig = Figure(figsize=(10, 5))
    ax = fig.add_subplot()
    rows = [r for r in data.by_year if r.group["year"] is not None]
    if not rows:
        _empty(fig)
        return fig
    years = [r.group["year"] for r in rows]
    for dim in ("social", "environmental"):
        share = [getattr(r, f"{dim}_share") for r in rows]
        ax.fill_between(years, [getattr(r, f"{dim}_low") for r in rows], [getattr(r, f"{dim}_high") for r in rows],
                        color=COLOURS[dim], alpha=0.18, linewidth=0)
        ax.plot(years, share, marker="o", color=COLOURS[dim], label=f"{DIMENSION_LABELS[dim]} (avis)")
        census = [(c.year, getattr(c, dim)) for c in national.census()
                  if getattr(c, dim) is not None and min(years) - 1 <= c.year <= max(years) + 1]
        if census:
            ax.plot(*zip(*census), linestyle="none", marker="D", markersize=7, markerfacecolor="white",
                    markeredgewidth=2, color=COLOURS[dim], label=f"{UI_LABELS['national_oecp']} : {UI_LABELS[dim].lower()}")
        for target in national.targets():
            if target.dimension == dim:
                ax.plot([target.year], [target.share], marker="*", markersize=14, linestyle="none", color=COLOURS[dim],
                        label=f"{UI_LABELS['pnad_target']} : {UI_LABELS[dim].lower()} {pct(target.share)}")
    obligation = national.climate_obligation_date()
    x = obligation.year + (obligation.timetuple().tm_yday - 1) / 365
    ax.axvline(x, color="#444", linestyle="--", linewidth=1)
    ax.annotate(f"{UI_LABELS['climate_law']}\n{obligation.strftime('%d/%m/%Y')}", (x, 0.03), xycoords=("data", "axes fraction"),
                ha="right", va="bottom", fontsize=8, color="#444", xytext=(-4, 0), textcoords="offset points")
    ax.set_xticks(sorted(set(years) | {obligation.year}))
    _percent_axis(ax, 1.05)
    ax.set_ylabel(UI_LABELS["share_of_notices"])
    ax.legend(fontsize=8, loc="upper left", framealpha=0.9)
    ax.set_title(f"{UI_LABELS['chart_trend']}\nbandes : {UI_LABELS['wilson_band']}", fontsize=11)
    return fig


def levers_chart(data: ReportData) -> Figure:
    """One panel per dimension: the share of notices using each lever, year by year."""
    fig = Figure(figsize=(10, 4.4))
    rows = [r for r in data.by_year if r.group["year"] is not None]
    if not rows:
        _empty(fig)
        return fig
    years = [r.group["year"] for r in rows]
    top = max([r.levers[k] / r.notices for r in rows for k in r.levers if r.notices] + [0.01]) * 1.15
    axes = fig.subplots(1, 2, sharey=True)
    for ax, dim in zip(axes, Dimension):
        for colour, lever in zip(LEVER_COLOURS, LEVERS[dim]):
            values = [r.levers[f"{dim.value}:{lever.value}"] / r.notices if r.notices else None for r in rows]
            ax.plot(years, values, marker=".", color=colour, label=LEVER_LABELS[lever])
        ax.set_title(DIMENSION_LABELS[dim], fontsize=10, color=COLOURS[dim.value])
        ax.set_xticks(years)
        ax.tick_params(axis="x", labelrotation=45, labelsize=8)
        _percent_axis(ax, top)
        ax.legend(fontsize=7, loc="upper left")
    axes[0].set_ylabel(UI_LABELS["share_of_notices"])
    fig.suptitle(UI_LABELS["chart_levers"], fontsize=11)
    return fig


def _share_bars(rows: list[ShareRow], labels: list[str], title: str, highlight: str | None = None) -> Figure:
    """Horizontal bars of both shares per group with Wilson error bars, the first row on top."""
    fig = Figure(figsize=(10, 0.42 * max(len(rows), 3) + 1.4))
    ax = fig.add_subplot()
    if not rows:
        _empty(fig)
        return fig
    positions = list(range(len(rows)))[::-1]
    height = 0.38
    for offset, dim in ((height / 2, "social"), (-height / 2, "environmental")):
        share = [getattr(r, f"{dim}_share") or 0 for r in rows]
        err = [[max(0, s - (getattr(r, f"{dim}_low") or 0)) for s, r in zip(share, rows)],
               [max(0, (getattr(r, f"{dim}_high") or 0) - s) for s, r in zip(share, rows)]]
        ax.barh([p + offset for p in positions], share, height=height, xerr=err, color=COLOURS[dim],
                error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#333"}, label=DIMENSION_LABELS[dim])
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=8)
    for tick, label in zip(ax.get_yticklabels(), labels):
        if highlight and label.startswith(highlight):
            tick.set_fontweight("bold")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.0f} %"))
    ax.set_xlim(0, min(1, max([r.social_high or 0 for r in rows] + [r.environmental_high or 0 for r in rows]) * 1.1 + 0.02))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel(f"{UI_LABELS['share_of_notices']} — barres : {UI_LABELS['wilson_band']}")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.09 - 0.25 / len(rows)), ncol=2, frameon=False)
    ax.set_title(title, fontsize=11)
    return fig


def _buyer_label(row: ShareRow) -> str:
    name = row.group.get("buyer_name") or UI_LABELS["unknown"]
    return f"{shorten(name, 45, placeholder=' …')} ({row.notices} avis)"


def agreement_chart(data: ReportData) -> Figure:
    """Stacked bars per dimension and lever: declared and detected, declared only, detected only."""
    rows = [r for r in data.agreement if r.both + r.declared_only + r.detected_only > 0]
    fig = Figure(figsize=(10, 0.42 * max(len(rows), 3) + 1.4))
    ax = fig.add_subplot()
    if not rows:
        _empty(fig)
        return fig
    positions = list(range(len(rows)))[::-1]
    left = [0] * len(rows)
    for key, colour in AGREEMENT_COLOURS.items():
        values = [getattr(r, key) / r.notices if r.notices else 0 for r in rows]
        ax.barh(positions, values, left=left, color=colour, label=UI_LABELS[key])
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(positions)
    ax.set_yticklabels([f"{UI_LABELS[r.dimension]} · {lever_label(r.lever)} ({r.notices} avis)" for r in rows], fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:.0f} %"))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel(f"{UI_LABELS['share_of_notices']} (avis portant des déclarations)")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.09 - 0.25 / len(rows)), ncol=3, frameon=False)
    ax.set_title(UI_LABELS["chart_agreement"], fontsize=11)
    return fig


def _plain(text: str) -> str:
    """Sort key ignoring accents, so Île-de-France sorts among the I."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def collect(store, region: str | None, since: int, threshold: float) -> ReportData:
    """Everything the report shows, read from the store in a few grouped queries."""
    filters = Filters(since=date(since, 1, 1), region=region)
    with store.session() as session:
        by_year = shares(session, ["year"], filters, threshold, levers=True)
        regions = shares(session, ["region"], Filters(since=date(since, 1, 1)), threshold)
        buyers = sorted(shares(session, ["buyer"], filters, threshold), key=lambda r: -r.notices)
        cpv = sorted(shares(session, ["cpv_division"], filters, threshold), key=lambda r: -r.notices)
        agreements = agreement(session, [], filters, threshold)
        ready = readiness(session, national.climate_obligation_date(), filters, threshold)[:10]
        scoped = select(NoticeRow.id).where(NoticeRow.published >= filters.since, NoticeRow.quarantined_at.is_(None))
        if region:
            scoped = scoped.where(NoticeRow.region == region)
        base = select(NoticeRow.source, func.count()).where(NoticeRow.id.in_(scoped))
        sources = [tuple(r) for r in session.execute(base.group_by(NoticeRow.source).order_by(func.count().desc()))]
        versions = [tuple(r) for r in session.execute(
            select(ConsiderationRow.classifier_version, func.count())
            .where(ConsiderationRow.origin == Origin.DETECTED.value, ConsiderationRow.classifier_version.is_not(None))
            .group_by(ConsiderationRow.classifier_version).order_by(ConsiderationRow.classifier_version))]
        period = tuple(session.execute(select(func.min(NoticeRow.published), func.max(NoticeRow.published))
                                       .where(NoticeRow.id.in_(scoped))).one())
    regions = sorted((r for r in regions if r.group["region"]), key=lambda r: _plain(r.group["region"]))
    return ReportData(region, since, threshold, by_year, regions,
                      [r for r in buyers if r.group["buyer"]][:TOP], [r for r in cpv if r.group["cpv_division"]][:TOP],
                      agreements, ready, sources, versions, period, sum(r.notices for r in by_year))


def draw(data: ReportData) -> list[Chart]:
    """The six charts, with alternative texts."""
    place = data.region or UI_LABELS["whole_country"]
    figures = [
        ("trend", UI_LABELS["chart_trend"], trend_chart(data)),
        ("levers", UI_LABELS["chart_levers"], levers_chart(data)),
        ("regions", UI_LABELS["chart_regions"],
         _share_bars(data.regions, [r.group["region"] for r in data.regions],
                     f"{UI_LABELS['chart_regions']} (depuis {data.since})", highlight=data.region)),
        ("buyers", UI_LABELS["chart_buyers"],
         _share_bars(data.buyers, [_buyer_label(r) for r in data.buyers], f"{UI_LABELS['chart_buyers']} ({place})")),
        ("cpv", UI_LABELS["chart_cpv"],
         _share_bars(data.cpv, [f"{group_label('cpv_division', r.group['cpv_division'])} ({r.notices} avis)"
                                for r in data.cpv], f"{UI_LABELS['chart_cpv']} ({place})")),
        ("agreement", UI_LABELS["chart_agreement"], agreement_chart(data)),
    ]
    return [Chart(name, title, f"{title} — {place}, depuis {data.since}", _png(fig)) for name, title, fig in figures]


def _census_by_year() -> dict[int, national.CensusYear]:
    return {c.year: c for c in national.census()}


def _no_controls(value):
    """Every value the template prints, without control characters (a buyer's name is the source's text);
    markup the report builds itself is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


def render(data: ReportData) -> str:
    env = Environment(loader=PackageLoader("tenderwatch", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      finalize=_no_controls)
    env.filters["pct"] = pct
    env.filters["interval"] = lambda row, dim: (
        f"{pct(getattr(row, dim + '_low'))} – {pct(getattr(row, dim + '_high'))}")
    return env.get_template("report.html.j2").render(
        d=data, ui=UI_LABELS, dimensions=DIMENSION_LABELS, levers=LEVER_LABELS, origins=ORIGIN_LABELS,
        cpv_labels=CPV_DIVISION_LABELS, census=_census_by_year(), national=national, lever_label=lever_label,
        group_label=group_label, wilson=wilson_interval, generated=datetime.now().strftime("%d/%m/%Y %H:%M"),
        obligation=national.climate_obligation_date(), lever_keys=LEVERS,
        threshold_text=f"{data.threshold:.2f}".replace(".", ","),
    )


def build_report(store, out_dir: Path, region: str | None = None, since: int = FIRST_YEAR,
                 threshold: float = 0.5) -> Path:
    """Write report.html (self-contained) and the chart PNGs into out_dir; returns the HTML path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = collect(store, region, since, threshold)
    data.charts = draw(data)
    for chart in data.charts:
        (out_dir / f"{chart.name}.png").write_bytes(chart.png)
    path = out_dir / "report.html"
    path.write_text(render(data), encoding="utf-8")
    return path
