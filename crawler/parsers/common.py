"""Small helpers shared by the notice parsers: readable text, codes and labels, French departments, JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from crawler.parsers.errors import ParseError
from models.notice import DeclaredConsideration
from models.regions import normalise_department
from models.text import clean_text, fold, one_line, repair_text

_POSTAL_PREFIX = re.compile(r"^(?:FR|F)\s*-?\s*", re.IGNORECASE)
_CPV = re.compile(r"(?<!\d)(\d{8})(?:-\d)?(?!\d)")

_NATURE_WORDS = (
    ("travaux", "works"),
    ("works", "works"),
    ("fourniture", "supplies"),
    ("supplies", "supplies"),
    ("service", "services"),
)
# The notice type from a French (or English) label, first match wins: "Avis de marché", "Résultat de marché"...
_NOTICE_TYPE_WORDS = (
    ("rectific", "rectification"),
    ("corrigendum", "rectification"),
    ("annulation", "cancellation"),
    ("attribution", "award_notice"),
    ("resultat", "award_notice"),
    ("award", "award_notice"),
    ("pre-information", "prior_information"),
    ("preinformation", "prior_information"),
    ("prior information", "prior_information"),
    ("modification", "modification"),
    ("ex ante", "voluntary_ex_ante"),
    ("avis de marche", "contract_notice"),
    ("appel public", "contract_notice"),
    ("consultation", "contract_notice"),
    ("contract notice", "contract_notice"),
)

# fmt: off
# ISO 3166-1 alpha-3 -> alpha-2 for the countries met in European notices; the EU's own "UK" and "EL" are
# mapped to the ISO codes.
_ISO3_TO_ISO2 = {
    "AUT": "AT", "BEL": "BE", "BGR": "BG", "HRV": "HR", "CYP": "CY", "CZE": "CZ", "DNK": "DK", "EST": "EE",
    "FIN": "FI", "FRA": "FR", "DEU": "DE", "GRC": "GR", "HUN": "HU", "IRL": "IE", "ITA": "IT", "LVA": "LV",
    "LTU": "LT", "LUX": "LU", "MLT": "MT", "NLD": "NL", "POL": "PL", "PRT": "PT", "ROU": "RO", "SVK": "SK",
    "SVN": "SI", "ESP": "ES", "SWE": "SE", "ISL": "IS", "LIE": "LI", "NOR": "NO", "CHE": "CH", "GBR": "GB",
    "MCO": "MC", "AND": "AD", "SMR": "SM", "VAT": "VA", "ALB": "AL", "MKD": "MK", "MNE": "ME", "SRB": "RS",
    "BIH": "BA", "TUR": "TR", "UKR": "UA", "MDA": "MD", "GEO": "GE", "ARM": "AM", "USA": "US", "CAN": "CA",
    "MAR": "MA", "TUN": "TN", "DZA": "DZ", "SEN": "SN", "CIV": "CI", "TON": "TO",
}
_ISO2_ALIASES = {"UK": "GB", "EL": "GR"}

# The EU official languages as eForms writes them (ISO 639-2/B) -> ISO 639-1.
_ISO3_TO_ISO1_LANGUAGE = {
    "BUL": "bg", "CES": "cs", "DAN": "da", "DEU": "de", "ELL": "el", "ENG": "en", "EST": "et", "FIN": "fi",
    "FRA": "fr", "GLE": "ga", "HRV": "hr", "HUN": "hu", "ITA": "it", "LAV": "lv", "LIT": "lt", "MLT": "mt",
    "NLD": "nl", "POL": "pl", "POR": "pt", "RON": "ro", "SLK": "sk", "SLV": "sl", "SPA": "es", "SWE": "sv",
    "NOR": "no", "ISL": "is",
}
# fmt: on


def department_from_postal_code(code: str | None) -> str | None:
    """French department of a French postal code: "36012" -> "36", "97110" -> "971", "20090" -> "2A".

    Only meaningful for French addresses: callers check the country first. None when the code is not a
    five-digit French postal code or falls outside the departments (Monaco 980xx, collectivities 98x).
    """
    if not code:
        return None
    digits = re.sub(r"[\s.]", "", _POSTAL_PREFIX.sub("", code.strip()))
    if not re.fullmatch(r"\d{5}", digits) or digits.startswith("00"):
        return None
    if digits.startswith("97"):
        return digits[:3]
    if digits.startswith("98"):
        return None
    if digits.startswith("20"):
        if digits[2] in "01":
            return "2A"
        if digits[2] in "26":
            return "2B"
        return None
    return digits[:2]


def iso2_country(code: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code from an alpha-2 or alpha-3 code ("FRA" -> "FR", "UK" -> "GB"), else None."""
    if not code:
        return None
    code = code.strip().upper()
    if len(code) == 2 and code.isalpha():
        return _ISO2_ALIASES.get(code, code)
    return _ISO3_TO_ISO2.get(code)


def iso2_language(code: str | None) -> str | None:
    """ISO 639-1 code from an ISO 639-2 ("FRA" -> "fr") or 639-1 ("FR" -> "fr") code, else None."""
    if not code:
        return None
    code = code.strip().upper()
    if len(code) == 2 and code.isalpha():
        return code.lower()
    return _ISO3_TO_ISO1_LANGUAGE.get(code)


def siret_from_id(value: str | None) -> str | None:
    """A 14-digit SIRET from an identifier as written ("243 600 327 00015" -> "24360032700015"), else None."""
    if not value:
        return None
    digits = re.sub(r"[\s.\-]", "", value)
    return digits if re.fullmatch(r"\d{14}", digits) else None


# --- readable text ------------------------------------------------------------------------------------------


def readable(value: Any) -> str:
    """Readable text of any value: mis-decoded characters repaired, spaces collapsed, blank lines dropped."""
    if value is None:
        return ""
    return clean_text(repair_text(str(value)), blank_lines=False)


def readable_line(value: Any) -> str:
    """Readable text on one line."""
    return one_line(readable(value))


# --- values -------------------------------------------------------------------------------------------------


def first_present(*values: Any) -> Any:
    """The first value that is neither None nor empty."""
    return next((v for v in values if v not in (None, "", [], {})), None)


def unique(items: Any) -> list:
    """Items without repeats, first occurrence kept."""
    return list(dict.fromkeys(items))


def cpv_codes(text: str) -> list[str]:
    """The 8-digit CPV codes in a text, check digits dropped."""
    return _CPV.findall(text or "")


def department(code: Any) -> str | None:
    """A department from a department number ("5", "2A", "974") or, failing that, a postal code."""
    text = readable_line(code)
    if re.fullmatch(r"\d{5}", text):
        return department_from_postal_code(text)
    return normalise_department(text) if text else None


def nature_from_text(text: str) -> str | None:
    """works / supplies / services from a French or English label ("Travaux", "4 - Services")."""
    folded = fold(text)
    return next((nature for word, nature in _NATURE_WORDS if word in folded), None)


def notice_type_from_label(text: str) -> str | None:
    """The notice type from a label such as "Avis de marché", "Résultat de marché", "Contract notice"."""
    folded = fold(text)
    return next((kind for word, kind in _NOTICE_TYPE_WORDS if word in folded), None) if folded else None


def unique_declared(declared: list[DeclaredConsideration]) -> list[DeclaredConsideration]:
    """Declarations without repeats of the same (dimension, lever, lot), the first evidence kept."""
    seen: dict[tuple, DeclaredConsideration] = {}
    for item in declared:
        seen.setdefault((item.dimension, item.lever, item.lot), item)
    return list(seen.values())


def load_json(data: Any, fmt: str, where: str | None) -> Any:
    """JSON from bytes (UTF-8, BOM allowed); truncated, mis-encoded or non-JSON input is a ParseError."""
    if not isinstance(data, (bytes, bytearray)):
        raise ParseError(fmt, f"expected bytes, got {type(data).__name__}", where)
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(fmt, f"not UTF-8 text: {exc}", where) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(fmt, f"malformed JSON: {exc}", where) from None
