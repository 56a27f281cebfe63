"""A notice made to fit the store's columns before any write, so that one bad value never fails a whole batch.

PostgreSQL refuses what SQLite stores silently: a NUL character in any text, a string longer than its
`varchar(n)` column. `fit_store` removes NUL characters everywhere in the notice, and refuses (InvalidNotice, a
counted reason) a notice whose identifier or code is longer than its column: a 40-character SIRET is not a SIRET,
and cutting a source or an identifier would merge different notices. The notice's whole text is bounded too
(`TENDERWATCH_MAX_NOTICE_CHARS`): tagging a 200 MB notice would hold up every later import.
"""

from __future__ import annotations

import math
from dataclasses import fields

from models import config
from models.notice import DeclaredConsideration, Lot, Notice, Section
from models.schema import NoticeRow

#: Bounded text columns of the notice table that come from the item as they are (procedure is cut to its column
#: by the store, lot ids too; the region and the CPV division are derived).
CHECKED = ("source", "source_id", "buyer_siret", "buyer_nuts", "country", "department", "region",
           "contract_nature", "notice_type", "language", "raw_format")


class TooLong(ValueError):
    """A value longer than its column."""


def column_length(name: str) -> int | None:
    """The length of the notice table's column `name` (None: unbounded text)."""
    return getattr(NoticeRow.__table__.columns[name].type, "length", None)


LIMITS = {name: column_length(name) for name in CHECKED}


def _no_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value


def _clean_object(obj) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, str):
            setattr(obj, f.name, _no_nul(value))
        elif isinstance(value, list) and value and isinstance(value[0], str):
            setattr(obj, f.name, [_no_nul(v) for v in value])


def strip_nul(notice: Notice) -> Notice:
    """Remove NUL characters from every string of the notice (its sections, lots and declarations too), in place."""
    _clean_object(notice)
    for part in (*notice.sections, *notice.lots, *notice.declared):
        if isinstance(part, (Section, Lot, DeclaredConsideration)):
            _clean_object(part)
    return notice


def check_lengths(notice: Notice) -> None:
    """TooLong naming the first bounded field longer than its column (or an amount no column can hold)."""
    if notice.amount is not None:
        try:
            finite = math.isfinite(float(notice.amount))
        except (OverflowError, TypeError, ValueError):
            finite = False
        if not finite:
            raise TooLong("amount is not a finite number the store can hold")
    for name, limit in LIMITS.items():
        value = getattr(notice, name)
        if limit and isinstance(value, str) and len(value) > limit:
            shown = value[:24] + ("…" if len(value) > 24 else "")
            raise TooLong(f"{name} is {len(value)} characters long, the store takes at most {limit} ({shown!r})")


def check_size(notice: Notice, limit: int | None = None) -> None:
    """TooLong when the notice's text is beyond `limit` characters (TENDERWATCH_MAX_NOTICE_CHARS by default)."""
    limit = config.max_notice_chars() if limit is None else limit
    size = max(len(notice.text or ""), sum(len(s.text or "") for s in notice.sections))
    if size > limit:
        raise TooLong(
            f"text of {size:,} characters is beyond the limit of {limit:,} ({config.ENV_MAX_NOTICE_CHARS}); "
            "split the document or raise the limit"
        )
