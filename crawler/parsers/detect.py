"""What a file is, from its first bytes: a notice format tenderwatch reads, an archive, or no notice at all.

Content first; the name is only consulted for plain text (a README, a licence, a Markdown file). Real files start
in many ways, all read here: a UTF-8 BOM, UTF-16 with a BOM (saved Atexo blocks), an XML declaration, a doctype,
comments, a leading `<style>` or `<script>` before the page (boamp.fr and TED pages saved by aggregators).

`sniff(head, name)` returns a Detected: `fmt` is a reader format of crawler.parsers.files (or "zip", "gzip",
"tar" for an archive), or None with the `reason` the file is no notice (shown to the user, counted apart,
never stored). A NotANotice is the ParseError subclass readers yield for such a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.parsers.errors import ParseError

HEAD = 64 * 1024  # JSON keys and page markers are looked for in this much of a file
ARCHIVES = ("zip", "gzip", "tar")


class NotANotice(ParseError):
    """A file that holds no notice (a README, a licence, a codelist, an image...): skipped, never stored."""

    def __init__(self, reason: str, where: str | None = None):
        super().__init__("not a notice", reason, where)


@dataclass(frozen=True)
class Detected:
    fmt: str | None
    reason: str = ""

    @property
    def archive(self) -> bool:
        return self.fmt in ARCHIVES


def _none(reason: str) -> Detected:
    return Detected(None, reason)


_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon"),
)
_OTHER_BINARIES = (
    (b"BZh", "a bzip2 file (only .zip, .gz and .tar.gz archives are read)"),
    (b"\xfd7zXZ\x00", "an xz file (only .zip, .gz and .tar.gz archives are read)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (only .zip, .gz and .tar.gz archives are read)"),
    (b"Rar!", "a RAR archive (only .zip, .gz and .tar.gz archives are read)"),
    (b"\xd0\xcf\x11\xe0", "an old Office (OLE) document: save it as PDF, DOCX or ODT"),
)


def sniff(head: bytes, name: str = "") -> Detected:
    """The kind of a file from its first bytes (HEAD of them is plenty) and, for plain text only, its name."""
    if not head.strip():
        return _none("an empty file")
    binary = _binary(head)
    if binary is not None:
        return binary
    text = decode_head(head)
    if text is None:
        return _none("a binary file of no known kind")
    body = text.lstrip("\ufeff \t\r\n")
    if body[:1] in ("{", "["):
        return _json(body)
    if body[:1] == "<":
        return _markup(body, text)
    return _plain_text(body, name)


def _binary(head: bytes) -> Detected | None:
    if head.startswith(b"%PDF") or head.lstrip()[:4] == b"%PDF":
        return Detected("pdf")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Detected("zip")  # or a DOCX / ODT: the reader looks at the members' names
    if head.startswith(b"\x1f\x8b"):
        return Detected("gzip")
    if len(head) > 262 and head[257:262] == b"ustar":
        return Detected("tar")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _none("a WebP image")
    for magic, what in _IMAGES:
        if head.startswith(magic):
            return _none(what)
    for magic, what in _OTHER_BINARIES:
        if head.startswith(magic):
            return _none(what)
    return None


def decode_head(head: bytes) -> str | None:
    """The first bytes as text: BOMs, UTF-16 without a BOM, UTF-8, else Windows-1252; None for binary data."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            data = head[len(bom):]
            if codec.startswith("utf-16"):
                data = data[: len(data) // 2 * 2]
            return data.decode(codec, errors="replace")
    sample = head[:512]
    if len(sample) >= 4 and sample.count(b"\x00") * 3 >= len(sample):  # UTF-16 without a BOM
        even_zeros = sample[0::2].count(b"\x00")
        codec = "utf-16-be" if even_zeros > sample[1::2].count(b"\x00") else "utf-16-le"
        return head[: len(head) // 2 * 2].decode(codec, errors="replace")
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut at the end of the head
            return head[: exc.start].decode("utf-8")
    return head.decode("cp1252", errors="replace")


# --- JSON ---------------------------------------------------------------------------------------------------

_KEY = r'"{}"\s*:'
_FLAT_DECP_BUYER = re.compile(r'"acheteur[_.]?id"\s*:', re.IGNORECASE)
_FLAT_DECP_FIELDS = re.compile(r'"(?:objet|codecpv|datenotification|montant|uid)"\s*:', re.IGNORECASE)


def _has(body: str, key: str) -> bool:
    return re.search(_KEY.format(re.escape(key)), body) is not None


def _json(body: str) -> Detected:
    start = body[:600]
    if _has(start, "$schema") or (_has(start, "fields") and '"type"' in start and not _has(body, "source_id")):
        return _none("a schema, not data")
    if _has(body, "marches"):
        return Detected("decp")
    if _FLAT_DECP_BUYER.search(body) and _FLAT_DECP_FIELDS.search(body):
        return Detected("decp_flat")
    if re.match(r'\{\s*"(?:gestion|donnees)"\s*:', body) and _has(body, "gestion") and _has(body, "donnees"):
        return Detected("dila_json")  # one notice of the DILA API: {"gestion": ..., "donnees": ...}
    if _has(body, "idweb"):
        return Detected("boamp_record")
    if _has(body, "source_id"):
        return Detected("json")
    return _none("JSON without a notice in a format tenderwatch reads (no 'source_id', 'marches', 'idweb'...)")


# --- XML and HTML -------------------------------------------------------------------------------------------

_PROLOGUE = re.compile(
    r"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>|<(style|script)\b[^>]*>.*?</\1\s*>)", re.S | re.I
)
_FIRST_TAG = re.compile(r"<(?:([\w.-]+):)?([A-Za-z_][\w.-]*)")
# fmt: off
_HTML_TAGS = frozenset({
    "html", "head", "body", "div", "meta", "link", "title", "table", "p", "span", "form", "section", "header",
    "nav", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "iframe", "br", "center", "font", "a", "img",
    "input", "noscript", "main", "article", "style", "script", "base", "tr", "td", "strong", "b", "i", "em",
    "hr", "dl", "label", "button", "footer", "aside", "fieldset",
})
# fmt: on
_EFORMS_ROOTS = frozenset({"ContractNotice", "ContractAwardNotice", "PriorInformationNotice"})
_XML_NO_NOTICE = {
    "CodeList": "a codelist (genericode), not a notice",
    "schema": "an XML Schema (XSD), not a notice",
    "entry": "a list of translations, not a notice",
    "properties": "a list of properties, not a notice",
    "svg": "an SVG image",
}


def _markup(body: str, text: str) -> Detected:
    rest = body
    doctype_html = False
    for _ in range(50):  # prologue pieces: declarations, comments, doctype, leading <style>/<script> blocks
        match = _PROLOGUE.match(rest)
        if not match:
            break
        doctype_html = doctype_html or match.group(0).lower().startswith("<!doctype html")
        rest = rest[match.end():]
    tag = _FIRST_TAG.match(rest)
    prefix, root = (tag.group(1), tag.group(2)) if tag else (None, "")
    if doctype_html or (prefix is None and root.lower() in _HTML_TAGS) or (not root and "<" in body):
        return _html(text)
    if root == "TED_EXPORT":
        return Detected("ted_r209")
    if root in _EFORMS_ROOTS:
        return Detected("eforms")
    if root == "ANNONCE":
        return Detected("boamp_xml")
    if root == "marches":
        return Detected("decp_xml")
    if root in _XML_NO_NOTICE:
        return _none(_XML_NO_NOTICE[root])
    if not root:
        return _none("markup without an element")
    return _none(f"XML whose root element <{root}> is no notice format tenderwatch reads")


def _html(text: str) -> Detected:
    lowered = text.lower()
    if "<html" in lowered and ("prado_pagestate" in lowered or "entreprisedetailsconsultation" in lowered
                               or "atexo" in lowered):
        return Detected("atexo_html")  # a whole page of an Atexo platform
    return Detected("boamp_html")  # boamp.fr, TED, Atexo blocks and other saved pages, told apart by their shape


# --- plain text ---------------------------------------------------------------------------------------------

_NAMES = re.compile(
    r"^(readme|sources?|licen[cs]e|copying|manifest|changelog|changes|notice|authors|contributing|unlicense)"
    r"([._-].*)?$",
    re.I,
)
_LICENCE = re.compile(
    r"MIT License|Apache License|GNU (?:GENERAL|LESSER|AFFERO)|European Union Public Licen[cs]e|Mozilla Public"
    r"|Creative Commons|This is free and unencumbered software|Licence Ouverte|Open Licen[cs]e|BSD \d-Clause"
    r"|Permission is hereby granted|Attribution[- ]\w+ 4\.0",
    re.I,
)
_MARKDOWN = re.compile(r"\A(?:#{1,6} |---\s*\n|\[!\[)")
_YAML_LINE = re.compile(r"^[\w-]+\s*:\s*(?:\S.*)?$")


def _plain_text(body: str, name: str) -> Detected:
    base = name.rsplit("/", 1)[-1]
    lower = base.lower()
    if _NAMES.match(base):
        return _none(f"a {_NAMES.match(base).group(1).lower()} file, not a notice")
    if _LICENCE.search(body[:1500]):
        return _none("a licence text, not a notice")
    if lower.endswith((".md", ".markdown", ".rst")) or _MARKDOWN.match(body):
        return _none("a Markdown document, not a notice")
    if lower.endswith((".yml", ".yaml", ".toml", ".ini", ".cfg")):
        return _none("a configuration file, not a notice")
    table = _table_header(body)
    if table is not None:
        return Detected("decp_csv") if _is_decp_header(table) else _none("a table (CSV) that is not a DECP export")
    lines = [line for line in body.splitlines()[:5] if line.strip()]
    if lines and all(_YAML_LINE.match(line) for line in lines[:3]) and lower.endswith((".yml", ".yaml")):
        return _none("a configuration file, not a notice")
    return Detected("text")


def _table_header(body: str) -> list[str] | None:
    """The header cells of a CSV/TSV table (the same separator, at least twice, on its first lines), else None."""
    lines = [line for line in body.splitlines()[:6] if line.strip()]
    if len(lines) < 2:
        return None
    for separator in (";", "\t", ","):
        counts = [line.count(separator) for line in lines[:-1] or lines]
        cells = [cell.strip().strip('"').strip() for cell in lines[0].split(separator)]
        if counts[0] >= 2 and all(count >= counts[0] - 1 for count in counts[1:]):
            return cells
        if counts[0] == 1 and len(lines) >= 3 and len(set(counts)) == 1 and all(0 < len(c) <= 40 for c in cells):
            return cells  # two short columns on every line: a table, not prose
    return None


def folded_key(name: str) -> str:
    """A column name without case, separators or accents' ASCII-free variants: "acheteur_id" -> "acheteurid"."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _is_decp_header(cells: list[str]) -> bool:
    keys = {folded_key(cell) for cell in cells}
    return bool(keys & {"acheteurid", "acheteursiret"}) and bool(keys & {"id", "uid", "objet"})
