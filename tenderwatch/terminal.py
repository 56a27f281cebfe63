"""Text from the store on its way to a terminal: no rich markup read in it, no control or ANSI characters.

A notice's title may hold `[/]` (rich markup that crashes a table) or escape sequences (that retitle or clear the
terminal). Every table cell that shows a notice's text goes through `cell`.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from models.safe import printable


def cell(value: object) -> Text:
    """A table cell showing `value` as it is: control characters removed, markup not interpreted."""
    return Text(printable(value))


def markup_safe(value: object) -> str:
    """`value` for a string that rich reads as markup: control characters removed, markup escaped."""
    return escape(printable(value))
