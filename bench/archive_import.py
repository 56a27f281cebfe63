"""Reading DECP from ZIP archives against the same files unzipped: contracts per second and peak memory of the
parsing alone (the store's share is measured by `tenderwatch import` under /usr/bin/time, bench/RESULTS.md).

    .venv/bin/python -m bench.archive_import ../shared/samples/external/decp/format2019_json_zips /tmp/decp-unzipped

Each side runs in a fresh process (peak RSS is the process's), three times; the best time is kept.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def _read(paths: list[str]) -> dict:
    from crawler.parsers.errors import ParseError
    from crawler.parsers.files import iter_paths
    from crawler.parsers.inputs import read_inputs

    start = time.perf_counter()
    notices = errors = 0
    for path in iter_paths([Path(p) for p in paths]):
        for found in read_inputs(path):
            for result in found.results:
                if isinstance(result, ParseError):
                    errors += 1
                else:
                    notices += 1
    seconds = time.perf_counter() - start
    return {"notices": notices, "errors": errors, "seconds": seconds,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--child":
        print(json.dumps(_read(argv[1:])))
        return
    zipped, unzipped = argv[0], argv[1]
    for label, folder in (("zip", zipped), ("unzipped", unzipped)):
        runs = [json.loads(subprocess.run([sys.executable, "-m", "bench.archive_import", "--child", folder],
                                          check=True, capture_output=True, text=True).stdout) for _ in range(3)]
        best = min(runs, key=lambda r: r["seconds"])
        print(f"{label:9} {best['notices']:,} contracts in {best['seconds']:.2f} s = "
              f"{best['notices'] / best['seconds']:,.0f} contracts/s, peak RSS {best['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
