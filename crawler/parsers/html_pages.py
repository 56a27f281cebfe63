"""Saved notice pages of any kind -> Notice, read by the parser of their shape.

A boamp.fr notice page (crawler.parsers.boamp_html), a TED "Data" tab (ted_html), an Atexo consultation
summary saved by an aggregator (atexo_summary), else any other page (aggregator_html). Errors are reported
under this format, "boamp_html", the one the import command names saved pages by.
"""

from __future__ import annotations

from collections.abc import Callable

import lxml.html

from crawler.parsers.aggregator_html import aggregator_page
from crawler.parsers.atexo_summary import atexo_summary, is_atexo_summary
from crawler.parsers.boamp_html import boamp_page, is_boamp_page
from crawler.parsers.errors import ParseError, parser
from crawler.parsers.ted_html import is_ted_page, ted_page
from crawler.parsers.webpage import read_page
from models.notice import Notice

FMT = "boamp_html"

_SHAPES: tuple[tuple[Callable[[lxml.html.HtmlElement], bool], Callable[..., Notice]], ...] = (
    (is_boamp_page, boamp_page),
    (is_ted_page, ted_page),
    (is_atexo_summary, atexo_summary),
)


@parser(FMT)
def parse_html_page(data: bytes, where: str | None = None) -> Notice:
    """A saved notice page: boamp.fr, TED "Data" tab, Atexo summary or any other page, by its shape."""
    root = read_page(data, FMT, where)
    read = next((read for is_shape, read in _SHAPES if is_shape(root)), aggregator_page)
    try:
        return read(root, where)
    except ParseError as exc:
        raise ParseError(FMT, exc.message, exc.where) from None
