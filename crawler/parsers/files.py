"""Files of notices in any supported format, detected by content (or forced), read one notice at a time.

`read_file(path)` yields Notice items and ParseError values (the caller counts and skips those): a bad notice
never stops the others. Documents of a consultation (PDF, DOCX, ODT, plain text) become notices of their own or
are attached to a stored notice by the import command.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from collections.abc import Callable, Iterator

from models.notice import Notice, Section
from crawler.parsers import guards
from crawler.parsers.errors import ParseError, parser

FORMATS = (
    "json", "eforms", "ted_r209", "boamp_record", "boamp_xml", "boamp_html", "dila_json", "decp", "decp_flat",
    "decp_csv", "decp_xml", "atexo_html", "pdf", "docx", "odt", "text",
)
HEAD = 64 * 1024


def detect_format(path: Path) -> str:
    """The format of a file from its content (crawler.parsers.detect): a format of FORMATS, "zip", "gzip" or
    "tar" for an archive, "none" for a file that holds no notice."""
    from crawler.parsers.inputs import detect

    return detect(path).fmt or "none"


def _whole(parse: Callable[..., Notice]) -> Callable[[Path], Iterator[Notice | ParseError]]:
    def read(path: Path) -> Iterator[Notice | ParseError]:  # a Path or an archive member
        try:
            yield parse(path.read_bytes(), where=str(path))
        except ParseError as exc:
            yield exc
    return read


def json_text(raw: bytes) -> str:
    """The text of a JSON file: UTF-8 (with or without a BOM), else Windows-1252, else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


_TEXT_FIELDS = ("source", "title", "text", "url", "buyer_name", "buyer_siret", "buyer_nuts", "country", "department",
                "region", "procedure", "contract_nature", "notice_type", "language", "raw_format")


def _typed(notice: Notice) -> Notice:
    """A notice read from JSON whose fields have the types the store takes; TypeError names the first that has
    not (a list for a URL, a number for a date...)."""

    def text(value, name: str, optional: bool = True) -> None:
        if not (isinstance(value, str) or (optional and value is None)):
            raise TypeError(f"{name} must be a string, not {type(value).__name__}")

    def codes(value, name: str) -> None:
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise TypeError(f"{name} must be a list of strings")

    for name in _TEXT_FIELDS:
        text(getattr(notice, name), name)
    if isinstance(notice.source_id, bool) or not isinstance(notice.source_id, (str, int)):
        raise TypeError(f"source_id must be a string, not {type(notice.source_id).__name__}")
    if notice.amount is not None and (isinstance(notice.amount, bool) or not isinstance(notice.amount, (int, float))):
        raise TypeError(f"amount must be a number, not {type(notice.amount).__name__}")
    for name in ("published", "deadline"):
        if not isinstance(getattr(notice, name), (date, str, type(None))):
            raise TypeError(f"{name} must be an ISO date, not {type(getattr(notice, name)).__name__}")
    codes(notice.cpv_codes, "cpv_codes")
    for section in notice.sections:
        text(section.heading, "sections.heading", optional=False)
        text(section.text, "sections.text", optional=False)
        text(section.kind, "sections.kind")
        text(section.lot, "sections.lot")
    for lot in notice.lots:
        text(lot.title, "lots.title", optional=False)
        text(lot.description, "lots.description", optional=False)
        codes(lot.cpv_codes, "lots.cpv_codes")
    for declared in notice.declared:
        text(declared.evidence, "declared.evidence", optional=False)
        text(declared.lot, "declared.lot")
    return notice


def _read_json(path: Path) -> Iterator[Notice | ParseError]:
    """The project's own format: one notice object, a list of them, or JSON Lines."""
    raw = json_text(path.read_bytes())
    try:
        data = json.loads(raw)
        records = data if isinstance(data, list) else [data]
    except (ValueError, RecursionError):  # not one JSON document (or nested too deep, or a 5000-digit number)
        records, errors = [], []
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except (ValueError, RecursionError) as exc:
                message = exc.msg if isinstance(exc, json.JSONDecodeError) else f"{type(exc).__name__}: {exc}"
                errors.append(ParseError("json", f"invalid JSON: {message}"[:300], f"{path}:{number}"))
        if records:  # JSON Lines: each bad line counts
            yield from errors
        elif errors:  # not JSON at all: one failure for the file
            yield ParseError("json", f"not JSON nor JSON Lines ({len(errors)} unreadable line(s); first: "
                             f"{errors[0].message})"[:300], str(path))
    for index, record in enumerate(records):
        where = f"{path}[{index}]"
        if not isinstance(record, dict):
            yield ParseError("json", "a notice must be a JSON object", where)
            continue
        record = {k: v for k, v in record.items() if k != "truth"}
        missing = [repr(k) for k in ("source", "source_id") if record.get(k) in (None, "")]
        if missing:
            yield ParseError("json", f"a notice needs {' and '.join(missing)}", where)
            continue
        try:
            yield _typed(Notice.from_dict(record))
        except KeyError as exc:
            yield ParseError("json", f"not a notice: {exc} is missing", where)
        except (TypeError, ValueError) as exc:
            yield ParseError("json", f"not a notice: {exc}", where)


def _read_boamp_records(path: Path) -> Iterator[Notice | ParseError]:
    from crawler.parsers.boamp_records import parse_boamp_record

    try:
        data = json.loads(json_text(path.read_bytes()))
    except (ValueError, RecursionError) as exc:
        yield ParseError("boamp_record", f"invalid JSON: {type(exc).__name__}: {exc}"[:300], str(path))
        return
    records = data.get("records") or data.get("results") if isinstance(data, dict) else data
    if isinstance(data, dict) and records is None:
        records = [data]
    if not isinstance(records, list):
        yield ParseError("boamp_record", "no list of records in the file", str(path))
        return
    for index, record in enumerate(records):
        if isinstance(record, dict) and isinstance(record.get("record"), dict):
            record = record["record"].get("fields", record)
        try:
            yield parse_boamp_record(record, where=f"{path}[{index}]")
        except ParseError as exc:
            yield exc


def _read_decp(path: Path) -> Iterator[Notice | ParseError]:
    from crawler.parsers.decp import iter_decp

    with path.open("rb") as fh:
        yield from iter_decp(fh, where=str(path))


def _read_decp_flat(path: Path) -> Iterator[Notice | ParseError]:
    from crawler.parsers.decp_flat import iter_decp_flat_json

    with path.open("rb") as fh:
        head = fh.read(HEAD)
    with path.open("rb") as fh:
        yield from iter_decp_flat_json(fh, where=str(path), head=head)


def _read_decp_csv(path: Path) -> Iterator[Notice | ParseError]:
    from crawler.parsers.decp_flat import iter_decp_csv

    with path.open("rb") as fh:
        head = fh.read(HEAD)
    with path.open("rb") as fh:
        yield from iter_decp_csv(fh, where=str(path), head=head)


def _read_decp_xml(path: Path) -> Iterator[Notice | ParseError]:
    from crawler.parsers.decp_xml import iter_decp_xml

    yield from iter_decp_xml(path.read_bytes(), where=str(path))


def document_text(path: Path, fmt: str) -> str:
    """Plain text of a PDF, DOCX, ODT or text document, with a maintained library for each."""
    if fmt == "pdf":
        from pypdf import PdfReader

        with path.open("rb") as fh:
            return "\n".join((page.extract_text() or "") for page in PdfReader(fh).pages)
    if fmt == "docx":
        import docx

        with path.open("rb") as fh:
            return "\n".join(p.text for p in docx.Document(io.BytesIO(fh.read())).paragraphs)
    if fmt == "odt":
        from odf import teletype
        from odf.opendocument import load
        from odf.text import P

        with path.open("rb") as fh:
            return "\n".join(teletype.extractText(p) for p in load(io.BytesIO(fh.read())).getElementsByType(P))
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
        if guards.binary(text):
            yield ParseError(fmt, "binary data, not text: not imported", str(path))
            return
        yield Notice(
            source="import",
            source_id=guards.document_id(path),
            title=path.stem,
            text=text,
            sections=[Section(heading=path.name, text=text, kind="other")],
            language="fr",
            notice_type="document",
            raw_format=fmt,
        )
    return read


def reader(fmt: str) -> Callable[[Path], Iterator[Notice | ParseError]]:
    """The reader of one format: Path (or archive member) in, Notice items and ParseErrors out."""
    if fmt == "json":
        return _read_json
    if fmt == "decp":
        return _read_decp
    if fmt == "decp_flat":
        return _read_decp_flat
    if fmt == "decp_csv":
        return _read_decp_csv
    if fmt == "decp_xml":
        return _read_decp_xml
    if fmt == "boamp_record":
        return _read_boamp_records
    if fmt in ("pdf", "docx", "odt", "text"):
        return _read_document(fmt)
    if fmt == "eforms":
        from crawler.parsers.eforms import parse_eforms as parse
    elif fmt == "ted_r209":
        from crawler.parsers.ted_r209 import parse_ted_r209 as parse
    elif fmt == "boamp_xml":
        from crawler.parsers.boamp_xml import parse_boamp_xml as parse
    elif fmt == "boamp_html":
        from crawler.parsers.html_pages import parse_html_page as parse
    elif fmt == "dila_json":
        from crawler.parsers.boamp_dila import parse_dila_legacy as parse
    elif fmt == "atexo_html":
        from crawler.parsers.atexo import parse_atexo_detail

        def parse(data: bytes, where: str | None = None) -> Notice:
            return parse_atexo_detail(data, url=where or "", platform="import", where=where)
    else:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    return _whole(parse)


@parser("file", where="path")
def read_file(path: Path, fmt: str | None = None) -> Iterator[Notice | ParseError]:
    """Notices (and ParseErrors) of one file, in the forced format or the detected one; the members of an
    archive; a NotANotice (a ParseError) for a file that holds none; a file that is not a regular file or is
    beyond the size limits is one ParseError (crawler/parsers/guards.py), never read."""
    from crawler.parsers.inputs import read_inputs

    try:
        for found in read_inputs(path, fmt):
            yield from found.results
    except OSError as exc:
        yield ParseError(fmt or "file", f"cannot read file: {exc.strerror or exc}", str(path))


def iter_paths(paths: list[Path]) -> Iterator[Path]:
    """Files under the given paths (directories recursively, sorted; hidden files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                # not only regular files: a FIFO or a broken link is refused and counted by read_file
                if not child.is_dir() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path
