"""Notice -> sections (with headings) -> clauses (sentences or list items) with exact character offsets.

Works on the parsers' sections (`Document.sections`) and on raw text (legacy notices, PDF text, boamp.fr / TED page
text): headings are recognised line by line, from numbered BOAMP/TED form headings ("II.2.5) Critères d'attribution",
"III.1.5) Informations sur les marchés réservés", "Section III : ...") and from the usual unnumbered headings of
MAPA notices, rules of consultation and CCAP articles ("Critères d'attribution :", "Article 8 - Conditions
d'exécution"). Every clause keeps its section heading and a normalised section kind (models.notice.SECTION_KINDS),
which drives the lever. Invariant: ``text[clause.start:clause.end] == clause.text``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.notice import SECTION_KINDS
from models.sections import APOSTROPHE as _A
from models.sections import E_LETTER as _E
from models.sections import HEADING_KIND_RE as _KIND_RE

if TYPE_CHECKING:
    from classifier import Document

__all__ = [
    "Clause",
    "SectionSpan",
    "Segmentation",
    "build_text",
    "heading_kind",
    "normalize",
    "sections_at",
    "segment",
    "segment_normalized",
    "split_sections",
]


@dataclass(frozen=True)
class SectionSpan:
    """A section of a notice: its heading and the character range of its body in the notice text."""

    heading: str | None
    kind: str
    start: int
    end: int
    zone: str | None = (
        None  # "buyer", "procedure", "review": parts of a form where nothing is a consideration
    )


@dataclass(frozen=True)
class Clause:
    """A sentence or list item of a notice, with its offsets into the full text and the section it sits in."""

    text: str
    start: int
    end: int
    heading: str | None
    kind: str
    zone: str | None = None


# --- heading vocabulary -------------------------------------------------------------------------------------------

# Parts of a form whose text is never a consideration (the buyer's name, the procedure, review bodies).
_ZONE_SOURCES: list[tuple[str, str]] = [
    (
        "buyer",
        (
            rf"nom\s+et\s+adresses?|name\s+and\s+address|pouvoir\s+adjudicateur|entit{_E}\s+adjudicatrice"
            rf"|contracting\s+(?:authority|entity)|activit{_E}\s+principale|main\s+activity|organisme\s+acheteur"
            rf"|acheteur\s+public|type\s+de\s+pouvoir|communication\b|passation\s+conjointe|proc{_E}dure\s+conjointe"
            rf"|joint\s+procurement|correspondant"
        ),
    ),
    (
        "review",
        rf"recours|review|m{_E}diation|mediation|date\s+d{_A}\s*envoi|dispatch\s+of\s+this\s+notice",
    ),
    (
        "procedure",
        (
            rf"^(?:type|forme)\s+de\s+(?:la\s+)?proc{_E}dure|^type\s+of\s+procedure|date\s+limite|time\s+limit"
            rf"|^langues?|^languages?|ouverture\s+des\s+(?:offres|plis)|opening\s+of\s+tenders|ench{_E}re"
            rf"|auction|publication\s+ant{_E}rieure|previous\s+publication|^dur{_E}e|^duration|^valeur|^value"
            rf"|estimated\s+(?:total\s+)?value|^code\s+cpv|cpv\s+code|^lieu\s+d{_A}\s*ex{_E}cution|place\s+of"
            rf"|cautionnement|garanties\s+exig|deposits\s+and|financement|financing|forme\s+juridique"
            rf"|legal\s+form|fonds\s+de\s+l{_A}\s*union|union\s+funds|catalogues?\s+{_E}lectronique|catalog"
            rf"|variantes?|variants?|options?\b|d{_E}lai\s+minimal|time\s+frame|accord\s+sur\s+les\s+march"
            rf"|government\s+procurement|renouvellement|recurren|{_E}changes\s+{_E}lectroniques|electronic\s+work"
        ),
    ),
]


def _combine(sources: list[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in sources), re.IGNORECASE)


_ZONE_RE = _combine(_ZONE_SOURCES)

# Standard form titles that run on into their content without a colon ("II.2.5) Award criteria Price is not ...").
_RUN_ON_TITLES = re.compile(
    rf"(?:crit{_E}res\s+d{_A}\s*attribution|award\s+criteria|type\s+de\s+march{_E}|type\s+of\s+contract"
    rf"|information\s+about\s+lots|information\s+sur\s+les\s+lots|type\s+de\s+proc{_E}dure|type\s+of\s+procedure"
    rf"|activit{_E}\s+principale|main\s+activity|code\s+cpv\s+principal|main\s+cpv\s+code"
    rf"|information\s+relative\s+(?:à|a)\s+la\s+profession|information\s+relating\s+to\s+the\s+profession"
    rf"|capacit{_E}\s+{_E}conomique\s+et\s+financi{_E}re|capacit{_E}\s+technique\s+et\s+professionnelle"
    rf"|lieu\s+d{_A}\s*ex{_E}cution|communication|information\s+about\s+variants|variantes"
    rf"|information\s+about\s+options|information\s+sur\s+les\s+options|renouvellement|renewal"
    rf"|type\s+de\s+pouvoir\s+adjudicateur|type\s+of\s+contracting\s+authority)\b",
    re.IGNORECASE,
)

# "II.2.5)", "III.1.5)", "IV.2.2)", "I.1)", "VI.3)" (TED / BOAMP forms) and "Section III :" / "SECTION II:".
_NUMBERED = re.compile(
    r"[ \t]*(?:Section\s+[IVX]+\b\s*[:.\-–]?|SECTION\s+[IVX]+\b\s*[:.\-–]?|[IVX]+(?:\.\d+){1,3}\)|[IVX]+\))"
)
# "Article 8 - Conditions d'exécution", "ARTICLE 5 :", "8.2 - Critères d'attribution", "5) Critères de jugement".
_ARTICLE = re.compile(
    r"[ \t]*(?:(?:article|art\.)\s*\d+(?:[.\-]\d+)*|\d{1,2}(?:\.\d{1,2}){0,3}\s*[).\-–]|\d{1,2}\.\d{1,2}(?:\.\d{1,2})*)\s*",
    re.IGNORECASE,
)
_SENTENCE_WORDS = re.compile(
    r"\b(?:est|sont|sera|seront|doit|doivent|devra|devront|peut|peuvent|a|ont|is|are|can|must|will|may|shall)\b",
    re.IGNORECASE,
)

_PARSER_KINDS = frozenset(SECTION_KINDS)
_NUMBER_STARTS = frozenset("IVXSAa0123456789")


def heading_kind(heading: str | None) -> str:
    """Normalised section kind (one of models.notice.SECTION_KINDS) of a heading's title, "other" when unknown."""
    if not heading:
        return "other"
    m = _KIND_RE.search(_strip_number(heading))
    return m.lastgroup if m else "other"


def heading_zone(heading: str | None) -> str | None:
    """The form zone ("buyer", "procedure", "review") of a heading whose kind is "other", else None."""
    if not heading:
        return None
    title = _strip_number(heading)
    if _KIND_RE.search(title):
        return None
    m = _ZONE_RE.search(title)
    return m.lastgroup if m else None


def _lower_case_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` for lower-cased text, without re.IGNORECASE (Python's engine folds the case of every character it
    compares: the twin searches twice as fast). Upper-case letters are lower-cased except in group names and
    escapes (\\S stays \\S); a character class keeps its letters and gains their lower case."""
    source = re.sub(r"\(\?P<[^>]+>|\\.|[^\W\d_]", lambda m: m.group() if len(m.group()) > 1 else m.group().lower(),
                    pattern.pattern)
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


_KIND_LOWER = _lower_case_twin(_KIND_RE)
_ZONE_LOWER = _lower_case_twin(_ZONE_RE)


@functools.lru_cache(maxsize=8192)
def _classify_title(title: str) -> tuple[str, str | None, int]:
    """(kind, zone, where the heading phrase starts) of a bare title (form titles repeat: cached)."""
    low = title.lower()
    kind_re, zone_re = (_KIND_LOWER, _ZONE_LOWER) if len(low) == len(title) else (_KIND_RE, _ZONE_RE)
    text = low if kind_re is _KIND_LOWER else title
    m = kind_re.search(text)
    if m:
        return m.lastgroup, None, m.start()
    m = zone_re.search(text)
    if m:
        return "other", m.lastgroup, m.start()
    return "other", None, -1


def _strip_number(heading: str) -> str:
    m = _NUMBERED.match(heading) or _ARTICLE.match(heading)
    return heading[m.end() :].strip(" \t:.-–") if m else heading.strip(" \t:.-–")


# --- sections ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Heading:
    line_start: int
    body_start: int  # where the text after the heading starts (same line after a colon, or the next line)
    title: str
    kind: str
    zone: str | None
    numbered: bool


@functools.lru_cache(maxsize=32768)
def _heading_in_line(line: str) -> tuple[int, str, str, str | None, bool] | None:
    """(body offset in the line, title, kind, zone, numbered) of a heading line; cached, form lines repeat."""
    h = _parse_heading(line, 0)
    return None if h is None else (h.body_start, h.title, h.kind, h.zone, h.numbered)


def _parse_heading(line: str, line_start: int) -> _Heading | None:
    m = _NUMBERED.match(line)
    numbered = m is not None
    if m is None:
        m = _ARTICLE.match(line)
        if m is not None and m.end() == len(line):
            return None
    prefix_end = m.end() if m else 0
    rest = line[prefix_end:]
    lead = len(rest) - len(rest.lstrip())
    rest = rest.lstrip()
    if not rest and numbered:
        return _Heading(line_start, line_start + len(line), line.strip(), "other", None, True)
    if not rest:
        return None
    if not numbered and m is None and not rest[:1].isupper():
        return None
    # the title: a known run-on title, else up to the first colon, else the whole (short) line
    title_end: int | None = None
    run_on = _RUN_ON_TITLES.match(rest) if numbered else None
    colon = _first_colon(rest) if ":" in rest else None
    if run_on and (colon is None or colon > run_on.end() + 1):
        title_end = run_on.end()
    elif colon is not None and colon <= 160:
        title_end = colon
    elif numbered or (len(rest) <= 90 and not rest.rstrip().endswith(".")):
        title_end = len(rest)  # an unnumbered line ending with a period ("Marché réservé.") is a statement
    if title_end is None:
        return None
    title = rest[:title_end].strip()
    if not numbered and (len(title) > 110 or not title[:1].isupper() or _SENTENCE_WORDS.search(title)):
        return None  # an unnumbered heading is short, capitalised and not a sentence
    kind, zone, at = _classify_title(title)
    if not numbered:
        if kind == "other" and (m is not None or zone is None):
            return None  # "1. Prix / Pondération" or a numbered list item: not a heading
        if at > 60:
            return None  # a line that mentions a heading phrase late is not a heading
    after = rest[title_end:]
    skip = len(after) - len(after.lstrip(" \t:.-–"))
    body_start = line_start + prefix_end + lead + title_end + skip
    full_title = f"{line[:prefix_end].strip()} {rest[:title_end].strip()}".strip()
    return _Heading(line_start, body_start, full_title, kind, zone, numbered)


def _first_colon(s: str) -> int | None:
    for m in re.finditer(r":", s):
        # skip "http://" and times like "12:00"
        if s[m.end() : m.end() + 2] == "//" or (
            m.start() > 0 and s[m.start() - 1].isdigit() and s[m.end() : m.end() + 1].isdigit()
        ):
            continue
        return m.start()
    return None


def _line_bounds(text: str) -> list[int]:
    """Where each line of `text` starts (as str.splitlines cuts it, terminators kept), then len(text): a heading
    is recognised line by line."""
    return [0, *itertools.accumulate(map(len, text.splitlines(keepends=True)))]


def _heading_at(text: str, start: int, end: int) -> _Heading | None:
    """The heading on the line text[start:end] (its terminator included), None when the line is no heading."""
    raw = text[start:end]
    first = raw[:1]
    if first.isspace():  # (most lines start with a letter: no copy of the line to find its first character)
        first = raw.lstrip()[:1]
    if not (first.isupper() or first.isdigit()):
        return None  # a heading starts with a capital, a roman numeral or a number
    line = raw.rstrip("\r\n")
    if first not in _NUMBER_STARTS and (len(line) > 90 or line.endswith(".")) and ":" not in line[:170]:
        return None  # unnumbered, no label colon: a long line or a sentence is no heading
    found = _heading_in_line(line)
    if found is None:
        return None
    body, title, kind, zone, numbered = found
    return _Heading(start, start + body, title, kind, zone, numbered)


def _span(heading: _Heading, end: int) -> SectionSpan:
    """The section a heading opens, up to `end` (the next heading's line, or the end of the text)."""
    return SectionSpan(heading.title, heading.kind, heading.body_start, max(heading.body_start, end), heading.zone)


def split_sections(text: str) -> list[SectionSpan]:
    """Sections of a raw notice text, from its recognised headings; the text before the first heading is a
    section with no heading ("other")."""
    bounds = _line_bounds(text)
    headings = [h for a, b in itertools.pairwise(bounds) if (h := _heading_at(text, a, b)) is not None]
    spans: list[SectionSpan] = []
    first = headings[0].line_start if headings else len(text)
    if first > 0:
        spans.append(SectionSpan(None, "other", 0, first))
    ends = [h.line_start for h in headings[1:]] + [len(text)]
    spans += [_span(h, end) for h, end in zip(headings, ends)]
    return spans


def sections_at(text: str, positions: Sequence[int]) -> list[SectionSpan]:
    """The sections of split_sections(text) that contain one of the sorted `positions`, found by reading only the
    lines around each position: a notice has a hundred headings and a few sections worth cutting into clauses."""
    bounds = _line_bounds(text)
    lines = len(bounds) - 1
    seen: dict[int, _Heading | None] = {}

    def heading(k: int) -> _Heading | None:
        if k not in seen:
            seen[k] = _heading_at(text, bounds[k], bounds[k + 1])
        return seen[k]

    spans: list[SectionSpan] = []
    for p in positions:
        if (spans and spans[-1].start <= p < spans[-1].end) or not 0 <= p < len(text):
            continue
        line = bisect.bisect_right(bounds, p) - 1
        before = next((k for k in range(line, -1, -1) if heading(k) is not None), None)
        after = next((k for k in range(line + 1, lines) if heading(k) is not None), lines)
        end = bounds[after]
        if before is None:
            spans.append(SectionSpan(None, "other", 0, end))
        elif (h := heading(before)).body_start <= p:  # else `p` is in the heading's own title
            spans.append(_span(h, end))
    return spans


# --- clauses -----------------------------------------------------------------------------------------------------

# Sentence ends: ". " / "; " before a capital, a digit, a dash or a quote, not after "L." / "art." / "cf."
# ("article L. 2113-12"); also "économique.Critères" (pages whose tags were stripped glue sentences together).
_SENTENCE_END = re.compile(
    r"(?<=[.;])(?<![^A-Za-z][A-Z]\.)(?<!\b[Aa]rt\.)(?<!\bcf\.)(?<!\bn[°º]\.)[ \t]+(?=[A-ZÀ-ÝŒ0-9«\"“(\-–—•])"
    r"|(?<=[a-zà-ÿ)\]])\.(?=[A-ZÀ-Ý][a-zà-ÿ])|(?<=;)[ \t]*(?=\S)"
)
# A list item starts a new clause: "- ", "— ", "• ", "o ", "1) ", "a) ", "Lot 2 :".
_ITEM_START = re.compile(
    r"[ \t]*(?:[-–—•*▪►]|o\s|\d{1,2}[.)]\s|[a-h]\)\s|lot\s+n?[°ºo]?\s*\d+\s*:)", re.IGNORECASE
)
_MAX_CLAUSE = 600
_ANSWER = re.compile(r"(?:non|oui|n[ée]ant|sans\s+objet|no|yes|aucune?)\b\W*$", re.IGNORECASE)


def _wrapped(prev: str, nxt: str) -> bool:
    """Hard-wrapped text (PDF / some aggregator pages): a line that does not end a sentence followed by one that
    starts in lower case continues the same sentence."""
    p = prev.rstrip()
    n = nxt.lstrip()
    if not p or not n or _ITEM_START.match(nxt):
        return False
    if p[-1] == ":" and _ANSWER.match(n):
        return True  # "Marché réservé :" / "non." split over two lines
    if p[-1] in ".;:!?":
        return False
    return n[0].islower() or n[0] in "(«\"'"


def _clauses_in(
    text: str, start: int, end: int, heading: str | None, kind: str, zone: str | None
) -> list[Clause]:
    # 1. lines, joining hard-wrapped ones
    blocks: list[tuple[int, int]] = []
    pos = start
    for raw in text[start:end].splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        ls, le = pos, pos + len(line)
        pos += len(raw)
        if not line.strip():
            continue
        if blocks and _wrapped(text[blocks[-1][0] : blocks[-1][1]], line):
            blocks[-1] = (blocks[-1][0], le)
        else:
            blocks.append((ls, le))
    # 2. sentences within each block, long ones cut at commas; a lot's first clause is its title
    out: list[Clause] = []
    for bs, be in blocks:
        cut = bs
        pieces: list[tuple[int, int]] = []
        for m in _SENTENCE_END.finditer(text, bs, be):
            if m.start() > cut:
                pieces.append((cut, m.start()))
            cut = m.end()
        pieces.append((cut, be))
        for ps, pe in pieces:
            for cs, ce in _cut_long(text, ps, pe):
                cs, ce = _trim(text, cs, ce)
                if ce > cs and any(ch.isalnum() for ch in text[cs:ce]):
                    clause_kind = "title" if kind == "lot" and not out else _inline_kind(text, cs, ce) or kind
                    out.append(Clause(text[cs:ce], cs, ce, heading, clause_kind, zone))
    return out


def _inline_kind(text: str, s: int, e: int) -> str | None:
    """The kind of a heading that opens a clause inside a paragraph ("... . Critères d'attribution : prix 60 %")."""
    colon = text.find(":", s, min(e, s + 60))
    if colon < 0 or not text[s : s + 1].isupper():
        return None
    kind, _zone, at = _classify_title(text[s:colon].strip())
    return kind if kind != "other" and at == 0 else None


def _cut_long(text: str, s: int, e: int) -> list[tuple[int, int]]:
    if e - s <= _MAX_CLAUSE:
        return [(s, e)]
    out = []
    while e - s > _MAX_CLAUSE:
        window = text[s : s + _MAX_CLAUSE]
        cut = max(window.rfind(", "), window.rfind(" - "), window.rfind(" : "))
        if cut < _MAX_CLAUSE // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = _MAX_CLAUSE
        out.append((s, s + cut + 1))
        s = s + cut + 1
    out.append((s, e))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\r\n":
        s += 1
    while e > s and text[e - 1] in " \t\r\n":
        e -= 1
    return s, e


# --- documents ---------------------------------------------------------------------------------------------------


def build_text(doc: Document) -> tuple[str, list[SectionSpan]]:
    """The document's full text and its parser sections located in it.

    When `doc.text` is empty the text is built exactly as models.notice.Notice.full_text() does (title, then
    "heading\\ntext" per section, joined by blank lines); otherwise each section's text is searched in the text.
    """
    spans: list[SectionSpan] = []
    if not doc.text:
        parts: list[str] = []
        pos = 0

        def add(part: str) -> int:
            nonlocal pos
            if parts:
                pos += 2
            at = pos
            parts.append(part)
            pos += len(part)
            return at

        if doc.title:
            at = add(doc.title)
            spans.append(SectionSpan("Titre", "title", at, at + len(doc.title)))
        for s in doc.sections:
            part = f"{s.heading}\n{s.text}" if s.heading else s.text
            if not part:
                continue
            at = add(part)
            body = at + (len(s.heading) + 1 if s.heading else 0)
            spans.append(_parser_span(s, body, at + len(part)))
        return "\n\n".join(parts), spans
    text = doc.text
    cursor = 0
    if doc.title:  # a notice's text starts with its title (Notice.full_text): it states the purpose
        at = text.find(doc.title)
        if at >= 0:
            spans.append(SectionSpan("Titre", "title", at, at + len(doc.title)))
            cursor = at + len(doc.title)
    for s in doc.sections:
        if not s.text:
            continue
        at = text.find(s.text, cursor)
        if at < 0:
            at = text.find(s.text)
        if at < 0:
            continue
        spans.append(_parser_span(s, at, at + len(s.text)))
        cursor = at + len(s.text)
    return text, spans


def _parser_span(section, start: int, end: int) -> SectionSpan:
    kind = section.kind if section.kind in _PARSER_KINDS else "other"
    if kind == "other":
        kind = heading_kind(section.heading)
    zone = heading_zone(section.heading) if kind == "other" else None
    return SectionSpan(section.heading or None, kind, start, end, zone)


def segment(doc: Document) -> tuple[str, list[Clause]]:
    """The document's full text and its clauses, in text order, with ``text[c.start:c.end] == c.text``."""
    seg = segment_normalized(doc)
    if seg.offsets is None:
        return seg.text, seg.clauses
    return seg.original, [
        Clause(seg.original[a:b], a, b, c.heading, c.kind, c.zone)
        for c in seg.clauses
        for a, b in [seg.to_original(c.start, c.end)]
    ]


@dataclass(frozen=True)
class Segmentation:
    """A document's clauses over its NFC-normalised text (real notices mix decomposed accents, "e\u0300", with
    composed ones); `to_original` maps offsets back to the document's own text."""

    original: str
    text: str
    clauses: list[Clause]
    offsets: (
        Sequence[int] | None
    )  # normalised index -> original index (len(text) + 1 entries), None when identical

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.offsets is None:
            return start, end
        return self.offsets[start], self.offsets[end]


# A letter followed by combining diacritics (U+0300-U+036F: every accent of French written decomposed).
_CLUSTER = re.compile(r"[^\u0300-\u036f][\u0300-\u036f]+")


def normalize(text: str) -> tuple[str, Sequence[int] | None]:
    """NFC text and the map from its indices to the original's (None when the text is already NFC)."""
    if unicodedata.is_normalized("NFC", text):
        if "\ufffd" not in text:
            return text, None
        return _lost_letters(text), range(len(text) + 1)  # the same offsets (a range: no list of a million ints)
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _CLUSTER.finditer(text):  # composed cluster by cluster, the text between copied whole
        start, end = m.span()
        if start > pos:
            out.append(text[pos:start])
            offsets.extend(range(pos, start))
        composed = unicodedata.normalize("NFC", m.group())
        out.append(composed)
        offsets.extend([start] * len(composed))
        pos = end
    out.append(text[pos:])
    offsets.extend(range(pos, len(text) + 1))
    result = "".join(out)
    if not unicodedata.is_normalized("NFC", result):  # other marks or singletons: character by character
        return _normalize_each(text)
    return _lost_letters(result), offsets


def _normalize_each(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        composed = unicodedata.normalize("NFC", text[i:j])
        out.append(composed)
        offsets.extend([i] * len(composed))
        i = j
    offsets.append(n)
    return _lost_letters("".join(out)), offsets


# U+FFFD not after nor before a non-space: written with the letter first, where the engine's literal search starts
# (the "(?<!\S)\ufffd" order tried the lookbehind at every character of the text: 8 times slower).
_LOST_ALONE = re.compile(r"\ufffd(?<!\S\ufffd)(?!\S)")


def _lost_letters(text: str) -> str:
    """Letters lost in a bad decoding (U+FFFD; DECP files have thousands: "R\ufffdnovation \ufffd Tours") read back
    as the likeliest: alone between spaces the word "à", else an "e" (the base of French's commonest accented
    letters, which the patterns' [ée] classes match). Same length: offsets stay valid."""
    if "\ufffd" not in text:
        return text
    return _LOST_ALONE.sub("à", text).replace("\ufffd", "e")


def segment_normalized(doc: Document, focus: Callable[[str], Sequence[int]] | None = None) -> Segmentation:
    """Segmentation over the NFC text, used by the classifier (its patterns are written for composed accents).

    `focus(text)`, called once with the NFC text, may give sorted offsets into it: then only the sections containing
    one are cut into clauses (the classifier gives its trigger words' offsets, which is most of its speed)."""
    original, parser_spans = build_text(doc)
    text, offsets = normalize(original)
    wanted = None if focus is None else focus(text)
    if offsets is not None and parser_spans:
        back = _inverse(offsets, len(original))
        parser_spans = [
            SectionSpan(s.heading, s.kind, back[s.start], back[s.end], s.zone) for s in parser_spans
        ]
    if parser_spans and not doc.text:
        clauses: list[Clause] = []
        for sp in sorted(parser_spans, key=lambda s: s.start):
            inner = split_sections(text[sp.start : sp.end]) if sp.kind in ("other", "additional_info") else []
            if any(x.heading for x in inner):
                for x in inner:
                    kind = x.kind if x.heading else sp.kind
                    heading = x.heading or sp.heading
                    if _holds(wanted, sp.start + x.start, sp.start + x.end):
                        clauses += _clauses_in(
                            text, sp.start + x.start, sp.start + x.end, heading, kind, x.zone
                        )
            elif _holds(wanted, sp.start, sp.end):
                clauses += _clauses_in(text, sp.start, sp.end, sp.heading, sp.kind, sp.zone)
        return Segmentation(original, text, clauses, offsets)
    clauses = []
    title = next((sp for sp in parser_spans if sp.kind == "title"), None)
    rest = text
    if title is not None:  # the title is one zone of its own: a "Lot 2 - ..." title is not a lot heading
        if _holds(wanted, title.start, title.end):
            clauses += [
                Clause(c.text, c.start, c.end, title.heading, "title", None)
                for c in _clauses_in(text, title.start, title.end, title.heading, "title", None)
            ]
        rest = text[: title.start] + " " * (title.end - title.start) + text[title.end :]
    for sp in split_sections(rest) if wanted is None else sections_at(rest, wanted):
        clauses += _clauses_in(rest, sp.start, sp.end, sp.heading, sp.kind, sp.zone)  # the same text but the title
    if clauses and clauses[0].heading is None and clauses[0].kind == "other" and not doc.title:
        first = clauses[0]  # a raw text's first line before any heading is its title
        if _first_line(text) == (first.start, first.end):
            clauses[0] = Clause(first.text, first.start, first.end, None, "title", None)
    if parser_spans:
        clauses = [_in_parser_section(c, parser_spans) for c in clauses]
    return Segmentation(original, text, clauses, offsets)


def _holds(positions: Sequence[int] | None, start: int, end: int) -> bool:
    """Whether one of the sorted `positions` is in [start, end) (always, when there are no positions to focus on)."""
    if positions is None:
        return True
    i = bisect.bisect_left(positions, start)
    return i < len(positions) and positions[i] < end


def _first_line(text: str) -> tuple[int, int]:
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    while end > start and text[end - 1] in " \t\r":
        end -= 1
    return start, end


def _inverse(offsets: Sequence[int], n: int) -> list[int]:
    back = [0] * (n + 1)
    j = 0
    for i in range(n + 1):
        while j + 1 < len(offsets) and offsets[j + 1] <= i:
            j += 1
        back[i] = j if offsets[j] == i else j + 1
    return back


def _in_parser_section(clause: Clause, spans: list[SectionSpan]) -> Clause:
    """A clause mostly inside a parser section takes that section's heading and kind (unless it is "other")."""
    for sp in spans:
        overlap = min(clause.end, sp.end) - max(clause.start, sp.start)
        if overlap * 2 >= clause.end - clause.start:
            if sp.kind != "other" or clause.kind == "other":
                return Clause(clause.text, clause.start, clause.end, sp.heading, sp.kind, sp.zone)
            return clause
    return clause
