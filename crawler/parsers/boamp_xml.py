"""BOAMP XML schema v230 (2015-2023) -> Notice: one `<ANNONCE>` with `GESTION` and `DONNEES`, read by the
legacy walker (crawler.parsers.boamp_legacy) once turned into JSON-like data."""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.parsers.boamp_legacy import as_list, get_path, legacy_notice
from crawler.parsers.errors import ParseError, parser
from crawler.parsers.xmlsafe import local, read_xml
from models.notice import Notice

FMT = "boamp_xml"


@parser(FMT)
def parse_boamp_xml(data: bytes, where: str | None = None) -> Notice:
    """One notice of the BOAMP XML schema v230 (`<ANNONCE>` with `GESTION` and `DONNEES`)."""
    root = read_xml(data, FMT, where)
    if local(root.tag) != "ANNONCE" or root.find("GESTION") is None:
        raise ParseError(FMT, f"not a BOAMP v230 notice: root element <{local(root.tag)}>", where)
    tree = _element_data(root)
    return legacy_notice(get_path(tree, "GESTION"), get_path(tree, "DONNEES"), FMT, where)


def _element_data(element: etree._Element) -> Any:
    """An XML element as JSON-like data: attributes "@name", text "#text", repeated children as lists."""
    children = [c for c in element if isinstance(c.tag, str)]
    text = " ".join(filter(None, [(element.text or "").strip()] + [(c.tail or "").strip() for c in children]))
    attributes = {f"@{local(k)}": v for k, v in element.attrib.items() if not k.startswith("{")}
    if not children and not attributes:
        return text
    data: dict[str, Any] = dict(attributes)
    for child in children:
        key, value = local(child.tag), _element_data(child)
        if key in data:
            data[key] = as_list(data[key]) + [value]
        else:
            data[key] = value
    if text:
        data["#text"] = text
    return data
