"""Statistics and pictogram regeneration at scale, on SQLite and PostgreSQL: seconds and peak memory per step.

    python -m bench.stats_scale [--n 1000000] [--db URL] [--pg URL | --no-pg] [--rebuild]

A synthetic store of N notices (bench/synthetic.py) is built once and reused (SQLite: a file in the data
directory unless --db; PostgreSQL: schema tw_bench_N in the database of --pg or $TENDERWATCH_TEST_POSTGRES_URL).
Each step runs in a fresh process, so its peak resident memory (getrusage) is its own.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time

STEPS = ("stats --by year,region", "per-lever stats --by year", "agreement table", "readiness",
         "regenerate all pictograms")
THRESHOLD = 0.5


def _store(url: str):
    from storage.engine import Store

    return Store(url)


def _run_step(url: str, step: str):
    from storage.national import climate_obligation_date
    from storage.pictograms import regenerate_all
    from storage.stats import agreement, lever_shares, readiness, shares

    store = _store(url)
    started = time.perf_counter()
    if step == "regenerate all pictograms":
        result = regenerate_all(store, THRESHOLD)
    else:
        with store.session() as session:
            if step.startswith("stats"):
                result = len(shares(session, ["year", "region"], threshold=THRESHOLD))
            elif step.startswith("per-lever"):
                result = len(lever_shares(session, ["year"], threshold=THRESHOLD))
            elif step == "agreement table":
                result = len(agreement(session, [], threshold=THRESHOLD))
            else:
                result = len(readiness(session, climate_obligation_date(), threshold=THRESHOLD))
    seconds = time.perf_counter() - started
    store.dispose()
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, result


def _in_child(function, *args):
    """Run in a fresh process started from this small one (ru_maxrss survives exec: keep the parent lean)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def _count(url: str) -> int:
    from sqlalchemy import func, select

    from models.schema import NoticeRow

    store = _store(url)
    with store.session() as session:
        count = session.scalar(select(func.count()).select_from(NoticeRow)) or 0
    store.dispose()
    return count


def _build(url: str, n: int) -> tuple[float, float, int]:
    from bench.synthetic import populate

    store = _store(url)
    started = time.perf_counter()
    counts = populate(store, n)
    store.dispose()
    return time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, counts["considerations"]


def sqlite_url(n: int, explicit: str | None, rebuild: bool) -> str:
    from models import config

    if explicit:
        return explicit
    path = config.data_dir() / "bench" / f"stats_{n}.sqlite"
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    return f"sqlite:///{path}"


def postgres_url(base: str, n: int, rebuild: bool) -> str:
    from sqlalchemy import create_engine, text

    schema = f"tw_bench_{n}"
    engine = create_engine(base)
    with engine.begin() as conn:
        if rebuild:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    engine.dispose()
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


def bench(label: str, url: str, n: int) -> list[tuple]:
    """Build the store if needed, then time every step; returns (database, step, seconds, peak MiB, result)."""
    count = _count(url)
    if count not in (0, n):
        raise SystemExit(f"{label}: the store holds {count:,} notices, not {n:,}: use --rebuild or another --db")
    rows = []
    if count == 0:
        seconds, peak, considerations = _in_child(_build, url, n)
        rows.append((label, f"build {n:,} notices", seconds, peak, considerations))
        print(f"   {label:<10} {'build':<28} {seconds:8.1f} s   peak {peak:7.0f} MiB   ({considerations:,} considerations)")
    for step in STEPS:
        seconds, peak, result = _in_child(_run_step, url, step)
        rows.append((label, step, seconds, peak, result))
        print(f"   {label:<10} {step:<28} {seconds:8.2f} s   peak {peak:7.0f} MiB   ({result:,} rows)", flush=True)
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stats_scale", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="notices in the synthetic store")
    parser.add_argument("--db", help="SQLite (or any) store URL to use instead of the data-directory file")
    parser.add_argument("--pg", default=os.environ.get("TENDERWATCH_TEST_POSTGRES_URL"), help="PostgreSQL URL")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic stores")
    args = parser.parse_args(argv)
    print(f"   {args.n:,} notices, {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")
    rows = bench("sqlite", sqlite_url(args.n, args.db, args.rebuild), args.n)
    if args.pg and not args.no_pg:
        rows += bench("postgresql", postgres_url(args.pg, args.n, args.rebuild), args.n)
    else:
        print("   postgresql: skipped (no --pg and no $TENDERWATCH_TEST_POSTGRES_URL)")
    print("\n| database | step | seconds | peak MiB |\n|---|---|---:|---:|")
    for label, step, seconds, peak, _ in rows:
        print(f"| {label} | {step} | {seconds:.2f} | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
