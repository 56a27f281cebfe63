"""Agreement between two annotations of the same notices (inter-annotator agreement), per dimension.

    python -m classifier.agreement FIRST.json SECOND.json

Only the notices both files annotate are compared. For each dimension: how many notices each annotation labels,
how many both do, the second's precision and recall taken against the first, and Cohen's kappa.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from models.vocabulary import Dimension

__all__ = ["agreement", "main"]


def _labelled(notice: dict, dimension: str) -> bool:
    return any(label["dimension"] == dimension for label in notice.get("labels") or [])


def agreement(first: dict, second: dict) -> dict[str, dict]:
    """Per dimension: counts of the two annotations over their common notices, precision / recall of the second
    against the first, and Cohen's kappa (None when undefined)."""
    common = sorted(set(first) & set(second))
    out = {}
    for dimension in (d.value for d in Dimension):
        a = [_labelled(first[k], dimension) for k in common]
        b = [_labelled(second[k], dimension) for k in common]
        both = sum(x and y for x, y in zip(a, b))
        neither = sum(not x and not y for x, y in zip(a, b))
        n = len(common)
        observed = (both + neither) / n if n else 0.0
        expected = ((sum(a) * sum(b)) + (n - sum(a)) * (n - sum(b))) / n**2 if n else 0.0
        out[dimension] = {
            "notices": n, "first": sum(a), "second": sum(b), "both": both,
            "precision": both / sum(b) if sum(b) else None, "recall": both / sum(a) if sum(a) else None,
            "kappa": (observed - expected) / (1 - expected) if expected < 1 else None,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    first, second = (json.loads(p.read_text(encoding="utf-8"))["notices"] for p in (args.first, args.second))
    for dimension, r in agreement(first, second).items():
        fmt = lambda x: "-" if x is None else f"{x:.3f}"  # noqa: E731
        print(f"{dimension:<14} notices {r['notices']}  first {r['first']}  second {r['second']}  both {r['both']}  "
              f"second vs first: P {fmt(r['precision'])} R {fmt(r['recall'])}  kappa {fmt(r['kappa'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
