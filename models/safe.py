"""Text from notices made safe where it leaves the store: links, spreadsheet cells, terminals and HTML.

A notice's fields are whatever a source (or an attacker posing as one) published. Wherever they are rendered:
- a URL is kept only with an http(s) scheme (`safe_url`): no `javascript:` or `data:` link in an export;
- a CSV cell that a spreadsheet would run as a formula gets a leading quote (`csv_cell`, as OWASP advises);
- control characters and ANSI escape sequences are removed (`printable`): they would retitle a terminal, clear it,
  or reach an HTML page raw.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https")

#: ANSI / VT escape sequences (CSI, OSC ... BEL or ST, and two-character escapes), then any other control character
#: (C0 but tab and line feed, DEL, C1). Carriage returns go too: they let a line overwrite what precedes it.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_url(url: object) -> str | None:
    """`url` when it is an absolute http(s) URL with a host, else None (javascript:, data:, file:, relative...)."""
    if not isinstance(url, str):
        return None
    candidate = printable(url).strip()
    if not candidate or any(c.isspace() for c in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return candidate


def printable(text: object) -> str:
    """`text` without ANSI escape sequences and control characters (tabs and line breaks kept); None -> ""."""
    if text is None:
        return ""
    text = str(text)
    if text.isprintable():
        return text
    return _CONTROL.sub("", _ANSI.sub("", text.replace("\r\n", "\n")))


def csv_cell(value: object) -> object:
    """A CSV cell value that no spreadsheet runs: text starting with = + - @ tab or CR gets a leading quote.
    Numbers, booleans and None are left as they are (a negative number is data, not a formula)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_row(row: dict) -> dict:
    """Every cell of a CSV row through `csv_cell`."""
    return {key: csv_cell(value) for key, value in row.items()}
