"""The one typed error every parser raises on input it cannot read, and the decorator that guarantees it."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any


class ParseError(ValueError):
    """A notice could not be parsed: says which format, where, and what went wrong."""

    def __init__(self, fmt: str, message: str, where: str | None = None):
        self.fmt = fmt
        self.where = where
        self.message = message
        location = f" at {where}" if where else ""
        super().__init__(f"{fmt}{location}: {message}")


def parser(fmt: str, where: str | tuple[str, ...] = "where") -> Callable:
    """Make a parse function fail only with ParseError, whatever its input looks like.

    An unexpected exception becomes a ParseError naming `fmt` and the place (the first non-empty argument
    among the names in `where`); a ParseError raised without a place gets that place. A generator function (a
    streaming parser, a file reader) yields the ParseError as its last item instead of raising it, as it yields
    the errors of the notices it skips.
    """
    names = (where,) if isinstance(where, str) else where

    def decorate(parse: Callable) -> Callable:
        signature = inspect.signature(parse)

        def place(args: tuple, kwargs: dict) -> str | None:
            try:
                arguments = signature.bind(*args, **kwargs).arguments
            except TypeError:
                return None
            return next((str(arguments[n]) for n in names if arguments.get(n)), None)

        def error(exc: Exception, args: tuple, kwargs: dict) -> ParseError:
            if isinstance(exc, ParseError):
                return exc if exc.where else ParseError(exc.fmt, exc.message, place(args, kwargs))
            return ParseError(fmt, f"unexpected {type(exc).__name__}: {exc}", place(args, kwargs))

        if inspect.isgeneratorfunction(parse):

            @functools.wraps(parse)
            def stream(*args: Any, **kwargs: Any):
                try:
                    yield from parse(*args, **kwargs)
                except Exception as exc:  # a parser fails with one error type, whatever the input looks like
                    yield error(exc, args, kwargs)

            return stream

        @functools.wraps(parse)
        def guarded(*args: Any, **kwargs: Any):
            try:
                return parse(*args, **kwargs)
            except Exception as exc:  # a parser fails with one error type, whatever the input looks like
                failure = error(exc, args, kwargs)
                if failure is exc:
                    raise
                raise failure from (None if isinstance(exc, ParseError) else exc)

        return guarded

    return decorate
