"""DECP published as XML (the arrêtés' XML schema): `<marches>` of `<marche>` and `<contrat-concession>`.

Each contract element is turned into the same nested object as the JSON publication (an element with children
becomes an object, repeated children a list, a leaf its text) and read by crawler.parsers.decp, so a contract
gets the same source id and fields in either publication. The document is parsed by read_xml (no entities, no
network, a size limit).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crawler.parsers.decp import SourceIds
from crawler.parsers.errors import ParseError, parser
from crawler.parsers.xmlsafe import read_xml
from models.notice import Notice

FMT = "decp"
_CONTRACTS = ("marche", "contrat-concession")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _value(element) -> Any:
    children = [child for child in element if isinstance(child.tag, str)]
    if not children:
        return (element.text or "").strip() or None
    repeated = _repeated(children)
    value: dict[str, Any] = {}
    for child in children:
        key, item = _local(child.tag), _value(child)
        if key in repeated:
            value.setdefault(key, []).append(item)
        else:
            value[key] = item
    return value


def _repeated(children: list) -> set[str]:
    names = [_local(child.tag) for child in children]
    return {name for name in names if names.count(name) > 1}


@parser(FMT)
def iter_decp_xml(data: bytes, where: str | None = None) -> Iterator[Notice | ParseError]:
    """Each contract of a DECP XML file as a Notice, or a ParseError for one that cannot be read."""
    root = read_xml(data, FMT, where)
    if _local(root.tag) != "marches":
        raise ParseError(FMT, f"not a DECP XML file: root element <{_local(root.tag)}>", where)
    ids = SourceIds()
    counts = dict.fromkeys(_CONTRACTS, 0)
    for element in root:
        kind = _local(element.tag)
        if kind not in counts:
            continue
        record_where = f"{where or '<stream>'}: {kind}[{counts[kind]}]"
        counts[kind] += 1
        record = _value(element)
        if not isinstance(record, dict):
            yield ParseError(FMT, "an empty contract element", record_where)
            continue
        for holders in ("titulaires", "concessionnaires"):  # <titulaires><titulaire>..</titulaire></titulaires>
            inner = record.get(holders)
            if isinstance(inner, dict) and len(inner) == 1:
                only = next(iter(inner.values()))
                record[holders] = only if isinstance(only, list) else [only]
        if kind == "contrat-concession":
            record.setdefault("_type", "Contrat de concession")
        yield ids.read(record, record_where)
