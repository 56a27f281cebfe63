"""TED "Data" tab pages, as saved from the old TED site -> Notice (source "ted", the OJ S document number as
id).

The coded data table gives the identity, dates, CPV codes and codes of the notice; the notice itself is read
in its original language, as TED renders the standard forms (crawler.parsers.standard_forms).
"""

from __future__ import annotations

import re

import lxml.html

from crawler.parsers.common import (
    cpv_codes,
    department_from_postal_code,
    iso2_country,
    iso2_language,
    nature_from_text,
    notice_type_from_label,
    readable,
    readable_line,
    siret_from_id,
    unique,
)
from crawler.parsers.errors import ParseError, parser
from crawler.parsers.standard_forms import (
    assign_lots,
    lots_from_sections,
    page_buyer,
    page_deadline,
    page_siret,
    section_text,
)
from crawler.parsers.webpage import page_section, read_page, text_of
from models.dates import read_date, read_datetime
from models.notice import Notice, Section
from models.text import fold

FMT = "ted_html"
TED_URL = "https://ted.europa.eu/en/notice/-/detail/{}"
_POSTAL_TEXT = re.compile(r"(?:code postal|postal code|\bcp)\s*:?\s*(\d{5})\b", re.IGNORECASE)


@parser(FMT)
def parse_ted_page(data: bytes, where: str | None = None) -> Notice:
    """A saved TED "Data" tab page."""
    root = read_page(data, FMT, where)
    if not is_ted_page(root):
        raise ParseError(FMT, "not a TED data page (no data table with a document number)", where)
    return ted_page(root, where)


def is_ted_page(root: lxml.html.HtmlElement) -> bool:
    """Whether a page is a TED "Data" tab: a data table with a document number (ND) row."""
    return bool(root.xpath("//table[contains(@class, 'data')]//th[normalize-space() = 'ND']"))


def ted_page(root: lxml.html.HtmlElement, where: str | None) -> Notice:
    """A TED "Data" tab: coded data from the data table, the notice in its original language."""
    fields = _ted_fields(root)
    number = fields.get("ND", "")
    if not number:
        raise ParseError(FMT, "a TED page without document number (ND)", where)
    body = _ted_body(root)
    sections = _ted_sections(body) if body is not None else []
    text = text_of(body)
    authority = fields.get("AU", "")
    registration = re.search(r"\(([\d .]+)\)\s*$", authority)
    postal = _POSTAL_TEXT.search(text)
    country = iso2_country(fields.get("CY"))
    return Notice(
        source="ted",
        source_id=number,
        title=fields.get("TI", "") or section_text(sections, "object"),
        url=TED_URL.format(number),
        buyer_name=re.sub(r"\s*\([\d .]+\)\s*$", "", authority) or page_buyer(sections) or None,
        buyer_siret=siret_from_id(registration.group(1)) if registration else page_siret(text),
        country=country,
        department=department_from_postal_code(postal.group(1)) if postal and country == "FR" else None,
        cpv_codes=unique(cpv_codes(fields.get("PC", ""))),
        procedure=_coded_label(fields.get("PR", "")),
        contract_nature=nature_from_text(fields.get("NC", "")),
        notice_type=notice_type_from_label(fields.get("TD", "")),
        published=read_date(fields.get("PD")),
        deadline=page_deadline(sections) or read_datetime(fields.get("DT")),
        language=iso2_language(fields.get("OL")),
        text=text,
        sections=sections,
        lots=lots_from_sections(sections),
        raw_format=FMT,
    )


def _ted_fields(root: lxml.html.HtmlElement) -> dict[str, str]:
    """The coded data of the first TED data table: {"ND": "375115-2020", "TI": ..., "PC": ...}."""
    tables = root.xpath("//table[contains(@class, 'data')]")
    fields: dict[str, str] = {}
    for row in tables[0].iter("tr") if tables else []:
        code = row.find("th")
        cells = row.findall("td")
        if code is not None and cells:
            fields.setdefault(readable_line(code.text_content()), text_of(cells[-1]))
    return fields


def _ted_coded(value: str) -> str:
    """The label of a TED coded value ("4 - Services" -> "Services")."""
    return readable_line(re.sub(r"^\s*\w+\s*-\s*", "", value))


def _coded_label(value: str) -> str | None:
    """A TED coded label, None for "Not applicable"."""
    label = _ted_coded(value)
    return None if not label or fold(label) in ("not applicable", "sans objet") else label


def _ted_body(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The cell holding the notice in its original language (else the current language)."""
    for wanted in ("original language", "current language"):
        for cell in root.iter("td"):
            first_in_row = cell.getprevious() is None
            if first_in_row and fold(cell.text_content()) == wanted and cell.getnext() is not None:
                return cell.getnext()
    return None


def _ted_sections(body: lxml.html.HtmlElement) -> list[Section]:
    """TED's rendering: "Section II: Object" titles, then "II.2.5) Award criteria" items and their text."""
    sections: list[Section] = []
    for element in body.iter("p", "div"):
        classes = (element.get("class") or "").split()
        if "tigrseq" in classes:
            sections.append(page_section(text_of(element)))
        elif "mlioccur" in classes:
            number = element.find_class("nomark")
            title = element.find_class("timark")
            heading = f"{text_of(number[0]) if number else ''} {text_of(title[0]) if title else ''}"
            text = "\n".join(text_of(t) for t in element.find_class("txtmark"))
            sections.append(page_section(heading, readable(text)))
    assign_lots(sections)
    return [s for s in sections if s.text]
