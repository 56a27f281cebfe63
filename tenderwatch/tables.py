"""Rendering rows of statistics as a rich table, CSV or JSON (French labels for people, codes for machines)."""

from __future__ import annotations

import csv
import json
import sys
from typing import IO

from rich.console import Console
from rich.table import Table

from models.vocabulary import UI_LABELS
from storage.stats import ShareRow


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def share_table(rows: list[ShareRow], by: list[str], title: str) -> Table:
    table = Table(title=title)
    for name in by:
        table.add_column(UI_LABELS.get(name, name))
    table.add_column(UI_LABELS["notices"], justify="right")
    table.add_column("Sociale", justify="right")
    table.add_column("IC 95 %", justify="right")
    table.add_column("Environnementale", justify="right")
    table.add_column("IC 95 %", justify="right")
    for r in rows:
        table.add_row(
            *[str(r.group[name]) if r.group[name] is not None else UI_LABELS["unknown"] for name in by],
            str(r.notices),
            f"{r.social} ({_pct(r.social_share)})",
            f"{_pct(r.social_low)}–{_pct(r.social_high)}",
            f"{r.environmental} ({_pct(r.environmental_share)})",
            f"{_pct(r.environmental_low)}–{_pct(r.environmental_high)}",
        )
    return table


def write_rows(rows: list[ShareRow], by: list[str], fmt: str, out: IO[str] | None = None, title: str = "") -> None:
    out = out or sys.stdout
    dicts = [r.as_dict() for r in rows]
    if fmt == "json":
        json.dump({"group_by": by, "rows": dicts}, out, ensure_ascii=False, indent=1, default=str)
        out.write("\n")
    elif fmt == "csv":
        fields = by + [k for k in (dicts[0] if dicts else ShareRow({}, 0, 0, 0, *[None] * 6).as_dict()) if k not in by]
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(dicts)
    else:
        Console(file=out, width=140).print(share_table(rows, by, title))
