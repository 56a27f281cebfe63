"""National reference series shipped as data (storage/data/national_series.json), each figure with its scope and sources.

OECP census shares of contracts with a social / an environmental clause (null when no verifiable figure was found:
never estimated), the PNAD 2022-2025 targets, and the date of the loi Climat et Résilience obligation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CensusYear:
    year: int
    social: float | None
    environmental: float | None
    scope: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    id: str
    year: int
    dimension: str
    share: float
    scope: str
    source: str
    label: str


@dataclass(frozen=True)
class Obligation:
    id: str
    date: date
    dimension: str
    scope: str
    source: str
    label: str
    note: str


@lru_cache(maxsize=1)
def load() -> dict:
    """The raw document (schema "tenderwatch.national/1")."""
    text = resources.files("storage.data").joinpath("national_series.json").read_text(encoding="utf-8")
    return json.loads(text)


def census() -> list[CensusYear]:
    return [CensusYear(c["year"], c["social"], c["environmental"], c["scope"], tuple(c["sources"]))
            for c in load()["census"]]


def targets() -> list[Target]:
    return [Target(**t) for t in load()["targets"]]


def obligations() -> list[Obligation]:
    return [Obligation(**{**o, "date": date.fromisoformat(o["date"])}) for o in load()["obligations"]]


def climate_obligation_date() -> date:
    """The date from which every contract must carry an environmental consideration (tenderwatch takes 2026-08-21)."""
    return next(o.date for o in obligations() if o.dimension == "environmental")


def amount_thresholds() -> list[tuple[int | None, int | None, float]]:
    """(from_year, until_year, minimum amount in € HT) of the census scopes: the national series count contracts
    of at least 90 k€ until 2023 and 40 k€ from 2024 (None: open-ended)."""
    return sorted(((s.get("from_year"), s.get("until_year"), float(s["min_amount_eur"]))
                   for s in load()["scopes"].values() if "min_amount_eur" in s), key=lambda t: t[0] or 0)


def amount_threshold(year: int | None) -> float:
    """The census's minimum amount for a year (a notice of unknown year takes the first, stricter one)."""
    bounds = amount_thresholds()
    if year is None:
        return bounds[0][2]
    for start, end, amount in bounds:
        if (start is None or year >= start) and (end is None or year <= end):
            return amount
    return bounds[-1][2]


def scope_label(scope: str, short: bool = False) -> str:
    return load()["scopes"][scope]["short" if short else "label"]


def source(key: str) -> dict:
    return load()["sources"][key]


def rows() -> list[dict]:
    """Every figure as one flat row (census years, then targets, then obligations), with scope and source URLs."""
    def urls(keys) -> str:
        return " ; ".join(source(k)["url"] for k in keys)

    out = []
    for c in census():
        for dimension in ("social", "environmental"):
            out.append({"kind": "census", "year": c.year, "date": None, "dimension": dimension,
                        "share": getattr(c, dimension), "scope": c.scope, "scope_label": scope_label(c.scope),
                        "label": None, "sources": urls(c.sources) if getattr(c, dimension) is not None else ""})
    for t in targets():
        out.append({"kind": "target", "year": t.year, "date": None, "dimension": t.dimension, "share": t.share,
                    "scope": t.scope, "scope_label": scope_label(t.scope), "label": t.label, "sources": urls([t.source])})
    for o in obligations():
        out.append({"kind": "obligation", "year": None, "date": o.date.isoformat(), "dimension": o.dimension,
                    "share": 1.0, "scope": o.scope, "scope_label": scope_label(o.scope),
                    "label": f"{o.label} ({o.note})", "sources": urls([o.source])})
    return out
