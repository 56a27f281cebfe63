"""DECP (données essentielles de la commande publique) JSON files -> one Notice per contract, streamed.

Files can hold millions of contracts, so `iter_decp` never loads a whole file: ijson yields one contract at a
time from any of the shapes met in the wild:

- 2024 format (arrêtés du 22 décembre 2022, schema v2.0.x): `{"marches": {"marche": [...],
  "contrat-concession": [...]}}`;
- pre-2024 format (schema 1.x, 2019-2023): `{"marches": [...]}`, concessions mixed in with `"_type":
  "Contrat de concession"`, some fields flattened (`"acheteur.id"`) or written as strings
  (`"montant": "30000.00"`).

A contract that cannot be read yields a ParseError (the caller counts and skips it) and iteration goes on; a
file that stops being JSON (truncated, wrong encoding) yields a last ParseError. Bare `NaN` / `Infinity`
tokens, which Python's json module writes and some DECP exports contain, are read as null.

Field choices:
- `source_id` is "<buyer SIRET>-<contract id>": ids are only unique per buyer. Real files still repeat an id
  for several lots of one consultation; a repeated id with a different content gets a suffix made of a hash
  of its object, dates and amount ("...-<id>~1a2b3c4d"), so each lot is kept and re-reading the file gives the
  same ids. A contract with an empty id (a fifth of a real pre-2024 file) is identified by that hash alone
  ("...-~1a2b3c4d"); a contract without buyer cannot be identified and is a ParseError.
- `published` is `datePublicationDonnees`; when a record has none, its notification (or signature) date stands
  in, the closest date the record gives of when the contract became public.
- `contract_nature`: concessions by their nature (travaux -> works, else services); contracts by the CPV
  division (45 works, 03-44 and 48 supplies, other divisions services), else by the CCAG.
- `department` from `lieuExecution`: postal codes and INSEE commune codes give their department, department
  codes are kept; region, country, canton and arrondissement codes give none.
- `amount` is `montant` (contracts) or `valeurGlobale` (concessions); values of 100 billion euros or more are
  placeholders (1e17 is met) and dropped.
- Declared considerations: "Clause sociale" (social, execution condition), "Critère social" (social, award
  criterion), "Marché réservé" / "Concession réservée" (social, reservation), "Clause environnementale"
  (environmental, execution condition), "Critère environnemental" (environmental, award criterion); the
  "Pas de considération ..." values declare nothing. The pre-2024 format has no such fields.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, BinaryIO

import ijson

from crawler.parsers.common import department_from_postal_code, siret_from_id
from crawler.parsers.errors import ParseError, parser
from models.dates import parse_date
from models.links import boamp_key, buyer_ref_key, ojs_keys
from models.notice import DeclaredConsideration, Notice
from models.regions import normalise_department
from models.text import fold, one_line
from models.vocabulary import Dimension, Lever

FMT = "decp"
MAX_AMOUNT = 1e11
MAX_DEPTH = 64  # real DECP files nest about 6 levels
_PREFIX_DEPTH = 3  # "marches.marche.item": the deepest prefix _records and _build compare

# ijson prefixes of the contracts, and how a ParseError names their place.
_ITEM_PREFIXES = {
    "marches.item": "marches",
    "marches.marche.item": "marches.marche",
    "marches.contrat-concession.item": "marches.contrat-concession",
}
_CONSIDERATIONS: dict[str, tuple[Dimension, Lever]] = {
    "clause sociale": (Dimension.SOCIAL, Lever.EXECUTION_CONDITION),
    "critere social": (Dimension.SOCIAL, Lever.AWARD_CRITERION),
    "marche reserve": (Dimension.SOCIAL, Lever.RESERVATION),
    "concession reservee": (Dimension.SOCIAL, Lever.RESERVATION),
    "clause environnementale": (Dimension.ENVIRONMENTAL, Lever.EXECUTION_CONDITION),
    "critere environnemental": (Dimension.ENVIRONMENTAL, Lever.AWARD_CRITERION),
}
_CONSIDERATION_FIELDS = (
    ("considerationsSociales", "considerationSociale"),
    ("considerationsEnvironnementales", "considerationEnvironnementale"),
)
_CCAG_NATURES = {
    "travaux": "works",
    "maitrise d'oeuvre": "services",
    "prestations intellectuelles": "services",
    "techniques de l'information et de la communication": "services",
    "marches industriels": "supplies",
}
_CPV = re.compile(r"(?<!\d)(\d{8})(?!\d)")
_NON_FINITE = re.compile(rb"([:,\[]\s*)(?:NaN|-?Infinity)(?=\s*(?:[,\]}]|\Z))")
_STRUCTURAL = (b",", b"[", b":")
_BOM = b"\xef\xbb\xbf"


# --- streaming ----------------------------------------------------------------------------------------------


@parser(FMT)
def iter_decp(stream: BinaryIO, where: str | None = None) -> Iterator[Notice | ParseError]:
    """Each contract of a DECP JSON file as a Notice, or a ParseError for one that cannot be read."""
    ids = SourceIds()
    try:
        for location, record in _records(_events(_NonFiniteAsNull(stream), where), where):
            yield ids.read(record, f"{where or '<stream>'}: {location}")
    except ParseError as exc:
        yield exc
    except ijson.JSONError as exc:
        yield ParseError(FMT, f"malformed JSON: {_first_line(exc)}", where)
    except (UnicodeDecodeError, OSError, ValueError, TypeError) as exc:
        yield ParseError(FMT, f"unreadable stream: {type(exc).__name__}: {_first_line(exc)}", where)


def _events(stream, where: str | None) -> Iterator[tuple]:
    """(prefix, event, value) as ijson.parse yields them, from ijson.basic_parse. ijson.parse builds the prefix of
    every event, in memory and time quadratic in the nesting depth (200 KB of nested brackets took gigabytes), so
    prefixes are only built above the contracts' fields (the events within a contract get None: _records and
    _build compare no deeper prefix) and a document nested more than MAX_DEPTH levels is a ParseError."""
    path: list = []
    shallow = _PREFIX_DEPTH
    for event, value in ijson.basic_parse(stream, use_float=True):
        if event == "map_key":
            path[-1] = value
            prefix = ".".join(path[:-1]) if len(path) <= shallow else None
        elif event == "start_map" or event == "start_array":
            prefix = ".".join(path) if len(path) <= shallow else None
            path.append("" if event == "start_map" else "item")
            if len(path) > MAX_DEPTH:
                raise ParseError(FMT, f"JSON nested more than {MAX_DEPTH} levels deep", where)
        elif event == "end_map" or event == "end_array":
            path.pop()
            prefix = ".".join(path) if len(path) <= shallow else None
        else:
            prefix = ".".join(path) if len(path) <= shallow else None
        yield prefix, event, value


def _records(events: Iterator[tuple], where: str | None) -> Iterator[tuple[str, Any]]:
    """(location, record) for every contract under `marches`; a document of another kind is a ParseError."""
    first = next(events, None)
    if first is None:
        raise ParseError(FMT, "empty document", where)
    if first[1] != "start_map":
        raise ParseError(FMT, "not a DECP file: the document is not a JSON object with 'marches'", where)
    counts: dict[str, int] = defaultdict(int)
    seen_marches = False
    for prefix, event, value in events:
        if prefix == "" and event == "map_key" and value == "marches":
            seen_marches = True
        elif prefix in _ITEM_PREFIXES and event not in ("end_map", "end_array", "map_key"):
            location = f"{_ITEM_PREFIXES[prefix]}[{counts[prefix]}]"
            counts[prefix] += 1
            yield location, _build(prefix, event, value, events)
    if not seen_marches:
        raise ParseError(FMT, "not a DECP file: no 'marches' at the top level", where)


def _build(prefix: str, event: str, value: Any, events: Iterator[tuple]) -> Any:
    """The whole JSON value that starts with this event (a contract object, or a stray scalar)."""
    if event not in ("start_map", "start_array"):
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    end = "end_map" if event == "start_map" else "end_array"
    for item_prefix, item_event, item_value in events:
        builder.event(item_event, item_value)
        if item_prefix == prefix and item_event == end:
            break
    return builder.value


def _first_line(exc: BaseException) -> str:
    """The first line of an exception's message (yajl's messages span several lines and may be bytes)."""
    message = exc.args[0] if exc.args else str(exc)
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    return str(message).strip().split("\n")[0]


class _NonFiniteAsNull:
    """A binary stream rewriting bare NaN / Infinity tokens as null (and dropping a UTF-8 BOM)."""

    CHUNK = 64 * 1024

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._pending = b""
        self._started = False
        self._eof = False

    def read(self, size: int = -1) -> bytes:
        """Up to about `size` bytes of rewritten JSON (less only at the end of the stream)."""
        if size == 0:
            return b""
        wanted = self.CHUNK if size is None or size < 0 else max(size, 1)
        while not self._eof and len(self._pending) < wanted + 64:
            self._pull()
        if self._eof:
            out, self._pending = self._pending, b""
            return _NON_FINITE.sub(rb"\1null", out)
        cut = max(self._pending.rfind(mark) for mark in _STRUCTURAL)
        if cut <= 0:
            cut = len(self._pending) - 64
        out, self._pending = self._pending[:cut], self._pending[cut:]
        return _NON_FINITE.sub(rb"\1null", out)

    def _pull(self) -> None:
        """Append the next chunk of the underlying stream to the pending bytes."""
        chunk = self._raw.read(self.CHUNK)
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        if not chunk:
            self._eof = True
            return
        if not self._started:
            self._started = True
            chunk = chunk.removeprefix(_BOM)
        self._pending += chunk


class SourceIds:
    """Keeps source ids unique in a file: a repeated id with another content gets a content-hash suffix."""

    def __init__(self) -> None:
        self._first: dict[int, int] = {}

    def read(self, record: Any, where: str | None) -> Notice | ParseError:
        """One contract as a Notice with a source id unique in its file, or the ParseError that says why not."""
        try:
            notice = parse_decp_record(record, where)
        except ParseError as exc:
            return exc
        notice.source_id = self.unique(notice.source_id, record)
        return notice

    def unique(self, source_id: str, record: dict) -> str:
        """The id itself the first time (or for an identical repeat), else the id with a content hash."""
        key = hash(source_id)
        digest = _content_digest(record)
        first = self._first.setdefault(key, int(digest, 16))
        return source_id if first == int(digest, 16) else f"{source_id}~{digest}"


def _content_digest(record: dict) -> str:
    """A short hash of what tells two lots of one consultation apart: object, dates, amount, holders."""
    parts = [
        record.get(k)
        for k in (
            "objet",
            "dateNotification",
            "dateSignature",
            "montant",
            "valeurGlobale",
            "titulaires",
            "concessionnaires",
            "codeCPV",
        )
    ]
    payload = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:8]


# --- one contract -------------------------------------------------------------------------------------------


@parser(FMT)
def parse_decp_record(record: dict, where: str | None = None) -> Notice:
    """One DECP contract (a marché or a contrat de concession, 2024 or pre-2024 format) as a Notice."""
    if not isinstance(record, dict):
        raise ParseError(FMT, f"a contract must be a JSON object, got {type(record).__name__}", where)
    return _notice(record, where)


def _notice(record: dict, where: str | None) -> Notice:
    """Build the Notice of a checked contract object."""
    concession = _is_concession(record)
    contract_id = _text(record.get("id")) or f"~{_content_digest(record)}"
    buyer = record.get("autoriteConcedante" if concession else "acheteur")
    buyer_id = _text(
        _field(buyer, "id") or record.get("autoriteConcedante.id" if concession else "acheteur.id")
    )
    if not buyer_id:
        raise ParseError(FMT, f"contract {contract_id!r} names no buyer ('acheteur.id')", where)
    cpv = _cpv(record.get("codeCPV"))
    return Notice(
        source="decp",
        source_id=f"{buyer_id}-{contract_id}",
        title=_text(record.get("objet")),
        buyer_name=_text(_field(buyer, "nom")) or None,
        buyer_siret=siret_from_id(buyer_id),
        country="FR",
        department=_department(record.get("lieuExecution")),
        cpv_codes=[cpv] if cpv else [],
        procedure=_text(record.get("procedure")) or None,
        contract_nature=_contract_nature(record, cpv, concession),
        notice_type="contract",
        published=parse_date(_text(record.get("datePublicationDonnees")))
        or parse_date(_text(record.get("dateSignature" if concession else "dateNotification"))),
        language="fr",
        amount=_amount(record.get("valeurGlobale" if concession else "montant")),
        declared=_declared(record),
        raw_format=FMT,
        links=_links(buyer_id, record),
    )


def _links(buyer_id: str, record: dict) -> list[str]:
    """Procedure keys (models/links.py): the buyer's SIRET with the contract's id (the buyer's own reference), and
    a TED or BOAMP notice a field of the record quotes."""
    keys = [buyer_ref_key(siret_from_id(buyer_id), _text(record.get("id")))]
    for field in ("idAvis", "idAvisPublication", "referenceAvis", "numeroAvis"):
        value = _text(record.get(field))
        keys += ojs_keys(value) + [boamp_key(value)]
    return list(dict.fromkeys(key for key in keys if key))


def _is_concession(record: dict) -> bool:
    """A contrat de concession (by `_type`, else by a conceding authority and no buyer), not a marché."""
    kind = fold(_text(record.get("_type")), ligatures=True)
    if kind:
        return "concession" in kind
    conceding = isinstance(record.get("autoriteConcedante"), dict) or bool(
        record.get("autoriteConcedante.id")
    )
    return conceding and not isinstance(record.get("acheteur"), dict)


def _field(node: Any, name: str) -> Any:
    """node[name] when node is an object."""
    return node.get(name) if isinstance(node, dict) else None


def _text(value: Any) -> str:
    """A scalar as one line of text ("" for None, objects and lists)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return one_line(value)


def _cpv(value: Any) -> str | None:
    """The 8-digit CPV code of "45000000-7", "71315400-3 " or "34928400"; None when there is none."""
    match = _CPV.search(_text(value))
    return match.group(1) if match else None


def _amount(value: Any) -> float | None:
    """An amount in euros from a number or a string ("30000.00", "1 234,5"); placeholders are dropped."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = re.sub(r"[\s\u00a0]", "", value).replace(",", ".")
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(amount) or amount < 0 or amount >= MAX_AMOUNT:
        return None
    return amount


def _department(place: Any) -> str | None:
    """The department of `lieuExecution` according to its `typeCode`."""
    code = _text(_field(place, "code"))
    kind = fold(_text(_field(place, "typeCode")), ligatures=True)
    if not code:
        return None
    if "postal" in kind:
        return department_from_postal_code(code)
    if "commune" in kind:
        return _department_of_commune(code)
    if "departement" in kind:
        return normalise_department(code)
    if kind:
        return None
    return department_from_postal_code(code) if re.fullmatch(r"\d{5}", code) else None


def _department_of_commune(code: str) -> str | None:
    """The department of an INSEE commune code ("69123" -> "69", "2A004" -> "2A", "97411" -> "974")."""
    code = code.upper()
    if not re.fullmatch(r"(\d{5}|2[AB]\d{3})", code):
        return None
    return normalise_department(code[:3] if code.startswith("97") else code[:2])


def _contract_nature(record: dict, cpv: str | None, concession: bool) -> str | None:
    """works / supplies / services: the concession's nature, else the CPV division, else the CCAG."""
    if concession:
        nature = fold(_text(record.get("nature")), ligatures=True)
        return "works" if "travaux" in nature else "services" if nature else None
    if cpv:
        division = int(cpv[:2])
        if division == 45:
            return "works"
        return "supplies" if division <= 44 or division == 48 else "services"
    return _CCAG_NATURES.get(fold(_text(record.get("ccag")), ligatures=True))


def _consideration_values(value: Any, item_key: str) -> list[str]:
    """The values of a considerations field: a string, a list, or {"considerationSociale": [...]}."""
    if isinstance(value, dict):
        value = value.get(item_key, [v for v in value.values()])
    values: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, list):
            values.extend(_consideration_values(item, item_key))
        elif isinstance(item, str) and item.strip():
            values.extend(part.strip() for part in re.split(r"[;|]", item) if part.strip())
    return values


def _declared(record: dict) -> list[DeclaredConsideration]:
    """The social and environmental considerations the buyer declared, with their lever."""
    declared: dict[tuple, DeclaredConsideration] = {}
    for field, item_key in _CONSIDERATION_FIELDS:
        for value in _consideration_values(record.get(field), item_key):
            pair = _CONSIDERATIONS.get(fold(value, ligatures=True))
            if pair:
                declared.setdefault(pair, DeclaredConsideration(pair[0], pair[1], f"{field}={value}"))
    return list(declared.values())
