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
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import fields
from pathlib import Path
from textwrap import shorten
from typing import IO

from rich.console import Console
from rich.table import Table

from models.vocabulary import (
    CONTRACT_NATURE_LABELS,
    CPV_DIVISION_LABELS,
    DIMENSION_LABELS,
    LEVER_LABELS,
    UI_LABELS,
)
from models.safe import csv_row
from storage.stats import AgreementRow, LeverRow, ReadinessRow, ShareRow
from tenderwatch.terminal import cell

SCHEMA = "tenderwatch.stats/1"
FORMATS = ("table", "csv", "json", "parquet")
ROW_TYPES = {"shares": ShareRow, "levers": LeverRow, "agreement": AgreementRow, "readiness": ReadinessRow}


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %".replace(".", ",")


def _interval(low: float | None, high: float | None) -> str:
    return "–" if low is None else f"{pct(low)} – {pct(high)}"


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


def _group_columns(table: Table, by: list[str]) -> None:
    for name in by:
        table.add_column(UI_LABELS.get(name, name))
        if name == "buyer":
            table.add_column(UI_LABELS["buyer_name"], overflow="fold")


def _group_cells(row, by: list[str]) -> list:
    """The group's cells, shown as they are (a buyer's name is the source's text: no markup, no control)."""
    cells = []
    for name in by:
        cells.append(cell(group_label(name, row.group[name])))
        if name == "buyer":
            cells.append(cell(row.group.get("buyer_name") or ""))
    return cells


def share_table(rows: list[ShareRow], by: list[str], title: str) -> Table:
    table = Table(title=title)
    _group_columns(table, by)
    table.add_column(UI_LABELS["notices"], justify="right")
    for dim in ("social", "environmental"):
        table.add_column(UI_LABELS[dim], justify="right")
        table.add_column(UI_LABELS["ci95"], justify="right")
    for r in rows:
        table.add_row(
            *_group_cells(r, by),
            str(r.notices),
            f"{r.social} ({pct(r.social_share)})",
            _interval(r.social_low, r.social_high),
            f"{r.environmental} ({pct(r.environmental_share)})",
            _interval(r.environmental_low, r.environmental_high),
        )
    return table


def lever_table(rows: list[LeverRow], by: list[str], title: str) -> Table:
    table = Table(title=title)
    _group_columns(table, by)
    for key, justify in (("dimension", "left"), ("lever", "left"), ("notices", "right"), ("count", "right"),
                         ("share", "right"), ("ci95", "right")):
        table.add_column(UI_LABELS[key], justify=justify)
    for r in rows:
        table.add_row(*_group_cells(r, by), DIMENSION_LABELS[r.dimension], lever_label(r.lever), str(r.notices),
                      str(r.count), pct(r.share), _interval(r.low, r.high),
                      end_section=r.dimension == "environmental" and r.lever == "selection_criterion")
    return table


def agreement_table(rows: list[AgreementRow], by: list[str], title: str) -> Table:
    table = Table(title=title)
    _group_columns(table, by)
    table.add_column(UI_LABELS["dimension"])
    table.add_column(UI_LABELS["lever"])
    for key in ("notices", "both", "declared_only", "detected_only", "neither", "agreement", "kappa"):
        table.add_column(UI_LABELS[key], justify="right")
    for r in rows:
        table.add_row(*_group_cells(r, by), DIMENSION_LABELS[r.dimension], lever_label(r.lever), str(r.notices),
                      str(r.both), str(r.declared_only), str(r.detected_only), str(r.neither), pct(r.agreement),
                      "–" if r.kappa is None else f"{r.kappa:.2f}".replace(".", ","))
    return table


def readiness_table(rows: list[ReadinessRow], title: str) -> Table:
    table = Table(title=title)
    table.add_column(UI_LABELS["buyer_name"], overflow="fold")
    table.add_column(UI_LABELS["siret"])
    for key in ("after_obligation", "without_environmental", "share", "ci95"):
        table.add_column(UI_LABELS[key], justify="right")
    for r in rows:
        table.add_row(cell(r.buyer_name or UI_LABELS["unknown"]), cell(r.buyer_siret or UI_LABELS["unknown"]),
                      str(r.notices),
                      str(r.without_environmental), pct(r.share), _interval(r.low, r.high))
    return table


def national_table(rows: list[dict], title: str) -> Table:
    """Census shares pivoted by year (absent figures said so), then targets and obligations; scopes in a caption."""
    from storage import national

    table = Table(title=title, caption_justify="left")
    for key in ("year", "social", "environmental", "scope"):
        table.add_column(UI_LABELS[key], overflow="fold")
    census = [r for r in rows if r["kind"] == "census"]
    for year in sorted({r["year"] for r in census}):
        cells = {r["dimension"]: r for r in census if r["year"] == year}
        shares = [pct(cells[d]["share"]) if cells[d]["share"] is not None else UI_LABELS["national_absent"]
                  for d in ("social", "environmental")]
        table.add_row(str(year), *shares, national.scope_label(cells["social"]["scope"], short=True),
                      end_section=year == max(r["year"] for r in census))
    for r in rows:
        if r["kind"] != "census":
            when = str(r["year"]) if r["year"] else r["date"]
            kind = UI_LABELS["target"] if r["kind"] == "target" else UI_LABELS["obligation"]
            shares = [pct(r["share"]) if r["dimension"] == d else "" for d in ("social", "environmental")]
            table.add_row(when, *shares, f"{kind} : {r['label']}")
    used = sorted({url for r in rows for url in (r["sources"] or "").split(" ; ") if url})
    scopes = sorted({r["scope"] for r in rows})
    table.caption = "\n".join(
        [f"{national.scope_label(s, short=True)} : {national.scope_label(s)}" for s in scopes]
        + [f"{UI_LABELS['sources']} :"] + [f"  {url}" for url in used]
    )
    return table


def _dicts(rows: list) -> list[dict]:
    return [r if isinstance(r, dict) else r.as_dict() for r in rows]


def _columns(kind: str, rows: list[dict], by: list[str]) -> list[str]:
    if rows:
        return list(rows[0])
    extra = ["buyer_name"] if "buyer" in by and kind == "shares" else []
    names = [f.name for f in fields(ROW_TYPES[kind])] if kind in ROW_TYPES else []
    return by + extra + [n for n in names if n not in ("group", "levers")]


def write_parquet(rows: list[dict], columns: list[str], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.null()) for c in columns})
    pq.write_table(table, path)


def render(kind: str, rows: list, by: list[str], fmt: str, out: IO[str] | None = None, path: Path | None = None,
           title: str = "", filters: dict | None = None, threshold: float | None = None) -> None:
    """Write `rows` of one kind in `fmt` to `out` (stdout by default) or `path` (required for parquet)."""
    if fmt == "parquet":
        dicts = _dicts(rows)
        write_parquet(dicts, _columns(kind, dicts, by), path)
        return
    if path is not None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            render(kind, rows, by, fmt, handle, None, title, filters, threshold)
        return
    out = out or sys.stdout
    if fmt == "json":
        document = {"schema": SCHEMA, "kind": kind, "group_by": by, "filters": filters, "threshold": threshold,
                    "rows": _dicts(rows)}
        json.dump(document, out, ensure_ascii=False, indent=1, default=str)
        out.write("\n")
    elif fmt == "csv":
        dicts = _dicts(rows)
        writer = csv.DictWriter(out, fieldnames=_columns(kind, dicts, by))
        writer.writeheader()
        writer.writerows(csv_row(d) for d in dicts)
    else:
        table = {
            "shares": lambda: share_table(rows, by, title),
            "levers": lambda: lever_table(rows, by, title),
            "agreement": lambda: agreement_table(rows, by, title),
            "readiness": lambda: readiness_table(rows, title),
            "national": lambda: national_table(rows, title),
        }[kind]()
        Console(file=out, width=160).print(table)


def write_rows(rows: list[ShareRow], by: list[str], fmt: str, out: IO[str] | None = None, title: str = "") -> None:
    """Shares of notices with a social / an environmental consideration (the `stats` default)."""
    render("shares", rows, by, fmt, out, title=title)
