"""XML from the outside, parsed without entity expansion, DTD loading or network access."""

from __future__ import annotations

from lxml import etree

from crawler.parsers.errors import ParseError

MAX_XML_BYTES = 50 * 1024 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_xml(data: bytes, fmt: str, where: str | None = None) -> etree._Element:
    """Parse `data` safely and return the root element; any failure is a ParseError naming `fmt` and `where`.

    Documents that declare entities (billion laughs, external entities) are refused outright.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise ParseError(fmt, f"expected bytes, got {type(data).__name__}", where)
    if len(data) > MAX_XML_BYTES:
        raise ParseError(fmt, f"document too large ({len(data)} bytes)", where)
    head = bytes(data[:4096]).upper()
    if b"<!ENTITY" in head or (b"<!DOCTYPE" in head and b"SYSTEM" in head):
        raise ParseError(fmt, "entity or external DTD declarations are not accepted", where)
    try:
        root = etree.fromstring(bytes(data), _parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(fmt, f"malformed XML: {exc}", where) from None
    except ValueError as exc:  # e.g. unicode strings with an encoding declaration
        raise ParseError(fmt, f"unreadable XML: {exc}", where) from None
    if root is None:
        raise ParseError(fmt, "empty document", where)
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ParseError(fmt, "entity declarations are not accepted", where)
    return root


def local(tag: object) -> str:
    """The local name of an element's tag, without namespace."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
