"""A small HTTP server on 127.0.0.1 for spider tests: routes to handlers, records requests, injects faults.

    api = FakeApi()
    api.route("GET", r"/records", lambda request: {"results": []})     # a dict or list is sent as JSON
    api.fault("page-2", lambda r: r.query.get("offset") == "5", status=500)  # once, then the route answers
    with api:                                                          # serves in a daemon thread
        crawl(..., "-a", f"base_url={api.base_url}")
    api.requests, api.faults_served

A handler gets a Seen request and returns a Reply, bytes, or JSON-able data. Unrouted paths get a 404 (so
robots.txt allows everything).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, str]
    body: bytes
    headers: dict[str, str]
    match: re.Match | None = None

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


@dataclass
class Fault:
    name: str
    when: Callable[[Seen], bool]
    reply: Reply
    times: int


class FakeApi:
    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern, Callable[[Seen], Any]]] = []
        self.faults: list[Fault] = []
        self.requests: list[Seen] = []
        self.faults_served: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    # --- configuration ---------------------------------------------------------------------------------------

    def route(self, method: str, pattern: str, handler: Callable[[Seen], Any]) -> FakeApi:
        self.routes.append((method.upper(), re.compile(pattern + r"\Z"), handler))
        return self

    def fault(self, name: str, when: Callable[[Seen], bool], status: int = 500, times: int = 1,
              headers: dict[str, str] | None = None, body: Any = b"") -> FakeApi:
        """Answer the first `times` requests matching `when` with `status` instead of the route."""
        self.faults.append(Fault(name, when, Reply(status, body, headers or {}, "text/plain"), times))
        return self

    def throttle(self, name: str, when: Callable[[Seen], bool], retry_after: int = 0) -> FakeApi:
        return self.fault(name, when, status=429, headers={"Retry-After": str(retry_after)})

    # --- serving ---------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def hits(self, path_pattern: str, method: str | None = None) -> list[Seen]:
        pattern = re.compile(path_pattern + r"\Z")
        return [r for r in self.requests if pattern.match(r.path) and (method is None or r.method == method)]

    def answer(self, seen: Seen) -> Reply:
        with self.lock:
            self.requests.append(seen)
            for fault in self.faults:
                if fault.times > 0 and fault.when(seen):
                    fault.times -= 1
                    self.faults_served.append((fault.name, fault.reply.status))
                    return fault.reply
        for method, pattern, handler in self.routes:
            match = pattern.match(seen.path)
            if match and method == seen.method:
                seen.match = match
                result = handler(seen)
                if isinstance(result, Reply):
                    return result
                return Reply(200, result)
        return Reply(404, b"not found", content_type="text/plain")

    def __enter__(self) -> Self:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_one(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
                    body=self.rfile.read(length) if length else b"",
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                reply = api.answer(seen)
                body = reply.encoded()
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (e.g. a size limit)
                    self.close_connection = True

            do_GET = do_POST = handle_one

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
