"""Text as every layer compares and cleans it: accent folding, whitespace cleaning, mis-decoded characters."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Windows-1252 characters that reached Unicode as C1 controls (U+0092 for a typographic apostrophe).
_C1_AS_CP1252 = {c: bytes([c]).decode("cp1252", errors="ignore") for c in range(0x80, 0xA0)}


def fold(text: object, ligatures: bool = False) -> str:
    """Text as compared, not as shown: lower case without accents, typographic apostrophes as plain ones,
    whitespace collapsed ("Critères  d’attribution" -> "criteres d'attribution"; None -> "").

    `ligatures` also writes "œ" as "oe", which NFKD leaves alone; it is off by default because the folded
    text of some parsers is hashed into identifiers that must not change.
    """
    if text is None:
        return ""
    text = " ".join(str(text).split()).lower().replace("’", "'")
    if ligatures:
        text = text.replace("œ", "oe")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def clean_text(text: str | None, blank_lines: bool = True) -> str:
    """Collapse runs of spaces (non-breaking too), strip each line, keep line breaks; blank lines are kept as
    one paragraph break, or dropped when `blank_lines` is False."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    if not blank_lines:
        return "\n".join(line for line in lines if line)
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(text: object) -> str:
    """Text on one line: every run of whitespace (line breaks too) as one space; None -> ""."""
    return "" if text is None else " ".join(str(text).split())


def repair_text(text: str) -> str:
    """Undo common mis-decodings: U+FFFD replacement characters dropped, C1 controls read as Windows-1252."""
    return text.replace("\ufffd", "").translate(_C1_AS_CP1252)
