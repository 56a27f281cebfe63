"""BOAMP open-data records -> Notice: one record of the opendatasoft dataset `boamp` (explore API v2.1).

The record's own fields give the identity, dates, department, procedure and `criteres` (declared dimensions,
no lever); its `donnees` field (a JSON string) holds the full notice: an eForms payload (UBL rendered as JSON,
read by `parse_eforms` after turning it back into XML), a national MAPA / FNSimple payload, or the XML-as-JSON
of the older schemas (v110, v230), both read by the legacy walker (crawler.parsers.boamp_legacy). An absent or
unreadable payload leaves the record fields alone. Deadlines are the wall-clock time in Paris, without a
timezone.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from crawler.parsers.boamp_legacy import (
    BOAMP_URL,
    NATURES,
    NOTICE_TYPES,
    Walker,
    as_list,
    criteres_flags,
    declared_dimensions,
    get_path,
    norm_key,
    procedure_label,
    scalar,
    structure_amount,
    structure_cpvs,
    structure_deadline,
    structure_nature,
    structure_postal_code,
    structure_siret,
)
from crawler.parsers.common import (
    department,
    department_from_postal_code,
    first_present,
    load_json,
    notice_type_from_label,
    readable_line,
    unique_declared,
)
from crawler.parsers.eforms import NS as EFORMS_NS
from crawler.parsers.eforms import ROOTS as EFORMS_ROOTS
from crawler.parsers.eforms import parse_eforms
from crawler.parsers.errors import ParseError, parser
from models.dates import read_date, read_datetime
from models.links import boamp_key, procedure_uuid_key
from models.notice import Notice
from models.text import fold

FMT = "boamp_ods"

_NATIONAL_ROOTS = frozenset({"MAPA", "FNSIMPLE", "FNS", "JOUE", "DSP", "DIVERS"})
_XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@parser(FMT)
def parse_boamp_record(record: dict | bytes, where: str | None = None) -> Notice:
    """One record of the BOAMP open-data dataset (opendatasoft API v2.1), as a dict or as JSON bytes."""
    rec = _record_dict(record, where)
    gestion = _json_field(rec.get("gestion"))
    notice = _record_notice(rec, gestion if isinstance(gestion, dict) else {})
    donnees = _json_field(rec.get("donnees"))
    if isinstance(donnees, dict) and donnees:
        _merge_donnees(notice, donnees, where)
    notice.links = _links(rec, notice)
    return notice


def _links(rec: dict, notice: Notice) -> list[str]:
    """The procedure keys a record gives (models/links.py): its linked notices (`annonce_lie`), its eForms
    procedure identifier (`contractfolderid`), and what its eForms payload names."""
    keys = list(notice.links)
    keys += [key for key in (boamp_key(scalar(v)) for v in as_list(rec.get("annonce_lie"))) if key]
    uuid = procedure_uuid_key(scalar(rec.get("contractfolderid")))
    if uuid:
        keys.append(uuid)
    return list(dict.fromkeys(keys))


def _json_field(value: Any) -> Any:
    """A record field the API gives as a JSON string (excerpts as an object); None when unreadable."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def _record_dict(record: Any, where: str | None) -> dict:
    """The record as a dict (from JSON bytes if need be); anything but one BOAMP record is refused."""
    rec = load_json(record, FMT, where) if isinstance(record, (bytes, bytearray)) else record
    if not isinstance(rec, dict):
        raise ParseError(FMT, f"a record must be a JSON object, got {type(rec).__name__}", where)
    if "idweb" not in rec and isinstance(rec.get("results", rec.get("records")), list):
        raise ParseError(FMT, "an API page of records, not a record: parse each of its results", where)
    if not scalar(rec.get("idweb")):
        raise ParseError(FMT, "no 'idweb': not a record of the BOAMP dataset", where)
    return rec


def _record_notice(rec: dict, gestion: dict) -> Notice:
    """The Notice from the record's own fields (the `donnees` payload is merged afterwards)."""
    idweb = scalar(rec.get("idweb"))
    indexation = get_path(gestion, "INDEXATION")
    criteres = rec.get("criteres")
    declared = (
        declared_dimensions(as_list(criteres), "criteres")
        if criteres
        else criteres_flags(get_path(indexation, "CRITERESSOCIAUXENV"), "CRITERES_SOCIAUX_ENV")
    )
    departments = as_list(rec.get("code_departement")) or as_list(get_path(indexation, "DEPPUBLICATION"))
    return Notice(
        source="boamp",
        source_id=idweb,
        title=readable_line(
            first_present(rec.get("objet"), scalar(get_path(indexation, "RESUMEOBJET"))) or ""
        ),
        url=readable_line(rec.get("url_avis")) or BOAMP_URL.format(idweb),
        buyer_name=readable_line(
            first_present(rec.get("nomacheteur"), scalar(get_path(indexation, "NOMORGANISME")))
        )
        or None,
        country="FR",
        department=first_present(*(department(d) for d in departments)),
        procedure=_record_procedure(rec),
        contract_nature=first_present(*(NATURES.get(norm_key(t)) for t in as_list(rec.get("type_marche")))),
        notice_type=_record_notice_type(rec),
        published=read_date(first_present(rec.get("dateparution"), get_path(indexation, "DATEPUBLICATION"))),
        deadline=read_datetime(
            first_present(get_path(indexation, "DATELIMITEREPONSE"), rec.get("datelimitereponse"))
        ),
        language="fr",
        declared=unique_declared(declared),
        raw_format=FMT,
    )


def _record_procedure(rec: dict) -> str | None:
    """`procedure_libelle` unless it is the "Procédure NC" placeholder, else the `type_procedure` code."""
    label = readable_line(rec.get("procedure_libelle"))
    if label and fold(label) != "procedure nc":
        return label
    return procedure_label(readable_line(rec.get("type_procedure")) or None)


def _record_notice_type(rec: dict) -> str | None:
    """The notice type from `etat` (rectification / cancellation), `nature`, then `nature_libelle`."""
    state = norm_key(rec.get("etat") or "")
    if state in ("RECTIFICATIF", "ANNULATION"):
        return NOTICE_TYPES[state]
    nature = norm_key(rec.get("nature") or "")
    return (
        NOTICE_TYPES.get(nature)
        or notice_type_from_label(readable_line(rec.get("nature_libelle")))
        or ("other" if nature else None)
    )


def _merge_donnees(notice: Notice, donnees: dict, where: str | None) -> None:
    """Add what the full notice in `donnees` says: sections, lots, CPV, SIRET, reservations."""
    root_key = next(iter(donnees)) if len(donnees) == 1 else None
    payload = donnees[root_key] if root_key else donnees
    if root_key and norm_key(root_key) == "EFORMS" and isinstance(payload, dict):
        _merge_eforms(notice, payload, where)
        return
    if not (root_key and norm_key(root_key) in _NATIONAL_ROOTS and isinstance(payload, dict)):
        payload = donnees
    walker = Walker()
    walker.walk(payload)
    notice.sections = walker.sections_with_text()
    notice.lots = walker.lots
    notice.cpv_codes = structure_cpvs(payload)
    notice.buyer_siret = structure_siret(payload)
    notice.contract_nature = notice.contract_nature or structure_nature(payload)
    notice.deadline = notice.deadline or structure_deadline(payload)
    notice.amount = structure_amount(payload)
    notice.department = notice.department or department_from_postal_code(structure_postal_code(payload))
    notice.declared = unique_declared(notice.declared + walker.declared())


def _merge_eforms(notice: Notice, payload: dict, where: str | None) -> None:
    """Add what an eForms payload says (read by parse_eforms once back in XML); unreadable ones are left."""
    root_name = next(iter(payload), "")
    if len(payload) != 1 or root_name not in EFORMS_ROOTS or not isinstance(payload[root_name], dict):
        return
    try:
        parsed = parse_eforms(
            _eforms_xml(root_name, payload[root_name]), where=f"{where or 'record'}#donnees"
        )
    except (ParseError, ValueError):
        return
    notice.sections = parsed.sections
    notice.lots = parsed.lots
    notice.cpv_codes = parsed.cpv_codes
    notice.buyer_siret = parsed.buyer_siret
    notice.buyer_nuts = parsed.buyer_nuts
    notice.amount = parsed.amount
    notice.contract_nature = notice.contract_nature or parsed.contract_nature
    notice.deadline = notice.deadline or parsed.deadline
    notice.department = notice.department or parsed.department
    notice.declared = unique_declared(notice.declared + parsed.declared)
    notice.links = [key for key in parsed.links if not key.startswith("ted:")]  # its TED number is not this one's


def _eforms_xml(root_name: str, body: dict) -> bytes:
    """The UBL XML of an eForms notice that BOAMP renders as JSON ("cbc:ID", "@listName", "#text")."""
    namespace = f"urn:oasis:names:specification:ubl:schema:xsd:{root_name}-2"
    root = etree.Element(etree.QName(namespace, root_name), nsmap={None: namespace, **EFORMS_NS})
    _fill_element(root, body, namespace)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _fill_element(element: etree._Element, value: Any, namespace: str) -> None:
    """Write JSON-rendered XML into an element: "@x" attributes, "#text" text, keys as (repeated) children."""
    if not isinstance(value, dict):
        element.text = _xml_text(value)
        return
    for key, child in value.items():
        if key == "#text":
            element.text = _xml_text(child)
        elif key.startswith("@"):
            if ":" not in key:
                element.set(key[1:], _xml_text(child))
        else:
            prefix, _, name = key.rpartition(":")
            tag = etree.QName(EFORMS_NS.get(prefix, namespace), name)
            for item in as_list(child):
                _fill_element(etree.SubElement(element, tag), item, namespace)


def _xml_text(value: Any) -> str:
    """A JSON scalar as XML text (control characters XML cannot hold are dropped)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return _XML_CONTROL.sub("", text)
