"""The notice item every parser returns and every spider yields (a plain dataclass: no Scrapy, no database)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from models.vocabulary import Dimension, Lever

# Normalised section kinds: where a piece of a notice sits, so the classifier knows the lever context.
SECTION_KINDS = (
    "title",
    "object",  # objet du marché / short description
    "description",  # description of the need, lot description
    "lot",
    "participation",  # conditions de participation, capacités, selection criteria
    "award_criteria",
    "execution_conditions",  # conditions particulières d'exécution (BT-70, PERFORMANCE_CONDITIONS)
    "reservation",  # marché réservé
    "technical_specification",
    "additional_info",  # renseignements complémentaires
    "other",
)


@dataclass
class Section:
    """One part of a notice with its heading, e.g. ("Critères d'attribution", "Prix 60 %, valeur technique 40 %")."""

    heading: str
    text: str
    kind: str = "other"
    lot: str | None = None


@dataclass
class Lot:
    lot_id: str
    title: str = ""
    description: str = ""
    cpv_codes: list[str] = field(default_factory=list)


@dataclass
class DeclaredConsideration:
    """What the buyer filled in as structured data (eForms codes, DECP fields, BOAMP `criteres`).

    `lever` is None when the source declares only the dimension (BOAMP `criteres`, eForms BT-06 without context).
    `evidence` names the field and value, e.g. "BT-775 work-cond" or "considerationsSociales=Clause sociale".
    """

    dimension: Dimension
    lever: Lever | None
    evidence: str
    lot: str | None = None


@dataclass
class Notice:
    source: str  # boamp, ted, decp, atexo:<platform>, import, demo...
    source_id: str  # the source's own identifier (never a page number)
    title: str = ""
    url: str | None = None
    buyer_name: str | None = None
    buyer_siret: str | None = None
    buyer_nuts: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, e.g. "FR"
    department: str | None = None  # French department code: "01".."95", "2A", "2B", "971".."976"
    region: str | None = None  # filled from the department by the normalise pipeline when absent
    cpv_codes: list[str] = field(default_factory=list)  # 8-digit CPV codes, main one first
    procedure: str | None = None
    contract_nature: str | None = None  # works | supplies | services
    notice_type: str | None = None  # contract_notice | award_notice | prior_information | contract | ...
    published: date | None = None
    deadline: datetime | None = None
    language: str | None = None  # ISO 639-1, e.g. "fr"
    amount: float | None = None
    text: str = ""  # full text as read by people; built from the sections when a parser leaves it empty
    sections: list[Section] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    declared: list[DeclaredConsideration] = field(default_factory=list)
    raw_format: str | None = None  # eforms, ted_r209, boamp_ods, boamp_xml, boamp_html, decp, atexo_html, json...
    # keys of the procedure this notice belongs to, beside its own (models/links.py): "ted:293189-2019",
    # "boamp:19-12345", "proc:<uuid>", "ref:<SIRET>:<buyer's reference>"...
    links: list[str] = field(default_factory=list)

    def full_text(self) -> str:
        if self.text:
            return self.text
        parts = [self.title] if self.title else []
        for s in self.sections:
            parts.append(f"{s.heading}\n{s.text}" if s.heading else s.text)
        return "\n\n".join(p for p in parts if p)

    def to_dict(self) -> dict:
        """Plain JSON-ready values (what `dataclasses.asdict` gives, dates and enums as strings), built field by
        field: `asdict` deep-copies every value and was two thirds of the crawl pipeline's own cost."""
        d = _plain(self)
        d["cpv_codes"] = list(self.cpv_codes)
        d["sections"] = [_plain(s) for s in self.sections]
        d["lots"] = [{**_plain(x), "cpv_codes": list(x.cpv_codes)} for x in self.lots]
        d["declared"] = [
            {**_plain(x), "dimension": str(x.dimension), "lever": str(x.lever) if x.lever else None}
            for x in self.declared
        ]
        d["published"] = self.published.isoformat() if self.published else None
        d["deadline"] = self.deadline.isoformat() if self.deadline else None
        if self.links:
            d["links"] = list(self.links)
        else:  # a notice without links has the dict (and content hash) it had before links existed
            del d["links"]
        return d

    def content_hash(self) -> str:
        """A stable hash of what the notice says (not when or how it was fetched)."""
        d = self.to_dict()
        d.pop("region", None)
        payload = json.dumps(d, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @classmethod
    def from_dict(cls, d: dict) -> Notice:
        d = dict(d)
        d["sections"] = [Section(**s) for s in d.get("sections") or []]
        d["lots"] = [Lot(**x) for x in d.get("lots") or []]
        d["declared"] = [
            DeclaredConsideration(
                dimension=Dimension(x["dimension"]),
                lever=Lever(x["lever"]) if x.get("lever") else None,
                evidence=x.get("evidence", ""),
                lot=x.get("lot"),
            )
            for x in d.get("declared") or []
        ]
        if isinstance(d.get("published"), str) and d["published"]:
            d["published"] = date.fromisoformat(d["published"][:10])
        if isinstance(d.get("deadline"), str) and d["deadline"]:
            d["deadline"] = datetime.fromisoformat(d["deadline"])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(obj) -> dict:
    """A dataclass's fields as a shallow dict (nested lists are handled by the caller)."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    return {name: getattr(obj, name) for name in names}
