"""Saved web pages of notices: decoded, parsed without network, their chrome (menus, cookie banners, scripts)
removed, their text read as people read it, their headings turned into sections of a known kind."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import lxml.html
from lxml import etree

from crawler.parsers.common import readable, readable_line
from crawler.parsers.errors import ParseError
from models.notice import Section
from models.sections import FORM_LABEL_KINDS, label_kind
from models.text import fold

MAX_HTML_BYTES = 20 * 1024 * 1024
_TAG = re.compile(r"<[A-Za-z!]")


# fmt: off
_HTML_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "form", "nav", "footer", "button",
              "svg", "link", "meta", "template", "title")
# fmt: on
_CHROME = re.compile(
    r"cookie|consent|tarteaucitron|didomi|google_translate|breadcrumb|navbar|menu|share|banner"
    r"|footer|^pager$|row-detail-avis|skip-link"
)
# fmt: off
_HTML_BLOCKS = frozenset({"p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                          "dd", "dt", "dl", "hr", "center", "article", "section", "header", "blockquote"})
# fmt: on


def _html_text(data: bytes) -> str:
    """Decode a saved page: BOM, then UTF-8, then the declared charset, then Windows-1252."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    for codec in ([declared.group(1).decode("ascii")] if declared else []) + ["cp1252"]:
        try:
            return data.decode(codec, errors="replace")
        except LookupError:
            continue
    return data.decode("latin-1")


def read_page(data: Any, fmt: str, where: str | None) -> lxml.html.HtmlElement:
    """The parsed page (no network, no comments), its chrome removed and its line breaks marked; a page that
    cannot be read is a ParseError naming `fmt` and `where`."""
    if not isinstance(data, (bytes, bytearray)):
        raise ParseError(fmt, f"expected bytes, got {type(data).__name__}", where)
    if len(data) > MAX_HTML_BYTES:
        raise ParseError(fmt, f"page too large ({len(data)} bytes)", where)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", _html_text(bytes(data)))
    if not text.strip():
        raise ParseError(fmt, "empty page", where)
    if not _TAG.search(text):
        raise ParseError(fmt, "not an HTML page (no markup)", where)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(fmt, f"unreadable HTML: {exc}", where) from None
    _strip_chrome(root)
    return root


def _strip_chrome(root: lxml.html.HtmlElement) -> None:
    """Drop scripts, menus, cookie banners and other non-notice parts; mark <br> and blocks as line breaks."""
    for element in list(root.iter(*_HTML_DROP)):
        element.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = f"{element.get('id', '')} {element.get('class', '')}".lower().split()
        if any(_CHROME.search(mark) for mark in marks):
            element.drop_tree()
    for element in root.iter():
        if element.tag == "br" or element.tag in _HTML_BLOCKS:
            element.tail = "\n" + (element.tail or "")
        if element.tag in ("td", "th", "dd", "label"):
            element.tail = " " + (element.tail or "")
    for element in root.find_class("arobas"):
        element.text = "@"


def text_of(element: Any) -> str:
    """The readable text of an element (None-safe)."""
    return readable(element.text_content()) if element is not None else ""


def section_kind(heading: str) -> str:
    """The section kind of a French or English heading of a page ("Critères d'attribution" -> award_criteria),
    its form numbering ("Section II :", "II.2.5)", "a)") aside."""
    bare = re.sub(r"^(section\s+[ivx]+\s*:?|[ivx]+(\.\d+)*\)|[a-z]\))\s*", "", fold(heading))
    return label_kind(bare, FORM_LABEL_KINDS)


def page_section(heading: str, text: str = "") -> Section:
    """A section whose kind follows from its heading."""
    heading = readable_line(heading).rstrip(" :").strip()
    return Section(heading=heading, text=text, kind=section_kind(heading))


def append_text(target: Section | None, text: str) -> None:
    """Add a line of text to a section."""
    if target is not None and text:
        target.text = f"{target.text}\n{text}" if target.text else text


def derived_id(*parts: str) -> str:
    """A stable identifier for a page that shows none: a hash of what identifies it."""
    return "h" + hashlib.sha256("|".join(fold(p) for p in parts).encode("utf-8")).hexdigest()[:16]
