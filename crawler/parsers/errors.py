"""The one typed error every parser raises on input it cannot read."""

from __future__ import annotations


class ParseError(ValueError):
    """A notice could not be parsed: says which format, where, and what went wrong."""

    def __init__(self, fmt: str, message: str, where: str | None = None):
        self.fmt = fmt
        self.where = where
        self.message = message
        location = f" at {where}" if where else ""
        super().__init__(f"{fmt}{location}: {message}")
