"""Shared pieces of the operations tests: demo records, schedule files, local SMTP and HTTP sinks, subprocesses."""

from __future__ import annotations

import json
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import func, select

from models.schema import CrawlRunRow, NoticeRow
from tenderwatch.crawling import POLITENESS_OFF
from tenderwatch.ops.schedule_file import load_schedule

FAST = {**POLITENESS_OFF, "LOG_LEVEL": "INFO", "ROBOTSTXT_OBEY": False}


def record(i: int) -> dict:
    return {
        "source_id": f"2026-OPS-{i:03d}",
        "title": f"Nettoyage des locaux de la mairie, lot {i}",
        "buyer_name": "Commune de Testville",
        "department": "33",
        "cpv_codes": ["90910000"],
        "procedure": "Procédure adaptée",
        "contract_nature": "services",
        "published": "2026-11-20",
        "deadline": "2026-12-20T12:00:00",
        "lots": [],
        "sections": [{"heading": "Objet de la consultation", "kind": "object", "text": f"Nettoyage {i}."}],
    }


def records(n: int) -> list[dict]:
    return [record(i) for i in range(1, n + 1)]


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))


def write_schedule(path: Path, jobs: list[dict], **top) -> Path:
    """A schedule file with these jobs (tables of job keys) and top-level keys (tables for notify / scrapyd)."""
    lines = [f"{k} = {_toml(v)}" for k, v in top.items() if not isinstance(v, dict)]
    for key, table in top.items():
        if isinstance(table, dict):
            lines += [f"[{key}]"] + [f"{k} = {_toml(v)}" for k, v in table.items()]
    for job in jobs:
        lines += ["[[jobs]]"] + [f"{k} = {_toml(v)}" for k, v in job.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def demo_job(job_id: str, site, platform: str = "demo", settings: dict | None = None, **extra) -> dict:
    """A job crawling the demo site `site` as Atexo platform `platform`, quickly and without tagging."""
    return {"id": job_id, "cron": "0 1 * * *", "spider": "atexo",
            "args": {"platform": platform, "base_url": site.base_url},
            "settings": {**FAST, **(settings or {})}, "tag": False, **extra}


def demo_schedule(tmp_path: Path, jobs: list[dict], **top):
    return load_schedule(write_schedule(tmp_path / "schedule.toml", jobs, **top))


def count_notices(store, source: str | None = None) -> tuple[int, int]:
    """(notices, distinct source ids) in the store, of `source` when given."""
    with store.session() as session:
        query = select(func.count(), func.count(func.distinct(NoticeRow.source_id))).select_from(NoticeRow)
        if source:
            query = query.where(NoticeRow.source == source)
        total, distinct = session.execute(query).one()
    return total, distinct


def crawl_runs(store, spider: str | None = None) -> list[CrawlRunRow]:
    with store.session() as session:
        query = select(CrawlRunRow).order_by(CrawlRunRow.id)
        if spider:
            query = query.where(CrawlRunRow.spider == spider)
        return list(session.scalars(query))


def wait_for(condition, timeout: float = 30.0, every: float = 0.1, what: str = "condition"):
    """Poll `condition` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tenderwatch(db_url: str, data_dir: Path, *args: str, wait: bool = True, timeout: float = 60):
    """Run the CLI in a subprocess (a CompletedProcess, or the Popen when `wait` is false)."""
    env = {**os.environ, "TENDERWATCH_DATABASE_URL": db_url, "TENDERWATCH_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "tenderwatch.cli", *args]
    if wait:
        return subprocess.run(command, check=False, env=env, capture_output=True, text=True, timeout=timeout)
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class SMTPSink:
    """A minimal SMTP server on 127.0.0.1 that keeps the messages it receives (envelope and data)."""

    def __init__(self):
        self.messages: list[dict] = []
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                self.reply("220 sink ESMTP")
                envelope = {"from": None, "to": [], "data": ""}
                lines: list[str] | None = None
                for raw in self.rfile:
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    if lines is not None:
                        if line == ".":
                            envelope["data"] = "\n".join(lines)
                            sink.messages.append(envelope)
                            envelope, lines = {"from": None, "to": [], "data": ""}, None
                            self.reply("250 queued")
                        else:
                            lines.append(line[1:] if line.startswith("..") else line)
                        continue
                    verb = line[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sink")
                    elif verb == "MAIL":
                        envelope["from"] = line.split(":", 1)[1].strip()
                        self.reply("250 ok")
                    elif verb == "RCPT":
                        envelope["to"].append(line.split(":", 1)[1].strip())
                        self.reply("250 ok")
                    elif verb == "DATA":
                        lines = []
                        self.reply("354 end with .")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HTTPSink:
    """An HTTP server on 127.0.0.1 keeping its requests; `answer(method, path, body)` gives (status, JSON)."""

    def __init__(self, answer=None):
        self.requests: list[tuple[str, str, dict, bytes]] = []
        sink = self
        answer = answer or (lambda method, path, body: (200, {"status": "ok"}))

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                sink.requests.append((self.command, self.path, dict(self.headers), body))
                status, payload = answer(self.command, self.path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
