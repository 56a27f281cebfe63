"""Files of notices in any supported format, detected by content (or forced), read one notice at a time.

`read_file(path)` yields Notice items and ParseError values (the caller counts and skips those): a bad notice
never stops the others. Documents of a consultation (PDF, DOCX, ODT, plain text) become notices of their own or
are attached to a stored notice by the import command.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable, Iterator

from crawler.items import Notice, Section
from crawler.parsers.errors import ParseError

FORMATS = (
    "json", "eforms", "ted_r209", "boamp_record", "boamp_xml", "boamp_html", "dila_json", "decp", "atexo_html",
    "pdf", "docx", "odt", "text",
)
HEAD = 8192
_XML_ROOT = re.compile(rb"<(?:[\w.-]+:)?([A-Za-z_][\w.-]*)[\s>/]")


def detect_format(path: Path) -> str:
    """The format of a file from its first bytes (and its name only for plain text)."""
    with path.open("rb") as fh:
        head = fh.read(HEAD)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"%PDF"):
        return "pdf"
    if stripped.startswith(b"PK"):
        if b"mimetypeapplication/vnd.oasis.opendocument" in head:
            return "odt"
        return "docx"
    if stripped[:1] in (b"{", b"["):
        if re.search(rb'"marches"\s*:', head):
            return "decp"
        if b'"idweb"' in head:
            return "boamp_record"
        if b'"donnees"' in head and b'"gestion"' in head:
            return "dila_json"
        return "json"
    if stripped[:1] == b"<":
        lowered = stripped[:2048].lower()
        if b"<html" in lowered or b"<!doctype html" in lowered:
            if b"prado_pagestate" in head.lower() or b"entreprisedetailsconsultation" in head.lower() or b"atexo" in head.lower():
                return "atexo_html"
            return "boamp_html"
        body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", stripped, flags=re.S)
        match = _XML_ROOT.search(body)
        root = match.group(1).decode() if match else ""
        if root == "TED_EXPORT":
            return "ted_r209"
        if root in ("ContractNotice", "ContractAwardNotice", "PriorInformationNotice"):
            return "eforms"
        return "boamp_xml"
    return "text"


def _whole(parse: Callable[..., Notice]) -> Callable[[Path], Iterator[Notice | ParseError]]:
    def read(path: Path) -> Iterator[Notice | ParseError]:
        try:
            yield parse(path.read_bytes(), where=str(path))
        except ParseError as exc:
            yield exc
    return read


def _read_json(path: Path) -> Iterator[Notice | ParseError]:
    """The project's own format: one notice object, a list of them, or JSON Lines."""
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
        records = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        records = []
        for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                yield ParseError("json", f"invalid JSON: {exc.msg}", f"{path}:{number}")
    for index, record in enumerate(records):
        where = f"{path}[{index}]"
        if not isinstance(record, dict):
            yield ParseError("json", "a notice must be a JSON object", where)
            continue
        record = {k: v for k, v in record.items() if k != "truth"}
        try:
            yield Notice.from_dict(record)
        except (TypeError, ValueError, KeyError) as exc:
            yield ParseError("json", f"not a notice: {exc}", where)


def _read_boamp_records(path: Path) -> Iterator[Notice | ParseError]:
    from crawler.parsers.boamp import parse_boamp_record

    try:
        data = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield ParseError("boamp_record", f"invalid JSON: {exc}", str(path))
        return
    records = data.get("records") or data.get("results") if isinstance(data, dict) else data
    if isinstance(data, dict) and records is None:
        records = [data]
    for index, record in enumerate(records or []):
        record = record.get("record", {}).get("fields", record) if isinstance(record, dict) and "record" in record else record
        try:
            yield parse_boamp_record(record, where=f"{path}[{index}]")
        except ParseError as exc:
            yield exc


def _read_decp(path: Path) -> Iterator[Notice | ParseError]:
    from crawler.parsers.decp import iter_decp

    with path.open("rb") as fh:
        yield from iter_decp(fh, where=str(path))


def document_text(path: Path, fmt: str) -> str:
    """Plain text of a PDF, DOCX, ODT or text document, with a maintained library for each."""
    if fmt == "pdf":
        from pypdf import PdfReader

        return "\n".join((page.extract_text() or "") for page in PdfReader(str(path)).pages)
    if fmt == "docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if fmt == "odt":
        from odf import teletype
        from odf.opendocument import load
        from odf.text import P

        return "\n".join(teletype.extractText(p) for p in load(str(path)).getElementsByType(P))
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _read_document(fmt: str) -> Callable[[Path], Iterator[Notice | ParseError]]:
    def read(path: Path) -> Iterator[Notice | ParseError]:
        try:
            text = document_text(path, fmt).strip()
        except Exception as exc:  # the libraries raise many types on damaged files
            yield ParseError(fmt, f"unreadable document: {type(exc).__name__}: {exc}", str(path))
            return
        if not text:
            yield ParseError(fmt, "no text in the document (a scanned PDF needs OCR)", str(path))
            return
        yield Notice(
            source="import",
            source_id=path.stem,
            title=path.stem,
            text=text,
            sections=[Section(heading=path.name, text=text, kind="other")],
            language="fr",
            notice_type="document",
            raw_format=fmt,
        )
    return read


def _reader(fmt: str) -> Callable[[Path], Iterator[Notice | ParseError]]:
    if fmt == "json":
        return _read_json
    if fmt == "decp":
        return _read_decp
    if fmt == "boamp_record":
        return _read_boamp_records
    if fmt in ("pdf", "docx", "odt", "text"):
        return _read_document(fmt)
    if fmt == "eforms":
        from crawler.parsers.eforms import parse_eforms as parse
    elif fmt == "ted_r209":
        from crawler.parsers.ted_r209 import parse_ted_r209 as parse
    elif fmt == "boamp_xml":
        from crawler.parsers.boamp import parse_boamp_xml as parse
    elif fmt == "boamp_html":
        from crawler.parsers.boamp import parse_boamp_html as parse
    elif fmt == "dila_json":
        from crawler.parsers.boamp import parse_dila_legacy as parse
    elif fmt == "atexo_html":
        from crawler.parsers.atexo import parse_atexo_detail

        def parse(data: bytes, where: str | None = None) -> Notice:
            return parse_atexo_detail(data, url=where or "", platform="import", where=where)
    else:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    return _whole(parse)


def read_file(path: Path, fmt: str | None = None) -> Iterator[Notice | ParseError]:
    """Notices (and ParseErrors) of one file, in the forced format or the detected one."""
    fmt = fmt or detect_format(path)
    try:
        yield from _reader(fmt)(path)
    except OSError as exc:
        yield ParseError(fmt, f"cannot read file: {exc.strerror or exc}", str(path))


def iter_paths(paths: list[Path]) -> Iterator[Path]:
    """Files under the given paths (directories recursively, sorted; hidden files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path
