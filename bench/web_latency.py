"""Web API latency: the list, detail, pictograms and stats endpoints of `tenderwatch serve` under a fixed
concurrency, p50 / p95, side by side with the same query run directly (in process, one at a time).

    python -m bench.web_latency [--n 1000000] [--pg URL] [--concurrency 8] [--requests 200] [--rebuild]

The store is bench/synthetic.py's (PostgreSQL schema tw_bench_N, shared with bench.stats_scale), its pictograms
regenerated once. The server is the real command (`tenderwatch serve`, uvicorn, one worker) in its own process on
127.0.0.1; the clients are threads of this process, each with its own HTTP connection.
Targets (issue 15): p95 under 100 ms for a notice and a page of the list, under 1 s for stats.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THRESHOLD = 0.5
ENDPOINTS = ("list", "detail", "pictograms", "stats")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"tenderwatch serve exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            try:  # the next try of the socket, unless the server exits meanwhile
                process.wait(0.05)
            except subprocess.TimeoutExpired:
                pass
    raise SystemExit("tenderwatch serve did not start listening")


def prepare(url: str, n: int) -> list[tuple[str, str]]:
    """Build the store if empty, regenerate pictograms if missing; returns a sample of (source, source_id)."""
    from sqlalchemy import func, select

    from bench.synthetic import populate
    from models.schema import NoticeRow, PictogramRow
    from storage.engine import Store
    from storage.pictograms import regenerate_all

    store = Store(url)
    with store.session() as s:
        count = s.scalar(select(func.count()).select_from(NoticeRow)) or 0
    if count not in (0, n):
        raise SystemExit(f"the store holds {count:,} notices, not {n:,}: use --rebuild")
    if count == 0:
        started = time.perf_counter()
        populate(store, n)
        print(f"   built {n:,} notices in {time.perf_counter() - started:.0f} s", flush=True)
    with store.session() as s:
        pictograms = s.scalar(select(func.count()).select_from(PictogramRow)) or 0
    if pictograms < n:
        started = time.perf_counter()
        regenerate_all(store, THRESHOLD)
        print(f"   regenerated pictograms in {time.perf_counter() - started:.0f} s", flush=True)
    with store.session() as s:
        ids = s.execute(select(NoticeRow.source, NoticeRow.source_id).order_by(func.random()).limit(500)).all()
    store.dispose()
    return [tuple(r) for r in ids]


def requests_for(kind: str, rng: random.Random, ids: list[tuple[str, str]]) -> tuple[str, dict]:
    """(path, query) of one request of `kind`: the same mix for the API and the direct calls."""
    if kind == "list":
        return "/api/notices", rng.choice([{"page": rng.randint(1, 50)}, {"department": "33"}, {"social": "yes"},
                                           {"region": "Île-de-France", "environmental": "yes"}, {"year": 2024}])
    if kind == "detail":
        source, source_id = rng.choice(ids)
        return f"/api/notices/{source}/{source_id}", {}
    if kind == "pictograms":
        return "/api/pictograms", {"per_page": 1000, "page": rng.randint(1, 5)}
    return "/api/stats", rng.choice([{"by": "year,region"}, {"by": "year", "department": "33"}])


def direct(store, kind: str, path: str, query: dict) -> None:
    """The query behind the endpoint, called directly."""
    from storage.exports import pictogram_records
    from storage.notices import find_notice
    from storage.queries import NoticeFilters, list_notices, notice_detail, pictograms_version
    from storage.stats import Filters, shares

    with store.session() as s:
        if kind == "list":
            fields = dict(query)
            page = fields.pop("page", 1)
            for flag in ("social", "environmental"):
                if flag in fields:
                    fields[flag] = fields[flag] == "yes"
            list_notices(s, NoticeFilters(**fields), page, 20)
        elif kind == "detail":
            _, _, _, source, source_id = path.split("/", 4)
            notice_detail(s, find_notice(s, f"{source}:{source_id}"), THRESHOLD)
        elif kind == "pictograms":
            pictograms_version(s)
            list(pictogram_records(s, limit=1000, offset=(query["page"] - 1) * 1000, confidences=False))
        else:
            shares(s, query["by"].split(","), Filters(department=query.get("department")), THRESHOLD)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def over_http(base: str, kind: str, ids, count: int, concurrency: int) -> list[float]:
    import httpx

    local = threading.local()

    def one(i: int) -> float:
        client = getattr(local, "client", None) or httpx.Client(base_url=base, timeout=120)
        local.client = client
        path, query = requests_for(kind, random.Random(i), ids)
        started = time.perf_counter()
        response = client.get(path, params=query)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path} {query}: {response.status_code} {response.text[:200]}")
        return elapsed

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, range(count)))


def in_process(url: str, kind: str, ids, count: int) -> list[float]:
    from storage.engine import Store

    store = Store(url)
    samples = []
    for i in range(count):
        path, query = requests_for(kind, random.Random(i), ids)
        started = time.perf_counter()
        direct(store, kind, path, query)
        samples.append(time.perf_counter() - started)
    store.dispose()
    return samples


def main(argv: list[str]) -> int:
    from bench.stats_scale import postgres_url

    parser = argparse.ArgumentParser(prog="python -m bench.web_latency", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="notices in the synthetic store")
    parser.add_argument("--pg", default=os.environ.get("TENDERWATCH_TEST_POSTGRES_URL"), help="PostgreSQL URL")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once")
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint (stats: a quarter)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic store")
    args = parser.parse_args(argv)
    if not args.pg:
        raise SystemExit("needs PostgreSQL: --pg URL or $TENDERWATCH_TEST_POSTGRES_URL")
    url = postgres_url(args.pg, args.n, args.rebuild)
    print(f"   {args.n:,} notices on PostgreSQL, concurrency {args.concurrency}, {os.cpu_count()} CPU(s)", flush=True)
    ids = prepare(url, args.n)
    port = _free_port()
    env = {**os.environ, "TENDERWATCH_DATABASE_URL": url}
    server = subprocess.Popen([sys.executable, "-m", "tenderwatch.cli", "serve", "--port", str(port)], cwd=ROOT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        _wait_listening(port, server)
        for kind in ENDPOINTS:
            count = args.requests // 4 if kind == "stats" else args.requests
            over_http(f"http://127.0.0.1:{port}", kind, ids, min(count, 2 * args.concurrency), args.concurrency)
            api = _percentiles(over_http(f"http://127.0.0.1:{port}", kind, ids, count, args.concurrency))
            own = _percentiles(in_process(url, kind, ids, max(10, count // 4)))
            rows.append((kind, count, api, own))
            print(f"   {kind:<11} API p50 {api[0] * 1000:7.1f} ms  p95 {api[1] * 1000:7.1f} ms   "
                  f"direct p50 {own[0] * 1000:7.1f} ms  p95 {own[1] * 1000:7.1f} ms", flush=True)
    finally:
        server.terminate()
        server.wait(30)
    print(f"\n| endpoint | requests | API p50 ms | API p95 ms (concurrency {args.concurrency}) | direct p50 ms | "
          "direct p95 ms |\n|---|---:|---:|---:|---:|---:|")
    for kind, count, api, own in rows:
        print(f"| {kind} | {count} | {api[0] * 1000:.1f} | {api[1] * 1000:.1f} | {own[0] * 1000:.1f} | "
              f"{own[1] * 1000:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
