"""`make bench`: run every benchmark in turn; each prints its figures and ratios side by side."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = [
    "bench.classifier_speed", "bench.stats_scale", "bench.crawl_speed", "bench.import_speed", "bench.retag_scale",
]


def main(argv: list[str]) -> int:
    names = [f"bench.{a}" for a in argv] or BENCHMARKS
    status = 0
    for name in names:
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            print(f"   not available: {exc}")
            status = 1
            continue
        status |= module.main([]) or 0
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
