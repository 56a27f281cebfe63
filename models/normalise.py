"""Normalisation shared by the crawl pipeline and the file import: region from department, clean CPV, ISO dates."""

from __future__ import annotations

import re
from datetime import datetime

from models.dates import as_date
from models.notice import Notice
from models.regions import former_region_of, normalise_department, region_of

_CPV = re.compile(r"(\d{8})")


def clean_cpv(codes: list[str] | None) -> list[str]:
    """Keep the 8-digit part of each CPV code ("45000000-7" -> "45000000"), main first, without duplicates."""
    seen: dict[str, None] = {}
    for code in codes or []:
        match = _CPV.search(str(code))
        if match:
            seen.setdefault(match.group(1), None)
    return list(seen)


def normalise(notice: Notice) -> Notice:
    """Fill what can be derived (department code, region, country) and clean CPV codes and dates, in place."""
    notice.source_id = str(notice.source_id).strip()
    notice.department = normalise_department(notice.department)
    if notice.department and not notice.region:
        notice.region = region_of(notice.department)
    if notice.department and not notice.country:
        notice.country = "FR"
    notice.cpv_codes = clean_cpv(notice.cpv_codes)
    notice.published = as_date(notice.published)
    if isinstance(notice.deadline, str):
        notice.deadline = datetime.fromisoformat(notice.deadline)
    if notice.deadline is not None and notice.deadline.tzinfo is not None:
        notice.deadline = notice.deadline.replace(tzinfo=None)
    notice.title = (notice.title or "").strip()
    return notice


def former_region(notice: Notice) -> str | None:
    return former_region_of(notice.department)


class InvalidNotice(ValueError):
    """A notice that cannot be stored: the reason is counted and logged, the crawl goes on."""


def validate(notice: Notice) -> Notice:
    """Raise InvalidNotice when a notice lacks what the store needs (source, id, and a title or some text)."""
    if not isinstance(notice, Notice):
        raise InvalidNotice(f"not a notice: {type(notice).__name__}")
    if not notice.source or not str(notice.source_id or "").strip():
        raise InvalidNotice("missing source or source_id")
    if not (notice.title or notice.text or notice.sections):
        raise InvalidNotice(f"{notice.source}:{notice.source_id}: no title and no text")
    if len(notice.source_id) > 200:
        raise InvalidNotice(f"{notice.source}: source_id longer than 200 characters")
    return notice
