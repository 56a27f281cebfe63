"""The retired DILA API (`api-boamp/annonces/v230/<idweb>`, JSON) -> Notice: DILA's lower-case rendering of
the v230 schema, `gestion` and `donnees`, read by the legacy walker (crawler.parsers.boamp_legacy). Its dates
are epoch milliseconds, read as Paris wall-clock times."""

from __future__ import annotations

from crawler.parsers.boamp_legacy import legacy_notice
from crawler.parsers.common import load_json
from crawler.parsers.errors import ParseError, parser
from models.notice import Notice

FMT = "boamp_dila"


@parser(FMT)
def parse_dila_legacy(data: bytes, where: str | None = None) -> Notice:
    """One notice of the retired DILA API (`api-boamp/annonces/v230/<idweb>`): `gestion` and `donnees`."""
    doc = load_json(data, FMT, where)
    if not isinstance(doc, dict) or not isinstance(doc.get("gestion"), dict) or "donnees" not in doc:
        raise ParseError(FMT, "not a DILA BOAMP notice: no 'gestion' and 'donnees' objects", where)
    return legacy_notice(doc["gestion"], doc.get("donnees") or {}, FMT, where)
