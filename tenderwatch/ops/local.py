"""One crawl as its own `scrapy crawl` subprocess, with its log file and a timeout (SIGINT, then SIGKILL)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from models.schema import utcnow
from storage import runs
from tenderwatch.ops.outcomes import CrawlOutcome, close_as, settle
from tenderwatch.ops.schedule_file import Crawl


def crawl_command(crawl: Crawl, db_url: str, log_path: Path, settings: dict[str, str]) -> list[str]:
    """The `scrapy crawl` command line of `crawl` into the store at `db_url`."""
    command = [sys.executable, "-m", "scrapy", "crawl", crawl.spider]
    for key, value in crawl.args:
        command += ["-a", f"{key}={value}"]
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    return command + ["-s", f"TENDERWATCH_DATABASE_URL={db_url}", "-s", f"LOG_FILE={log_path}"]


class LocalCrawl:
    """Runs one crawl to its end, its timeout or a stop request, and settles its crawl_run row."""

    def __init__(self, store, crawl: Crawl, log_path: Path, timeout: float, kill_grace: float,
                 settings: dict[str, str]):
        self.store = store
        self.crawl = crawl
        self.log_path = log_path
        self.timeout = timeout
        self.kill_grace = kill_grace
        self.settings = settings
        self.process: subprocess.Popen | None = None
        self._stop = threading.Event()
        self._stopped_for: str | None = None

    def stop(self, reason: str = "stopped") -> None:
        """Ask the crawl to stop (from another thread or a signal handler): SIGINT, then SIGKILL after the grace."""
        self._stopped_for = self._stopped_for or reason
        self._stop.set()

    def run(self) -> CrawlOutcome:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = crawl_command(self.crawl, self.store.url, self.log_path, self.settings)
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
        launched = utcnow() - timedelta(seconds=1)
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            start_new_session=True)
        while self.process.poll() is None:
            if self._stop.wait(0.2):
                self._terminate()
            elif time.monotonic() - started > self.timeout:
                self._stopped_for = "timeout"
                self._terminate()
        return self._settle(launched, time.monotonic() - started)

    def _terminate(self) -> None:
        process = self.process
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(self.kill_grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _settle(self, launched, elapsed: float) -> CrawlOutcome:
        rows = runs.process_runs(self.store, socket.gethostname(), self.process.pid, launched)
        row = rows[-1] if rows else None
        code = self.process.returncode
        log = str(self.log_path)
        if self._stopped_for == "timeout":
            return close_as(self.store, self.crawl, row, runs.FAILED, "timeout",
                            f"killed after {elapsed:.0f} s (timeout {self.timeout:.0f} s)", log)
        if self._stopped_for is not None:
            return close_as(self.store, self.crawl, row, runs.INTERRUPTED, "stopped", f"stopped: {self._stopped_for}",
                            log)
        if code < 0:
            return close_as(self.store, self.crawl, row, runs.FAILED, "killed",
                            f"killed by {signal.Signals(-code).name}", log)
        if row is None and code != 0:
            return close_as(self.store, self.crawl, None, runs.FAILED, "exit",
                            f"scrapy exited with status {code} before recording a run (see {log})", log)
        return settle(self.store, self.crawl, row, log)
