"""Procedure identity: the keys by which the notices of one procedure find each other.

A notice carries keys; two notices that share a key belong to the same procedure, and so do, transitively, all
the notices connected by shared keys (a union-find over the keys: storage/procedures.py). The keys, one kind each:

- `ted:<number>-<year>`: a TED notice (its own number, whatever the padding: "091489-2019" and the search API's
  "91489-2019" are one key) or the TED notice it refers to (R2.0.9 REF_NOTICE and NOTICE_NUMBER_OJ, an "2019/S
  120-293189" quoted in any notice's text, e.g. a BOAMP notice giving its JOUE reference);
- `boamp:<idweb>`: a BOAMP notice, or the one a notice refers to (BOAMP `annonce_lie`, a BOAMP number quoted in a
  TED notice: "BOAMP ... annonce n° 19-123456");
- `proc:<uuid>`: the eForms procedure identifier (BT-04 ContractFolderID), shared by every eForms notice of a
  procedure and given by BOAMP records (`contractfolderid`);
- `eforms:<uuid>`: an eForms notice identifier (BT-701) and the notices a change or a later notice names;
- `ref:<SIRET>:<reference>`: the buyer's own reference of the procedure (TED REFERENCE_NUMBER, eForms BT-22) or
  of the contract (DECP `id`), with the buyer's SIRET: a DECP contract meets the notices of its procedure this way.
  References too short or too common to identify anything (fewer than 5 letters and digits, no digit, a year
  alone, one repeated character, a "123456789" placeholder) give no key. DECP contracts of one buyer under one id
  (the lots of a consultation, which crawler.parsers.decp keeps apart with a suffix) are one procedure.
- `<source>:<source_id>`: any other notice's own identity.
"""

from __future__ import annotations

import re

KINDS = ("self", "ted", "boamp", "proc", "eforms", "ref")

_OJS = re.compile(r"\b((?:19|20)\d{2})\s*/\s*[Ss]\s*\d{1,3}\s*-\s*(\d{3,7})\b")
_BOAMP_QUOTED = re.compile(
    r"\bB\.?O\.?A\.?M\.?P\.?\b[^\n]{0,80}?\b(?:annonce|avis|n[°o]|num[ée]ro)\D{0,12}?(\d{2})\s?-\s?(\d{4,6})\b",
    re.IGNORECASE,
)
_TED_ID = re.compile(r"^0*(\d{1,8})-((?:19|20)\d{2})$")
_UUID = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})", re.IGNORECASE)
_SIRET = re.compile(r"^\d{14}$")


def ted_key(number: str | int, year: str | int) -> str:
    return f"ted:{int(number)}-{int(year)}"


def ted_key_of_id(source_id: str) -> str | None:
    """The key of a TED publication number written "091489-2019", "00175200-2025" or "91489-2019"."""
    match = _TED_ID.match(str(source_id).strip())
    return ted_key(*match.groups()) if match else None


def ojs_keys(text: str) -> list[str]:
    """The TED notices an OJ S reference ("2019/S 120-293189") names in `text`."""
    return [ted_key(number, year) for year, number in _OJS.findall(text or "")]


def boamp_key(idweb: str) -> str | None:
    match = re.fullmatch(r"\s*(\d{2})\s?-\s?(\d{4,6})\s*", str(idweb or ""))
    return f"boamp:{match.group(1)}-{match.group(2)}" if match else None


_BOAMP_BEFORE = re.compile(
    r"\b(?:annonce|avis)\s*n\S{0,2}\s*(\d{2})\s?-\s?(\d{4,6})\b[^\n]{0,12}\bBOAMP\b", re.IGNORECASE
)


def quoted_boamp_keys(text: str) -> list[str]:
    """BOAMP notices quoted in a text ("avis publié au BOAMP, annonce n° 19-123456", "avis nº 17-76229 au BOAMP")."""
    found = _BOAMP_QUOTED.findall(text or "") + _BOAMP_BEFORE.findall(text or "")
    return list(dict.fromkeys(f"boamp:{a}-{b}" for a, b in found))


def procedure_uuid_key(value: str | None) -> str | None:
    match = _UUID.search(str(value or ""))
    return f"proc:{match.group(1).lower()}" if match else None


def eforms_notice_key(value: str | None) -> str | None:
    """An eForms notice identifier, without the version suffix of a change's reference ("<uuid>-01")."""
    match = _UUID.search(str(value or ""))
    return f"eforms:{match.group(1).lower()}" if match else None


def buyer_ref_key(siret: str | None, reference: str | None) -> str | None:
    """The key of a buyer's reference, or None when it cannot identify a procedure."""
    if not siret or not _SIRET.match(str(siret)):
        return None
    folded = re.sub(r"[^0-9A-Z]", "", str(reference or "").upper())
    if len(folded) < 5 or not re.search(r"\d", folded) or re.fullmatch(r"(?:19|20)\d{2}", folded):
        return None
    if len(set(folded)) == 1 or "123456789" in folded:  # "2018123456789100": a placeholder, not a reference
        return None
    return f"ref:{siret}:{folded[:120]}"


def self_key(source: str, source_id: str) -> str:
    """A notice's own key: TED numbers and BOAMP ids in their canonical spelling, else SOURCE:ID."""
    if source == "ted":
        return ted_key_of_id(source_id) or f"ted:{source_id}"
    if source == "boamp":
        return boamp_key(source_id) or f"boamp:{source_id}"
    return f"{source}:{source_id}"


def text_keys(text: str) -> list[str]:
    """The references a notice's text quotes: OJ S numbers and BOAMP numbers."""
    return ojs_keys(text) + quoted_boamp_keys(text)


def kind(key: str) -> str:
    prefix = key.split(":", 1)[0]
    return prefix if prefix in KINDS else "self"
