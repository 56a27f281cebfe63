"""The research dataset: one row per notice with its metadata and its considerations, reproducible from a given
store and classifier version (rows in a stable order, values written the same way every time), with its data
dictionary.

One row per notice; `procedure_key` names the procedure it belongs to (storage/procedures.py: the notices of one
procedure share it; a notice linked to no other is its own procedure), so a procedure-level table is a group-by
away, as `stats --unit procedure` counts them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.links import self_key
from models.schema import ConsiderationRow, ManualOverrideRow, NoticeRow, PictogramRow
from models.vocabulary import Dimension, Origin
from storage.stats import Filters, apply_filters, threshold_or_default, counted

SCHEMA = "tenderwatch.dataset/1"
BATCH = 1000


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string | integer | number | boolean | date | datetime
    description: str


def _dimension_columns(d: str, label: str) -> list[Column]:
    return [
        Column(d, "boolean", f"The pictogram shows a {label} consideration (declared, an operator's decision, or "
                             "detected at or above the threshold; an operator's decision wins)."),
        Column(f"{d}_origin", "string", "Origin of what lights the pictogram: declared | detected | manual (empty "
                                        "when off)."),
        Column(f"{d}_levers", "string", "Levers the pictogram shows, codes joined by '|' (execution_condition, "
                                        "award_criterion, ...)."),
        Column(f"{d}_declared", "boolean", f"The buyer declared a {label} consideration in structured data."),
        Column(f"{d}_detected", "boolean", f"The classifier detected a {label} consideration at or above the "
                                           "threshold (not stale)."),
        Column(f"{d}_detected_confidence", "number", "Highest confidence of the classifier's (non-stale) "
                                                     f"{label} detections, rounded to 4 decimals; empty when none."),
        Column(f"{d}_manual", "boolean", f"An operator's decision on the {label} dimension (empty: no decision)."),
    ]


COLUMNS: tuple[Column, ...] = (
    Column("procedure_key", "string", "Key of the procedure the notice belongs to (the notices of one procedure share "
                                      "it; its own key when linked to no other): group by it for one row per "
                                      "procedure."),
    Column("notice_key", "string", "The notice's key, SOURCE:ID (e.g. boamp:26-80978), as `tenderwatch` commands "
                                   "take it."),
    Column("source", "string", "Source code: boamp, ted, decp, import, atexo:<platform>."),
    Column("source_id", "string", "The notice's identifier at its source."),
    Column("notice_type", "string", "contract_notice | award_notice | contract (DECP) | prior_information | "
                                    "rectification | cancellation | other | document; empty when unknown."),
    Column("url", "string", "The notice's page at its source."),
    Column("published", "date", "Publication date (YYYY-MM-DD)."),
    Column("year", "integer", "Year of publication."),
    Column("deadline", "datetime", "Time limit for tenders (local time, YYYY-MM-DDTHH:MM:SS)."),
    Column("buyer_siret", "string", "The buyer's SIRET (or SIREN) when the source gives it."),
    Column("buyer_name", "string", "The buyer's name as published."),
    Column("country", "string", "The buyer's country, ISO 3166-1 alpha-2 (French overseas territories may come "
                                "with their own code, e.g. GP)."),
    Column("region", "string", "Current region (2016 boundaries) from the department."),
    Column("former_region", "string", "Region before the 2016 reform."),
    Column("department", "string", "INSEE department code (2A, 2B, 971...)."),
    Column("cpv_main", "string", "Main CPV code (the first one the notice gives)."),
    Column("cpv_codes", "string", "Every CPV code of the notice, joined by '|'."),
    Column("cpv_division", "string", "First two digits of the main CPV code."),
    Column("contract_nature", "string", "works | supplies | services."),
    Column("procedure", "string", "Procedure as published (open, restricted, MAPA...)."),
    Column("amount", "number", "Amount in € HT where the notice gives one (estimated value or awarded amount); "
                               "empty when unknown."),
    *_dimension_columns("social", "social"),
    *_dimension_columns("environmental", "environmental"),
    Column("considerations", "string", "JSON list of the notice's non-stale considerations, sorted: "
                                       "[{dimension, lever (null: dimension only), origin, confidence (null unless "
                                       "detected), qualifies (counts at the threshold)}]."),
    Column("classifier_version", "string", "Version of the classifier that last tagged the notice."),
)
NAMES = tuple(c.name for c in COLUMNS)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _considerations(session: Session, ids: list[int], threshold: float) -> dict[int, list[dict]]:
    c = ConsiderationRow
    out: dict[int, list[dict]] = {i: [] for i in ids}
    query = select(c.notice_id, c.dimension, c.lever, c.origin, c.confidence).where(
        c.notice_id.in_(ids), c.stale.is_(False))
    for r in session.execute(query):
        detected = r.origin == Origin.DETECTED.value
        confidence = round(float(r.confidence), 4) if detected and r.confidence is not None else None
        out[r.notice_id].append({
            "dimension": r.dimension, "lever": r.lever, "origin": r.origin, "confidence": confidence,
            "qualifies": not detected or (confidence is not None and r.confidence >= threshold),
        })
    for items in out.values():
        items.sort(key=lambda x: (x["dimension"], x["lever"] or "", x["origin"], x["confidence"] or 0))
    return out


def _row(n: NoticeRow, pictogram: PictogramRow | None, override: ManualOverrideRow | None,
         considerations: list[dict]) -> dict:
    key = f"{n.source}:{n.source_id}"
    cpv = [str(code) for code in (n.cpv_codes or [])]
    row = {
        "procedure_key": n.procedure_key or self_key(n.source, n.source_id), "notice_key": key, "source": n.source, "source_id": n.source_id,
        "notice_type": n.notice_type, "url": n.url, "published": _iso(n.published), "year": n.year,
        "deadline": _iso(n.deadline), "buyer_siret": n.buyer_siret, "buyer_name": n.buyer_name,
        "country": n.country, "region": n.region, "former_region": n.former_region, "department": n.department,
        "cpv_main": cpv[0] if cpv else None, "cpv_codes": "|".join(cpv) or None, "cpv_division": n.cpv_division,
        "contract_nature": n.contract_nature, "procedure": n.procedure,
        "amount": float(n.amount) if n.amount is not None else None,
    }
    levers = sorted(pictogram.levers or []) if pictogram else []
    for d in Dimension:
        mine = [x for x in considerations if x["dimension"] == d.value]
        detected = [x["confidence"] for x in mine if x["origin"] == Origin.DETECTED.value and x["confidence"] is not None]
        on = bool(getattr(pictogram, d.value)) if pictogram else False
        row.update({
            d.value: on,
            f"{d.value}_origin": getattr(pictogram, f"{d.value}_origin") if pictogram and on else None,
            f"{d.value}_levers": "|".join(lv.split(":", 1)[1] for lv in levers if lv.startswith(f"{d.value}:"))
            or None,
            f"{d.value}_declared": any(x["origin"] == Origin.DECLARED.value for x in mine),
            f"{d.value}_detected": any(x["origin"] == Origin.DETECTED.value and x["qualifies"] for x in mine),
            f"{d.value}_detected_confidence": max(detected) if detected else None,
            f"{d.value}_manual": getattr(override, d.value) if override is not None else None,
        })
    row["considerations"] = json.dumps(considerations, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    row["classifier_version"] = n.tagged_version
    return row


def rows(session: Session, filters: Filters | None = None, threshold: float | None = None) -> Iterator[dict]:
    """The dataset's rows in a stable order (source, then source_id), read in batches."""
    threshold = threshold_or_default(threshold)
    query = counted(session, apply_filters(select(NoticeRow.id, NoticeRow.source, NoticeRow.source_id),
                                            filters or Filters()))
    # sorted here, by code point: the databases' collations differ (PostgreSQL's follows the locale)
    ids = [r.id for r in sorted(session.execute(query), key=lambda r: (r.source, r.source_id))]
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        notices = {n.id: n for n in session.scalars(select(NoticeRow).where(NoticeRow.id.in_(batch)))}
        pictograms = {p.notice_id: p for p in session.scalars(select(PictogramRow).where(
            PictogramRow.notice_id.in_(batch)))}
        overrides = {o.notice_id: o for o in session.scalars(select(ManualOverrideRow).where(
            ManualOverrideRow.notice_id.in_(batch)))}
        found = _considerations(session, batch, threshold)
        for i in batch:
            yield _row(notices[i], pictograms.get(i), overrides.get(i), found[i])
        session.expunge_all()


def dictionary(count: int, filters: Filters | None, threshold: float, versions: list[str], data_file: str,
               sha256: str) -> dict:
    """The data dictionary (JSON): what one row is, every column, and what the file was made from."""
    return {
        "schema": SCHEMA,
        "file": data_file,
        "sha256": sha256,
        "rows": count,
        "unit": "notice (procedure_key groups the notices of one procedure)",
        "order": "source, then source_id (by code point)",
        "detection_threshold": threshold,
        "classifier_versions": versions,
        "filters": (filters or Filters()).as_dict(),
        "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in COLUMNS],
    }


def dictionary_markdown(doc: dict) -> str:
    lines = [
        f"# Research dataset `{doc['file']}` ({doc['schema']})",
        "",
        f"- rows: {doc['rows']}, one per **{doc['unit']}**, ordered by {doc['order']}",
        f"- SHA-256 of the file: `{doc['sha256']}`",
        f"- classifier version(s) of the tagged notices: {', '.join(doc['classifier_versions']) or 'none'}",
        f"- detection threshold: {doc['detection_threshold']}",
        f"- filters: `{json.dumps(doc['filters'], ensure_ascii=False, sort_keys=True)}`",
        "",
        "Empty cells are unknown values. Re-exporting the same store with the same classifier version and filters "
        "gives the same file.",
        "",
        "| column | type | description |",
        "|---|---|---|",
    ]
    lines += [f"| `{c['name']}` | {c['type']} | {c['description'].replace('|', chr(92) + '|')} |"
              for c in doc["columns"]]
    return "\n".join(lines) + "\n"
