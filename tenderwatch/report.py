"""The HTML report for researchers: PNG charts (matplotlib, Agg) and tables inlined in one self-contained file.

Trend of the social and environmental shares by year (Wilson 95 % intervals) beside the national series and the
same shares on the scope comparable to it, the shares corrected for the classifier's measured errors, levers with
their intervals and counts, regions compared (every region, with its number of notices, and the notices without a
region), top buyers and CPV divisions, declared versus detected with its key finding, climate-law readiness, and
the method. No network: CSS is inline and images are base64 PNG; the same PNG files are written beside the HTML.

Every chart has its table of values beside it. One colour per dimension and one per lever, the same everywhere.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from textwrap import shorten

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from sqlalchemy import func, select

from models.regions import REGIONS
from models.safe import printable
from models.text import fold
from workflow.correction import shipped_error_rates
from models.schema import ConsiderationRow, NoticeRow
from models.vocabulary import (
    CPV_DIVISION_LABELS,
    DIMENSION_LABELS,
    LEVER_LABELS,
    NOTICE_TYPE_LABELS,
    ORIGIN_LABELS,
    UI_LABELS,
    Dimension,
    Lever,
    Origin,
    source_label,
)
from storage import national
from storage.buyers import merge_buyers, merge_readiness, siret_of
from storage.correction import Applicability, CorrectedRow, ErrorRates, corrected_shares
from storage.scope import ScopeSummary, summary
from storage.stats import (
    LEVERS,
    AgreementRow,
    Filters,
    ShareRow,
    apply_filters,
    agreement,
    counted,
    readiness,
    shares,
    wilson_interval,
)
from tenderwatch.tables import (
    agreement_text,
    compared,
    correction_sentences,
    group_label,
    kappa_text,
    lever_label,
    number,
    pct,
    scope_sentence,
)

COLOURS = {"social": "#5b3c88", "environmental": "#1e6b35"}
MARKERS = {"social": "o", "environmental": "s"}
LINESTYLES = {"social": "-", "environmental": "--"}
#: One colour per lever, the same in every panel and chart (Okabe-Ito palette, distinct from the dimensions').
LEVER_COLOURS = {
    Lever.CONTRACT_SUBJECT.value: "#0072B2",
    Lever.TECHNICAL_SPECIFICATION.value: "#56B4E9",
    Lever.EXECUTION_CONDITION.value: "#E69F00",
    Lever.AWARD_CRITERION.value: "#D55E00",
    Lever.RESERVATION.value: "#CC79A7",
    Lever.SELECTION_CRITERION.value: "#009E73",
}
AGREEMENT_COLOURS = {"both": "#2b6cb0", "declared_only": "#9ac1e6", "detected_only": "#e8a33d"}
TOP = 15
FIRST_YEAR = 2017
SMALL = 10  # fewer notices than this: a share is drawn light, as unreliable
DODGE = 0.12  # years: the social and environmental points side by side, never on top of each other
CHARTS = ("trend", "levers", "regions", "buyers", "cpv", "agreement")
FONT = 10


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
class RegionRow:
    """A region of the comparison: its shares, or None when the store holds no notice of it."""

    name: str | None  # None: the notices without a region
    row: ShareRow | None


@dataclass
class ReportData:
    region: str | None
    since: int
    threshold: float
    by_year: list[ShareRow]
    regions: list[RegionRow]
    buyers: list[ShareRow]
    cpv: list[ShareRow]
    agreement: list[AgreementRow]
    readiness: list
    sources: list[tuple[str, int]]
    versions: list[tuple[str, int]]
    period: tuple[date | None, date | None]
    total: int
    scope: ScopeSummary | None = None
    comparable_by_year: list[ShareRow] = field(default_factory=list)
    comparable_scope: ScopeSummary | None = None
    comparable_total: ShareRow | None = None
    overall: ShareRow | None = None  # the whole period, with its lever counts
    corrected_by_year: list[CorrectedRow] = field(default_factory=list)
    corrected_total: CorrectedRow | None = None
    correction: Applicability | None = None
    regions_scope: ScopeSummary | None = None
    charts: list[Chart] = field(default_factory=list)


def _percent(value, _=None) -> str:
    return f"{100 * value:.0f} %"


def _percent_axis(ax, top: float | None = None) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(_percent))
    ax.set_ylim(0, top)
    ax.grid(axis="y", alpha=0.3)


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _empty(fig: Figure) -> None:
    fig.text(0.5, 0.5, UI_LABELS["no_data"], ha="center", va="center", fontsize=14, color="#666")


def _dated(rows: list[ShareRow]) -> list[ShareRow]:
    return [r for r in rows if r.group.get("year") is not None]


def trend_chart(data: ReportData) -> Figure:
    """Shares by year with their Wilson intervals as error bars (social and environmental side by side, with their
    own marker and line style), OECP census points, PNAD 2025 targets and the climate-law date; legend below."""
    fig = Figure(figsize=(9, 5.6))
    ax = fig.add_subplot()
    rows = _dated(data.by_year)
    if not rows:
        _empty(fig)
        return fig
    years = [r.group["year"] for r in rows]
    handles = []
    for dim, offset in (("social", -DODGE), ("environmental", DODGE)):
        x = [y + offset for y in years]
        share = [getattr(r, f"{dim}_share") for r in rows]
        low = [s - getattr(r, f"{dim}_low") for s, r in zip(share, rows)]
        high = [getattr(r, f"{dim}_high") - s for s, r in zip(share, rows)]
        ax.errorbar(x, share, yerr=[low, high], color=COLOURS[dim], marker=MARKERS[dim], linestyle=LINESTYLES[dim],
                    linewidth=1.8, markersize=6, elinewidth=1, capsize=3, alpha=0.95, zorder=3)
        handles.append(Line2D([], [], color=COLOURS[dim], marker=MARKERS[dim], linestyle=LINESTYLES[dim],
                              label=f"{DIMENSION_LABELS[dim]} (avis de la base, IC 95 %)"))
        census = [(c.year + offset, getattr(c, dim)) for c in national.census()
                  if getattr(c, dim) is not None and min(years) - 1 <= c.year <= max(years) + 1]
        if census:
            ax.plot(*zip(*census), linestyle="none", marker="D", markersize=8, markerfacecolor="white",
                    markeredgewidth=2, color=COLOURS[dim], zorder=4)
            handles.append(Line2D([], [], linestyle="none", marker="D", markerfacecolor="white", markeredgewidth=2,
                                  color=COLOURS[dim], label=f"{UI_LABELS['national_oecp']} : {UI_LABELS[dim].lower()}"))
        for target in national.targets():
            if target.dimension == dim and min(years) - 1 <= target.year <= max(years) + 1:
                ax.plot([target.year + offset], [target.share], marker="*", markersize=15, linestyle="none",
                        color=COLOURS[dim], zorder=4)
                handles.append(Line2D([], [], linestyle="none", marker="*", markersize=12, color=COLOURS[dim],
                                      label=f"{UI_LABELS['pnad_target']} : {UI_LABELS[dim].lower()} "
                                            f"{pct(target.share)}"))
    obligation = national.climate_obligation_date()
    x = obligation.year + (obligation.timetuple().tm_yday - 1) / 365
    if x <= max(years) + 1:
        ax.axvline(x, color="#444", linestyle=":", linewidth=1.5)
        handles.append(Line2D([], [], color="#444", linestyle=":", linewidth=1.5,
                              label=f"{UI_LABELS['climate_law']} ({obligation.strftime('%d/%m/%Y')})"))
    ax.set_xticks(years)
    ax.set_xticklabels([f"{r.group['year']}\n{r.notices} avis" for r in rows], fontsize=FONT - 2)
    ax.set_xlim(min(years) - 0.5, max(max(years), x if x <= max(years) + 1 else 0) + 0.5)
    _percent_axis(ax, 1.05)
    ax.tick_params(axis="y", labelsize=FONT)
    ax.set_ylabel(UI_LABELS["share_of_notices"], fontsize=FONT)
    ax.legend(handles=handles, fontsize=FONT - 1, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2,
              frameon=False)
    ax.set_title(UI_LABELS["chart_trend"], fontsize=FONT + 1)
    return fig


def levers_chart(data: ReportData) -> Figure:
    """One panel per dimension: the share of notices using each lever over the period, with Wilson error bars and
    the count written beside each bar; each lever has its own colour, the same in both panels."""
    fig = Figure(figsize=(9, 4.8))
    overall = data.overall
    if overall is None or not overall.notices:
        _empty(fig)
        return fig
    n = overall.notices
    tops = []
    for dim in Dimension:
        for lever in LEVERS[dim]:
            tops.append(wilson_interval(overall.levers[f"{dim.value}:{lever.value}"], n)[1] or 0)
    top = min(1.0, max(tops + [0.05]) * 1.35)
    axes = fig.subplots(1, 2, sharex=True)
    for ax, dim in zip(axes, Dimension):
        levers = LEVERS[dim]
        positions = list(range(len(levers)))[::-1]
        for position, lever in zip(positions, levers):
            count = overall.levers[f"{dim.value}:{lever.value}"]
            share = count / n
            low, high = wilson_interval(count, n)
            ax.barh([position], [share], xerr=[[share - low], [high - share]], color=LEVER_COLOURS[lever.value],
                    height=0.65, label=lever.value, error_kw={"elinewidth": 1, "capsize": 3, "ecolor": "#333"})
            ax.text(high + top * 0.02, position, f"{count} ({pct(share)})", va="center", fontsize=FONT - 2)
        ax.set_yticks(positions)
        ax.set_yticklabels([LEVER_LABELS[lever] for lever in levers], fontsize=FONT - 1)
        ax.set_xlim(0, top)
        ax.xaxis.set_major_formatter(FuncFormatter(_percent))
        ax.tick_params(axis="x", labelsize=FONT - 2)
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(DIMENSION_LABELS[dim], fontsize=FONT, color=COLOURS[dim.value])
    fig.suptitle(f"{UI_LABELS['chart_levers_period']} — {number(n)} avis, barres : IC 95 % (Wilson)",
                 fontsize=FONT + 1)
    fig.subplots_adjust(wspace=0.85)
    return fig


def _legend_below(fig: Figure, ax, handles, ncol: int) -> None:
    """The legend just under the x-axis label, whatever the figure's height (an offset in inches, not in axes
    fraction, which would grow with the number of rows)."""
    height = fig.get_figheight() * (fig.subplotpars.top - fig.subplotpars.bottom)
    ax.legend(handles=handles, fontsize=FONT - 2, loc="upper center", bbox_to_anchor=(0.5, -0.62 / height),
              ncol=ncol, frameon=False)


def _bars(ax, rows: list[ShareRow | None], positions: list[float]) -> None:
    """Both shares per row, with Wilson error bars; small groups light; a share of 0 marked so it is not taken for
    an absent row; no bar at all for an absent row (None)."""
    height = 0.38
    for offset, dim in ((height / 2, "social"), (-height / 2, "environmental")):
        for position, r in zip(positions, rows):
            if r is None or not r.notices:
                continue
            share = getattr(r, f"{dim}_share")
            low, high = getattr(r, f"{dim}_low"), getattr(r, f"{dim}_high")
            light = r.notices < SMALL
            ax.barh([position + offset], [share], height=height, color=COLOURS[dim], alpha=0.4 if light else 1,
                    xerr=[[share - low], [high - share]],
                    error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#333"})
            if share == 0:
                ax.plot([0], [position + offset], marker="|", markersize=9, markeredgewidth=2, color=COLOURS[dim])
            ax.text(high + 0.01, position + offset, pct(share).replace(",0 %", " %"), va="center",
                    fontsize=FONT - 3, color="#333")


def _share_bars(rows: list[ShareRow | None], labels: list[str], title: str, highlight: str | None = None,
                note: str | None = None) -> Figure:
    """Horizontal bars of both shares per group with Wilson error bars, the first row on top; absent rows (None)
    say "aucun avis"; the legend (with the small-sample key) under the chart."""
    fig = Figure(figsize=(9, 0.44 * max(len(rows), 3) + 1.8))
    ax = fig.add_subplot()
    if not rows:
        _empty(fig)
        return fig
    positions = list(range(len(rows)))[::-1]
    _bars(ax, rows, positions)
    for position, r in zip(positions, rows):
        if r is None or not r.notices:
            ax.text(0.01, position, UI_LABELS["no_notice"], va="center", fontsize=FONT - 2, color="#777",
                    style="italic")
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=FONT - 1)
    for tick, label in zip(ax.get_yticklabels(), labels):
        if highlight and label.startswith(highlight):
            tick.set_fontweight("bold")
    ax.xaxis.set_major_formatter(FuncFormatter(_percent))
    highs = [max(r.social_high or 0, r.environmental_high or 0) for r in rows if r is not None and r.notices]
    ax.set_xlim(0, min(1.12, max(highs + [0.1]) + 0.1))
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(axis="x", labelsize=FONT - 2)
    ax.set_xlabel(f"{UI_LABELS['share_of_notices']} — barres : {UI_LABELS['wilson_band']}", fontsize=FONT - 1)
    handles = [Patch(color=COLOURS[d], label=DIMENSION_LABELS[d]) for d in ("social", "environmental")]
    handles.append(Patch(color="#888", alpha=0.4, label=UI_LABELS["small_sample_legend"].format(n=SMALL)))
    _legend_below(fig, ax, handles, 3)
    ax.set_title(title, fontsize=FONT + 1)
    return fig


def region_label(region: RegionRow) -> str:
    name = region.name or UI_LABELS["no_region"]
    if region.row is None or not region.row.notices:
        return f"{name} (0 avis)"
    return f"{name} ({region.row.notices} avis)"


def buyer_name(row: ShareRow) -> str:
    return row.group.get("buyer_name") or UI_LABELS["unknown"]


def _buyer_label(row: ShareRow) -> str:
    return f"{shorten(buyer_name(row), 45, placeholder=' …')} ({row.notices} avis)"


def agreement_chart(data: ReportData) -> Figure:
    """Stacked bars per dimension and lever (only where something was declared or detected): declared and
    detected, declared only, detected only."""
    rows = [r for r in data.agreement if compared(r)]
    fig = Figure(figsize=(9, 0.44 * max(len(rows), 3) + 1.6))
    ax = fig.add_subplot()
    if not rows:
        _empty(fig)
        return fig
    positions = list(range(len(rows)))[::-1]
    left = [0.0] * len(rows)
    for key, colour in AGREEMENT_COLOURS.items():
        values = [getattr(r, key) / r.notices if r.notices else 0 for r in rows]
        ax.barh(positions, values, left=left, color=colour, label=UI_LABELS[key])
        for position, value, start, r in zip(positions, values, left, rows):
            if getattr(r, key):
                ax.text(start + value / 2, position, str(getattr(r, key)), va="center", ha="center",
                        fontsize=FONT - 2, color="white" if key == "both" else "#222")
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(positions)
    ax.set_yticklabels([f"{UI_LABELS[r.dimension]} · {lever_label(r.lever)} ({r.notices} avis)" for r in rows],
                       fontsize=FONT - 1)
    ax.xaxis.set_major_formatter(FuncFormatter(_percent))
    ax.set_xlim(0, 1)
    ax.grid(axis="x", alpha=0.3)
    ax.tick_params(axis="x", labelsize=FONT - 2)
    ax.set_xlabel(f"{UI_LABELS['share_of_notices']} (avis portant des déclarations)", fontsize=FONT - 1)
    _legend_below(fig, ax, ax.get_legend_handles_labels()[0], 3)
    ax.set_title(UI_LABELS["chart_agreement"], fontsize=FONT + 1)
    return fig


def agreement_order(rows: list[AgreementRow]) -> list[AgreementRow]:
    """Each dimension, then its levers."""
    levers = {None: -1, **{lever.value: i for i, lever in enumerate(Lever)}}
    dims = {d.value: i for i, d in enumerate(Dimension)}
    return sorted(rows, key=lambda r: (dims[r.dimension], levers[r.lever]))


def findings(rows: list[AgreementRow]) -> list[str]:
    """The finding that matters in declared versus detected: of the notices declaring a dimension, how many the
    classifier found too."""
    out = []
    for r in rows:
        if r.lever is not None:
            continue
        declared = r.both + r.declared_only
        adjective = UI_LABELS[f"adjective_{r.dimension}"]
        if not declared:
            out.append(UI_LABELS["finding_none"].format(adjective=adjective))
            continue
        out.append(UI_LABELS["finding_declared"].format(declared=declared, adjective=adjective, both=r.both,
                                                        share=pct(r.both / declared), detected_only=r.detected_only))
    return out


def _plain(text: str) -> str:
    """Sort key ignoring accents, so Île-de-France sorts among the I."""
    return fold(text)


def collect(store, region: str | None, since: int, threshold: float, rates: ErrorRates | None = None,
            country: str | None = "FR") -> ReportData:
    """Everything the report shows, read from the store in a few grouped queries."""
    filters = Filters(since=date(since, 1, 1), region=region, country=country)
    comparable = replace(filters, country=None, comparable=True)
    everywhere = replace(filters, region=None)
    with store.session() as session:
        by_year = shares(session, ["year"], filters, threshold, levers=True)
        overall = shares(session, [], filters, threshold, levers=True)
        comparable_by_year = shares(session, ["year"], comparable, threshold)
        comparable_total = shares(session, [], comparable, threshold)
        kept, kept_comparable, kept_regions = (summary(session, f) for f in (filters, comparable, everywhere))
        by_region = {r.group["region"]: r for r in shares(session, ["region"], everywhere, threshold)}
        buyers = merge_buyers(shares(session, ["buyer"], filters, threshold))
        cpv = sorted(shares(session, ["cpv_division"], filters, threshold), key=lambda r: -r.notices)
        agreements = agreement(session, [], filters, threshold)
        ready = merge_readiness(readiness(session, national.climate_obligation_date(), filters, threshold))[:10]
        corrected_by_year, applicable = corrected_shares(session, ["year"], filters, rates, threshold)
        corrected_total, _ = corrected_shares(session, [], filters, rates, threshold)
        ids = counted(session, apply_filters(select(NoticeRow.id), filters))  # never a quarantined notice
        base = select(NoticeRow.source, func.count()).where(NoticeRow.id.in_(ids))
        sources = [tuple(r) for r in session.execute(base.group_by(NoticeRow.source).order_by(func.count().desc(),
                                                                                               NoticeRow.source))]
        versions = [tuple(r) for r in session.execute(
            select(ConsiderationRow.classifier_version, func.count())
            .where(ConsiderationRow.origin == Origin.DETECTED.value, ConsiderationRow.classifier_version.is_not(None),
                   ConsiderationRow.notice_id.in_(ids))
            .group_by(ConsiderationRow.classifier_version).order_by(ConsiderationRow.classifier_version))]
        period = tuple(session.execute(select(func.min(NoticeRow.published), func.max(NoticeRow.published))
                                       .where(NoticeRow.id.in_(ids))).one())
    regions = [RegionRow(name, by_region.get(name)) for name in sorted(REGIONS, key=_plain)]
    if None in by_region:
        regions.append(RegionRow(None, by_region[None]))
    return ReportData(
        region, since, threshold, by_year, regions, buyers[:TOP],
        [r for r in cpv if r.group["cpv_division"]][:TOP], agreements, ready, sources, versions, period,
        sum(r.notices for r in by_year), scope=kept, comparable_by_year=comparable_by_year,
        comparable_scope=kept_comparable, comparable_total=comparable_total[0] if comparable_total else None,
        overall=overall[0] if overall else None, corrected_by_year=corrected_by_year,
        corrected_total=corrected_total[0] if corrected_total else None, correction=applicable,
        regions_scope=kept_regions,
    )


def draw(data: ReportData) -> list[Chart]:
    """The six charts, with alternative texts."""
    place = data.region or UI_LABELS["whole_country"]
    figures = [
        ("trend", UI_LABELS["chart_trend"], trend_chart(data)),
        ("levers", UI_LABELS["chart_levers_period"], levers_chart(data)),
        ("regions", UI_LABELS["chart_regions"],
         _share_bars([r.row for r in data.regions], [region_label(r) for r in data.regions],
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


def census_runs() -> list[tuple[str, list[national.CensusYear]]]:
    """The census years in runs of one scope, so the scope is said once per run."""
    runs: list[tuple[str, list[national.CensusYear]]] = []
    for c in national.census():
        if runs and runs[-1][0] == c.scope:
            runs[-1][1].append(c)
        else:
            runs.append((c.scope, [c]))
    return runs


def classifier_text(version: str) -> str:
    """A classifier version as people read it: declared version and training-data fingerprint."""
    declared, _, data = version.partition("+")
    if declared.startswith("rules-"):
        return UI_LABELS["classifier_rules_only"].format(declared=declared.removeprefix("rules-"))
    if not data:
        return UI_LABELS["classifier_version_text"].format(version=UI_LABELS["classifier_declared"].format(
            declared=declared))
    detail = UI_LABELS["classifier_trained"].format(declared=declared, data=data)
    return f"{UI_LABELS['classifier_version_text'].format(version=f'version {version}')} ({detail})"


def render(data: ReportData) -> str:
    env = Environment(loader=PackageLoader("tenderwatch", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      finalize=_no_controls)
    env.filters["pct"] = pct
    env.filters["interval"] = lambda row, dim: (
        "–" if getattr(row, dim + "_low") is None else
        f"{pct(getattr(row, dim + '_low'))} – {pct(getattr(row, dim + '_high'))}")
    env.filters["number"] = number
    comparable_by_year = {r.group["year"]: r for r in data.comparable_by_year}
    return env.get_template("report.html.j2").render(
        d=data, ui=UI_LABELS, dimensions=DIMENSION_LABELS, levers=LEVER_LABELS, origins=ORIGIN_LABELS,
        cpv_labels=CPV_DIVISION_LABELS, census=_census_by_year(), census_runs=census_runs(), national=national,
        lever_label=lever_label, group_label=group_label, wilson=wilson_interval,
        generated=datetime.now().strftime("%d/%m/%Y %H:%M"), obligation=national.climate_obligation_date(),
        lever_keys=LEVERS, lever_colours=LEVER_COLOURS, colours=COLOURS,
        threshold_text=f"{data.threshold:.2f}".replace(".", ","), comparable_by_year=comparable_by_year,
        scope_text=scope_sentence(data.scope) if data.scope else "",
        comparable_text=scope_sentence(data.comparable_scope) if data.comparable_scope else "",
        regions_text=scope_sentence(data.regions_scope) if data.regions_scope else "",
        correction_text=[line for line in (correction_sentences(data.correction, data.threshold)
                                           if data.correction else []) if line != UI_LABELS["correction_method"]],
        findings=findings(data.agreement), agreement_rows=agreement_order(data.agreement), agreement_text=agreement_text, kappa_text=kappa_text, compared=compared,
        source_label=source_label, classifier_text=classifier_text, siret_of=siret_of, buyer_name=buyer_name,
        region_label=region_label, small=SMALL, notice_types=NOTICE_TYPE_LABELS,
    )


def build_report(store, out_dir: Path, region: str | None = None, since: int = FIRST_YEAR,
                 threshold: float = 0.5, rates: ErrorRates | None = None, country: str | None = "FR") -> Path:
    """Write report.html (self-contained) and the chart PNGs into out_dir; returns the HTML path. `rates`: the
    classifier's measured error rates (default: the file shipped with the classifier)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = collect(store, region, since, threshold, rates if rates is not None else shipped_error_rates(), country)
    data.charts = draw(data)
    for chart in data.charts:
        (out_dir / f"{chart.name}.png").write_bytes(chart.png)
    path = out_dir / "report.html"
    path.write_text(render(data), encoding="utf-8")
    return path
