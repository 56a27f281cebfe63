"""Re-tagging at scale: `tenderwatch classify --all --jobs 2` over N stored notices, then `pictograms --regenerate`.

    python -m bench.retag_scale [--n 100000 [200000 ...]] [--dbs sqlite,postgresql] [--jobs 2] [--pg URL] [--keep]
                                [--time-limit SECONDS]

For each N and database, a fresh store is filled with bulk inserts straight into the notice table (SQLite:
executemany; PostgreSQL: COPY), reusing bench/synthetic.py for the notices' metadata (ids, sources, buyers,
departments, dates, CPV, considerations, overrides) and bench/corpus_records.py for their text (demo corpus
sections, a few KB per notice, log-normal lengths). Every notice carries an older classifier version, so
`classify --all` re-tags them all. While it runs, the resident memory of the command's process tree (the CLI
and its workers) is sampled from /proc, and progress is read from the store (notices are tagged in id order:
a binary search on the primary key finds the last tagged one), so the memory at 10 %, 50 % and 100 % is printed.

With --reuse FILE, the SQLite store an earlier run built and kept (--keep) is re-tagged again: a long build is paid
once. With --time-limit, a re-tag still running after that many seconds gets SIGINT (an operator's Ctrl-C): the figures
are then those of the notices tagged so far, on a store of the full size, and the regeneration that follows
replaces the pictograms of every notice all the same. A machine too slow to re-tag the whole store in the time
it has still gives a measured rate and memory curve, labelled partial.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bench.measure import run_measured

ROOT = Path(__file__).resolve().parent.parent
OLD_VERSION = "synthetic-1"
TITLE, TEXT, SECTIONS, NEEDS_TAGGING, TAGGED_VERSION = 4, 24, 25, 29, 30


# --- building the store -------------------------------------------------------------------------------------


def _texts(rng: random.Random, start: int, size: int, pool: list[dict]) -> list[tuple[str, str, str]]:
    """(title, full text, sections JSON) of `size` notices, as Notice.full_text and storage.upsert write them."""
    from bench.corpus_records import record

    out = []
    for i in range(start, start + size):
        r = record(i, rng, pool)
        sections = [{"heading": s["heading"], "text": s["text"], "kind": s["kind"], "lot": s.get("lot")}
                    for s in r["sections"]]
        text = "\n\n".join([r["title"], *(f"{s['heading']}\n{s['text']}" for s in sections)])
        out.append((r["title"], text, json.dumps(sections, ensure_ascii=False)))
    return out


def populate(url: str, n: int, seed: int = 7, batch: int = 10_000) -> dict:
    """Write n notices (ids 1..n) with a few KB of text each, their considerations and overrides, in bulk."""
    from sqlalchemy import text as sql

    from bench.corpus_records import _pool
    from bench.synthetic import (
        CONSIDERATION_COLUMNS,
        NOTICE_COLUMNS,
        OVERRIDE_COLUMNS,
        Generator,
        _copy_postgres,
        _insert_sqlite,
    )
    from storage.engine import Store

    store = Store(url)
    generator, rng, pool = Generator(n, seed), random.Random(seed), _pool()
    write = _copy_postgres if store.dialect == "postgresql" else _insert_sqlite
    counts = {"notices": 0, "considerations": 0, "text_bytes": 0}
    started = time.perf_counter()
    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for start in range(1, n + 1, batch):
            size = min(batch, n - start + 1)
            notices, considerations, overrides = generator.batch(start, size)
            rows = []
            for row, (title, text, sections) in zip(notices, _texts(rng, start, size, pool)):
                row = list(row)
                row[TITLE], row[TEXT], row[SECTIONS] = title, text, sections
                row[NEEDS_TAGGING], row[TAGGED_VERSION] = False, OLD_VERSION
                rows.append(tuple(row))
                counts["text_bytes"] += len(text.encode())
            write(raw, "notice", NOTICE_COLUMNS, rows)
            write(raw, "consideration", CONSIDERATION_COLUMNS, considerations)
            write(raw, "manual_override", OVERRIDE_COLUMNS, overrides)
            raw.commit()
            counts["notices"] += len(rows)
            counts["considerations"] += len(considerations)
        if store.dialect == "postgresql":
            for table in ("notice", "consideration", "manual_override"):
                conn.execute(sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT coalesce(max(id), 1) FROM {table}))"))
        conn.execute(sql("ANALYZE"))
        conn.commit()
    store.dispose()
    counts["seconds"] = time.perf_counter() - started
    return counts


# --- watching a command -------------------------------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    """pid and every process below it (from /proc/*/stat parent ids)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(parents.get(current, []))
    return out


class TaggedProgress:
    """How many notices (ids 1..n, tagged in id order) carry the new classifier version: a binary search."""

    def __init__(self, url: str, n: int, version: str):
        from sqlalchemy import create_engine

        from storage.engine import create_store_engine

        self.engine = create_store_engine(url) if url.startswith("sqlite") else create_engine(url)
        self.n, self.version = n, version

    def __call__(self) -> int:
        from sqlalchemy import select

        from models.schema import NoticeRow

        low, high = 0, self.n  # ids <= low are tagged; ids > high are not
        with self.engine.connect() as conn:
            while low < high:
                mid = (low + high + 1) // 2
                tagged = conn.scalar(select(NoticeRow.tagged_version).where(NoticeRow.id == mid)) == self.version
                low, high = (mid, high) if tagged else (low, mid - 1)
        return low

    def close(self) -> None:
        self.engine.dispose()


def watch(command: list[str], progress=None, total: int = 0, interval: float = 0.5,
          time_limit: float | None = None) -> dict:
    """Run `command`; sample the process tree's RSS every `interval` s and the progress every 4 intervals; send it
    SIGINT once it has run `time_limit` seconds."""
    started = time.time()
    interrupted_at: list[float] = []
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, int, int, int, int]] = []  # (seconds, done, tree KiB, main KiB, processes)
    stop = threading.Event()

    def sample() -> None:
        done, ticks, reported = 0, 0, 0
        while not stop.is_set():
            pids = _descendants(process.pid)
            rss = [_rss_kib(p) for p in pids]
            if progress is not None and ticks % 4 == 0:
                with contextlib.suppress(SQLAlchemyError):  # the store may be busy a moment: keep the last value
                    done = progress()
            ticks += 1
            samples.append((time.time() - started, done, sum(rss), rss[0] if rss else 0, len(pids)))
            if total and done * 10 // total > reported:  # a line every 10 %: a long run leaves figures as it goes
                reported = done * 10 // total
                seconds = time.time() - started
                print(f"     {done:>10,} tagged after {seconds:8.1f} s ({done / seconds:6.1f} notices/s); "
                      f"{sum(rss) / 1024:5.0f} MiB tree, {(rss[0] if rss else 0) / 1024:5.0f} MiB main", flush=True)
            if time_limit is not None and not interrupted_at and time.time() - started >= time_limit:
                interrupted_at.append(time.time() - started)
                print(f"     --time-limit: SIGINT after {interrupted_at[0]:.1f} s", flush=True)
                process.send_signal(signal.SIGINT)
            stop.wait(interval)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = process.communicate()
    stop.set()
    thread.join()
    wall = time.time() - started
    if progress is not None:
        samples.append((wall, progress(), 0, 0, 0))
    return {"wall": wall, "status": process.returncode, "stdout": out, "stderr": err, "samples": samples,
            "interrupted_at": interrupted_at[0] if interrupted_at else None,
            "peak_tree_mib": max((s[2] for s in samples), default=0) / 1024,
            "peak_main_mib": max((s[3] for s in samples), default=0) / 1024}


def memory_at(samples: list[tuple], total: int, fraction: float) -> tuple[float, float, float]:
    """(seconds, tree MiB, main MiB) when `fraction` of the work is done: the peaks over the samples of the last
    5 % of the work before it (progress is read every 2 s, the memory every 0.5 s; the workers exit at the end)."""
    live = [s for s in samples if s[4]]
    target = fraction * total
    window = [s for s in live if target - 0.05 * total <= s[1] <= target] or live[-1:]
    if not window:
        return 0.0, 0.0, 0.0
    return window[-1][0], max(s[2] for s in window) / 1024, max(s[3] for s in window) / 1024


# --- the benchmark ------------------------------------------------------------------------------------------


def _sqlite_url(n: int) -> tuple[str, Path]:
    from models import config

    path = config.data_dir() / "bench" / f"retag_{n}_{uuid.uuid4().hex[:6]}.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}", path


def _postgres_url(base: str, n: int) -> tuple[str, str]:
    from sqlalchemy import create_engine, text

    schema = f"tw_bench_retag_{n}_{uuid.uuid4().hex[:6]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", schema


def _drop(base: str | None, schema: str | None, path: Path | None) -> None:
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    if schema:
        from sqlalchemy import create_engine, text

        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def _in_child(function, *args):
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def bench_one(label: str, url: str, n: int, jobs: int, time_limit: float | None = None, build: bool = True) -> dict:
    from classifier import load_classifier

    version = load_classifier().version
    if build:
        counts = _in_child(populate, url, n)
        print(f"   {label:<10} {n:>9,} notices built in {counts['seconds']:7.1f} s "
              f"({n / counts['seconds']:,.0f} notices/s, {counts['text_bytes'] / n / 1000:.1f} KB of text per notice, "
              f"{counts['considerations']:,} considerations)", flush=True)
    else:
        counts = {"seconds": None, "reused": url}
        print(f"   {label:<10} {n:>9,} notices of the store built earlier ({url})", flush=True)
    progress = TaggedProgress(url, n, version)
    command = [sys.executable, "-m", "tenderwatch.cli", "--db", url, "classify", "--all", "--jobs", str(jobs)]
    result = watch(command, progress, n, time_limit=time_limit)
    progress.close()
    done = result["samples"][-1][1] if result["samples"] else 0
    partial = result["interrupted_at"] is not None and done < n
    seconds = result["interrupted_at"] if partial else result["wall"]  # the notices tagged within the limit
    rate = done / seconds if partial else n / seconds
    print(f"   {label:<10} classify --all --jobs {jobs}: {done:,} of {n:,} notices in {seconds:8.1f} s = {rate:6.1f} "
          f"notices/s{' (partial: interrupted by --time-limit)' if partial else ''}; peak "
          f"{result['peak_tree_mib']:5.0f} MiB (process tree), {result['peak_main_mib']:5.0f} MiB (main); exit "
          f"{result['status']} after {result['wall']:.1f} s", flush=True)
    if result["status"] != 0 and not partial:
        print("     " + result["stderr"][-1500:])
    memory = {}
    for fraction in (0.10, 0.50, 1.00):  # of the work done
        seconds_at, tree, main = memory_at(result["samples"], done or n, fraction)
        memory[fraction] = (seconds_at, tree, main)
        print(f"     at {fraction:4.0%} of {done:,} ({seconds_at:7.1f} s): {tree:5.0f} MiB tree, {main:5.0f} MiB main",
              flush=True)
    pictos = run_measured([sys.executable, "-m", "tenderwatch.cli", "--db", url, "pictograms", "--regenerate"])
    print(f"   {label:<10} pictograms --regenerate: {pictos['wall']:7.1f} s ({n / pictos['wall']:,.0f} notices/s), "
          f"peak {pictos['peak_mib']:5.0f} MiB; exit {pictos['status']} {pictos['stdout'].strip()[-80:]}", flush=True)
    return {"database": label, "n": n, "build": counts, "retag_seconds": seconds, "rate": rate, "tagged": done,
            "partial": partial, "retag_exit_seconds": result["wall"],
            "peak_tree_mib": result["peak_tree_mib"], "peak_main_mib": result["peak_main_mib"], "memory": memory,
            "pictograms_seconds": pictos["wall"], "pictograms_peak_mib": pictos["peak_mib"],
            "status": 0 if partial else result["status"], "retag_status": result["status"], "version": version,
            "samples": result["samples"][:: max(1, len(result["samples"]) // 400)]}


def _label(r: dict) -> str:
    if r["partial"]:
        return f"partial: {r['tagged']:,} of {r['n']:,} re-tagged, extrapolated"
    return "measured" if r["n"] == 1_000_000 else "linear, extrapolated"


def _fresh_runs(args, dbs: list[str]) -> list[dict]:
    """Build a store of each size on each database, re-tag it, then drop it (unless --keep)."""
    results = []
    for n in args.n:
        for db in dbs:
            path = schema = None
            if db == "sqlite":
                url, path = _sqlite_url(n)
            elif db == "postgresql":
                if not args.pg:
                    print("   postgresql: skipped (no --pg and no $TENDERWATCH_TEST_POSTGRES_URL)")
                    continue
                url, schema = _postgres_url(args.pg, n)
            else:
                raise SystemExit(f"unknown database {db!r}")
            try:
                results.append(bench_one(db, url, n, args.jobs, args.time_limit))
            finally:
                if not args.keep:
                    _drop(args.pg, schema, path)
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.retag_scale", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100_000], help="store sizes (e.g. --n 100000 200000)")
    parser.add_argument("--dbs", default="sqlite,postgresql", help="databases, comma-separated")
    parser.add_argument("--jobs", type=int, default=2, help="classify --jobs")
    parser.add_argument("--pg", default=os.environ.get("TENDERWATCH_TEST_POSTGRES_URL"), help="PostgreSQL URL")
    parser.add_argument("--keep", action="store_true", help="keep the stores (default: dropped after each run)")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--reuse", metavar="SQLITE_FILE",
                        help="re-tag this SQLite store, built by an earlier run with --keep, instead of building one "
                             "(its notices are ids 1..N, N the first --n; it is kept)")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                        help="interrupt each re-tag (SIGINT) after this long and report the notices tagged so far")
    args = parser.parse_args(argv)
    dbs = ["sqlite"] if args.reuse else [d.strip() for d in args.dbs.split(",") if d.strip()]
    print(f"   sizes {args.n}, databases {dbs}, --jobs {args.jobs}, {os.cpu_count()} CPU(s), "
          f"Python {sys.version.split()[0]}", flush=True)
    if args.reuse:
        if not Path(args.reuse).is_file():
            parser.error(f"--reuse: no such file: {args.reuse}")
        url = f"sqlite:///{Path(args.reuse).resolve()}"
        results = [bench_one("sqlite", url, args.n[0], args.jobs, args.time_limit, build=False)]
    else:
        results = _fresh_runs(args, dbs)
    if results:
        print("\n| database | notices | classify --all s | notices/s | MiB at 10 % / 50 % / 100 % (tree) | "
              "peak MiB | pictograms --regenerate s | extrapolated 1 M: classify, pictograms |")
        print("|---|---:|---:|---:|---|---:|---:|---|")
        for r in results:
            mem = " / ".join(f"{r['memory'][f][1]:.0f}" for f in (0.10, 0.50, 1.00))
            scale = 1_000_000 / r["tagged"] if r["tagged"] else float("nan")
            print(f"| {r['database']} | {r['n']:,} | {r['retag_seconds']:.0f} | {r['rate']:.1f} | {mem} | "
                  f"{r['peak_tree_mib']:.0f} | {r['pictograms_seconds']:.1f} | "
                  f"{r['retag_seconds'] * scale / 3600:.1f} h, {r['pictograms_seconds'] * 1_000_000 / r['n'] / 60:.1f} "
                  f"min ({_label(r)}) |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0 if all(r["status"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
