"""The classifier's measured error rates, per dimension, on held-out real notices: what the statistics need to
correct a detected share for the classifier's errors (storage/correction.py reads the file as data).

For each held-out notice and each dimension, the gold label (the annotators said the notice carries a
consideration of that dimension, through any lever) is crossed with the *detected* pictogram (the classifier
detected that dimension at or above the detection threshold; declarations are left out: they need no correction).
The four counts (TP, FN, FP, TN) per dimension are written with the classifier version and the threshold to
`classifier/data/error_rates.json` (schema "tenderwatch.error_rates/1") by `tenderwatch evaluate
--write-error-rates`, which reads the held-out sets (TED R2.0.9 notices through the parsers, and the 2020 notices'
texts). Only the sets' `holdout` parts count: they were annotated without looking at the classifier, never tuned on.
"""

from __future__ import annotations

import json
from pathlib import Path

from models.vocabulary import Dimension, Lever

__all__ = ["HOLDOUT_SETS", "PATH", "SCHEMA", "confusion", "document", "load", "write"]

SCHEMA = "tenderwatch.error_rates/1"
DATA = Path(__file__).resolve().parent / "data"
PATH = DATA / "error_rates.json"
#: The held-out gold sets (file name, part kept): never used to tune the rules or the model.
HOLDOUT_SETS = (
    ("ted_r209_fr.json", "holdout"),
    ("decp_2019_objects.json", "holdout"),
    ("holdout_notices_fr_2020.json", None),
    ("holdout_b_notices_fr_2020.json", None),
)

Pair = tuple[Dimension, Lever]


def confusion(gold: dict[str, set[Pair]], detected: dict[str, set[Pair]]) -> dict[str, dict[str, int]]:
    """Per dimension, {"tp", "fn", "fp", "tn"}: gold dimension present or not, crossed with detected or not."""
    out = {d.value: {"tp": 0, "fn": 0, "fp": 0, "tn": 0} for d in Dimension}
    for doc_id, pairs in gold.items():
        found = detected.get(doc_id, set())
        for d in Dimension:
            truth = any(p[0] is d for p in pairs)
            seen = any(p[0] is d for p in found)
            key = ("tp" if seen else "fn") if truth else ("fp" if seen else "tn")
            out[d.value][key] += 1
    return out


def _total(sets: list[dict]) -> dict[str, dict[str, int]]:
    total = {d.value: {"tp": 0, "fn": 0, "fp": 0, "tn": 0} for d in Dimension}
    for s in sets:
        for dim, counts in s["counts"].items():
            for key, n in counts.items():
                total[dim][key] += n
    return total


def document(version: str, threshold: float, sets: list[dict]) -> dict:
    """The file's content: `sets` is [{"gold": file name, "part": str | None, "notices": int, "counts": {...}}];
    the dimensions' counts are their sums, with sensitivity and specificity for the reader (None when unmeasured)."""
    dimensions = {}
    for dim, c in _total(sets).items():
        positives, negatives = c["tp"] + c["fn"], c["fp"] + c["tn"]
        dimensions[dim] = {
            **c,
            "sensitivity": round(c["tp"] / positives, 4) if positives else None,
            "specificity": round(c["tn"] / negatives, 4) if negatives else None,
        }
    return {
        "schema": SCHEMA,
        "classifier_version": version,
        "threshold": threshold,
        "measured_on": "detected pictogram (classifier detections at or above the threshold; declarations left out)",
        "sets": sets,
        "dimensions": dimensions,
    }


def write(doc: dict, path: Path = PATH) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def load(path: Path = PATH) -> dict | None:
    """The shipped file's content, or None when there is none."""
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
