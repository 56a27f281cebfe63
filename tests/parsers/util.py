"""Helpers of the parser tests: what a notice declares, its sections of a kind, the names of sample files."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import SAMPLES, samples_path


def declared(notice) -> set[tuple]:
    """The (dimension, lever, lot) triples a notice declares."""
    return {(d.dimension, d.lever, d.lot) for d in notice.declared}


def sections(notice, kind: str, lot: str | None = "any") -> list:
    """The sections of a kind (of one lot when `lot` is given)."""
    return [s for s in notice.sections if s.kind == kind and (lot == "any" or s.lot == lot)]


def sample_names(*parts: str, pattern: str) -> list[str]:
    """Names of the sample files of a folder, for parametrization (one placeholder that skips when absent)."""
    folder = SAMPLES.joinpath(*parts)
    return sorted(p.name for p in folder.glob(pattern)) if folder.exists() else ["<samples absent>"]


def saved_pages(pattern: str, parse: Callable) -> dict:
    """The saved pages of ../shared/samples/boamp/html_notices_2020 matching `pattern`, parsed, by their
    reference (the aggregator's document number for pages without one)."""
    folder = samples_path("boamp", "html_notices_2020")
    return {
        p.stem.split("__")[-1] if "noref" not in p.stem else p.stem.split("__")[1]: parse(
            p.read_bytes(), where=p.name
        )
        for p in sorted(folder.glob(pattern))
    }
