"""DECP in the flattened table shape that data portals serve: one row per contract, nested fields as columns.

The opendatasoft portals (data.economie.gouv.fr, regional portals) serve the 2024-format DECP as records whose
nested fields are flattened into lower-case columns (`acheteur_id`, `codecpv`, `lieuexecution_code`,
`titulaire_id_1`, `considerationssociales`...), through their API (`{"results": [...]}` in v2.1,
`{"records": [{"fields": {...}}]}` in v1), their JSON export (a list of records) and their CSV export (`;`
separated, a header of the same names). The decp-processing tables use the same shape in camelCase
(`acheteur_id`, `codeCPV`, `lieuExecution_code`, `uid`).

Each row is folded back into the nested contract the DECP parser reads (crawler.parsers.decp), so a contract
gets the same source id ("<buyer SIRET>-<contract id>"), the same fields and the same declared considerations
(DESIGN.md: "Clause" -> execution condition, "Critère" -> award criterion, "Marché réservé" -> reservation)
whatever shape it came in. Rows are streamed (ijson, csv), never a whole file in memory. The portals write
"CDL" in the cells of an empty list (a second holder, a modification): such cells are empty.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from crawler.parsers.decp import SourceIds
from crawler.parsers.detect import decode_head, folded_key
from crawler.parsers.errors import ParseError, parser
from models.notice import Notice

FMT = "decp"
PLACEHOLDERS = frozenset({"", "cdl", "nc", "null", "none", "n/a"})

# folded column name -> path in the nested contract
_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "type": ("_type",),
    "nature": ("nature",),
    "acheteurid": ("acheteur", "id"),
    "acheteursiret": ("acheteur", "id"),
    "acheteurnom": ("acheteur", "nom"),
    "autoriteconcedanteid": ("autoriteConcedante", "id"),
    "autoriteconcedantenom": ("autoriteConcedante", "nom"),
    "objet": ("objet",),
    "codecpv": ("codeCPV",),
    "procedure": ("procedure",),
    "lieuexecutioncode": ("lieuExecution", "code"),
    "lieuexecutiontypecode": ("lieuExecution", "typeCode"),
    "lieuexecutionnom": ("lieuExecution", "nom"),
    "dureemois": ("dureeMois",),
    "datenotification": ("dateNotification",),
    "datesignature": ("dateSignature",),
    "datepublicationdonnees": ("datePublicationDonnees",),
    "datedebutexecution": ("dateDebutExecution",),
    "montant": ("montant",),
    "valeurglobale": ("valeurGlobale",),
    "formeprix": ("formePrix",),
    "ccag": ("ccag",),
    "idaccordcadre": ("idAccordCadre",),
    "considerationssociales": ("considerationsSociales",),
    "considerationsenvironnementales": ("considerationsEnvironnementales",),
    "techniques": ("techniques",),
    "modalitesexecution": ("modalitesExecution",),
}
_HOLDER = re.compile(r"^(titulaire|concessionnaire)(id|typeidentifiant|denominationsociale|nom)(\d*)$")
_LIST_FIELDS = ("considerationsSociales", "considerationsEnvironnementales", "techniques", "modalitesExecution")


def _value(value: Any) -> Any:
    """A cell's value; the portals' placeholders ("CDL", "NC", "") are None."""
    if isinstance(value, str):
        value = value.strip()
        return None if value.lower() in PLACEHOLDERS else value
    return value


def _buyer_id(value: Any) -> Any:
    """A buyer id read as a number by a portal gets its leading zeros back (a SIRET has 14 digits)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).zfill(14) if value < 10**14 else str(value)
    return value


def nested_contract(row: dict) -> dict:
    """The nested DECP contract (as crawler.parsers.decp reads it) of one flattened row."""
    contract: dict[str, Any] = {}
    holders: dict[tuple[str, str], dict] = {}
    uid = None
    for column, raw in row.items():
        if not isinstance(column, str):
            continue
        value = _value(raw)
        if value is None:
            continue
        key = folded_key(column)
        if key == "uid":
            uid = value
            continue
        holder = _HOLDER.match(key)
        if holder:
            kind, field, number = holder.groups()
            name = {"id": "id", "typeidentifiant": "typeIdentifiant"}.get(field, "denominationSociale")
            holders.setdefault((kind, number or "1"), {})[name] = value
            continue
        path = _COLUMNS.get(key)
        if path is None:
            continue
        if path[0] in ("acheteur", "autoriteConcedante") and path[1] == "id":
            value = _buyer_id(value)
        if path[0] in _LIST_FIELDS and isinstance(value, str):
            value = [part.strip() for part in re.split(r"[;,|]", value) if part.strip()]
        target = contract
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    for (kind, _number), holder in sorted(holders.items(), key=lambda item: (item[0][0], item[0][1].zfill(4))):
        if holder.get("id") is not None:
            contract.setdefault(f"{kind}s", []).append(holder)
    buyer = (contract.get("acheteur") or contract.get("autoriteConcedante") or {}).get("id")
    if uid is not None and "id" not in contract:
        uid = str(uid)
        contract["id"] = uid[len(str(buyer)):] if buyer and uid.startswith(str(buyer)) else uid
    return contract


def _rows_prefix(head: str) -> str:
    """The ijson prefix of the rows: a list of records, or a portal's `results` / `records`."""
    body = head.lstrip("\ufeff \t\r\n")
    if body.startswith("["):
        return "item"
    if re.search(r'"results"\s*:\s*\[', body):
        return "results.item"
    if re.search(r'"records"\s*:\s*\[', body):
        return "records.item"
    return ""


@parser(FMT)
def iter_decp_flat_json(stream: BinaryIO, where: str | None = None, head: bytes = b"") -> Iterator[Notice | ParseError]:
    """Each row of a flattened DECP JSON (portal API response, JSON export, list of rows) as a Notice."""
    prefix = _rows_prefix(decode_head(head) or "")
    ids = SourceIds()
    try:
        for index, row in enumerate(ijson.items(stream, prefix, use_float=True)):
            label = f"{prefix.removesuffix('.item') or 'rows'}[{index}]" if prefix else "record"
            rows = row if prefix == "" and isinstance(row, list) else [row]
            for item in rows:
                yield from _one(item, f"{where or '<stream>'}: {label}", ids)
    except ijson.JSONError as exc:
        yield ParseError(FMT, f"malformed JSON: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", where)


def _one(row: Any, where: str, ids: SourceIds) -> Iterator[Notice | ParseError]:
    if isinstance(row, dict) and isinstance(row.get("fields"), dict):  # opendatasoft API v1
        row = row["fields"]
    if not isinstance(row, dict):
        yield ParseError(FMT, f"a row must be a JSON object, got {type(row).__name__}", where)
        return
    yield ids.read(nested_contract(row), where)


@parser(FMT)
def iter_decp_csv(stream: BinaryIO, where: str | None = None, head: bytes = b"") -> Iterator[Notice | ParseError]:
    """Each row of a DECP CSV export (`;`, `,` or tab separated; UTF-8 with or without a BOM, else Windows-1252)."""
    text = head.decode("utf-8", errors="ignore")
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            encoding = "cp1252"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, text = "utf-16", decode_head(head) or ""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    separator = max((";", "\t", ","), key=first.count)
    reader = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    ids = SourceIds()
    rows = csv.DictReader(reader, delimiter=separator)
    try:
        for row in rows:
            yield from _one(row, f"{where or '<stream>'}: line {rows.line_num}", ids)
    except csv.Error as exc:
        yield ParseError(FMT, f"malformed CSV at line {rows.line_num}: {exc}", where)
    finally:
        reader.detach()

