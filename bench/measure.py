"""Running one command and measuring it: wall and CPU seconds, peak resident memory, exit status, output."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_measured(command: list[str], env: dict | None = None, tail: int = 5000) -> dict:
    """Run `command` from the project root: wall seconds, CPU seconds and peak RSS in MiB of that process and its
    waited children (os.wait4), its exit status and the last `tail` characters of its output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.time()
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=err,
                                   text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.time() - started
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024,
                "status": os.waitstatus_to_exitcode(status), "stdout": out.read()[-tail:],
                "stderr": err.read()[-tail:]}
