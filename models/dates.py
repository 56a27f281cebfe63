"""Dates and datetimes as notices write them: ISO, dd/mm/yyyy, French month names, epoch milliseconds.

The Paris wall-clock rule (`read_date`, `read_datetime`: BOAMP records, XML and pages, the DILA API, Atexo and
aggregator pages): a deadline is the wall-clock time in Paris, without a timezone. A datetime that carries an
offset ("2025-04-24T12:00:00+02:00") or an instant (epoch milliseconds, as the DILA API gives) is converted to
Paris time and its timezone dropped; a time written without offset ("15/09/2020 à 12h00") is taken as written.
The eForms and TED XML parsers keep the wall-clock time the notice itself gives (`parse_datetime`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from models.text import fold

PARIS = ZoneInfo("Europe/Paris")

_ISO_DATE = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})")
_ISO_DATETIME = re.compile(
    r"^\s*(\d{4})-?(\d{2})-?(\d{2})(?:[T ]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
_ISO_WITH_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d")
# fmt: off
_FR_MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
              "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}
# fmt: on
_FR_TEXT_DATE = re.compile(r"(\d{1,2})(?:er)?\s+(" + "|".join(_FR_MONTHS) + r")\s+(\d{4})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})\s*(?:h|:|heures?)\s*(\d{2})?")


def parse_date(s: str | None) -> date | None:
    """The calendar date at the start of "2025-03-18+01:00", "2023-09-28Z", "20190226" or an ISO datetime."""
    if not s:
        return None
    m = _ISO_DATE.match(s)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_datetime(s: str | None) -> datetime | None:
    """A datetime from "2025-04-24T12:00:00+02:00", "2019-03-22 15:00", "20190322 15:00" or a bare date.

    The result is timezone-aware only when the string gives an offset ("Z" or "+02:00").
    """
    if not s:
        return None
    m = _ISO_DATETIME.match(s)
    if not m:
        return None
    year, month, day, hour, minute, second, offset = m.groups()
    text = f"{year}-{month}-{day}T{int(hour or 0):02d}:{minute or '00'}:{second or '00'}"
    if offset:
        text += "+00:00" if offset == "Z" else (offset if ":" in offset else f"{offset[:3]}:{offset[3:]}")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def from_epoch_ms(value: float) -> datetime | None:
    """The Paris wall-clock time of an instant in epoch milliseconds; None when out of range."""
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC).astimezone(PARIS).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def paris_wall_clock(moment: datetime) -> datetime:
    """A datetime as Paris wall-clock time, without timezone (a naive one is taken as already so)."""
    return moment.astimezone(PARIS).replace(tzinfo=None) if moment.tzinfo else moment


def find_date(text: str) -> tuple[date, int] | None:
    """The first calendar date in a text (ISO, dd/mm/yyyy or "14 août 2020") and where it ends in the folded
    text (models.text.fold)."""
    folded = fold(text)
    for pattern, order in ((_YMD, (1, 2, 3)), (_DMY, (3, 2, 1)), (_FR_TEXT_DATE, (3, 2, 1))):
        match = pattern.search(folded)
        if not match:
            continue
        year, month, day = (match.group(i) for i in order)
        month_number = _FR_MONTHS[month] if month in _FR_MONTHS else int(month)
        try:
            return date(int(year), month_number, int(day)), match.end()
        except ValueError:
            continue
    return None


def read_date(value: object) -> date | None:
    """A calendar date from ISO text ("2026-08-18", "2006-07-4"), French text, a datetime (its Paris date) or
    epoch milliseconds; None when there is none."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return paris_wall_clock(value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = from_epoch_ms(value)
        return moment.date() if moment else None
    found = find_date(str(value))
    return found[0] if found else None


def read_datetime(value: object) -> datetime | None:
    """A Paris wall-clock datetime from ISO text (offset applied), French or dd/mm/yyyy text with a time
    ("15/09/2020 à 12h00", midnight when none), or epoch milliseconds; None when there is no date."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_epoch_ms(value)
    text = str(value).strip()
    parsed = parse_datetime(text) if _ISO_WITH_TIME.match(text) else None
    if parsed:
        return paris_wall_clock(parsed)
    found = find_date(text)
    if not found:
        return None
    day, end = found
    clock = _TIME.search(fold(text)[end : end + 40])
    hour, minute = (int(clock.group(1)), int(clock.group(2) or 0)) if clock else (0, 0)
    if hour > 23 or minute > 59:
        hour, minute = 0, 0
    return datetime(day.year, day.month, day.day, hour, minute)


def as_date(value: object) -> date | None:
    """A date from a date, a datetime or ISO text ("2025-03-18..."); unreadable text raises ValueError."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value  # type: ignore[return-value]
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])
