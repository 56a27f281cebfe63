"""Atexo consultation summaries as aggregators save them -> Notice (source "atexo:unknown", the buyer's
reference as id): labelled fields ("Référence :", "Intitulé :"), not the platform's own page
(crawler.parsers.atexo)."""

from __future__ import annotations

import re

import lxml.html

from crawler.parsers.common import (
    cpv_codes,
    department_from_postal_code,
    first_present,
    nature_from_text,
    notice_type_from_label,
    readable_line,
    unique,
)
from crawler.parsers.errors import ParseError, parser
from crawler.parsers.webpage import derived_id, page_section, read_page, text_of
from models.dates import read_date, read_datetime
from models.notice import Notice
from models.regions import normalise_department
from models.text import fold

FMT = "atexo_html"


@parser(FMT)
def parse_atexo_summary(data: bytes, where: str | None = None) -> Notice:
    """An Atexo consultation summary saved by an aggregator."""
    root = read_page(data, FMT, where)
    if not is_atexo_summary(root):
        raise ParseError(FMT, "not an Atexo consultation summary (no recap block)", where)
    return atexo_summary(root, where)


def is_atexo_summary(root: lxml.html.HtmlElement) -> bool:
    """Whether a page shows an Atexo consultation summary: its recap block or its collapsible heading."""
    return bool(root.find_class("recap-bloc")) or root.get_element_by_id("collapseHeading", None) is not None


def atexo_summary(root: lxml.html.HtmlElement, where: str | None) -> Notice:
    """An Atexo consultation summary as aggregators save it: labelled fields ("Référence :", "Intitulé :")."""
    fields = _labelled_fields(root)
    reference = fields.get("reference", "")
    title = fields.get("intitule", "") or fields.get("objet", "")
    if not (reference or title):
        raise ParseError(FMT, "an Atexo-like page without reference nor title", where)
    organisme = fields.get("organisme", "") or fields.get("entite publique", "")
    postal = re.search(r"\((\d{5})\b", organisme)
    sections = [
        page_section(label, value) for label, value in fields.items() if label in ("objet", "intitule")
    ]
    return Notice(
        source="atexo:unknown",
        source_id=reference or derived_id(title, organisme),
        title=title,
        buyer_name=re.sub(r"\s*\([^)]*\)\s*$", "", organisme) or None,
        country="FR",
        department=first_present(
            normalise_department(fields.get("lieu d'execution", "")),
            department_from_postal_code(postal.group(1)) if postal else None,
        ),
        cpv_codes=unique(
            c for e in root.xpath("//*[@data-code-cpv]") for c in cpv_codes(e.get("data-code-cpv"))
        ),
        procedure=fields.get("procedure") or None,
        contract_nature=nature_from_text(fields.get("categorie principale", "")),
        notice_type=notice_type_from_label(fields.get("type d'annonce", "")),
        published=read_date(_published_line(root)),
        deadline=read_datetime(fields.get("date et heure limite de remise des plis")),
        language="fr",
        text=text_of(root),
        sections=[s for s in sections if s.text],
        raw_format=FMT,
    )


def _labelled_fields(root: lxml.html.HtmlElement) -> dict[str, str]:
    """Atexo-style label / value pairs, labels folded without colon: {"reference": "CP20-018", ...}."""
    fields: dict[str, str] = {}
    for label in root.iter("label"):
        value = label.getnext()
        name = fold(label.text_content()).rstrip(" :").strip()
        if name and value is not None:
            fields.setdefault(name, readable_line(value.text_content()))
    return fields


def _published_line(root: lxml.html.HtmlElement) -> str:
    """The "Publié le : 13 Août 2020" line aggregators add under the notice."""
    match = re.search(r"Publi[ée] le\s*:?\s*([^\n]+)", root.text_content())
    return match.group(1) if match else ""
