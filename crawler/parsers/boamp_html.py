"""boamp.fr notice pages, as saved from the site -> Notice.

The header gives the notice number, dates, departments, buyer, type and procedure; `#detail-avis-content` the
notice itself: the numbered rows of a JOUE form (crawler.parsers.standard_forms) or the `<i>` labels of a
national form. Only the notice is read, never the page chrome; `text` is the notice as shown, `sections` its
numbered or labelled parts. The social / environmental pictograms of the header are declared dimensions (no
lever).
"""

from __future__ import annotations

import re

import lxml.html

from crawler.parsers.boamp_legacy import BOAMP_URL
from crawler.parsers.common import (
    cpv_codes,
    department,
    first_present,
    nature_from_text,
    notice_type_from_label,
    readable,
    readable_line,
    unique,
    unique_declared,
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
from crawler.parsers.webpage import append_text, page_section, read_page, text_of
from models.dates import read_date, read_datetime
from models.notice import DeclaredConsideration, Notice, Section
from models.text import fold
from models.vocabulary import Dimension

FMT = "boamp_html"

_ITEM_NUMBER = re.compile(r"^([IVX]+(?:\.\d+)*)\)$")
_AVIS_REF = re.compile(r"(?:Avis|Annonce)\s*N\s*[°ºo.]*\s*:?\s*(\d{2}-\d+|[A-Z]{3}\d{8,}\w*)", re.IGNORECASE)
_DEPARTMENTS_TEXT = re.compile(r"D[ée]partement\(s\) de publication\s*:\s*([0-9AB, ]+)", re.IGNORECASE)
_CPV_LINE = re.compile(
    r"(?:cpv|descripteur (?:principal|supplementaire)|objets? (?:principal|supplementaires?))"
    r"[^:\n]*:\s*([\d\s.,;\-]+)"
)


@parser(FMT)
def parse_boamp_page(data: bytes, where: str | None = None) -> Notice:
    """A saved boamp.fr notice page."""
    root = read_page(data, FMT, where)
    if not is_boamp_page(root):
        raise ParseError(
            FMT, "not a boamp.fr notice page (no notice reference nor #detail-avis-content)", where
        )
    return boamp_page(root, where)


def is_boamp_page(root: lxml.html.HtmlElement) -> bool:
    """Whether a page is a boamp.fr notice page: its notice reference or its notice block."""
    return (
        bool(root.find_class("avis-ref")) or root.get_element_by_id("detail-avis-content", None) is not None
    )


def boamp_page(root: lxml.html.HtmlElement, where: str | None) -> Notice:
    """A boamp.fr notice page: the header gives identity and dates, #detail-avis-content the notice itself."""
    content = root.get_element_by_id("detail-avis-content", None)
    body = text_of(content)
    header = _boamp_header(root)
    reference = _AVIS_REF.search(body)
    idweb = header.get("id") or (reference.group(1) if reference else "")
    if not idweb:
        raise ParseError(FMT, 'no notice number ("Avis No ...") on the page', where)
    sections = _boamp_sections(content) if content is not None else []
    listed = _DEPARTMENTS_TEXT.search(body)
    departments = (listed.group(1) if listed else header.get("departments", "")).replace(" ", "").split(",")
    return Notice(
        source="boamp",
        source_id=idweb,
        title=header.get("title") or section_text(sections, "object"),
        url=BOAMP_URL.format(idweb),
        buyer_name=page_buyer(sections) or header.get("buyer") or None,
        buyer_siret=page_siret(body),
        country="FR",
        department=first_present(*(department(d) for d in departments)),
        cpv_codes=_cpvs_from_sections(sections),
        procedure=header.get("procedure") or None,
        contract_nature=_page_nature(sections),
        notice_type=notice_type_from_label(header.get("type", "")),
        published=read_date(header.get("published")),
        deadline=page_deadline(sections) or read_datetime(header.get("deadline")),
        language="fr",
        text=body,
        sections=sections,
        lots=lots_from_sections(sections),
        declared=_html_declared(root),
        raw_format=FMT,
    )


def _boamp_header(root: lxml.html.HtmlElement) -> dict[str, str]:
    """Number, dates, departments, buyer, title, type and procedure from the boamp.fr notice header."""

    def first(cls: str) -> str:
        found = root.find_class(cls)
        return readable_line(found[0].text_content()) if found else ""

    header = {"published": first("date-publishing"), "deadline": first("date-response")}
    reference = _AVIS_REF.search(first("avis-ref"))
    header["id"] = reference.group(1) if reference else ""
    geo = root.find_class("avis-geo")
    if geo:
        span = geo[0].find("span")
        header["departments"] = readable_line(span.text_content()).split(":")[-1] if span is not None else ""
        header["buyer"] = readable_line(span.tail) if span is not None else ""
    title = root.xpath("//header//h1")
    header["title"] = readable_line(title[0].text_content()) if title else ""
    kinds = root.xpath("//*[contains(@class, 'type-avis')]/span")
    header["type"] = readable_line(kinds[0].text_content()) if kinds else ""
    header["procedure"] = readable_line(kinds[1].text_content()) if len(kinds) > 1 else ""
    return header


def _boamp_sections(content: lxml.html.HtmlElement) -> list[Section]:
    """The notice split into sections: numbered rows of a JOUE form, else the labels of a national form."""
    numbered = any(_ITEM_NUMBER.match(readable_line(td.text_content())) for td in content.iter("td"))
    sections = _table_sections(content) if numbered else _label_sections(content)
    assign_lots(sections)
    return [s for s in sections if s.text]


def _table_sections(content: lxml.html.HtmlElement) -> list[Section]:
    """JOUE-form rows: "Section II : Objet" titles, "II.2.5) Critères d'attribution" rows, content rows."""
    sections: list[Section] = []
    current: Section | None = None
    for element in content.iter("p", "tr"):
        if element.tag == "p":
            if "titreSection" in (element.get("class") or ""):
                current = page_section(text_of(element))
                sections.append(current)
            continue
        if element.find(".//table") is not None:
            continue
        cells = element.findall("td")
        if not cells:
            continue
        number = _ITEM_NUMBER.match(readable_line(cells[0].text_content()))
        if number:
            heading, text = _row_heading(cells[-1])
            current = page_section(f"{number.group(1)}) {heading}", text)
            sections.append(current)
        else:
            append_text(current, text_of(cells[-1]))
    return sections


def _row_heading(cell: lxml.html.HtmlElement) -> tuple[str, str]:
    """The heading of a numbered row and the text that follows it in the same cell."""
    full = text_of(cell)
    if "bold" in (cell.get("class") or ""):
        return full, ""
    bold = cell.find_class("bold")
    heading = readable_line(bold[0].text_content()) if bold else ""
    text = full[len(heading) :].strip() if heading and full.startswith(heading) else full
    return heading or full, text if heading else ""


def _label_sections(content: lxml.html.HtmlElement) -> list[Section]:
    """National-form text: every <i>Label : </i> starts a section holding the text up to the next label."""
    sections = [page_section("Avis")]
    for is_label, text in _label_pieces(content):
        if is_label:
            sections.append(page_section(text))
        else:
            sections[-1].text += text
    for section in sections:
        section.text = readable(section.text)
    return sections


def _label_pieces(element: lxml.html.HtmlElement):
    """(is_label, text) pieces of an element in document order; <i> elements are the labels."""
    if element.text:
        yield False, element.text
    for child in element:
        if isinstance(child.tag, str) and child.tag == "i":
            yield True, child.text_content()
        elif isinstance(child.tag, str):
            yield from _label_pieces(child)
        if child.tail:
            yield False, child.tail


def _cpvs_from_sections(sections: list[Section]) -> list[str]:
    """CPV codes named in a page's sections ("Code CPV principal", "Descripteur principal"...)."""
    codes: list[str] = []
    for section in sections:
        if "cpv" in fold(section.heading):
            codes.extend(cpv_codes(section.text))
        for match in _CPV_LINE.finditer(fold(section.text)):
            codes.extend(cpv_codes(match.group(1)))
    return unique(codes)


def _page_nature(sections: list[Section]) -> str | None:
    """works / supplies / services from "Type de marché" or the national form's first lines."""
    for section in sections:
        folded = fold(section.heading)
        if "type de marche" in folded or "type of contract" in folded:
            nature = nature_from_text(f"{section.heading} {section.text}")
            if nature:
                return nature
    preamble = sections[0].text if sections and sections[0].heading == "Avis" else ""
    for line in preamble.split("\n"):
        if fold(line) in ("travaux", "fournitures", "services"):
            return nature_from_text(line)
    return None


def _html_declared(root: lxml.html.HtmlElement) -> list[DeclaredConsideration]:
    """The social / environmental pictograms boamp.fr shows in the notice header (dimension only)."""
    declared = []
    for image in root.xpath("//*[contains(@class, 'avis-criteres')]//img"):
        label = image.get("title") or image.get("alt") or ""
        folded = fold(label)
        dimension = (
            Dimension.SOCIAL
            if "soci" in folded
            else Dimension.ENVIRONMENTAL
            if "environnement" in folded
            else None
        )
        if dimension:
            declared.append(DeclaredConsideration(dimension, None, f"avis-criteres={readable_line(label)}"))
    return unique_declared(declared)
