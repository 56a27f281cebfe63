"""`--source 'atexo:*'`: the one wildcard of the commands' source filters is `*`; `%` and `_` are literal."""

from __future__ import annotations

ESCAPE = "\\"


def like_pattern(pattern: str) -> str:
    """The LIKE pattern of a source filter: `%`, `_` and the escape character escaped, then `*` as `%`."""
    escaped = pattern.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return escaped.replace("*", "%")


def source_matches(column, pattern: str):
    """`column` matches the source filter `pattern` (`*` any run of characters, nothing else special)."""
    return column.like(like_pattern(pattern), escape=ESCAPE)
