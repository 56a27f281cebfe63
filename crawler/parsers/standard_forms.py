"""The EU standard forms (JOUE) as boamp.fr and TED pages show them: numbered headings ("II.2.5) Critères
d'attribution"), one "II.2) Description" block per lot, the buyer under "I.1)", the deadline under "IV.2.2)".
"""

from __future__ import annotations

import re
from datetime import datetime

from crawler.parsers.common import cpv_codes, siret_from_id, unique
from models.dates import read_datetime
from models.notice import Lot, Section
from models.text import fold

_LOT_LINE = re.compile(r"^Lot\s*(?:n\s*[°ºo.]*|number)\s*:?\s*([\w.\-]+)", re.IGNORECASE)
_SIRET_TEXT = re.compile(
    r"(?:num[ée]ro national d.identification|national registration number|siret)\s*:?\s*"
    r"(\d[\d .]{12,18}\d)",
    re.IGNORECASE,
)


def assign_lots(sections: list[Section]) -> None:
    """Tag the sections of each "II.2) Description" block with the lot its "Lot nº" line names."""
    block: list[Section] = []
    lot = None
    for section in sections:
        number = section.heading.split(")")[0] if ")" in section.heading else ""
        if number == "II.2" or fold(section.heading).startswith("section"):
            block, lot = [], None
        block.append(section)
        found = next((m.group(1) for m in map(_LOT_LINE.match, section.text.split("\n")) if m), None)
        if found and number.startswith("II.2"):
            lot = found.rstrip(".")
            for earlier in block:
                earlier.lot = lot
        elif lot:
            section.lot = lot


def lots_from_sections(sections: list[Section]) -> list[Lot]:
    """Lots of a JOUE-form page: title from II.2.1, CPV from II.2.2, description from II.2.4."""
    lots: dict[str, Lot] = {}
    for section in sections:
        if not section.lot:
            continue
        lot = lots.setdefault(section.lot, Lot(lot_id=section.lot))
        number = section.heading.split(")")[0]
        first_line = section.text.split("\n")[0]
        if number == "II.2.1" and not _LOT_LINE.match(first_line):
            lot.title = first_line
        elif number == "II.2.2":
            lot.cpv_codes = unique(lot.cpv_codes + cpv_codes(section.text))
        elif number == "II.2.4":
            lot.description = section.text
    return list(lots.values())


def section_text(sections: list[Section], kind: str) -> str:
    """The first line of the first section of a kind."""
    found = next((s for s in sections if s.kind == kind and s.text), None)
    return found.text.split("\n")[0] if found else ""


def page_buyer(sections: list[Section]) -> str:
    """The buyer named in "I.1) Nom et adresses" or "Nom et adresse officiels de l'organisme acheteur"."""
    for section in sections:
        folded = fold(section.heading)
        if folded.startswith(("i.1)", "nom et adresse")) or "name and addresses" in folded:
            first_line = section.text.split("\n")[0]
            name = re.sub(r"^(official name|nom officiel)\s*:\s*", "", first_line, flags=re.IGNORECASE)
            return name.split(", ")[0].rstrip(". ")
    return ""


def page_siret(text: str) -> str | None:
    """The buyer's national registration number (SIRET) written in the notice."""
    match = _SIRET_TEXT.search(text)
    return siret_from_id(match.group(1)) if match else None


def page_deadline(sections: list[Section]) -> datetime | None:
    """The deadline written under "Date limite de réception des offres" (or its English heading)."""
    for section in sections:
        folded = fold(section.heading)
        if "date limite de reception" in folded or "time limit for receipt" in folded:
            return read_datetime(section.text)
    return None
