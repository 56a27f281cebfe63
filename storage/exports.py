"""Pictogram exports: the metadata a platform reads to draw each notice's pictograms (schema below, stable).

JSON: {"schema": "tenderwatch.pictograms/1", "generated_at": ISO datetime, "count": int,
       "notices": [{"source", "source_id", "url", "title", "buyer", "published",
                    "social": {"on", "label", "origin", "origin_label", "confidence", "levers": [{"code", "label"}]},
                    "environmental": {... same ...}}]}
CSV: one row per notice: source, source_id, url, title, published, social, social_origin, social_confidence,
     social_levers (codes joined by "|"), environmental, environmental_origin, environmental_confidence,
     environmental_levers.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timezone
from typing import IO, Iterator

from sqlalchemy import select

from models.schema import NoticeRow, PictogramRow
from models.vocabulary import DIMENSION_LABELS, LEVER_LABELS, ORIGIN_LABELS, Dimension, Lever, Origin

SCHEMA = "tenderwatch.pictograms/1"
CSV_FIELDS = [
    "source", "source_id", "url", "title", "published",
    "social", "social_origin", "social_confidence", "social_levers",
    "environmental", "environmental_origin", "environmental_confidence", "environmental_levers",
]


def _dimension(dimension: Dimension, on: bool, origin: str | None, confidence: float | None, levers: list[str]) -> dict:
    codes = [x.split(":", 1)[1] for x in levers if x.startswith(f"{dimension.value}:")]
    return {
        "on": bool(on),
        "label": DIMENSION_LABELS[dimension],
        "origin": origin if on or origin == Origin.MANUAL.value else None,
        "origin_label": ORIGIN_LABELS[Origin(origin)] if origin else None,
        "confidence": round(confidence, 4) if confidence is not None and on else None,
        "levers": [{"code": code, "label": LEVER_LABELS[Lever(code)]} for code in codes],
    }


def pictogram_records(session, since: date | None = None, source: str | None = None,
                      limit: int | None = None, batch: int = 2000) -> Iterator[dict]:
    """Export records, streamed in notice-id order."""
    query = (
        select(NoticeRow.source, NoticeRow.source_id, NoticeRow.url, NoticeRow.title, NoticeRow.published,
               NoticeRow.buyer_name, PictogramRow)
        .join(PictogramRow, PictogramRow.notice_id == NoticeRow.id)
        .order_by(NoticeRow.id)
    )
    if since:
        query = query.where(NoticeRow.published >= since)
    if source:
        query = query.where(NoticeRow.source.like(source.replace("*", "%")))
    if limit:
        query = query.limit(limit)
    for row in session.execute(query.execution_options(yield_per=batch)):
        p: PictogramRow = row.PictogramRow
        yield {
            "source": row.source,
            "source_id": row.source_id,
            "url": row.url,
            "title": row.title,
            "buyer": row.buyer_name,
            "published": row.published.isoformat() if row.published else None,
            "social": _dimension(Dimension.SOCIAL, p.social, p.social_origin, p.social_confidence, p.levers or []),
            "environmental": _dimension(
                Dimension.ENVIRONMENTAL, p.environmental, p.environmental_origin, p.environmental_confidence,
                p.levers or [],
            ),
        }


def write_json(records: Iterator[dict], out: IO[str]) -> int:
    """Stream the JSON document (records are not all held in memory)."""
    count = 0
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    out.write(f'{{"schema": "{SCHEMA}", "generated_at": "{now}", "notices": [\n')
    for record in records:
        out.write((",\n" if count else "") + json.dumps(record, ensure_ascii=False))
        count += 1
    out.write(f'\n], "count": {count}}}\n')
    return count


def write_csv(records: Iterator[dict], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    count = 0
    for r in records:
        row = {k: r[k] for k in ("source", "source_id", "url", "title", "published")}
        for dim in ("social", "environmental"):
            d = r[dim]
            row[dim] = "yes" if d["on"] else "no"
            row[f"{dim}_origin"] = d["origin"] or ""
            row[f"{dim}_confidence"] = "" if d["confidence"] is None else d["confidence"]
            row[f"{dim}_levers"] = "|".join(x["code"] for x in d["levers"])
        writer.writerow(row)
        count += 1
    return count
