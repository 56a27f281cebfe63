"""Pictogram exports: the metadata a platform reads to draw each notice's pictograms (schema below, stable).

JSON: {"schema": "tenderwatch.pictograms/1", "generated_at": ISO datetime, "count": int,
       "notices": [{"source", "source_id", "url", "title", "buyer", "published",
                    "social": {"on", "label", "origin", "origin_label", "confidence", "levers": [{"code", "label"}]},
                    "environmental": {... same ...}}]}
     origin_label is what the public reads ("Déclarée par l'acheteur", "Détectée automatiquement", "Vérifiée");
     confidence is for operators: null in what the public is given (`pictogram_records(confidences=False)`).
CSV: one row per notice: source, source_id, url, title, published, social, social_origin, social_confidence,
     social_levers (codes joined by "|"), environmental, environmental_origin, environmental_confidence,
     environmental_levers, procedure, procedure_override (the SOURCE:ID of another notice of the procedure that
     carries an operator's override).
JSON records also carry "procedure" (its key) and "procedure_override" (that override: {"notice", "social",
     "environmental", "levers", "reason"}, else null).
HTML: one self-contained snippet per notice (`html_snippet`): the inline SVG pictogram of each dimension that is
     on (storage/static), its French label, its origin as the public reads it (never a confidence) and levers,
     styled inline so a platform can paste it into a notice page; a notice with neither shows one sentence saying
     so. `write_html` writes a single HTML document with one `<article id="tw-SOURCE-ID" data-notice="SOURCE:ID">` per notice (title, link, buyer, date, snippet).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from typing import IO

from jinja2 import Environment
from markupsafe import Markup
from sqlalchemy import select

from models.safe import csv_row, printable, safe_url
from models.schema import ManualOverrideRow, NoticeRow, PictogramRow
from storage.patterns import source_matches
from models.vocabulary import (
    DIMENSION_LABELS,
    LEVER_LABELS,
    PUBLIC_ORIGIN_LABELS,
    UI_LABELS,
    Dimension,
    Lever,
    Origin,
)

SCHEMA = "tenderwatch.pictograms/1"
CSV_FIELDS = [
    "source", "source_id", "url", "title", "published",
    "social", "social_origin", "social_confidence", "social_levers",
    "environmental", "environmental_origin", "environmental_confidence", "environmental_levers",
    "procedure", "procedure_override",
]


def dimension_record(dimension: Dimension, on: bool, origin: str | None, confidence: float | None,
                     levers: list[str]) -> dict:
    """One dimension of a notice's pictogram as exported (`levers`: the pictogram's "dimension:lever" strings)."""
    codes = [x.split(":", 1)[1] for x in levers if x.startswith(f"{dimension.value}:")]
    return {
        "on": bool(on),
        "label": DIMENSION_LABELS[dimension],
        "origin": origin if on or origin == Origin.MANUAL.value else None,
        "origin_label": PUBLIC_ORIGIN_LABELS[Origin(origin)] if origin else None,
        "confidence": round(confidence, 4) if confidence is not None and on else None,
        "levers": [{"code": code, "label": LEVER_LABELS[Lever(code)]} for code in codes],
    }


def procedure_overrides(session) -> dict[str, list[dict]]:
    """The operators' overrides by procedure (storage/procedures.py), newest first: what the other notices of
    each procedure show as `procedure_override`."""
    o = ManualOverrideRow
    query = (select(NoticeRow.id, NoticeRow.source, NoticeRow.source_id, NoticeRow.procedure_key, o)
             .join(o, o.notice_id == NoticeRow.id).where(NoticeRow.procedure_key.is_not(None))
             .order_by(o.updated_at.desc(), o.id.desc()))
    out: dict[str, list[dict]] = {}
    for row in session.execute(query):
        override = row.ManualOverrideRow
        out.setdefault(row.procedure_key, []).append({
            "notice_id": row.id,
            "notice": f"{row.source}:{row.source_id}",
            "social": override.social,
            "environmental": override.environmental,
            "levers": list(override.levers or []),
            "reason": override.reason,
        })
    return out


def filter_pictograms(query, since: date | None = None, source: str | None = None,
                      changed_since: datetime | None = None):
    """`query` (over notices joined to their pictogram) narrowed to what an export or a page of the API covers:
    never a quarantined notice (`tenderwatch notices --quarantine`); `source` with `*` as its one wildcard."""
    query = query.where(NoticeRow.quarantined_at.is_(None))
    if since:
        query = query.where(NoticeRow.published >= since)
    if source:
        query = query.where(source_matches(NoticeRow.source, source))
    if changed_since:
        query = query.where(PictogramRow.generated_at >= changed_since)
    return query


def pictogram_records(session, since: date | None = None, source: str | None = None,
                      limit: int | None = None, batch: int = 2000, offset: int = 0, confidences: bool = True,
                      changed_since: datetime | None = None) -> Iterator[dict]:
    """Export records, streamed in notice-id order (`confidences=False`: what the public is given). Pictograms are
    per notice; a notice whose procedure has an operator's override on another of its notices carries it as
    `procedure_override` (the newest, when several): {"notice": SOURCE:ID, "social", "environmental" (true, false or
    null: no decision), "levers", "reason"}."""
    overrides = procedure_overrides(session)
    query = (
        select(NoticeRow.source, NoticeRow.source_id, NoticeRow.url, NoticeRow.title, NoticeRow.published,
               NoticeRow.buyer_name, NoticeRow.id.label("notice_id"), NoticeRow.procedure_key, PictogramRow)
        .join(PictogramRow, PictogramRow.notice_id == NoticeRow.id)
        .order_by(NoticeRow.id)
    )
    query = filter_pictograms(query, since, source, changed_since)
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    for row in session.execute(query.execution_options(yield_per=batch)):
        p: PictogramRow = row.PictogramRow
        sibling = next((dict(x) for x in overrides.get(row.procedure_key) or () if x["notice_id"] != row.notice_id),
                       None)
        if sibling:
            del sibling["notice_id"]
        yield {
            "source": row.source,
            "source_id": row.source_id,
            "url": safe_url(row.url),
            "title": row.title,
            "buyer": row.buyer_name,
            "published": row.published.isoformat() if row.published else None,
            "social": dimension_record(Dimension.SOCIAL, p.social, p.social_origin,
                                       p.social_confidence if confidences else None, p.levers or []),
            "environmental": dimension_record(
                Dimension.ENVIRONMENTAL, p.environmental, p.environmental_origin,
                p.environmental_confidence if confidences else None, p.levers or [],
            ),
            "procedure": row.procedure_key,
            "procedure_override": sibling,
        }


def write_json(records: Iterator[dict], out: IO[str]) -> int:
    """Stream the JSON document (records are not all held in memory)."""
    count = 0
    now = datetime.now(UTC).isoformat(timespec="seconds")
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
        row["procedure"] = r.get("procedure") or ""
        row["procedure_override"] = (r.get("procedure_override") or {}).get("notice", "")
        writer.writerow(csv_row(row))
        count += 1
    return count


_SNIPPET = """\
<div class="tw-pictograms" data-notice="{{ r.source }}:{{ r.source_id }}" lang="fr" \
style="display:flex;flex-wrap:wrap;gap:12px;font:14px/1.35 system-ui,sans-serif;color:#1b1b1b">
{%- for dim in dims %}
<div class="tw-pictogram tw-{{ dim.code }}" style="display:flex;gap:8px;align-items:flex-start">{{ dim.svg }}\
<div><strong>{{ dim.label }}</strong><br><small>{{ dim.origin }}</small>
{%- if dim.levers %}<ul style="margin:2px 0 0;padding-left:18px">
{%- for lever in dim.levers %}<li>{{ lever }}</li>{% endfor %}</ul>{% endif %}</div></div>
{%- else %}
<p style="margin:0">{{ empty_text }}</p>
{%- endfor %}
</div>"""

_DOCUMENT_HEAD = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Pictogrammes tenderwatch</title>
<style>body{font:15px/1.4 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
article{border-bottom:1px solid #ddd;padding:1rem 0}h2{font-size:1.05rem;margin:0 0 .25rem}
.tw-meta{color:#555;margin:0 0 .5rem}</style></head><body>
<h1>Pictogrammes des avis</h1>
"""

_ARTICLE = """<article id="tw-{{ anchor }}" data-notice="{{ r.source }}:{{ r.source_id }}">
<h2>{% if r.url %}<a href="{{ r.url }}">{{ r.title or r.source_id }}</a>{% else %}{{ r.title or r.source_id }}{% endif %}</h2>
<p class="tw-meta">{{ r.source }}:{{ r.source_id }}{% if r.buyer %} · {{ r.buyer }}{% endif %}\
{% if r.published %} · {{ r.published }}{% endif %}</p>
{{ snippet }}
</article>
"""

_env = Environment(autoescape=True, keep_trailing_newline=True)


@lru_cache(maxsize=4)
def pictogram_svg(dimension: str, size: int = 32) -> Markup:
    """The shipped SVG pictogram of a dimension, sized for inline use (its <title> is the French label)."""
    svg = resources.files("storage.static").joinpath(f"pictogram_{dimension}.svg").read_text(encoding="utf-8")
    svg = svg.strip().replace('width="64" height="64"', f'width="{size}" height="{size}"', 1)
    return Markup(svg.replace("\n", "").replace("  ", ""))


def html_snippet(record: dict) -> str:
    """The HTML pictograms of one export record for the public (escaped; inline SVG and styles, nothing to load):
    label, origin as the public reads it, levers; never the classifier's confidence."""
    record = _shown(record)
    dims = [
        {"code": code, "svg": pictogram_svg(code), "label": record[code]["label"], "origin": record[code]["origin_label"] or "",
         "levers": [x["label"] for x in record[code]["levers"]]}
        for code in (Dimension.SOCIAL.value, Dimension.ENVIRONMENTAL.value)
        if record[code]["on"]
    ]
    return _env.from_string(_SNIPPET).render(r=record, dims=dims, empty_text=UI_LABELS["no_consideration"])


def _shown(record: dict) -> dict:
    """A record as HTML shows it: an http(s) link only, no control characters in its texts (escaping is Jinja's)."""
    shown = {key: printable(value) if isinstance(value, str) else value for key, value in record.items()}
    shown["url"] = safe_url(record.get("url"))
    return shown


def write_html(records: Iterator[dict], out: IO[str]) -> int:
    """Stream one HTML document holding every notice's snippet, each in an <article> anchored by its notice."""
    article = _env.from_string(_ARTICLE)
    out.write(_DOCUMENT_HEAD)
    count = 0
    for record in records:
        record = _shown(record)
        anchor = f"{record['source']}-{record['source_id']}".replace(":", "-").replace(" ", "_")
        out.write(article.render(r=record, anchor=anchor, snippet=Markup(html_snippet(record))))
        count += 1
    out.write("</body></html>\n")
    return count
