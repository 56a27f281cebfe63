"""Small helpers shared by the notice parsers: text cleaning, codes, French departments and dates."""

from __future__ import annotations

import re
from datetime import date, datetime

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_DATE = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})")
_DATETIME = re.compile(
    r"^\s*(\d{4})-?(\d{2})-?(\d{2})(?:[T ]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
_POSTAL_PREFIX = re.compile(r"^(?:FR|F)\s*-?\s*", re.IGNORECASE)

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


def clean_text(s: str | None) -> str:
    """Collapse runs of spaces (non-breaking too) and blank lines, strip each line; keep paragraph breaks."""
    if not s:
        return ""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in s.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


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


def parse_date(s: str | None) -> date | None:
    """The calendar date at the start of "2025-03-18+01:00", "2023-09-28Z", "20190226" or an ISO datetime."""
    if not s:
        return None
    m = _DATE.match(s)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def parse_datetime(s: str | None) -> datetime | None:
    """A datetime from "2025-04-24T12:00:00+02:00", "2019-03-22 15:00", "20190322 15:00" or a bare date.

    The result is timezone-aware only when the string gives an offset ("Z" or "+02:00").
    """
    if not s:
        return None
    m = _DATETIME.match(s)
    if not m:
        return None
    year, month, day, hour, minute, second, offset = m.groups()
    text = f"{year}-{month}-{day}T{int(hour or 0):02d}:{minute or '00'}:{second or '00'}"
    if offset:
        text += "+00:00" if offset == "Z" else (offset if ":" in offset else f"{offset[:3]}:{offset[3:]}")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def siret_from_id(value: str | None) -> str | None:
    """A 14-digit SIRET from an identifier as written ("243 600 327 00015" -> "24360032700015"), else None."""
    if not value:
        return None
    digits = re.sub(r"[\s.\-]", "", value)
    return digits if re.fullmatch(r"\d{14}", digits) else None
