"""The per-batch queries of bulk writers on PostgreSQL, with the planner's statistics stale and fresh.

    python -m bench.planner_stats [--notices 300000] [--clauses 3] [--batch 500] [--pg URL]

A fresh schema is analysed while empty, then filled with N notices (and `--clauses` clause rows per notice) by
INSERT ... SELECT: the planner then sees tables it believes empty, as it does in the middle of a first bulk crawl,
import or re-tag when autovacuum is off or behind (the re-tag benchmark's store had been analysed before its
clause table was filled). Each query is timed (median of 5 batches of `--batch` keys), in its old
form and in the form tenderwatch uses now, before and after ANALYZE:
- upsert lookup: `(source, source_id) IN (...)` (old) against storage.upsert's own lookup (`source = s AND
  source_id IN (...)`, one query per source);
- re-tag delete: `DELETE FROM clause WHERE notice_id IN (...)` (old) against the same with the ids' range beside
  it (storage.id_filters.in_ids), each in a transaction rolled back.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid

from sqlalchemy import create_engine, delete, select, text, tuple_

from models.schema import ClauseRow, NoticeRow
from storage.engine import Store
from storage.id_filters import in_ids
from storage.upsert import _stored


def _median_ms(store, run, batches: list[list]) -> float:
    """Median milliseconds of `run(connection, keys)` over the batches; every transaction is rolled back."""
    times = []
    for keys in batches:
        with store.engine.connect() as conn:
            started = time.perf_counter()
            run(conn, keys)
            times.append((time.perf_counter() - started) * 1000)
            conn.rollback()
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.planner_stats", description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=300_000)
    parser.add_argument("--clauses", type=int, default=3, help="clause rows per notice")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--pg", default=os.environ.get("TENDERWATCH_TEST_POSTGRES_URL"), help="PostgreSQL URL")
    args = parser.parse_args(argv)
    if not args.pg:
        print("   skipped: no --pg and no $TENDERWATCH_TEST_POSTGRES_URL")
        return 0
    schema = f"tw_bench_plans_{uuid.uuid4().hex[:6]}"
    admin = create_engine(args.pg)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = Store(f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}")
    try:
        started = time.perf_counter()
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE notice, clause"))  # the statistics of empty tables
        with store.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO notice (source, source_id, content_hash, title, text, cpv_codes, sections, first_seen,"
                " last_seen, updated_at, needs_tagging) SELECT 'atexo:bench', 'id-' || g, md5(g::text), 'titre',"
                " repeat('x', 200), '[]', '[]', now(), now(), now(), true FROM generate_series(1, :n) g"),
                {"n": args.notices})
            conn.execute(text(
                'INSERT INTO clause (notice_id, text, start, "end") SELECT n.id, \'clause\', 0, 6'
                " FROM notice n CROSS JOIN generate_series(1, :k)"), {"k": args.clauses})
        print(f"   {args.notices:,} notices and {args.notices * args.clauses:,} clauses written in "
              f"{time.perf_counter() - started:.1f} s after an ANALYZE of the empty tables; batches of {args.batch}", flush=True)
        step = args.notices // 6
        batches = [list(range(1 + i * step, 1 + i * step + args.batch)) for i in range(5)]
        keys = [[("atexo:bench", f"id-{i}") for i in ids] for ids in batches]

        queries = {  # (old, now, inputs): the "now" side calls what tenderwatch runs
            "upsert lookup": (
                lambda conn, k: conn.execute(
                    select(NoticeRow.id).where(tuple_(NoticeRow.source, NoticeRow.source_id).in_(k))).all(),
                _stored,
                keys),
            "re-tag clause delete": (
                lambda conn, ids: conn.execute(delete(ClauseRow).where(ClauseRow.notice_id.in_(ids))),
                lambda conn, ids: conn.execute(delete(ClauseRow).where(in_ids(ClauseRow.notice_id, ids))),
                batches),
        }
        print(f"   {'query':<22}{'statistics':<12}{'old ms':>10}{'now ms':>10}{'old / now':>11}")
        for state in ("stale", "analysed"):
            if state == "analysed":
                with store.engine.begin() as conn:
                    conn.execute(text("ANALYZE notice, clause"))
            for name, (old, new, inputs) in queries.items():
                before = _median_ms(store, old, inputs)
                after = _median_ms(store, new, inputs)
                print(f"   {name:<22}{state:<12}{before:>10.1f}{after:>10.1f}{before / after:>10.1f}x", flush=True)
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
