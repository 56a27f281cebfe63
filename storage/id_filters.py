"""Filters on a list of row ids that the database can always serve from an index."""

from __future__ import annotations

from collections.abc import Sequence


def in_ids(column, ids: Sequence[int]):
    """`column IN ids`, with the range of the ids beside it.

    The range lets the planner read one index range whatever its statistics say: on PostgreSQL, with statistics
    taken while a table was still empty (no autovacuum, or a bulk re-tag outrunning it), a bare `IN (500 ids)` on
    the clause table was planned as a sequential scan of all its rows, once per batch (bench/RESULTS.md)."""
    return column.between(min(ids), max(ids)) & column.in_(ids)
