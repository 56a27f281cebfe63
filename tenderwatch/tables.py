"""Rendering statistics as a rich table, CSV, JSON or Parquet (French labels for people, codes for machines).

JSON (schema "tenderwatch.stats/1", stable; keys are added, never renamed):
  {"schema": "tenderwatch.stats/1", "kind": "shares" | "levers" | "agreement" | "readiness" | "national",
   "group_by": [grouping, ...], "filters": {"since", "until", "region", "source", "origin"} | null,
   "threshold": float | null, "rows": [row, ...]}
Rows (CSV and Parquet have the same columns, one per key; shares are proportions in [0, 1], bounds are Wilson 95 %):
  shares:    <grouping>..., [buyer_name], notices, social, environmental, social_share, social_low, social_high,
             environmental_share, environmental_low, environmental_high
  levers:    <grouping>..., dimension, lever (null: the dimension, any lever), notices, count, share, low, high
  agreement: <grouping>..., dimension, lever, notices, both, declared_only, detected_only, neither, agreement, kappa
  readiness: buyer_siret, buyer_name, notices (published from the obligation date), without_environmental, share,
             low, high
  national:  kind (census | target | obligation), year, date, dimension, share, scope, scope_label, label, sources
             (source URLs joined by " ; "); census shares are null where no verified figure exists
  corrected: <grouping>..., notices, then for social and environmental: <dim>_detected, <dim>_share, <dim>_low,
             <dim>_high (the detected share, Wilson 95 %), <dim>_corrected, <dim>_corrected_low,
             <dim>_corrected_high (Rogan-Gladen prevalence and its bootstrap 95 % interval; null when not corrected)
The JSON document also carries "scope" (what the country, notice-type and amount filters kept and excluded:
storage.scope.ScopeSummary) and, for "corrected", "correction" (method, status per dimension, the error rates).
Terminal tables follow the terminal's width (rich's detection; 80 columns when not a terminal); long cells fold.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import fields
from pathlib import Path
from textwrap import fill, shorten
from typing import IO

from rich.console import Console
from rich.table import Table

from models.vocabulary import (
    CONTRACT_NATURE_LABELS,
    COUNTRY_LABELS,
    CPV_DIVISION_LABELS,
    LEVER_LABELS,
    NOTICE_TYPE_LABELS,
    UI_LABELS,
)
from models.safe import csv_row
from storage.correction import CorrectedRow
from storage.stats import AgreementRow, LeverRow, ReadinessRow, ShareRow
from tenderwatch.terminal import cell

SCHEMA = "tenderwatch.stats/1"
FORMATS = ("table", "csv", "json", "parquet")
ROW_TYPES = {"shares": ShareRow, "levers": LeverRow, "agreement": AgreementRow, "readiness": ReadinessRow}
DIMENSIONS = ("social", "environmental")


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %".replace(".", ",")


def _interval(low: float | None, high: float | None) -> str:
    """A 95 % interval as "11,8 – 76,9 %" (one % sign: narrow terminals)."""
    if low is None or high is None:
        return "–"
    return f"{100 * low:.1f} – {100 * high:.1f} %".replace(".", ",")


def number(value: float | int) -> str:
    """12 345 (French thousands separator, a narrow no-break space)."""
    return f"{value:,.0f}".replace(",", "\u202f")


def truncate_words(text: str | None, width: int) -> str:
    """`text` on one line cut at a word boundary to at most `width` characters, "…" marking a cut."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut and not text[width - 1].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def scope_sentence(summary) -> str:
    """What a scope (storage.scope.ScopeSummary) kept and excluded, in one French sentence."""
    from storage import national

    u = UI_LABELS
    parts = [u["scope_kept"].format(kept=number(summary.kept), considered=number(summary.considered))]
    if summary.country is None:
        parts.append(u["scope_all_countries"])
    elif summary.country == "FR":
        parts.append(u["scope_france"])
    else:
        parts.append(u["scope_country"].format(country=COUNTRY_LABELS.get(summary.country, summary.country)))
    if summary.foreign:
        codes = ", ".join(f"{c} {n}" for c, n in list(summary.foreign_countries.items())[:5])
        if len(summary.foreign_countries) > 5:
            codes += ", …"
        parts.append(u["scope_foreign"].format(n=number(summary.foreign), codes=codes))
    if summary.unknown_country:
        parts.append(u["scope_unknown_country"].format(n=number(summary.unknown_country)))
    if summary.notice_types:
        types = ", ".join(NOTICE_TYPE_LABELS.get(t, t) for t in summary.notice_types)
        parts.append(u["scope_types"].format(types=types, n=number(summary.other_types)))
    if summary.comparable:
        bands = []
        for start, end, amount in national.amount_thresholds():
            key, year = ("scope_until", end) if end is not None else ("scope_from", start)
            bands.append(u[key].format(amount=number(amount), year=year))
        parts.append(u["scope_national_amounts"].format(bands=" et ≥ ".join(bands), below=number(summary.below_amount),
                                                        unknown=number(summary.unknown_amount)))
    elif summary.min_amount is not None:
        parts.append(u["scope_min_amount"].format(amount=number(summary.min_amount),
                                                  below=number(summary.below_amount),
                                                  unknown=number(summary.unknown_amount)))
    if summary.no_region:
        parts.append(u["scope_no_region"].format(n=number(summary.no_region)))
    prefix = u["scope_comparable"] if summary.comparable else u["scope"]
    return f"{prefix} : " + " ; ".join(parts) + "."


def correction_sentences(applicable, threshold: float | None = None) -> list[str]:
    """How the corrected shares were obtained (or why a dimension was not corrected), in French."""
    from storage import correction

    u, rates = UI_LABELS, applicable.rates
    lines = []
    if any(applicable.applies(d) for d in DIMENSIONS):
        lines.append(u["correction_method"])
        for d in DIMENSIONS:
            r = rates.dimensions.get(d)
            if r is not None and r.sensitivity is not None and r.specificity is not None:
                lines.append(u["correction_rates"].format(
                    dimension=u[d], se=f"{r.sensitivity:.3f}".replace(".", ","), tp=r.tp, positives=r.tp + r.fn,
                    sp=f"{r.specificity:.3f}".replace(".", ","), tn=r.tn, negatives=r.tn + r.fp))
        lines.append(u["correction_measured"].format(
            notices=rates.notices, sets=", ".join(rates.sets), version=rates.version,
            threshold=f"{rates.threshold:.2f}".replace(".", ",")))
    for d in DIMENSIONS:
        status = applicable.status[d]
        if status == correction.CORRECTED:
            continue
        text = u[f"correction_{status}"].format(
            versions=", ".join(applicable.versions) or "?", rates_version=rates.version if rates else "?",
            threshold=f"{threshold:.2f}".replace(".", ",") if threshold is not None else "?",
            rates_threshold=f"{rates.threshold:.2f}".replace(".", ",") if rates else "?")
        lines.append(f"{u[d]} : {text}")
    return lines


def group_label(name: str, value) -> str:
    """A grouping value as people read it (codes of contract natures and CPV divisions get their label)."""
    if value is None:
        return UI_LABELS["unknown"]
    if name == "contract_nature":
        return CONTRACT_NATURE_LABELS.get(value, str(value))
    if name == "cpv_division":
        label = CPV_DIVISION_LABELS.get(str(value))
        return f"{value} {shorten(label, 44, placeholder=' …')}" if label else str(value)
    return str(value)


def lever_label(lever: str | None) -> str:
    return UI_LABELS["any_lever"] if lever is None else LEVER_LABELS.get(lever, lever)


def _table(title: str) -> Table:
    return Table(title=title, caption_justify="left", title_justify="left")


def _number_column(table: Table, header: str) -> None:
    table.add_column(header, justify="right", no_wrap=True)


def _group_columns(table: Table, by: list[str]) -> None:
    for name in by:
        table.add_column(UI_LABELS.get(name, name), overflow="fold", min_width=4)
        if name == "buyer":
            table.add_column(UI_LABELS["buyer_name"], overflow="fold", min_width=8)


def _group_texts(row, by: list[str]) -> list[str]:
    texts = []
    for name in by:
        texts.append(group_label(name, row.group[name]))
        if name == "buyer":
            texts.append(row.group.get("buyer_name") or "")
    return texts


def _group_cells(row, by: list[str]) -> list:
    """The group's cells, shown as they are (a buyer's name is the source's text: no markup, no control)."""
    return [cell(text) for text in _group_texts(row, by)]


def _share_cell(count: int, share: float | None, low: float | None, high: float | None, compact: bool) -> list[str]:
    text = f"{count} ({pct(share)})"
    return [f"{text}\n{_interval(low, high)}"] if compact else [text, _interval(low, high)]


def share_table(rows: list[ShareRow], by: list[str], title: str, compact: bool = False) -> Table:
    """Per group, the notices and each dimension's count, share and Wilson interval; `compact` puts the interval
    under the share, in the same column (narrow terminals)."""
    table = _table(title)
    _group_columns(table, by)
    _number_column(table, UI_LABELS["notices"])
    for dim in DIMENSIONS:
        _number_column(table, f"{UI_LABELS[dim]}\n({UI_LABELS['ci95']})" if compact else UI_LABELS[dim])
        if not compact:
            _number_column(table, UI_LABELS["ci95"])
    for r in rows:
        cells = []
        for dim in DIMENSIONS:
            cells += _share_cell(getattr(r, dim), getattr(r, f"{dim}_share"), getattr(r, f"{dim}_low"),
                                 getattr(r, f"{dim}_high"), compact)
        table.add_row(*_group_cells(r, by), str(r.notices), *cells, end_section=compact)
    return table


def corrected_table(rows: list[CorrectedRow], by: list[str], title: str, compact: bool = False) -> Table:
    """Per group: each dimension's detected share beside its corrected prevalence, the corrected interval under it
    (or beside it when the terminal is wide enough)."""
    table = _table(title)
    _group_columns(table, by)
    _number_column(table, UI_LABELS["notices"])
    for dim in DIMENSIONS:
        _number_column(table, f"{UI_LABELS[dim]}\n{UI_LABELS['detected']}")
        if compact:
            _number_column(table, f"{UI_LABELS[dim]}\n{UI_LABELS['corrected']}\n({UI_LABELS['ci95']})")
        else:
            _number_column(table, f"{UI_LABELS[dim]}\n{UI_LABELS['corrected']}")
            _number_column(table, UI_LABELS["corrected_ci"].replace(" corrigé", "\ncorrigé"))
    for r in rows:
        cells = []
        for dim in DIMENSIONS:
            v = r.values[dim]
            corrected, interval = pct(v["corrected"]), _interval(v["corrected_low"], v["corrected_high"])
            cells.append(f"{v['detected']} ({pct(v['share'])})")
            cells += [f"{corrected}\n{interval}"] if compact else [corrected, interval]
        table.add_row(*_group_cells(r, by), str(r.notices), *cells, end_section=compact)
    return table


def lever_table(rows: list[LeverRow], by: list[str], title: str) -> Table:
    table = _table(title)
    _group_columns(table, by)
    table.add_column(UI_LABELS["dimension"], overflow="fold")
    table.add_column(UI_LABELS["lever"], overflow="fold")
    for key in ("notices", "count", "share", "ci95"):
        _number_column(table, UI_LABELS[key])
    for r in rows:
        table.add_row(*_group_cells(r, by), UI_LABELS[r.dimension], lever_label(r.lever), str(r.notices),
                      str(r.count), pct(r.share), _interval(r.low, r.high),
                      end_section=r.dimension == "environmental" and r.lever == "selection_criterion")
    return table


def compared(row: AgreementRow) -> bool:
    """Whether anything was declared or detected: otherwise an agreement of 100 % means nothing."""
    return row.both + row.declared_only + row.detected_only > 0


def agreement_text(row: AgreementRow) -> str:
    return pct(row.agreement) if compared(row) else UI_LABELS["not_applicable"]


def kappa_text(row: AgreementRow) -> str:
    return "–" if row.kappa is None else f"{row.kappa:.2f}".replace(".", ",")


def agreement_table(rows: list[AgreementRow], by: list[str], title: str) -> Table:
    """Per dimension (then each of its levers, indented): both, declared only, detected only, neither, observed
    agreement and kappa; "–" where nothing was declared or detected (an agreement of 100 % would mean nothing)."""
    table = _table(title)
    _group_columns(table, by)
    table.add_column(UI_LABELS["dimension_lever"], overflow="fold", min_width=12)
    for key in ("notices", "both", "declared_only", "detected_only", "neither", "agreement", "kappa"):
        table.add_column(UI_LABELS.get(f"{key}_short", UI_LABELS[key]), justify="right", overflow="fold")
    order = {None: -1, **{lever: i for i, lever in enumerate(LEVER_LABELS)}}
    dims = {d: i for i, d in enumerate(DIMENSIONS)}
    rows = sorted(rows, key=lambda r: (_group_texts(r, by), dims.get(r.dimension, 9), order.get(r.lever, 99)))
    for r in rows:
        label = UI_LABELS[r.dimension] if r.lever is None else f"  {lever_label(r.lever)}"
        table.add_row(*_group_cells(r, by), label, str(r.notices), str(r.both), str(r.declared_only),
                      str(r.detected_only), str(r.neither), pct(r.agreement) if compared(r) else "–", kappa_text(r),
                      end_section=r.lever == "selection_criterion")
    notes = [f"{UI_LABELS['agreement_short']} : {UI_LABELS['agreement']} ; "
             f"{UI_LABELS['kappa_short']} : {UI_LABELS['kappa']}."]
    if any(not compared(r) for r in rows):
        notes.append(f"– : {UI_LABELS['nothing_to_compare']}.")
    table.caption = "\n".join(notes)
    return table


def readiness_table(rows: list[ReadinessRow], title: str) -> Table:
    from storage.buyers import siret_of

    table = _table(title)
    table.add_column(UI_LABELS["buyer_name"], overflow="fold", ratio=1)
    table.add_column(UI_LABELS["siret"], no_wrap=True)
    for key in ("after_obligation", "without_environmental"):
        table.add_column(fill(UI_LABELS[key], 16), justify="right", no_wrap=True)
    table.add_column(f"{UI_LABELS['share']}\n({UI_LABELS['ci95']})", justify="right", no_wrap=True)
    for r in rows:
        siret = siret_of(r.buyer_siret)
        name = r.buyer_name or (None if siret else r.buyer_siret) or UI_LABELS["unknown"]
        table.add_row(cell(name), cell(siret or "–"), str(r.notices), str(r.without_environmental),
                      f"{pct(r.share)}\n{_interval(r.low, r.high)}")
    return table


def national_table(rows: list[dict], title: str) -> Table:
    """Census shares pivoted by year (absent figures said so), then targets and obligations; scopes in a caption."""
    from storage import national

    table = _table(title)
    table.add_column(UI_LABELS["year"], no_wrap=True)
    table.add_column(UI_LABELS["social"], justify="right", no_wrap=True)
    table.add_column(UI_LABELS["environmental"], justify="right", no_wrap=True)
    table.add_column(UI_LABELS["scope"], overflow="fold", ratio=1)
    census = [r for r in rows if r["kind"] == "census"]
    previous = None
    for year in sorted({r["year"] for r in census}):
        cells = {r["dimension"]: r for r in census if r["year"] == year}
        shares = [pct(cells[d]["share"]) if cells[d]["share"] is not None else "–" for d in DIMENSIONS]
        scope = cells["social"]["scope"]
        table.add_row(str(year), *shares, national.scope_label(scope, short=True) if scope != previous else "",
                      end_section=year == max(r["year"] for r in census))
        previous = scope
    for r in rows:
        if r["kind"] != "census":
            when = str(r["year"]) if r["year"] else r["date"]
            kind = UI_LABELS["target"] if r["kind"] == "target" else UI_LABELS["obligation"]
            shares = [pct(r["share"]) if r["dimension"] == d else "" for d in ("social", "environmental")]
            table.add_row(when, *shares, f"{kind} : {r['label']}")
    used = sorted({url for r in rows for url in (r["sources"] or "").split(" ; ") if url})
    scopes = sorted({r["scope"] for r in rows})
    table.caption = "\n".join(
        [f"– : {UI_LABELS['national_absent']}"]
        + [f"{national.scope_label(s, short=True)} : {national.scope_label(s)}" for s in scopes]
        + [f"{UI_LABELS['sources']} :"] + [f"  {url}" for url in used]
    )
    return table


def natural_width(console: Console, table: Table) -> int:
    """The width `table` takes when nothing has to wrap."""
    return table.__rich_measure__(console, console.options.update_width(100_000)).maximum


def _dicts(rows: list) -> list[dict]:
    return [r if isinstance(r, dict) else r.as_dict() for r in rows]


def _columns(kind: str, rows: list[dict], by: list[str]) -> list[str]:
    if rows:
        return list(rows[0])
    if kind == "corrected":
        keys = ("detected", "share", "low", "high", "corrected", "corrected_low", "corrected_high")
        return list(CorrectedRow(dict.fromkeys(by), 0, {d: dict.fromkeys(keys) for d in DIMENSIONS}).as_dict())
    extra = ["buyer_name"] if "buyer" in by and kind == "shares" else []
    names = [f.name for f in fields(ROW_TYPES[kind])] if kind in ROW_TYPES else []
    return by + extra + [n for n in names if n not in ("group", "levers")]


def write_parquet(rows: list[dict], columns: list[str], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.null()) for c in columns})
    pq.write_table(table, path)


def render(kind: str, rows: list, by: list[str], fmt: str, out: IO[str] | None = None, path: Path | None = None,
           title: str = "", filters: dict | None = None, threshold: float | None = None,
           notes: list[str] | tuple[str, ...] = (), extra: dict | None = None, width: int | None = None) -> None:
    """Write `rows` of one kind in `fmt` to `out` (stdout by default) or `path` (required for parquet). `notes`
    (sentences on the scope, the correction...) go under a terminal table; `extra` into the JSON document. A
    terminal table takes the console's width (`width` forces one)."""
    if fmt == "parquet":
        dicts = _dicts(rows)
        write_parquet(dicts, _columns(kind, dicts, by), path)
        return
    if path is not None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            render(kind, rows, by, fmt, handle, None, title, filters, threshold, notes, extra, width)
        return
    out = out or sys.stdout
    if fmt == "json":
        document = {"schema": SCHEMA, "kind": kind, "group_by": by, "filters": filters, "threshold": threshold,
                    **(extra or {}), "rows": _dicts(rows)}
        json.dump(document, out, ensure_ascii=False, indent=1, default=str)
        out.write("\n")
    elif fmt == "csv":
        dicts = _dicts(rows)
        writer = csv.DictWriter(out, fieldnames=_columns(kind, dicts, by))
        writer.writeheader()
        writer.writerows(csv_row(d) for d in dicts)
    else:
        builders = {
            "shares": lambda compact: share_table(rows, by, title, compact),
            "levers": lambda compact: lever_table(rows, by, title),
            "agreement": lambda compact: agreement_table(rows, by, title),
            "readiness": lambda compact: readiness_table(rows, title),
            "national": lambda compact: national_table(rows, title),
            "corrected": lambda compact: corrected_table(rows, by, title, compact),
        }
        console = Console(file=out, width=width)
        table = builders[kind](False)
        natural = natural_width(console, table)
        if width is None and not console.is_terminal and not os.environ.get("COLUMNS"):
            # piped or redirected: no terminal to fit, so the whole table (rich would crop it at 80 columns)
            console = Console(file=out, width=max(natural, console.width))
        elif natural > console.width:
            table = builders[kind](True)
        if notes:
            table.caption = "\n".join(([table.caption] if table.caption else []) + list(notes))
        console.print(table)


def write_rows(rows: list[ShareRow], by: list[str], fmt: str, out: IO[str] | None = None, title: str = "",
               notes: list[str] | tuple[str, ...] = ()) -> None:
    """Shares of notices with a social / an environmental consideration (the `stats` default)."""
    render("shares", rows, by, fmt, out, title=title, notes=notes)
