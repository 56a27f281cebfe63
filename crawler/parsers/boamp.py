"""BOAMP notices -> Notice: open-data records, legacy XML v230, saved web pages and the retired DILA API.

Four entry points, each one notice in, one `Notice` out, `ParseError` on anything unreadable:

- `parse_boamp_record`: one record of the opendatasoft dataset `boamp` (explore API v2.1). The record's own
  fields give the identity, dates, department, procedure and `criteres` (declared dimensions, no lever);
  its `donnees` field (a JSON string) holds the full notice: an eForms payload (UBL rendered as JSON, read by
  `parse_eforms` after turning it back into XML), a national MAPA / FNSimple payload, or the XML-as-JSON of
  the older schemas (v110, v230). An absent or unreadable payload leaves the record fields alone.
- `parse_boamp_xml`: one notice of the BOAMP XML schema v230 (2015-2023). `MARCHE_RESERVE_OUI` (and its
  `ATELIERS_PROTEGES` / `EMPLOIS_PROTEGES` children) is declared as (social, reservation);
  `PRESTATION_RESERVEE_OUI` (a service reserved to a profession) is not a reservation in the L2113 sense.
- `parse_boamp_html`: a saved boamp.fr notice page; best effort for TED "Data" tab pages (source "ted", the
  OJ S document number as id) and aggregator pages: Atexo consultation summaries (source "atexo:unknown", the
  buyer's reference as id) and other pages (source "web", an id hashed from title, buyer and date). Only the
  notice is read, never the page chrome; `text` is the notice as shown, `sections` its numbered or labelled
  parts.
- `parse_dila_legacy`: one notice of the retired DILA API (`api-boamp/annonces/v230/<idweb>`, JSON).

The legacy structures (XML v230 and its JSON renderings, DILA's lower-case JSON, MAPA / FNSimple JSON) are
read by one walker over JSON-like data whose keys are compared once normalised (no namespace prefix, no `_`
or `-`, upper case), so `CONDITION_PARTICIPATION`, `conditionparticipation` and `conditionParticipation`
are one key. Deadlines are the wall-clock time in Paris, without a timezone, as for the other sources.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import lxml.html
from lxml import etree

from models.notice import DeclaredConsideration, Lot, Notice, Section
from crawler.parsers.atexo import section_kind as atexo_section_kind
from crawler.parsers.common import (
    clean_text,
    department_from_postal_code,
    iso2_country,
    iso2_language,
    parse_datetime,
    siret_from_id,
)
from crawler.parsers.eforms import NS as EFORMS_NS
from crawler.parsers.eforms import ROOTS as EFORMS_ROOTS
from crawler.parsers.eforms import parse_eforms
from crawler.parsers.errors import ParseError
from crawler.parsers.xmlsafe import local, parse_xml
from models.regions import normalise_department
from models.vocabulary import Dimension, Lever

FMT_RECORD = "boamp_ods"
FMT_XML = "boamp_xml"
FMT_HTML = "boamp_html"
FMT_DILA = "boamp_dila"
FMT_TED_HTML = "ted_html"
FMT_ATEXO_HTML = "atexo_html"
FMT_OTHER_HTML = "aggregator_html"

BOAMP_URL = "https://www.boamp.fr/pages/avis/?q=idweb:{}"
TED_URL = "https://ted.europa.eu/en/notice/-/detail/{}"
PARIS = ZoneInfo("Europe/Paris")
MAX_HTML_BYTES = 20 * 1024 * 1024

# --- codes and labels ---------------------------------------------------------------------------------------

_NATURES = {"TRAVAUX": "works", "FOURNITURES": "supplies", "SERVICES": "services", "SERVICE": "services"}
_NATURE_WORDS = (
    ("travaux", "works"),
    ("works", "works"),
    ("fourniture", "supplies"),
    ("supplies", "supplies"),
    ("service", "services"),
)
_CRITERES = {"SOCIAUX": Dimension.SOCIAL, "ENVIRONNEMENTAUX": Dimension.ENVIRONMENTAL}

# BOAMP `nature` (DILA / XML: TYPE_AVIS/NATURE) -> notice type; STATUT/etat RECTIFICATIF or ANNULATION wins.
_NOTICE_TYPES = {
    "APPELOFFRE": "contract_notice",
    "ATTRIBUTION": "award_notice",
    "RECTIFICATIF": "rectification",
    "ANNULATION": "cancellation",
    "PREINFORMATION": "prior_information",
    "PROFILACHETEUR": "prior_information",
    "PERIODIQUE": "prior_information",
    "EXANTEVOLONTAIRE": "voluntary_ex_ante",
    "INTENTIONCONCLURE": "voluntary_ex_ante",
    "MODIFICATION": "modification",
    "SOUSTRAITANCE": "subcontracting",
    "QUALIFICATION": "qualification_system",
    "AUTRE": "other",
}
# The same from a French (or English) label, first match wins: "Avis de marché", "Résultat de marché"...
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
_PROCEDURES = {
    "OUVERT": "Procédure ouverte",
    "RESTREINT": "Procédure restreinte",
    "PROCEDUREADAPTE": "Procédure adaptée",
    "PROCEDUREADAPTEE": "Procédure adaptée",
    "NEGOCIE": "Procédure négociée",
    "MARCHENEGOCIE": "Procédure négociée",
    "DIALOGUECOMPETITIF": "Dialogue compétitif",
    "PARTENARIATINNOVATION": "Partenariat d'innovation",
    "CONCOURSOUVERT": "Concours ouvert",
    "CONCOURSRESTREINT": "Concours restreint",
    "ATTRIBUESANSPUBJOUE": "Attribution sans publication préalable",
    "AUTRE": "Autre procédure",
}

# --- the legacy-structure walker: which keys open sections, which are skipped -------------------------------

# Normalised key -> (heading, kind): the key's content becomes a section of its own.
_SECTION_RULES: dict[str, tuple[str, str]] = {
    "OBJETCOMPLET": ("Objet du marché", "object"),
    "CARACTERISTIQUES": ("Caractéristiques principales", "description"),
    "QUANTITE": ("Quantité ou étendue", "description"),
    "OPTIONSDESCRIPTION": ("Options", "other"),
    "RENOUVELLEMENTDESCRIPTION": ("Reconductions", "other"),
    "CRITERESATTRIBUTION": ("Critères d'attribution", "award_criteria"),
    "CRITERESATTRIB": ("Critères d'attribution", "award_criteria"),
    "CRITATTRIB": ("Critères d'attribution", "award_criteria"),
    "CRITERES": ("Critères d'attribution", "award_criteria"),
    "CONDITIONPARTICIPATION": ("Conditions de participation", "participation"),
    "PARTICIPATION": ("Conditions de participation", "participation"),
    "JUSTIFICATIONS": ("Justifications à produire", "participation"),
    "JUSTIFICATIFSCANDIDAT": ("Justifications à produire", "participation"),
    "CRITERESELECTION": ("Critères de sélection", "participation"),
    "CONDITIONPARTICULIEREEXECUTION": ("Conditions particulières d'exécution", "execution_conditions"),
    "AUTRESCONDITIONSPARTOUI": ("Autres conditions particulières d'exécution", "execution_conditions"),
    "MARCHERESERVEOUI": ("Marché réservé", "reservation"),
    "CONDITIONRELATIVEMARCHE": ("Conditions relatives au marché", "other"),
    "RELATIVES": ("Conditions relatives au marché", "other"),
    "RENSEIGNEMENTSCOMPLEMENTAIRES": ("Renseignements complémentaires", "additional_info"),
    "RENSEIGNEMENTS": ("Renseignements complémentaires", "additional_info"),
    "INFORMCOMPLEMENTAIRE": ("Renseignements complémentaires", "additional_info"),
    "INFOCOMPL": ("Informations complémentaires", "additional_info"),
    "ATTRIBUTION": ("Attribution", "other"),
    "RECTIF": ("Rectificatif", "other"),
    "RECTIFICATIF": ("Rectificatif", "other"),
    "INFOSRECTIF": ("Rectificatif", "other"),
    "ANNULATION": ("Annulation", "other"),
}
# Keys whose plain-text value (not a structure) opens a section: MAPA `descriptionReduite.objet`, FNSimple
# `natureMarche.description`...
_TEXT_RULES: dict[str, tuple[str, str]] = {
    "OBJET": ("Objet du marché", "object"),
    "DESCRIPTION": ("Description", "description"),
    "PRINCIPALES": ("Caractéristiques principales", "description"),
    "ATTRIBUTIONMARCHE": ("Attribution", "other"),
}
# Fallback patterns on normalised keys, for the MAPA / FNSimple JSON whose full key list is not published.
_PATTERN_RULES: tuple[tuple[re.Pattern[str], tuple[str, str]], ...] = (
    (
        re.compile(r"CONDITIONS?(PARTICULIERES?)?EXECUTION"),
        ("Conditions d'exécution", "execution_conditions"),
    ),
    (re.compile(r"^MARCHESRESERVES?$|^MARCHERESERVE(OUI)?$"), ("Marché réservé", "reservation")),
    (re.compile(r"CRITERES?ATTRIB"), ("Critères d'attribution", "award_criteria")),
    (
        re.compile(r"CONDITIONS?PARTICIPATION|^CAPACITE|JUSTIFICATI"),
        ("Conditions de participation", "participation"),
    ),
    (re.compile(r"INFO\w*COMPL|RENS\w*COMPL"), ("Renseignements complémentaires", "additional_info")),
)
# Structures that never hold notice text (addresses, contacts, winners, indexing, legal boilerplate, labels).
_SKIP_KEYS = frozenset(
    {
        "IDENTITE",
        "IDENT",
        "ORGANISME",
        "CORRESPONDANT",
        "CORRESPONDANTS",
        "CORRESPONDANTPRM",
        "COORD",
        "ADR",
        "ADRESSE",
        "ADRESSESCOMPLEMENTAIRES",
        "COMMUNICATION",
        "TITULAIRE",
        "TITULAIRES",
        "PERSONNEMORALE",
        "PERSONNEPHYSIQUE",
        "PROCEDURESRECOURS",
        "PROCEDURESRECOURSPRECISIONS",
        "INSTANCERECOURS",
        "TYPEORGANISME",
        "TYPEPOUVOIRADJUDICATEUR",
        "ACTIVITEPRINCIPALE",
        "TYPEACTIVITEORG",
        "CLASSES",
        "DESCRIPTEURS",
        "ENVOIBOMP",
        "DOCUMENTS",
        "INFO",
        "GESTION",
        "TITRE",
        "TITREMARCHE",
        "INTITULE",
        "REFMARCHE",
        "REFERENCEMARCHE",
        "CPV",
        "CPVOBJ",
        "CODECPV",
        "TYPEMARCHE",
        "NATUREMARCHE",
        "TYPEPROCEDURE",
        "CONDITIONDELAI",
        "DELAI",
        "DUREE",
        "DUREEDELAI",
        "LIEUEXECLIVR",
        "LIEUEXEC",
        "LIEUEXECUTION",
        "LIEUPRINCIPAL",
        "CODENUTS",
        "LANGUES",
        "LANGUE",
        "CONDITIONADMINISTRATIVE",
        "AVISINITIAL",
        "ANNONCEANTERIEUR",
        "AVISIMPLIQUE",
        "AVISCORRESPOND",
        "PUBLICATIONANTERIEURE",
        "CRITEREPCT",
        "MEMBREJURY",
        "ELIGIBLEMPS",
        "ANNEXED1",
        "ANNEXED2",
        "ANNEXED3",
        "ANNEXED4",
        "CONDITIONPARTICIPATIONSYSTMEQUALIF",
        "LOTSRESERVEPOUVOIRADJUDICATEUR",
        "DIVENLOTS",
        "VALEURESTIMEE",
        "AUTRESINFORMATIONS",
        "REFERENCEPUBLICATION",
    }
)
# Keys skipped outside any section only: v110 repeats its summary in a top-level AUTRES, but its blocks keep
# their text in AUTRES too.
_LOOSE_SKIP_KEYS = frozenset({"AUTRES"})
# Leaves meaningless without their label: (label, kind of the section they open when outside any).
_LEAF_LABELS: dict[str, tuple[str, str]] = {
    "PRESTATIONRESERVEEOUI": ("La prestation est réservée à une profession particulière", "participation"),
    "SITUATIONJURIDIQUE": ("Situation juridique", "participation"),
    "CAPECO": ("Capacité économique et financière", "participation"),
    "CAPECONIVEAUMINI": ("Capacité économique et financière, niveau minimal", "participation"),
    "CAPTECH": ("Capacité technique", "participation"),
    "CAPTECHNIVEAUMINI": ("Capacité technique, niveau minimal", "participation"),
    "CAPACITEECOFIN": ("Capacité économique et financière", "participation"),
    "CAPACITETECH": ("Capacité technique", "participation"),
    "CAPACITEEXERCICE": ("Capacité d'exercice", "participation"),
    "CAUTIONNEMENT": ("Cautionnement et garanties", "other"),
    "FINANCEMENT": ("Financement et paiement", "other"),
    "FORMEJURIDIQUE": ("Forme juridique du groupement", "other"),
}
# Empty elements (flags) whose mere presence says something the classifier should read.
_FLAG_TEXT = {
    "MARCHERESERVEOUI": "Marché réservé : oui.",
    "ATELIERSPROTEGES": "Marché réservé à des ateliers protégés.",
    "EMPLOISPROTEGES": "Marché à exécuter dans le cadre de programmes d'emplois protégés.",
    "CRITERESCCTP": "Critères énoncés dans le cahier des charges.",
}
# Criteria given as an element with an optional POIDS child: <CRITERES_PRIX><POIDS>40</POIDS></CRITERES_PRIX>.
_WEIGHTED_FLAGS = {"CRITERESPRIX": "Prix", "CRITERESCOUT": "Coût"}
_CRITERION_LABELS = ("LIBELLE", "CRITERE", "VALUE")
_CRITERION_WEIGHTS = ("PONDERATION", "POIDS", "CRITEREPCT")
_RESERVATION_KEYS = frozenset({"MARCHERESERVEOUI", "ATELIERSPROTEGES", "EMPLOISPROTEGES"})
_LOT_CONTAINERS = frozenset({"LOTS", "LOTSMARCHE"})
_LOT_ID_KEYS = ("NUM", "NUMLOT", "NUMERO", "NUMEROLOT", "ID")
_LOT_TITLE_KEYS = ("INTITULE", "TITRE", "INTITULELOT", "OBJET")
_LOT_DESCRIPTION_KEYS = ("DESCRIPTION", "DESCLOT", "DESCRIPTIONLOT", "PRINCIPALES")
_LOT_CPV_KEYS = ("CPV", "CODECPV", "NOMENCLOT")
_LOT_FIELDS = frozenset(_LOT_ID_KEYS + _LOT_TITLE_KEYS + _LOT_DESCRIPTION_KEYS + _LOT_CPV_KEYS)
_CPV_KEYS = frozenset({"CPV", "CPVOBJ", "CODECPV", "NOMENCLOT", "CLASSPRINCIPALE"})
_SIRET_KEYS = frozenset({"CODEIDENTNATIONAL", "CODEIDENTIFICATIONNATIONAL"})
_NOT_BUYER = frozenset({"TITULAIRE", "TITULAIRES", "ATTRIBUTION", "ADRESSESCOMPLEMENTAIRES", "DECISION"})
_NATIONAL_ROOTS = frozenset({"MAPA", "FNSIMPLE", "FNS", "JOUE", "DSP", "DIVERS"})
_MIN_LOOSE_TEXT = 80  # text outside any known key is kept (as "Autres informations") from this length on

_CPV = re.compile(r"(?<!\d)(\d{8})(?:-\d)?(?!\d)")
_JUNK_LEAF = re.compile(r"^([\d\s.,:/+\-TZ%€]*|true|false|oui|non)$", re.IGNORECASE)
# Windows-1252 characters that reached Unicode as C1 controls (U+0092 for a typographic apostrophe).
_C1_AS_CP1252 = {c: bytes([c]).decode("cp1252", errors="ignore") for c in range(0x80, 0xA0)}
_XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# --- HTML ---------------------------------------------------------------------------------------------------

# fmt: off
_HTML_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "form", "nav", "footer", "button",
              "svg", "link", "meta", "template", "title")
# fmt: on
_CHROME = re.compile(
    r"cookie|consent|tarteaucitron|didomi|google_translate|breadcrumb|navbar|menu|share|banner"
    r"|footer|^pager$|row-detail-avis|skip-link"
)
# fmt: off
_HTML_BLOCKS = frozenset({"p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                          "dd", "dt", "dl", "hr", "center", "article", "section", "header", "blockquote"})
# fmt: on
_ITEM_NUMBER = re.compile(r"^([IVX]+(?:\.\d+)*)\)$")
_LOT_LINE = re.compile(r"^Lot\s*(?:n\s*[°ºo.]*|number)\s*:?\s*([\w.\-]+)", re.IGNORECASE)
_AVIS_REF = re.compile(r"(?:Avis|Annonce)\s*N\s*[°ºo.]*\s*:?\s*(\d{2}-\d+|[A-Z]{3}\d{8,}\w*)", re.IGNORECASE)
_SIRET_TEXT = re.compile(
    r"(?:num[ée]ro national d.identification|national registration number|siret)\s*:?\s*"
    r"(\d[\d .]{12,18}\d)",
    re.IGNORECASE,
)
_POSTAL_TEXT = re.compile(r"(?:code postal|postal code|\bcp)\s*:?\s*(\d{5})\b", re.IGNORECASE)
_DEPARTMENTS_TEXT = re.compile(r"D[ée]partement\(s\) de publication\s*:\s*([0-9AB, ]+)", re.IGNORECASE)
_CPV_LINE = re.compile(
    r"(?:cpv|descripteur (?:principal|supplementaire)|objets? (?:principal|supplementaires?))"
    r"[^:\n]*:\s*([\d\s.,;\-]+)"
)
# fmt: off
_FR_MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
              "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}
# fmt: on
_FR_TEXT_DATE = re.compile(r"(\d{1,2})(?:er)?\s+(" + "|".join(_FR_MONTHS) + r")\s+(\d{4})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})\s*(?:h|:|heures?)\s*(\d{2})?")

# English TED headings and BOAMP headings the Atexo vocabulary does not cover, first match wins.
_EXTRA_HEADING_KINDS = (
    (
        re.compile(
            r"^(date|langue|delai|duree|modalites d.ouverture|time limit|languages?|minimum time|cpv"
            r"|objets? (principal|supplementaires?)|conditions de remise)"
        ),
        "other",
    ),
    (re.compile(r"situation juridique|references? requises?|habilitation"), "participation"),
    (re.compile(r"profession (particuliere|determinee)|particular profession"), "participation"),
    (re.compile(r"reserved contracts?|reserved procurement"), "reservation"),
    (re.compile(r"award criteri"), "award_criteria"),
    (
        re.compile(r"performance (of the contract|conditions)|conditions? related to the contract"),
        "execution_conditions",
    ),
    (
        re.compile(r"conditions? for participation|selection criteri|ability|suitability|standing"),
        "participation",
    ),
    (re.compile(r"technical specifications?"), "technical_specification"),
    (
        re.compile(r"complementary information|additional information|autres renseignements"),
        "additional_info",
    ),
    (re.compile(r"^(title|intitule|short description|object)\b"), "object"),
    (re.compile(r"^description of the procurement|^scope|^quantity"), "description"),
)


# --- entry points -------------------------------------------------------------------------------------------


def _guarded(fmt: str) -> Callable:
    """Make a parser raise only ParseError: any unexpected exception becomes one naming `fmt` and `where`."""

    def decorate(parse: Callable[..., Notice]) -> Callable[..., Notice]:
        @functools.wraps(parse)
        def guarded(data: Any, where: str | None = None) -> Notice:
            try:
                return parse(data, where)
            except ParseError:
                raise
            except Exception as exc:  # a parser raises one error type, whatever the input looks like
                raise ParseError(fmt, f"unexpected {type(exc).__name__}: {exc}", where) from exc

        return guarded

    return decorate


@_guarded(FMT_RECORD)
def parse_boamp_record(record: dict | bytes, where: str | None = None) -> Notice:
    """One record of the BOAMP open-data dataset (opendatasoft API v2.1), as a dict or as JSON bytes."""
    rec = _record_dict(record, where)
    gestion = _json_field(rec.get("gestion"))
    notice = _record_notice(rec, gestion if isinstance(gestion, dict) else {})
    donnees = _json_field(rec.get("donnees"))
    if isinstance(donnees, dict) and donnees:
        _merge_donnees(notice, donnees, where)
    return notice


@_guarded(FMT_XML)
def parse_boamp_xml(data: bytes, where: str | None = None) -> Notice:
    """One notice of the BOAMP XML schema v230 (`<ANNONCE>` with `GESTION` and `DONNEES`)."""
    root = parse_xml(data, FMT_XML, where)
    if local(root.tag) != "ANNONCE" or root.find("GESTION") is None:
        raise ParseError(FMT_XML, f"not a BOAMP v230 notice: root element <{local(root.tag)}>", where)
    tree = _element_data(root)
    return _legacy_notice(_get(tree, "GESTION"), _get(tree, "DONNEES"), FMT_XML, where)


@_guarded(FMT_DILA)
def parse_dila_legacy(data: bytes, where: str | None = None) -> Notice:
    """One notice of the retired DILA API (`api-boamp/annonces/v230/<idweb>`): `gestion` and `donnees`."""
    doc = _load_json(data, FMT_DILA, where)
    if not isinstance(doc, dict) or not isinstance(doc.get("gestion"), dict) or "donnees" not in doc:
        raise ParseError(FMT_DILA, "not a DILA BOAMP notice: no 'gestion' and 'donnees' objects", where)
    return _legacy_notice(doc["gestion"], doc.get("donnees") or {}, FMT_DILA, where)


@_guarded(FMT_HTML)
def parse_boamp_html(data: bytes, where: str | None = None) -> Notice:
    """A saved boamp.fr notice page; best effort for TED "Data" tabs and aggregator pages."""
    root = _html_root(data, where)
    if root.find_class("avis-ref") or root.get_element_by_id("detail-avis-content", None) is not None:
        return _boamp_page(root, where)
    if root.xpath("//table[contains(@class, 'data')]//th[normalize-space() = 'ND']"):
        return _ted_page(root, where)
    if root.find_class("recap-bloc") or root.get_element_by_id("collapseHeading", None) is not None:
        return _atexo_page(root, where)
    return _other_page(root, where)


# --- shared small helpers -----------------------------------------------------------------------------------


def _norm_key(key: Any) -> str:
    """A key as compared across renderings: namespace prefix, `_`, `-` and spaces dropped, upper case."""
    return re.sub(r"[_\-\s]", "", str(key).rsplit(":", 1)[-1]).upper()


def _fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes as plain ones, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", " ".join(str(text).split()).lower().replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _clean(value: Any) -> str:
    """Readable text: spaces collapsed, blank lines and U+FFFD dropped, stray C1 controls fixed."""
    if value is None:
        return ""
    lines = clean_text(str(value).replace("\ufffd", "").translate(_C1_AS_CP1252)).split("\n")
    return "\n".join(line for line in lines if line)


def _line(value: Any) -> str:
    """Text on one line."""
    return " ".join(_clean(value).split())


def _as_list(value: Any) -> list:
    """A list from a value that may be a list, a single item or None."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(*values: Any) -> Any:
    """The first value that is neither None nor empty."""
    return next((v for v in values if v not in (None, "", [], {})), None)


def _get(node: Any, *names: str) -> Any:
    """Descend `node` by normalised key names (the first item of a list at each step); None when missing."""
    for name in names:
        if isinstance(node, list):
            node = node[0] if node else None
        if not isinstance(node, dict):
            return None
        node = next((v for k, v in node.items() if _norm_key(k) == name), None)
    return node


def _scalar(value: Any) -> str:
    """The text of a leaf: a string, a number, or an element rendered as {"#text": ...}."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("#text")
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return _line(value)


def _present_key(node: Any) -> str | None:
    """The normalised name of the first present flag of a choice ({"OUVERT": ""}, {"ouvert": null, ...})."""
    if isinstance(node, str) and node.strip():
        return _norm_key(node)
    if isinstance(node, dict):
        return next(
            (_norm_key(k) for k, v in node.items() if v is not None and not str(k).startswith("@")), None
        )
    return None


def _load_json(data: Any, fmt: str, where: str | None) -> Any:
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


def _json_field(value: Any) -> Any:
    """A record field the API gives as a JSON string (excerpts as an object); None when unreadable."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return None
    return value


def _cpv_codes(text: str) -> list[str]:
    """The 8-digit CPV codes in a text, check digits dropped."""
    return _CPV.findall(text or "")


def _unique(items: list) -> list:
    """Items without repeats, first occurrence kept."""
    return list(dict.fromkeys(items))


def _department(code: Any) -> str | None:
    """A department from a department number ("5", "2A", "974") or, failing that, a postal code."""
    text = _line(code)
    if re.fullmatch(r"\d{5}", text):
        return department_from_postal_code(text)
    return normalise_department(text) if text else None


def _nature_from_text(text: str) -> str | None:
    """works / supplies / services from a French or English label ("Travaux", "4 - Services")."""
    folded = _fold(text)
    return next((nature for word, nature in _NATURE_WORDS if word in folded), None)


def _notice_type_from_label(text: str) -> str | None:
    """The notice type from a label such as "Avis de marché", "Résultat de marché", "Contract notice"."""
    folded = _fold(text)
    return next((kind for word, kind in _NOTICE_TYPE_WORDS if word in folded), None) if folded else None


def _declared_dimensions(values: list, field: str) -> list[DeclaredConsideration]:
    """Dimension-only declarations from BOAMP's `criteres` values ("sociaux", "environnementaux")."""
    declared = []
    for value in values:
        dimension = _CRITERES.get(_norm_key(_fold(value)))
        if dimension:
            declared.append(DeclaredConsideration(dimension, None, f"{field}={value}"))
    return declared


def _unique_declared(declared: list[DeclaredConsideration]) -> list[DeclaredConsideration]:
    """Declarations without repeats of the same (dimension, lever, lot)."""
    seen: dict[tuple, DeclaredConsideration] = {}
    for item in declared:
        seen.setdefault((item.dimension, item.lever, item.lot), item)
    return list(seen.values())


# --- dates --------------------------------------------------------------------------------------------------


def _from_epoch_ms(value: float) -> datetime | None:
    """A Paris wall-clock time from epoch milliseconds (the DILA API's dates); None when out of range."""
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC).astimezone(PARIS).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _wall_clock(moment: datetime) -> datetime:
    """A datetime as Paris wall-clock time, without timezone."""
    return moment.astimezone(PARIS).replace(tzinfo=None) if moment.tzinfo else moment


def _day_match(text: str) -> tuple[date, int] | None:
    """The first calendar date in a text (ISO, dd/mm/yyyy or "14 août 2020") and where it ends."""
    folded = _fold(text)
    for pattern, order in ((_YMD, (1, 2, 3)), (_DMY, (3, 2, 1)), (_FR_TEXT_DATE, (3, 2, 1))):
        match = pattern.search(folded)
        if not match:
            continue
        year, month, day = (match.group(i) for i in order)
        month_number = _FR_MONTHS[month] if month in _FR_MONTHS else int(month)
        try:
            return date(int(year), month_number, int(day)), match.end()
        except ValueError:
            continue
    return None


def _date(value: Any) -> date | None:
    """A calendar date from ISO text ("2026-08-18", "2006-07-4"), French text or epoch milliseconds."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return _wall_clock(value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = _from_epoch_ms(value)
        return moment.date() if moment else None
    found = _day_match(str(value))
    return found[0] if found else None


def _moment(value: Any) -> datetime | None:
    """A Paris wall-clock datetime from ISO text (offset applied), French text, or epoch milliseconds."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch_ms(value)
    text = str(value).strip()
    parsed = parse_datetime(text) if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", text) else None
    if parsed:
        return _wall_clock(parsed)
    found = _day_match(text)
    if not found:
        return None
    day, end = found
    clock = _TIME.search(_fold(text)[end : end + 40])
    hour, minute = (int(clock.group(1)), int(clock.group(2) or 0)) if clock else (0, 0)
    if hour > 23 or minute > 59:
        hour, minute = 0, 0
    return datetime(day.year, day.month, day.day, hour, minute)


# --- legacy structures: XML v230, its JSON renderings, DILA JSON, MAPA / FNSimple JSON ----------------------


def _element_data(element: etree._Element) -> Any:
    """An XML element as JSON-like data: attributes "@name", text "#text", repeated children as lists."""
    children = [c for c in element if isinstance(c.tag, str)]
    text = " ".join(filter(None, [(element.text or "").strip()] + [(c.tail or "").strip() for c in children]))
    attributes = {f"@{local(k)}": v for k, v in element.attrib.items() if not k.startswith("{")}
    if not children and not attributes:
        return text
    data: dict[str, Any] = dict(attributes)
    for child in children:
        key, value = local(child.tag), _element_data(child)
        if key in data:
            data[key] = _as_list(data[key]) + [value]
        else:
            data[key] = value
    if text:
        data["#text"] = text
    return data


def _rule_for(key: str, value: Any) -> tuple[str, str] | None:
    """The (heading, kind) of the section a key opens, if any (labelled leaves and "_NON" flags open none)."""
    if key in _SECTION_RULES:
        return _SECTION_RULES[key]
    if isinstance(value, str) and key in _TEXT_RULES:
        return _TEXT_RULES[key]
    if key.endswith("NON") or key in _LEAF_LABELS:
        return None
    return next((rule for pattern, rule in _PATTERN_RULES if pattern.search(key)), None)


def _leaf_text(value: Any) -> str:
    """The text of a leaf worth reading: no numbers or dates alone, no DILA empty-element markers."""
    if not isinstance(value, str) or value.lstrip().startswith("<?xml"):
        return ""
    text = _clean(value)
    return "" if _JUNK_LEAF.match(text) else text


def _weighted_text(node: dict) -> str:
    """An element with text and maybe a weight: <CRITERE POIDS="60">Prix</CRITERE> -> "Prix : 60 %"."""
    text = _leaf_text(node.get("#text"))
    weight = next((v for k, v in node.items() if _norm_key(k) in ("@POIDS", "@PONDERATION")), None)
    return f"{text} : {weight} %" if text and weight else text


def _criterion_text(node: dict) -> str:
    """A criterion as a label and a weight ({"libelle": "Prix", "ponderation": "50"}) -> "Prix : 50 %"."""
    fields = {_norm_key(k): v for k, v in node.items()}
    label = next((fields[k] for k in _CRITERION_LABELS if isinstance(fields.get(k), str)), None)
    weight = next((_scalar(fields[k]) for k in _CRITERION_WEIGHTS if _scalar(fields.get(k))), None)
    if not label or not weight or len(fields) > 3:
        return ""
    text = _leaf_text(label)
    return text if weight in text else f"{text} : {weight} %"


def _own_heading(value: Any) -> str:
    """The printed heading a v110 block carries in its TITRE ("Conditions de participation :")."""
    title = _get(value, "TITRE") if isinstance(value, dict) else None
    return _line(title).rstrip(" :") if isinstance(title, str) else ""


class _Walker:
    """Collects sections, lots and reservation flags from a legacy BOAMP structure (JSON-like data)."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.lots: list[Lot] = []
        self.reserved: list[tuple[str, str | None]] = []
        self._loose: dict[str | None, Section] = {}

    def walk(self, node: Any, section: Section | None = None, lot: str | None = None) -> None:
        """Visit a node: known keys open sections, other text goes to the enclosing section."""
        if isinstance(node, list):
            for item in node:
                self.walk(item, section, lot)
        elif isinstance(node, dict):
            criterion = _criterion_text(node)
            if criterion:
                self._append(section, criterion, lot)
                return
            if "#text" in node:
                self._append(section, _weighted_text(node), lot)
            for key, value in node.items():
                if not str(key).startswith(("@", "#")):
                    self._entry(str(key), value, section, lot)
        else:
            self._append(section, _leaf_text(node), lot)

    def _entry(self, key: str, value: Any, section: Section | None, lot: str | None) -> None:
        """Visit one key: skipped, a lot container, a section of its own, a labelled leaf, or content."""
        name = _norm_key(key)
        if value is None or name in _SKIP_KEYS or (section is None and name in _LOOSE_SKIP_KEYS):
            return
        if name in _RESERVATION_KEYS:
            self.reserved.append((key, lot))
        if name in _LOT_CONTAINERS:
            self._lots(value)
            return
        rule = _rule_for(name, value)
        if rule and not (section is not None and section.kind == rule[1] and section.lot == lot):
            heading, kind = rule
            opened = Section(
                heading=_own_heading(value) or heading, text=_FLAG_TEXT.get(name, ""), kind=kind, lot=lot
            )
            self.sections.append(opened)
            self.walk(value, opened, lot)
            return
        if name in _WEIGHTED_FLAGS:
            weight = _scalar(_get(value, "POIDS"))
            self._append(
                section, f"{_WEIGHTED_FLAGS[name]} : {weight} %" if weight else _WEIGHTED_FLAGS[name], lot
            )
            return
        if name in _FLAG_TEXT:
            self._append(section, _FLAG_TEXT[name], lot)
        if name in _LEAF_LABELS and _leaf_text(value):
            self._labelled(name, _leaf_text(value), section, lot)
            return
        self.walk(value, section, lot)

    def _labelled(self, name: str, text: str, section: Section | None, lot: str | None) -> None:
        """A labelled leaf: "label : text" in the enclosing section, else a section of its own."""
        label, kind = _LEAF_LABELS[name]
        if section is None:
            self.sections.append(Section(heading=label, text=text, kind=kind, lot=lot))
        else:
            self._append(section, f"{label} : {text}", lot)

    def _append(self, section: Section | None, text: str, lot: str | None) -> None:
        """Add text to a section; long text outside any section goes to "Autres informations"."""
        if not text:
            return
        if section is None:
            if len(text) < _MIN_LOOSE_TEXT:
                return
            section = self._loose_section(lot)
        section.text = f"{section.text}\n{text}" if section.text else text

    def _loose_section(self, lot: str | None) -> Section:
        """The "Autres informations" section of a lot (or of the notice), created on first use."""
        if lot not in self._loose:
            self._loose[lot] = Section(heading="Autres informations", text="", kind="other", lot=lot)
            self.sections.append(self._loose[lot])
        return self._loose[lot]

    def _lots(self, value: Any) -> None:
        """Read a lot container: v230 LOTS/LOT, v110 parallel NUM_LOT / DESC_LOT lists, or a plain list."""
        for index, item in enumerate(_lot_items(value), 1):
            self._lot(item, index)

    def _lot(self, item: Any, index: int) -> None:
        """One lot: a Lot item, a "lot" section, then its own criteria and conditions tagged with its id."""
        if not isinstance(item, dict):
            item = {"DESCRIPTION": item}
        lot_id = _scalar(_get_any(item, _LOT_ID_KEYS)) or str(index)
        title = _scalar(_get_any(item, _LOT_TITLE_KEYS))
        description = _clean(_scalar_text(_get_any(item, _LOT_DESCRIPTION_KEYS)))
        cpvs = _unique(_cpv_codes(" ".join(_strings(_get_any(item, _LOT_CPV_KEYS)))))
        self.lots.append(Lot(lot_id=lot_id, title=title, description=description, cpv_codes=cpvs))
        heading = f"Lot {lot_id} : {title}" if title else f"Lot {lot_id}"
        self.sections.append(Section(heading=heading, text=description or title, kind="lot", lot=lot_id))
        self.walk({k: v for k, v in item.items() if _norm_key(k) not in _LOT_FIELDS}, None, lot_id)

    def sections_with_text(self) -> list[Section]:
        """The sections that hold some text, in document order."""
        return [s for s in self.sections if s.text.strip()]

    def declared(self) -> list[DeclaredConsideration]:
        """(social, reservation) for each reservation flag met, per lot."""
        return _unique_declared(
            [
                DeclaredConsideration(Dimension.SOCIAL, Lever.RESERVATION, key, lot)
                for key, lot in self.reserved
            ]
        )


def _get_any(node: dict, names: tuple[str, ...]) -> Any:
    """The value of the first key of `node` whose normalised name is in `names` (in the order of `names`)."""
    by_name = {_norm_key(k): v for k, v in node.items()}
    return next((by_name[n] for n in names if by_name.get(n) not in (None, "")), None)


def _strings(node: Any) -> list[str]:
    """Every string leaf under a node, in document order."""
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [str(node)] if isinstance(node, (str, int)) and not isinstance(node, bool) else []


def _scalar_text(value: Any) -> str:
    """All the text of a value, one string per line."""
    return "\n".join(_leaf_text(s) for s in _strings(value) if _leaf_text(s))


def _lot_items(value: Any) -> list:
    """The lots of a container, the v110 parallel lists zipped into one dict per lot."""
    if isinstance(value, list):
        return value
    if not isinstance(value, dict):
        return _as_list(value)
    inner = _get(value, "LOT")
    if inner is not None:
        return _as_list(inner)
    numbers = _as_list(_get(value, "NUMLOT"))
    if not numbers:
        return [value]
    descriptions = _as_list(_get(value, "DESCLOT")) or [t for t in _as_list(_get(value, "AUTRES")) if t]
    cpvs = _as_list(_get(value, "NOMENCLOT"))
    return [
        {"NUM": number, "DESCRIPTION": _at(descriptions, i), "CPV": _at(cpvs, i)}
        for i, number in enumerate(numbers)
    ]


def _at(items: list, index: int) -> Any:
    """items[index], or None past the end."""
    return items[index] if index < len(items) else None


def _find(node: Any, names: frozenset, avoid: frozenset = frozenset()) -> list:
    """The values of every key named in `names` under a node (document order), skipping `avoid` keys."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            name = _norm_key(key)
            if name in names:
                found.append(value)
            elif name not in avoid:
                found.extend(_find(value, names, avoid))
    elif isinstance(node, list):
        for item in node:
            found.extend(_find(item, names, avoid))
    return found


def _structure_cpvs(node: Any) -> list[str]:
    """CPV codes of a legacy structure, main one first (document order), no repeats."""
    return _unique(_cpv_codes(" ".join(s for value in _find(node, _CPV_KEYS) for s in _strings(value))))


def _structure_siret(node: Any) -> str | None:
    """The buyer's SIRET (CODE_IDENT_NATIONAL / codeIdentificationNational), never a winner's."""
    return next(
        (s for s in (siret_from_id(_scalar(v)) for v in _find(node, _SIRET_KEYS, _NOT_BUYER)) if s), None
    )


def _structure_buyer(node: Any) -> str:
    """The buyer's name in a legacy structure."""
    return _line(
        _first(
            _scalar(_get(node, "IDENTITE", "DENOMINATION")),
            _scalar(_get(node, "IDENT", "NOM")),
            _scalar(_get(node, "ORGANISME", "NOMOFFICIEL")),
            _scalar(_get(node, "ORGANISME", "ACHETEURPUBLIC")),
        )
        or ""
    ).rstrip(".,")


def _structure_postal_code(node: Any) -> str:
    """The buyer's postal code in a legacy structure."""
    return (
        _first(
            _scalar(_get(node, "IDENTITE", "CP")),
            _scalar(_get(node, "IDENT", "CP")),
            _scalar(_get(node, "ORGANISME", "CP")),
            _scalar(_get(node, "ORGANISME", "ADR", "CP")),
        )
        or ""
    )


def _structure_nature(node: Any) -> str | None:
    """works / supplies / services from TYPE_MARCHE, natureMarche or the v110 INFO flags."""
    for choice in _find(node, frozenset({"TYPEMARCHE", "NATUREMARCHE", "INFO"})):
        if isinstance(choice, dict):
            flags = [choice] + [v for v in choice.values() if isinstance(v, dict)]
            for flag in flags:
                nature = next(
                    (
                        _NATURES[_norm_key(k)]
                        for k, v in flag.items()
                        if v is not None and _norm_key(k) in _NATURES
                    ),
                    None,
                )
                if nature:
                    return nature
    return None


def _structure_procedure(node: Any) -> str | None:
    """The procedure from PROCEDURE/TYPE_PROCEDURE (a choice of flags) or the v110 PROCEDURE/@type."""
    procedure = _get(node, "PROCEDURE")
    code = _present_key(_get(procedure, "TYPEPROCEDURE")) or _present_key(_get(procedure, "@TYPE"))
    if not code and isinstance(procedure, dict):
        code = next(
            (_norm_key(k) for k, v in procedure.items() if v is not None and _norm_key(k) in _PROCEDURES),
            None,
        )
    return _procedure_label(code)


def _procedure_label(code: str | None) -> str | None:
    """A readable procedure from a BOAMP code ("PROCEDURE_ADAPTE" -> "Procédure adaptée")."""
    if not code:
        return None
    name = _norm_key(code)
    return _PROCEDURES.get(name) or code.replace("_", " ").capitalize()


def _structure_deadline(node: Any) -> datetime | None:
    """The deadline for tenders (or for applications) of a legacy structure."""
    return _moment(
        _first(
            _get(node, "CONDITIONDELAI", "RECEPTOFFRES"),
            _get(node, "CONDITIONDELAI", "RECEPTCANDIDAT"),
            _get(node, "INITIAL", "PROCEDURE", "DATERECEPTIONOFFRES"),
        )
    )


def _structure_amount(node: Any) -> float | None:
    """The total value awarded, or the estimated value, when the structure gives one."""
    for value in (
        _get(node, "ATTRIBUTION", "VALEURTOTALE"),
        _get(node, "OBJET", "CARACTERISTIQUES", "VALEURTOTALE"),
        _get(node, "AUTRESINFORMATIONS", "VALEURTOTALEESTIMEE", "VALEUR"),
    ):
        amount = _amount(_scalar(value))
        if amount is not None:
            return amount
    return None


def _amount(text: str) -> float | None:
    """A positive amount from "38820", "38 820,50"; None otherwise."""
    digits = re.sub(r"[\s\u00a0]", "", text or "").replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def _criteres_flags(node: Any, field: str) -> list[DeclaredConsideration]:
    """Declared dimensions from CRITERES_SOCIAUX_ENV ({"SOCIAUX": "", "ENVIRONNEMENTAUX": ""} or a list)."""
    if isinstance(node, dict):
        values = [str(k) for k, v in node.items() if v is not None]
        return _declared_dimensions(values, field)
    return _declared_dimensions([v for v in _as_list(node) if isinstance(v, str)], field)


def _legacy_notice_type(type_avis: Any) -> str | None:
    """The notice type from TYPE_AVIS (NATURE, with STATUT RECTIFICATIF / ANNULATION taking precedence)."""
    status = _present_key(_get(type_avis, "STATUT"))
    if status in ("RECTIFICATIF", "ANNULATION"):
        return _NOTICE_TYPES[status]
    nature = _present_key(_get(type_avis, "NATURE"))
    return _NOTICE_TYPES.get(nature or "", "other" if nature else None)


def _legacy_notice(gestion: Any, donnees: Any, fmt: str, where: str | None) -> Notice:
    """A Notice from the GESTION and DONNEES parts of a v230 notice (XML, or DILA's JSON rendering)."""
    reference = _get(gestion, "REFERENCE")
    idweb = _scalar(_get(reference, "IDWEB"))
    if not idweb:
        raise ParseError(fmt, "no GESTION/REFERENCE/IDWEB: not a BOAMP notice", where)
    indexation = _get(gestion, "INDEXATION")
    walker = _Walker()
    walker.walk(donnees)
    declared = (
        _criteres_flags(_get(indexation, "CRITERESSOCIAUXENV"), "CRITERES_SOCIAUX_ENV") + walker.declared()
    )
    departments = _as_list(_get(indexation, "DEPPUBLICATION")) or _as_list(_get(indexation, "DEPPRESTATION"))
    return Notice(
        source="boamp",
        source_id=idweb,
        title=_line(
            _first(
                _scalar(_get(indexation, "RESUMEOBJET")),
                _scalar(_get(donnees, "OBJET", "TITREMARCHE")),
                _scalar(_get(donnees, "OBJET", "OBJETCOMPLET")),
            )
            or ""
        ),
        url=BOAMP_URL.format(idweb),
        buyer_name=_structure_buyer(donnees) or None,
        buyer_siret=_structure_siret(donnees),
        country="FR",
        department=_first(
            *(_department(_scalar(d)) for d in departments),
            department_from_postal_code(_structure_postal_code(donnees)),
        ),
        cpv_codes=_structure_cpvs(donnees),
        procedure=_structure_procedure(donnees),
        contract_nature=_structure_nature(donnees),
        notice_type=_legacy_notice_type(_get(reference, "TYPEAVIS")),
        published=_date(_first(_get(indexation, "DATEPUBLICATION"), _get(gestion, "DATEPUBLICATION"))),
        deadline=_moment(_get(indexation, "DATELIMITEREPONSE")) or _structure_deadline(donnees),
        language="fr",
        amount=_structure_amount(donnees),
        sections=walker.sections_with_text(),
        lots=walker.lots,
        declared=_unique_declared(declared),
        raw_format=fmt,
    )


# --- open-data records --------------------------------------------------------------------------------------


def _record_dict(record: Any, where: str | None) -> dict:
    """The record as a dict (from JSON bytes if need be); anything but one BOAMP record is refused."""
    rec = _load_json(record, FMT_RECORD, where) if isinstance(record, (bytes, bytearray)) else record
    if not isinstance(rec, dict):
        raise ParseError(FMT_RECORD, f"a record must be a JSON object, got {type(rec).__name__}", where)
    if "idweb" not in rec and isinstance(rec.get("results", rec.get("records")), list):
        raise ParseError(FMT_RECORD, "an API page of records, not a record: parse each of its results", where)
    if not _scalar(rec.get("idweb")):
        raise ParseError(FMT_RECORD, "no 'idweb': not a record of the BOAMP dataset", where)
    return rec


def _record_notice(rec: dict, gestion: dict) -> Notice:
    """The Notice from the record's own fields (the `donnees` payload is merged afterwards)."""
    idweb = _scalar(rec.get("idweb"))
    indexation = _get(gestion, "INDEXATION")
    criteres = rec.get("criteres")
    declared = (
        _declared_dimensions(_as_list(criteres), "criteres")
        if criteres
        else _criteres_flags(_get(indexation, "CRITERESSOCIAUXENV"), "CRITERES_SOCIAUX_ENV")
    )
    departments = _as_list(rec.get("code_departement")) or _as_list(_get(indexation, "DEPPUBLICATION"))
    return Notice(
        source="boamp",
        source_id=idweb,
        title=_line(_first(rec.get("objet"), _scalar(_get(indexation, "RESUMEOBJET"))) or ""),
        url=_line(rec.get("url_avis")) or BOAMP_URL.format(idweb),
        buyer_name=_line(_first(rec.get("nomacheteur"), _scalar(_get(indexation, "NOMORGANISME")))) or None,
        country="FR",
        department=_first(*(_department(d) for d in departments)),
        procedure=_record_procedure(rec),
        contract_nature=_first(*(_NATURES.get(_norm_key(t)) for t in _as_list(rec.get("type_marche")))),
        notice_type=_record_notice_type(rec),
        published=_date(_first(rec.get("dateparution"), _get(indexation, "DATEPUBLICATION"))),
        deadline=_moment(_first(_get(indexation, "DATELIMITEREPONSE"), rec.get("datelimitereponse"))),
        language="fr",
        declared=_unique_declared(declared),
        raw_format=FMT_RECORD,
    )


def _record_procedure(rec: dict) -> str | None:
    """`procedure_libelle` unless it is the "Procédure NC" placeholder, else the `type_procedure` code."""
    label = _line(rec.get("procedure_libelle"))
    if label and _fold(label) != "procedure nc":
        return label
    return _procedure_label(_line(rec.get("type_procedure")) or None)


def _record_notice_type(rec: dict) -> str | None:
    """The notice type from `etat` (rectification / cancellation), `nature`, then `nature_libelle`."""
    state = _norm_key(rec.get("etat") or "")
    if state in ("RECTIFICATIF", "ANNULATION"):
        return _NOTICE_TYPES[state]
    nature = _norm_key(rec.get("nature") or "")
    return (
        _NOTICE_TYPES.get(nature)
        or _notice_type_from_label(_line(rec.get("nature_libelle")))
        or ("other" if nature else None)
    )


def _merge_donnees(notice: Notice, donnees: dict, where: str | None) -> None:
    """Add what the full notice in `donnees` says: sections, lots, CPV, SIRET, reservations."""
    root_key = next(iter(donnees)) if len(donnees) == 1 else None
    payload = donnees[root_key] if root_key else donnees
    if root_key and _norm_key(root_key) == "EFORMS" and isinstance(payload, dict):
        _merge_eforms(notice, payload, where)
        return
    if not (root_key and _norm_key(root_key) in _NATIONAL_ROOTS and isinstance(payload, dict)):
        payload = donnees
    walker = _Walker()
    walker.walk(payload)
    notice.sections = walker.sections_with_text()
    notice.lots = walker.lots
    notice.cpv_codes = _structure_cpvs(payload)
    notice.buyer_siret = _structure_siret(payload)
    notice.contract_nature = notice.contract_nature or _structure_nature(payload)
    notice.deadline = notice.deadline or _structure_deadline(payload)
    notice.amount = _structure_amount(payload)
    notice.department = notice.department or department_from_postal_code(_structure_postal_code(payload))
    notice.declared = _unique_declared(notice.declared + walker.declared())


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
    notice.declared = _unique_declared(notice.declared + parsed.declared)


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
            for item in _as_list(child):
                _fill_element(etree.SubElement(element, tag), item, namespace)


def _xml_text(value: Any) -> str:
    """A JSON scalar as XML text (control characters XML cannot hold are dropped)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return _XML_CONTROL.sub("", text)


# --- HTML pages ---------------------------------------------------------------------------------------------


def _html_text(data: bytes) -> str:
    """Decode a saved page: BOM, then UTF-8, then the declared charset, then Windows-1252."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    for codec in ([declared.group(1).decode("ascii")] if declared else []) + ["cp1252"]:
        try:
            return data.decode(codec, errors="replace")
        except LookupError:
            continue
    return data.decode("latin-1")


def _html_root(data: Any, where: str | None) -> lxml.html.HtmlElement:
    """The parsed page (no network, no comments), its chrome removed and its line breaks marked."""
    if not isinstance(data, (bytes, bytearray)):
        raise ParseError(FMT_HTML, f"expected bytes, got {type(data).__name__}", where)
    if len(data) > MAX_HTML_BYTES:
        raise ParseError(FMT_HTML, f"page too large ({len(data)} bytes)", where)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", _html_text(bytes(data)))
    if not text.strip():
        raise ParseError(FMT_HTML, "empty page", where)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(FMT_HTML, f"unreadable HTML: {exc}", where) from None
    _strip_chrome(root)
    return root


def _strip_chrome(root: lxml.html.HtmlElement) -> None:
    """Drop scripts, menus, cookie banners and other non-notice parts; mark <br> and blocks as line breaks."""
    for element in list(root.iter(*_HTML_DROP)):
        element.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = f"{element.get('id', '')} {element.get('class', '')}".lower().split()
        if any(_CHROME.search(mark) for mark in marks):
            element.drop_tree()
    for element in root.iter():
        if element.tag == "br" or element.tag in _HTML_BLOCKS:
            element.tail = "\n" + (element.tail or "")
        if element.tag in ("td", "th", "dd", "label"):
            element.tail = " " + (element.tail or "")
    for element in root.find_class("arobas"):
        element.text = "@"


def _text_of(element: Any) -> str:
    """The readable text of an element (None-safe)."""
    return _clean(element.text_content()) if element is not None else ""


def _heading_kind(heading: str) -> str:
    """The section kind of a French or English heading ("Critères d'attribution" -> award_criteria)."""
    bare = re.sub(r"^(section\s+[ivx]+\s*:?|[ivx]+(\.\d+)*\)|[a-z]\))\s*", "", _fold(heading))
    for pattern, kind in _EXTRA_HEADING_KINDS:
        if pattern.search(bare):
            return kind
    return atexo_section_kind(bare)


def _section(heading: str, text: str = "") -> Section:
    """A section whose kind follows from its heading."""
    heading = _line(heading).rstrip(" :").strip()
    return Section(heading=heading, text=text, kind=_heading_kind(heading))


def _append_text(section: Section | None, text: str) -> None:
    """Add a line of text to a section."""
    if section is not None and text:
        section.text = f"{section.text}\n{text}" if section.text else text


def _assign_lots(sections: list[Section]) -> None:
    """Tag the sections of each "II.2) Description" block with the lot its "Lot nº" line names."""
    block: list[Section] = []
    lot = None
    for section in sections:
        number = section.heading.split(")")[0] if ")" in section.heading else ""
        if number == "II.2" or _fold(section.heading).startswith("section"):
            block, lot = [], None
        block.append(section)
        found = next((m.group(1) for m in map(_LOT_LINE.match, section.text.split("\n")) if m), None)
        if found and number.startswith("II.2"):
            lot = found.rstrip(".")
            for earlier in block:
                earlier.lot = lot
        elif lot:
            section.lot = lot


def _lots_from_sections(sections: list[Section]) -> list[Lot]:
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
            lot.cpv_codes = _unique(lot.cpv_codes + _cpv_codes(section.text))
        elif number == "II.2.4":
            lot.description = section.text
    return list(lots.values())


def _cpvs_from_sections(sections: list[Section]) -> list[str]:
    """CPV codes named in a page's sections ("Code CPV principal", "Descripteur principal"...)."""
    codes: list[str] = []
    for section in sections:
        if "cpv" in _fold(section.heading):
            codes.extend(_cpv_codes(section.text))
        for match in _CPV_LINE.finditer(_fold(section.text)):
            codes.extend(_cpv_codes(match.group(1)))
    return _unique(codes)


def _html_declared(root: lxml.html.HtmlElement) -> list[DeclaredConsideration]:
    """The social / environmental pictograms boamp.fr shows in the notice header (dimension only)."""
    declared = []
    for image in root.xpath("//*[contains(@class, 'avis-criteres')]//img"):
        label = image.get("title") or image.get("alt") or ""
        folded = _fold(label)
        dimension = (
            Dimension.SOCIAL
            if "soci" in folded
            else Dimension.ENVIRONMENTAL
            if "environnement" in folded
            else None
        )
        if dimension:
            declared.append(DeclaredConsideration(dimension, None, f"avis-criteres={_line(label)}"))
    return _unique_declared(declared)


def _boamp_page(root: lxml.html.HtmlElement, where: str | None) -> Notice:
    """A boamp.fr notice page: the header gives identity and dates, #detail-avis-content the notice itself."""
    content = root.get_element_by_id("detail-avis-content", None)
    body = _text_of(content)
    header = _boamp_header(root)
    reference = _AVIS_REF.search(body)
    idweb = header.get("id") or (reference.group(1) if reference else "")
    if not idweb:
        raise ParseError(FMT_HTML, 'no notice number ("Avis No ...") on the page', where)
    sections = _boamp_sections(content) if content is not None else []
    listed = _DEPARTMENTS_TEXT.search(body)
    departments = (listed.group(1) if listed else header.get("departments", "")).replace(" ", "").split(",")
    return Notice(
        source="boamp",
        source_id=idweb,
        title=header.get("title") or _section_text(sections, "object"),
        url=BOAMP_URL.format(idweb),
        buyer_name=_page_buyer(sections) or header.get("buyer") or None,
        buyer_siret=_page_siret(body),
        country="FR",
        department=_first(*(_department(d) for d in departments)),
        cpv_codes=_cpvs_from_sections(sections),
        procedure=header.get("procedure") or None,
        contract_nature=_page_nature(sections),
        notice_type=_notice_type_from_label(header.get("type", "")),
        published=_date(header.get("published")),
        deadline=_page_deadline(sections) or _moment(header.get("deadline")),
        language="fr",
        text=body,
        sections=sections,
        lots=_lots_from_sections(sections),
        declared=_html_declared(root),
        raw_format=FMT_HTML,
    )


def _boamp_header(root: lxml.html.HtmlElement) -> dict[str, str]:
    """Number, dates, departments, buyer, title, type and procedure from the boamp.fr notice header."""

    def first(cls: str) -> str:
        found = root.find_class(cls)
        return _line(found[0].text_content()) if found else ""

    header = {"published": first("date-publishing"), "deadline": first("date-response")}
    reference = _AVIS_REF.search(first("avis-ref"))
    header["id"] = reference.group(1) if reference else ""
    geo = root.find_class("avis-geo")
    if geo:
        span = geo[0].find("span")
        header["departments"] = _line(span.text_content()).split(":")[-1] if span is not None else ""
        header["buyer"] = _line(span.tail) if span is not None else ""
    title = root.xpath("//header//h1")
    header["title"] = _line(title[0].text_content()) if title else ""
    kinds = root.xpath("//*[contains(@class, 'type-avis')]/span")
    header["type"] = _line(kinds[0].text_content()) if kinds else ""
    header["procedure"] = _line(kinds[1].text_content()) if len(kinds) > 1 else ""
    return header


def _boamp_sections(content: lxml.html.HtmlElement) -> list[Section]:
    """The notice split into sections: numbered rows of a JOUE form, else the labels of a national form."""
    numbered = any(_ITEM_NUMBER.match(_line(td.text_content())) for td in content.iter("td"))
    sections = _table_sections(content) if numbered else _label_sections(content)
    _assign_lots(sections)
    return [s for s in sections if s.text]


def _table_sections(content: lxml.html.HtmlElement) -> list[Section]:
    """JOUE-form rows: "Section II : Objet" titles, "II.2.5) Critères d'attribution" rows, content rows."""
    sections: list[Section] = []
    current: Section | None = None
    for element in content.iter("p", "tr"):
        if element.tag == "p":
            if "titreSection" in (element.get("class") or ""):
                current = _section(_text_of(element))
                sections.append(current)
            continue
        if element.find(".//table") is not None:
            continue
        cells = element.findall("td")
        if not cells:
            continue
        number = _ITEM_NUMBER.match(_line(cells[0].text_content()))
        if number:
            heading, text = _row_heading(cells[-1])
            current = _section(f"{number.group(1)}) {heading}", text)
            sections.append(current)
        else:
            _append_text(current, _text_of(cells[-1]))
    return sections


def _row_heading(cell: lxml.html.HtmlElement) -> tuple[str, str]:
    """The heading of a numbered row and the text that follows it in the same cell."""
    full = _text_of(cell)
    if "bold" in (cell.get("class") or ""):
        return full, ""
    bold = cell.find_class("bold")
    heading = _line(bold[0].text_content()) if bold else ""
    text = full[len(heading) :].strip() if heading and full.startswith(heading) else full
    return heading or full, text if heading else ""


def _label_sections(content: lxml.html.HtmlElement) -> list[Section]:
    """National-form text: every <i>Label : </i> starts a section holding the text up to the next label."""
    sections = [_section("Avis")]
    for is_label, text in _label_pieces(content):
        if is_label:
            sections.append(_section(text))
        else:
            sections[-1].text += text
    for section in sections:
        section.text = _clean(section.text)
    return sections


def _label_pieces(element: lxml.html.HtmlElement):
    """(is_label, text) pieces of an element in document order; <i> elements are the labels."""
    if element.text:
        yield False, element.text
    for child in element:
        if isinstance(child.tag, str) and child.tag == "i":
            yield True, child.text_content()
        elif isinstance(child.tag, str):
            yield from _label_pieces(child)
        if child.tail:
            yield False, child.tail


def _section_text(sections: list[Section], kind: str) -> str:
    """The first line of the first section of a kind."""
    found = next((s for s in sections if s.kind == kind and s.text), None)
    return found.text.split("\n")[0] if found else ""


def _page_buyer(sections: list[Section]) -> str:
    """The buyer named in "I.1) Nom et adresses" or "Nom et adresse officiels de l'organisme acheteur"."""
    for section in sections:
        folded = _fold(section.heading)
        if folded.startswith(("i.1)", "nom et adresse")) or "name and addresses" in folded:
            first_line = section.text.split("\n")[0]
            name = re.sub(r"^(official name|nom officiel)\s*:\s*", "", first_line, flags=re.IGNORECASE)
            return name.split(", ")[0].rstrip(". ")
    return ""


def _page_siret(text: str) -> str | None:
    """The buyer's national registration number (SIRET) written in the notice."""
    match = _SIRET_TEXT.search(text)
    return siret_from_id(match.group(1)) if match else None


def _page_nature(sections: list[Section]) -> str | None:
    """works / supplies / services from "Type de marché" or the national form's first lines."""
    for section in sections:
        folded = _fold(section.heading)
        if "type de marche" in folded or "type of contract" in folded:
            nature = _nature_from_text(f"{section.heading} {section.text}")
            if nature:
                return nature
    preamble = sections[0].text if sections and sections[0].heading == "Avis" else ""
    for line in preamble.split("\n"):
        if _fold(line) in ("travaux", "fournitures", "services"):
            return _nature_from_text(line)
    return None


def _page_deadline(sections: list[Section]) -> datetime | None:
    """The deadline written under "Date limite de réception des offres" (or its English heading)."""
    for section in sections:
        folded = _fold(section.heading)
        if "date limite de reception" in folded or "time limit for receipt" in folded:
            return _moment(section.text)
    return None


def _ted_page(root: lxml.html.HtmlElement, where: str | None) -> Notice:
    """A TED "Data" tab: coded data from the data table, the notice in its original language."""
    fields = _ted_fields(root)
    number = fields.get("ND", "")
    if not number:
        raise ParseError(FMT_HTML, "a TED page without document number (ND)", where)
    body = _ted_body(root)
    sections = _ted_sections(body) if body is not None else []
    text = _text_of(body)
    authority = fields.get("AU", "")
    registration = re.search(r"\(([\d .]+)\)\s*$", authority)
    postal = _POSTAL_TEXT.search(text)
    country = iso2_country(fields.get("CY"))
    return Notice(
        source="ted",
        source_id=number,
        title=fields.get("TI", "") or _section_text(sections, "object"),
        url=TED_URL.format(number),
        buyer_name=re.sub(r"\s*\([\d .]+\)\s*$", "", authority) or _page_buyer(sections) or None,
        buyer_siret=siret_from_id(registration.group(1)) if registration else _page_siret(text),
        country=country,
        department=department_from_postal_code(postal.group(1)) if postal and country == "FR" else None,
        cpv_codes=_unique(_cpv_codes(fields.get("PC", ""))),
        procedure=_coded_label(fields.get("PR", "")),
        contract_nature=_nature_from_text(fields.get("NC", "")),
        notice_type=_notice_type_from_label(fields.get("TD", "")),
        published=_date(fields.get("PD")),
        deadline=_page_deadline(sections) or _moment(fields.get("DT")),
        language=iso2_language(fields.get("OL")),
        text=text,
        sections=sections,
        lots=_lots_from_sections(sections),
        raw_format=FMT_TED_HTML,
    )


def _ted_fields(root: lxml.html.HtmlElement) -> dict[str, str]:
    """The coded data of the first TED data table: {"ND": "375115-2020", "TI": ..., "PC": ...}."""
    tables = root.xpath("//table[contains(@class, 'data')]")
    fields: dict[str, str] = {}
    for row in tables[0].iter("tr") if tables else []:
        code = row.find("th")
        cells = row.findall("td")
        if code is not None and cells:
            fields.setdefault(_line(code.text_content()), _text_of(cells[-1]))
    return fields


def _ted_coded(value: str) -> str:
    """The label of a TED coded value ("4 - Services" -> "Services")."""
    return _line(re.sub(r"^\s*\w+\s*-\s*", "", value))


def _coded_label(value: str) -> str | None:
    """A TED coded label, None for "Not applicable"."""
    label = _ted_coded(value)
    return None if not label or _fold(label) in ("not applicable", "sans objet") else label


def _ted_body(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The cell holding the notice in its original language (else the current language)."""
    for wanted in ("original language", "current language"):
        for cell in root.iter("td"):
            first_in_row = cell.getprevious() is None
            if first_in_row and _fold(cell.text_content()) == wanted and cell.getnext() is not None:
                return cell.getnext()
    return None


def _ted_sections(body: lxml.html.HtmlElement) -> list[Section]:
    """TED's rendering: "Section II: Object" titles, then "II.2.5) Award criteria" items and their text."""
    sections: list[Section] = []
    for element in body.iter("p", "div"):
        classes = (element.get("class") or "").split()
        if "tigrseq" in classes:
            sections.append(_section(_text_of(element)))
        elif "mlioccur" in classes:
            number = element.find_class("nomark")
            title = element.find_class("timark")
            heading = f"{_text_of(number[0]) if number else ''} {_text_of(title[0]) if title else ''}"
            text = "\n".join(_text_of(t) for t in element.find_class("txtmark"))
            sections.append(_section(heading, _clean(text)))
    _assign_lots(sections)
    return [s for s in sections if s.text]


def _atexo_page(root: lxml.html.HtmlElement, where: str | None) -> Notice:
    """An Atexo consultation summary as aggregators save it: labelled fields ("Référence :", "Intitulé :")."""
    fields = _labelled_fields(root)
    reference = fields.get("reference", "")
    title = fields.get("intitule", "") or fields.get("objet", "")
    if not (reference or title):
        raise ParseError(FMT_HTML, "an Atexo-like page without reference nor title", where)
    organisme = fields.get("organisme", "") or fields.get("entite publique", "")
    postal = re.search(r"\((\d{5})\b", organisme)
    sections = [_section(label, value) for label, value in fields.items() if label in ("objet", "intitule")]
    return Notice(
        source="atexo:unknown",
        source_id=reference or _derived_id(title, organisme),
        title=title,
        buyer_name=re.sub(r"\s*\([^)]*\)\s*$", "", organisme) or None,
        country="FR",
        department=_first(
            normalise_department(fields.get("lieu d'execution", "")),
            department_from_postal_code(postal.group(1)) if postal else None,
        ),
        cpv_codes=_unique(
            c for e in root.xpath("//*[@data-code-cpv]") for c in _cpv_codes(e.get("data-code-cpv"))
        ),
        procedure=fields.get("procedure") or None,
        contract_nature=_nature_from_text(fields.get("categorie principale", "")),
        notice_type=_notice_type_from_label(fields.get("type d'annonce", "")),
        published=_date(_published_line(root)),
        deadline=_moment(fields.get("date et heure limite de remise des plis")),
        language="fr",
        text=_text_of(root),
        sections=[s for s in sections if s.text],
        raw_format=FMT_ATEXO_HTML,
    )


def _labelled_fields(root: lxml.html.HtmlElement) -> dict[str, str]:
    """Atexo-style label / value pairs, labels folded without colon: {"reference": "CP20-018", ...}."""
    fields: dict[str, str] = {}
    for label in root.iter("label"):
        value = label.getnext()
        name = _fold(label.text_content()).rstrip(" :").strip()
        if name and value is not None:
            fields.setdefault(name, _line(value.text_content()))
    return fields


def _published_line(root: lxml.html.HtmlElement) -> str:
    """The "Publié le : 13 Août 2020" line aggregators add under the notice."""
    match = re.search(r"Publi[ée] le\s*:?\s*([^\n]+)", root.text_content())
    return match.group(1) if match else ""


def _other_page(root: lxml.html.HtmlElement, where: str | None) -> Notice:
    """Any other saved notice page: its main heading, organisation, dates, and body split at its headings."""
    container = _first(*root.xpath("//article"), root.find("body"), root)
    titles = container.xpath(".//h1 | .//h2")
    title = _line(titles[0].text_content()) if titles else ""
    body = _first(
        *sorted(
            container.xpath(".//div[contains(@class, 'content')]"),
            key=lambda e: len(e.text_content()),
            reverse=True,
        ),
        container,
    )
    text = _text_of(body)
    if not title and not text:
        raise ParseError(FMT_HTML, "no notice on the page", where)
    buyer = _line(
        _first(*(e.text_content() for e in container.xpath(".//dd[contains(@class, 'source')]")), "")
    )
    posted = container.xpath(".//dd[contains(@class, 'posted')]//time/@datetime")
    closing = container.xpath(
        ".//dd[contains(@class, 'date') and not(contains(@class, 'posted'))]//time/@datetime"
    )
    return Notice(
        source="web",
        source_id=_derived_id(title, buyer, posted[0] if posted else ""),
        title=title,
        buyer_name=buyer or None,
        published=_date(posted[0]) if posted else None,
        deadline=_moment(closing[0]) if closing else None,
        text=text,
        sections=_heading_sections(body),
        raw_format=FMT_OTHER_HTML,
    )


def _heading_sections(body: lxml.html.HtmlElement) -> list[Section]:
    """A page body split at its h2-h4 headings."""
    sections = [_section("Texte")]
    for element in body.iter():
        if element.tag in ("h2", "h3", "h4"):
            sections.append(_section(_text_of(element)))
        elif element.tag in ("p", "li") and not element.xpath("ancestor::p | ancestor::li"):
            _append_text(sections[-1], _text_of(element))
    return [s for s in sections if s.text]


def _derived_id(*parts: str) -> str:
    """A stable identifier for a page that shows none: a hash of what identifies it."""
    return "h" + hashlib.sha256("|".join(_fold(p) for p in parts).encode("utf-8")).hexdigest()[:16]
