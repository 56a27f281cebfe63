"""`make bench`: run every benchmark in turn; each prints its figures and ratios side by side.

    python -m bench                      # every benchmark at the sizes of bench/RESULTS.md (hours on 2 cores)
    python -m bench --quick              # every benchmark small (a few minutes): same figures, same ratios
    python -m bench crawl_speed import_speed
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = [
    "bench.classifier_speed", "bench.tag_speed", "bench.stats_scale", "bench.crawl_speed", "bench.import_speed", "bench.retag_scale",
    "bench.planner_stats",
]
# Small sizes: a check that a machine or a change keeps its ratios, not the figures of RESULTS.md.
QUICK = {
    "bench.classifier_speed": ["--baseline-sample", "20"],
    "bench.tag_speed": ["--n", "60", "--repeat", "1"],
    "bench.stats_scale": ["--n", "20000", "--rebuild"],
    "bench.crawl_speed": ["--n", "500", "--repeat", "1"],
    "bench.import_speed": ["--n", "500", "--repeat", "1"],
    "bench.retag_scale": ["--n", "2000"],
    "bench.planner_stats": ["--notices", "20000"],
}


def main(argv: list[str]) -> int:
    """Each benchmark in its own process: a child forked from a process that had loaded another benchmark's
    model would report that process's memory as its own peak (Linux keeps the high-water mark across exec)."""
    quick = "--quick" in argv
    names = [f"bench.{a}" for a in argv if a != "--quick"] or BENCHMARKS
    root = Path(__file__).resolve().parent.parent
    status = 0
    for name in names:
        print(f"== {name}{' (quick)' if quick else ''}", flush=True)
        if not (root / (name.replace(".", "/") + ".py")).exists():
            print(f"   not available: no module {name}")
            status = 1
            continue
        args = QUICK.get(name, []) if quick else []
        status |= subprocess.run([sys.executable, "-m", name, *args], cwd=root).returncode != 0
    return int(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
