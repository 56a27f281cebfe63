"""Crawl throughput: `tenderwatch crawl atexo` (full pipeline into SQLite and PostgreSQL) against a bare Scrapy spider.

    python -m bench.crawl_speed [--n 10000] [--page-size 20] [--pg URL | --no-pg] [--profile]

A separate server process renders every page of a fake Atexo platform once at start-up (tenderwatch.demo_site,
N consultations of realistic sizes from bench/corpus_records.py) and then serves bytes from a dict, listing
pages by PRADO postbacks as demo_site does. Each crawl runs in its own process with politeness off; its notices/s
are counted from engine start to spider close (a small extension, `Clock`, writes both times), and its peak
memory is the process's own ru_maxrss (os.wait4). Tagging is excluded from the crawl figure
(TENDERWATCH_TAG_AFTER_CRAWL=0) and timed on its own afterwards (`tenderwatch classify --pending`).
With --profile, the full pipeline into SQLite also runs under cProfile and the top functions are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Self
from urllib.parse import parse_qsl, urlsplit

from bench import measure

ROOT = Path(__file__).resolve().parent.parent
PLATFORM = "bench"
POLITENESS_OFF = [
    "AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS=32", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
    "ROBOTSTXT_OBEY=0", "LOG_LEVEL=WARNING", "RETRY_BACKOFF_BASE=0.05", "RETRY_BACKOFF_MAX=0.2",
]
CLOCK = '{"bench.crawl_speed.Clock": 0}'


# --- the server ---------------------------------------------------------------------------------------------


class Pages:
    """Every page of the platform rendered once: details by path, listings by (page, size)."""

    def __init__(self, n: int, page_size: int):
        from bench.corpus_records import records
        from tenderwatch.demo_site import DemoPlatform

        self.platform = DemoPlatform(records(n), page_size=page_size)
        self.details = {self.platform.detail_path(i): self.platform.detail(i) for i in range(n)}
        self.platform._details.clear()  # the dict above holds them
        self.listings = {(p, page_size): self.platform.listing(p) for p in range(1, self.platform.pages() + 1)}
        self.bytes = sum(map(len, self.details.values())) + sum(map(len, self.listings.values()))

    def answer(self, method: str, target: str, body: bytes) -> tuple[int, bytes]:
        if target == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n"
        page = self.details.get(target)
        if page is not None:
            return 200, page
        query = dict(parse_qsl(urlsplit(target).query, keep_blank_values=True))
        if query.get("page", "").lower() == "entreprise.entrepriseadvancedsearch":
            if method != "POST":
                return 200, self.listings[(1, self.platform.page_size)]
            try:
                key = self.platform.postback(dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)))
            except (ValueError, KeyError):
                return 500, b"<html><body>Erreur technique</body></html>"
            if key not in self.listings:
                self.listings[key] = self.platform.listing(*key)
            return 200, self.listings[key]
        return 404, b"<html><body>La page demandee n'existe pas.</body></html>"


_REASONS = {200: b"OK", 404: b"Not Found", 500: b"Internal Server Error"}


async def _connection(pages: Pages, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """HTTP/1.1 with keep-alive: request line, headers, Content-Length body; pre-rendered answers."""
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            method, target, _ = line.decode("latin-1").split(" ", 2)
            length, close = 0, False
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b"\n", b""):
                    break
                name, _, value = header.decode("latin-1").partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            body = await reader.readexactly(length) if length else b""
            status, payload = pages.answer(method, target, body)
            writer.write(b"HTTP/1.1 %d %s\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n"
                         % (status, _REASONS.get(status, b"?"), len(payload)))
            writer.write(payload)
            await writer.drain()
            if close:
                break
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass
    finally:
        writer.close()


def serve_forever(n: int, page_size: int, conn) -> None:
    """The server process: render, bind 127.0.0.1:0, send (port, bytes, seconds) through `conn`, serve."""
    started = time.perf_counter()
    pages = Pages(n, page_size)

    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: _connection(pages, r, w), "127.0.0.1", 0, backlog=256)
        conn.send((server.sockets[0].getsockname()[1], pages.bytes, time.perf_counter() - started))
        async with server:
            await server.serve_forever()

    asyncio.run(main())


class Server:
    """The page server in its own process (a context manager)."""

    def __init__(self, n: int, page_size: int):
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self.process = context.Process(target=serve_forever, args=(n, page_size, child), daemon=True)
        self.process.start()
        if not parent.poll(600):
            raise RuntimeError("the page server did not start")
        self.port, self.bytes, self.render_seconds = parent.recv()
        self.base_url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.join(10)


# --- measuring a crawl --------------------------------------------------------------------------------------


class Clock:
    """A Scrapy extension writing the engine start and spider close times and the item counts to BENCH_CLOCK_FILE."""

    def __init__(self, crawler):
        from scrapy import signals

        self.crawler = crawler
        self.path = crawler.settings.get("BENCH_CLOCK_FILE")
        self.started = None
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def engine_started(self) -> None:
        self.started = time.time()

    def spider_closed(self, spider, reason) -> None:
        stats = self.crawler.stats.get_stats()
        if self.path:
            Path(self.path).write_text(json.dumps({
                "started": self.started, "closed": time.time(), "reason": reason,
                "parsed": stats.get("bench/parsed", 0) + stats.get("tenderwatch/seen", 0),
                "stored": stats.get("tenderwatch/stored_items", 0),
                "responses": stats.get("downloader/response_count", 0),
            }))


def run_measured(command: list[str], env: dict | None = None, clock: Path | None = None) -> dict:
    """bench.measure.run_measured, plus the times and counts of the clock file the crawl wrote."""
    result = measure.run_measured(command, env)
    if clock is not None and clock.exists():
        result.update(json.loads(clock.read_text()))
        result["crawl"] = result["closed"] - result["started"]
    return result


def crawl_command(base_url: str, db_url: str, clock: Path, extra: list[str] = ()) -> list[str]:
    settings = [*POLITENESS_OFF, "TENDERWATCH_TAG_AFTER_CRAWL=0", f"EXTENSIONS={CLOCK}", f"BENCH_CLOCK_FILE={clock}"]
    return [sys.executable, *extra, "-m", "tenderwatch.cli", "--db", db_url, "crawl", "atexo",
            "-a", f"platform={PLATFORM}", "-a", f"base_url={base_url}", "--since", "2000-01-01",
            *[x for s in settings for x in ("-s", s)]]


def bare_command(base_url: str, clock: Path) -> list[str]:
    settings = [*POLITENESS_OFF, f"EXTENSIONS={CLOCK}", f"BENCH_CLOCK_FILE={clock}"]
    return [sys.executable, "-m", "bench.bare_spider", base_url, *[x for s in settings for x in ("-s", s)]]


def _postgres_schema(base: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text

    schema = f"tw_bench_crawl_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return schema, f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


def _drop_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _stored(db_url: str) -> int:
    from sqlalchemy import create_engine, func, select

    from models.schema import NoticeRow

    engine = create_engine(db_url)
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(NoticeRow))
    engine.dispose()
    return count


def _rate(r: dict) -> float:
    return r.get("parsed", 0) / r["crawl"] if r.get("crawl") else 0.0


def _line(label: str, r: dict) -> str:
    cpu = 1000 * r["cpu"] / r["parsed"] if r.get("parsed") else 0.0
    return (f"   {label:<24} {r.get('parsed', 0):>6} notices in {r.get('crawl', 0):7.1f} s = {_rate(r):6.1f} notices/s"
            f"   {cpu:5.1f} CPU ms/notice   (process {r['wall']:6.1f} s, peak {r['peak_mib']:5.0f} MiB)")


def profile_summary(path: Path, top: int = 25) -> str:
    """The functions with the most own time, and time by area (parser, pipelines, store, Scrapy, Twisted)."""
    import io
    import pstats

    stats = pstats.Stats(str(path))
    areas: dict[str, float] = {}
    total = 0.0
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        total += tottime
        if "/crawler/parsers/" in filename:
            area = "parser (crawler/parsers)"
        elif "lxml" in filename:
            area = "lxml"
        elif "/crawler/" in filename or "/storage/" in filename or "/models/" in filename:
            area = "pipelines + store code (crawler, storage, models)"
        elif "sqlalchemy" in filename:
            area = "SQLAlchemy"
        elif "sqlite3" in filename or "psycopg" in filename:
            area = "database driver"
        elif "/scrapy/" in filename or "parsel" in filename or "w3lib" in filename:
            area = "Scrapy"
        elif "/twisted/" in filename or "asyncio" in filename:
            area = "Twisted / asyncio"
        elif filename == "~":
            area = "builtins (C calls: json, hashlib, re, sockets...)"
        else:
            area = "other Python"
        areas[area] = areas.get(area, 0.0) + tottime
    out = io.StringIO()
    out.write("   own time by area:\n")
    for area, seconds in sorted(areas.items(), key=lambda x: -x[1]):
        out.write(f"     {area:<52} {seconds:7.2f} s  {100 * seconds / total:5.1f} %\n")
    stats.stream = out
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crawl_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="consultations on the platform")
    parser.add_argument("--page-size", type=int, default=20, help="results per listing page")
    parser.add_argument("--repeat", type=int, default=2, help="rounds (bare, SQLite, PostgreSQL interleaved)")
    parser.add_argument("--pg", default=os.environ.get("TENDERWATCH_TEST_POSTGRES_URL"), help="PostgreSQL URL")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--profile", action="store_true", help="also profile the full pipeline into SQLite")
    parser.add_argument("--skip-tagging", action="store_true", help="do not time the tagging after the crawl")
    args = parser.parse_args(argv)
    print(f"   {args.n:,} consultations, {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}; "
          f"{args.repeat} interleaved round(s), best round reported", flush=True)
    with Server(args.n, args.page_size) as server, tempfile.TemporaryDirectory(prefix="tw-crawl-") as tmp:
        tmp = Path(tmp)
        print(f"   server: {server.bytes / 1e6:.0f} MB of pages rendered in {server.render_seconds:.1f} s, "
              f"{server.base_url}", flush=True)
        labels = ["bare spider", "pipeline -> SQLite"]
        if args.pg and not args.no_pg:
            labels.append("pipeline -> PostgreSQL")
        runs: dict[str, list[dict]] = {label: [] for label in labels}
        schemas: list[str] = []
        try:
            for round_ in range(1, args.repeat + 1):
                for label in labels:
                    clock = tmp / f"clock-{round_}-{len(runs[label])}-{label[-3:]}.json"
                    if label == "bare spider":
                        result = run_measured(bare_command(server.base_url, clock), clock=clock)
                    else:
                        if label.endswith("SQLite"):
                            url = f"sqlite:///{tmp / f'crawl-{round_}.sqlite'}"
                        else:
                            schema, url = _postgres_schema(args.pg)
                            schemas.append(schema)
                        result = run_measured(crawl_command(server.base_url, url, clock), clock=clock)
                        result["url"] = url
                        result["stored_rows"] = _stored(url)
                    runs[label].append(result)
                    extra = f"   {result['stored_rows']} stored" if "stored_rows" in result else ""
                    print(_line(f"{label} #{round_}", result) + extra, flush=True)
                    if result["status"] != 0 or not result.get("crawl"):
                        print("     the crawl failed:", result["stderr"][-1500:], flush=True)
            best = {label: max(rs, key=_rate) for label, rs in runs.items()}
            cpu = {label: min(r["cpu"] / max(1, r.get("parsed", 0)) for r in rs) for label, rs in runs.items()}
            print(f"\n   best of {args.repeat}: rate, and ratio to the bare spider (target >= 0.70); CPU per notice:")
            for label in labels:
                print(f"     {label:<24} {_rate(best[label]):6.1f} notices/s  ratio {_rate(best[label]) / _rate(best['bare spider']):5.2f}"
                      f"   {1000 * cpu[label]:5.1f} CPU ms/notice  ratio {cpu['bare spider'] / cpu[label]:5.2f}"
                      f"   peak {max(r['peak_mib'] for r in runs[label]):5.0f} MiB")
            if not args.skip_tagging:
                print("\n   tagging after the crawl (tenderwatch classify --pending; not in the crawl figures):")
                for label in labels[1:]:
                    r = best[label]
                    tagging = run_measured([sys.executable, "-m", "tenderwatch.cli", "--db", r["url"], "classify",
                                            "--pending"])
                    print(f"     {label:<24} {r['stored_rows']:>6} notices in {tagging['wall']:7.1f} s = "
                          f"{r['stored_rows'] / tagging['wall']:6.1f} notices/s   (peak {tagging['peak_mib']:5.0f} MiB)"
                          + ("" if tagging["status"] == 0 else f"  FAILED: {tagging['stderr'][-500:]}"), flush=True)
            if args.profile:
                from models import config

                keep = config.data_dir() / "bench"
                keep.mkdir(parents=True, exist_ok=True)
                clock = tmp / "profile.json"
                prof = keep / "crawl_speed_pipeline.prof"
                url = f"sqlite:///{tmp / 'profile.sqlite'}"
                result = run_measured(crawl_command(server.base_url, url, clock, ["-m", "cProfile", "-o", str(prof)]),
                                      clock=clock)
                print("\n" + _line("profiled -> SQLite", result))
                print(profile_summary(prof))
                prof_bare = keep / "crawl_speed_bare.prof"
                clock = tmp / "bare-profile.json"
                cmd = bare_command(server.base_url, clock)
                result = run_measured([cmd[0], "-m", "cProfile", "-o", str(prof_bare), *cmd[1:]], clock=clock)
                print(_line("profiled bare spider", result))
                print(profile_summary(prof_bare, top=12))
                print(f"   profiles kept in {prof} and {prof_bare} (python -m pstats FILE)")
        finally:
            for schema in schemas:
                _drop_schema(args.pg, schema)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
