"""Any other saved notice page (aggregators, buyers' sites) -> Notice (source "web", an id hashed from title,
buyer and date): its main heading, organisation and dates, its body split at its headings."""

from __future__ import annotations

import lxml.html

from crawler.parsers.common import first_present, readable_line
from crawler.parsers.errors import ParseError, parser
from crawler.parsers.webpage import append_text, derived_id, page_section, read_page, text_of
from models.dates import read_date, read_datetime
from models.notice import Notice, Section

FMT = "aggregator_html"


@parser(FMT)
def parse_aggregator_page(data: bytes, where: str | None = None) -> Notice:
    """Any saved notice page, read as a page of an aggregator."""
    return aggregator_page(read_page(data, FMT, where), where)


def aggregator_page(root: lxml.html.HtmlElement, where: str | None) -> Notice:
    """Any other saved notice page: its main heading, organisation, dates, and body split at its headings."""
    container = first_present(*root.xpath("//article"), root.find("body"), root)
    titles = container.xpath(".//h1 | .//h2")
    title = readable_line(titles[0].text_content()) if titles else ""
    body = first_present(
        *sorted(
            container.xpath(".//div[contains(@class, 'content')]"),
            key=lambda e: len(e.text_content()),
            reverse=True,
        ),
        container,
    )
    text = text_of(body)
    if not title and not text:
        raise ParseError(FMT, "no notice on the page", where)
    buyer = readable_line(
        first_present(*(e.text_content() for e in container.xpath(".//dd[contains(@class, 'source')]")), "")
    )
    posted = container.xpath(".//dd[contains(@class, 'posted')]//time/@datetime")
    closing = container.xpath(
        ".//dd[contains(@class, 'date') and not(contains(@class, 'posted'))]//time/@datetime"
    )
    return Notice(
        source="web",
        source_id=derived_id(title, buyer, posted[0] if posted else ""),
        title=title,
        buyer_name=buyer or None,
        published=read_date(posted[0]) if posted else None,
        deadline=read_datetime(closing[0]) if closing else None,
        text=text,
        sections=_heading_sections(body),
        raw_format=FMT,
    )


def _heading_sections(body: lxml.html.HtmlElement) -> list[Section]:
    """A page body split at its h2-h4 headings."""
    sections = [page_section("Texte")]
    for element in body.iter():
        if element.tag in ("h2", "h3", "h4"):
            sections.append(page_section(text_of(element)))
        elif element.tag in ("p", "li") and not element.xpath("ancestor::p | ancestor::li"):
            append_text(sections[-1], text_of(element))
    return [s for s in sections if s.text]
