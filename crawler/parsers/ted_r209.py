"""TED_EXPORT R2.0.9 notices (TED's XML before eForms, forms F01 to F25) -> Notice.

`source_id` is the TED publication number as the export writes it in `DOC_ID` ("091489-2019", the "ND" of
the OJ S reference "2019/S 040-091489"); the eForms conversion of the same notice carries it as
NoticePublicationID. The export's file name and RECEPTION_ID ("19-090974-001") are the eSender's reception
number, not an identifier of the published notice.

A notice may hold one form per language: the French one is read when there is one, else the original.
The coded-data section (CPV, NUTS, dates, document type...) fills what the form does not give, so legacy
forms still yield the main metadata. Declared considerations: LEFTI/RESTRICTED_SHELTERED_WORKSHOP,
RESTRICTED_SHELTERED_PROGRAM and RESERVED_ORGANISATIONS_SERVICE_MISSION, each (social, reservation).
"""

from __future__ import annotations

import functools
import re
from datetime import datetime

from lxml import etree

from crawler.parsers.common import (
    department_from_postal_code,
    iso2_country,
    iso2_language,
    siret_from_id,
)
from crawler.parsers.errors import ParseError, parser
from crawler.parsers.xmlsafe import local, read_xml
from models.dates import parse_date, parse_datetime
from models.links import buyer_ref_key, ojs_keys, ted_key_of_id
from models.notice import DeclaredConsideration, Lot, Notice, Section
from models.text import clean_text
from models.vocabulary import Dimension, Lever

FMT = "ted_r209"

NS = {
    "t": "http://publications.europa.eu/resource/schema/ted/R2.0.9/publication",
    # NUTS elements have one namespace per NUTS edition
    "n16": "http://publications.europa.eu/resource/schema/ted/2016/nuts",
    "n21": "http://publications.europa.eu/resource/schema/ted/2021/nuts",
}
_T = f"{{{NS['t']}}}"

# fmt: off
# Form number -> notice type (F21/F22/F23 depend on their NOTICE/@TYPE, see _NOTICE_ATTR_TYPES).
_FORM_TYPES = {
    "F01": "prior_information", "F04": "prior_information", "F16": "prior_information",
    "F02": "contract_notice", "F05": "contract_notice", "F07": "contract_notice", "F12": "contract_notice",
    "F17": "contract_notice", "F24": "contract_notice",
    "F03": "award_notice", "F06": "award_notice", "F13": "award_notice", "F15": "award_notice",
    "F18": "award_notice", "F19": "award_notice", "F25": "award_notice",
    "F08": "other", "F14": "other", "F20": "other",
}
_NOTICE_ATTR_TYPES = {
    "CONTRACT": "contract_notice", "AWARD_CONTRACT": "award_notice",
    "PRI_ONLY": "prior_information", "PRI_CALL_COMPETITION": "prior_information",
    "PER_ONLY": "prior_information", "PER_CALL_COMPETITION": "prior_information",
    "QSU_ONLY": "contract_notice", "QSU_CALL_COMPETITION": "contract_notice",
}
# CODIF_DATA/TD_DOCUMENT_TYPE codes, when the form says nothing.
_DOCUMENT_TYPES = {
    "0": "prior_information", "3": "contract_notice", "D": "contract_notice", "O": "contract_notice",
    "Q": "contract_notice", "Y": "contract_notice",
    "7": "award_notice", "J": "award_notice", "V": "award_notice",
}
# fmt: on
# PROCEDURE/PT_* elements -> eForms procedure codes (BT-105), as the TED-to-eForms converter maps them.
_PROCEDURES = {
    "PT_OPEN": "open",
    "PT_RESTRICTED": "restricted",
    "PT_COMPETITIVE_NEGOTIATION": "neg-w-call",
    "PT_NEGOTIATED_WITH_PRIOR_CALL": "neg-w-call",
    "PT_AWARD_CONTRACT_WITH_PRIOR_PUBLICATION": "neg-w-call",
    "PT_COMPETITIVE_DIALOGUE": "comp-dial",
    "PT_INNOVATION_PARTNERSHIP": "innovation",
    "PT_AWARD_CONTRACT_WITHOUT_CALL": "neg-wo-call",
    "PT_AWARD_CONTRACT_WITHOUT_PUBLICATION": "neg-wo-call",
    "PT_NEGOTIATED_WITHOUT_PUBLICATION": "neg-wo-call",
}
_PR_PROC = {"1": "open", "2": "restricted", "4": "neg-w-call", "C": "comp-dial", "V": "neg-wo-call"}
_NATURE_CODES = {"1": "works", "2": "supplies", "4": "services"}
_NATURES = {"works", "supplies", "services"}

# Reservation flags of LEFTI, each with what it means in French.
RESERVED_FLAGS = {
    "RESTRICTED_SHELTERED_WORKSHOP": "Le marché est réservé à des ateliers protégés et à des opérateurs "
    "économiques ayant pour objectif l'intégration sociale et professionnelle de personnes handicapées ou "
    "défavorisées.",
    "RESTRICTED_SHELTERED_PROGRAM": "L'exécution du marché est limitée au cadre de programmes d'emplois "
    "protégés.",
    "RESERVED_ORGANISATIONS_SERVICE_MISSION": "La participation est réservée à des organisations qui "
    "poursuivent une mission de service public.",
}
_LEFTI_SECTIONS = (
    ("SUITABILITY", "Habilitation à exercer l'activité professionnelle", "participation"),
    ("ECONOMIC_FINANCIAL_INFO", "Capacité économique et financière", "participation"),
    ("ECONOMIC_FINANCIAL_MIN_LEVEL", "Capacité économique et financière : niveaux minimaux", "participation"),
    ("TECHNICAL_PROFESSIONAL_INFO", "Capacité technique et professionnelle", "participation"),
    (
        "TECHNICAL_PROFESSIONAL_MIN_LEVEL",
        "Capacité technique et professionnelle : niveaux minimaux",
        "participation",
    ),
    ("CRITERIA_SELECTION", "Critères de sélection", "participation"),
    ("RULES_CRITERIA", "Règles et critères objectifs de participation", "participation"),
    ("QUALIFICATION/t:CONDITIONS", "Conditions de qualification", "participation"),
    ("PARTICULAR_PROFESSION", "Profession particulière", "participation"),
    ("REFERENCE_TO_LAW", "Profession particulière : dispositions applicables", "participation"),
    ("PERFORMANCE_CONDITIONS", "Conditions particulières d'exécution", "execution_conditions"),
)
_CRITERION_TYPES = {"AC_QUALITY": "Qualité", "AC_COST": "Coût", "AC_PRICE": "Prix"}
_OJS_NUMBER = re.compile(r"(\d{4})\s*/\s*S\s*\d+\s*-\s*(\d+)")


@parser(FMT)
def parse_ted_r209(data: bytes, where: str | None = None) -> Notice:
    """Parse one TED_EXPORT R2.0.9 notice (bytes of the XML) into a Notice; any failure raises ParseError."""
    root = read_xml(data, FMT, where)
    _check_root(root)
    _canonical_namespaces(root)
    return _notice(root)


# TED published R2.0.9 under several namespaces (the schema's "publication" one, the S01 "formex ... export"
# one, relative "ted/R2.0.9.S02/publication" ones, and NUTS under "ted/2016/nuts" or the full URL): the elements
# are the same, so every variant is read as the canonical one.
_R209_NAMESPACE = re.compile(r"(?:^|/)(?:ted/schema/export/)?R2\.0\.9(?:\.S\d{2})?(?:\.E\d{2})?(?:/publication)?$")
_NUTS_NAMESPACE = re.compile(r"(?:^|/)ted/(\d{4})/nuts$")


def is_r209_namespace(namespace: str | None) -> bool:
    """Whether `namespace` is one of the namespaces TED published R2.0.9 exports under."""
    return bool(namespace) and _R209_NAMESPACE.search(namespace) is not None


def _check_root(root: etree._Element) -> None:
    """Refuse anything but a TED_EXPORT in an R2.0.9 namespace."""
    if local(root.tag) != "TED_EXPORT" or not is_r209_namespace(etree.QName(root).namespace):
        hint = " (an eForms notice: use parse_eforms)" if local(root.tag).endswith("Notice") else ""
        raise ParseError(FMT, f"not a TED R2.0.9 export: root element {root.tag}{hint}")


def _canonical_namespaces(root: etree._Element) -> None:
    """Rename, in place, the elements of a variant R2.0.9 or NUTS namespace into the canonical namespaces."""
    if etree.QName(root).namespace == NS["t"]:
        return
    for element in root.iter(etree.Element):
        namespace = etree.QName(element).namespace
        if namespace is None or namespace == NS["t"]:
            continue
        if is_r209_namespace(namespace):
            element.tag = f"{_T}{etree.QName(element).localname}"
        elif nuts := _NUTS_NAMESPACE.search(namespace):
            canonical = f"http://publications.europa.eu/resource/schema/ted/{nuts.group(1)}/nuts"
            element.tag = f"{{{canonical}}}{etree.QName(element).localname}"


def _notice(root: etree._Element) -> Notice:
    """Build the Notice from a checked TED_EXPORT root."""
    form = _form(root)
    language = (form.get("LG") if form is not None else None) or _code(root, ".//t:NOTICE_DATA/t:LG_ORIG")
    body = _first(form, "t:CONTRACTING_BODY/t:ADDRESS_CONTRACTING_BODY")
    country = iso2_country(
        _attr(body, "t:COUNTRY/@VALUE") or _attr(root, ".//t:NOTICE_DATA/t:ISO_COUNTRY/@VALUE")
    )
    title = _text(form, "t:OBJECT_CONTRACT/t:TITLE") or _headline(root, language)
    return Notice(
        source="ted",
        source_id=_source_id(root),
        title=title,
        url=_url(root, language),
        buyer_name=_code(body, "t:OFFICIALNAME")
        or _multilingual(root, ".//t:ML_AA_NAMES/t:AA_NAME", language),
        buyer_siret=siret_from_id(_code(body, "t:NATIONALID")) if country in ("FR", None) else None,
        buyer_nuts=_attr(body, "n21:NUTS/@CODE | n16:NUTS/@CODE")
        or _attr(root, ".//t:NOTICE_DATA/n21:CA_CE_NUTS/@CODE | .//t:NOTICE_DATA/n16:CA_CE_NUTS/@CODE"),
        country=country,
        department=department_from_postal_code(_code(body, "t:POSTAL_CODE")) if country == "FR" else None,
        cpv_codes=_cpv_codes(root, form),
        procedure=_procedure(root, form),
        contract_nature=_contract_nature(root, form),
        notice_type=_notice_type(root, form),
        published=parse_date(_code(root, "t:CODED_DATA_SECTION/t:REF_OJS/t:DATE_PUB")),
        deadline=_deadline(root, form),
        language=iso2_language(language),
        amount=_amount(form),
        sections=_sections(form, title),
        lots=_lots(form),
        declared=_declared(form),
        raw_format=FMT,
        links=_links(root, form, siret_from_id(_code(body, "t:NATIONALID")) if country in ("FR", None) else None),
    )


def _links(root: etree._Element, form: etree._Element | None, siret: str | None) -> list[str]:
    """Procedure keys (models/links.py): the notices this one refers to (REF_NOTICE, the previous publication
    NOTICE_NUMBER_OJ) and the buyer's reference (REFERENCE_NUMBER) with its SIRET; the references its text quotes
    (a BOAMP number in INFO_ADD...) are read from the text by the store (storage/procedures.py)."""
    referred = [el.text or "" for el in _x(root, "t:CODED_DATA_SECTION/t:NOTICE_DATA/t:REF_NOTICE/t:NO_DOC_OJS")]
    referred += [el.text or "" for el in _x(form, ".//t:NOTICE_NUMBER_OJ")]
    keys = ojs_keys(" ".join(referred))
    keys.append(buyer_ref_key(siret, _code(form, "t:OBJECT_CONTRACT/t:REFERENCE_NUMBER")))
    own = ted_key_of_id(_source_id(root))
    return list(dict.fromkeys(key for key in keys if key and key != own))


# --- small XPath helpers ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def _compiled(path: str) -> etree.XPath:
    """A compiled XPath expression over the TED namespaces."""
    return etree.XPath(path, namespaces=NS)


def _x(el: etree._Element | None, path: str) -> list:
    """XPath with the TED namespace map; nothing when `el` is None."""
    return [] if el is None else _compiled(path)(el)


def _first(el: etree._Element | None, path: str) -> etree._Element | None:
    """The first element at `path`, or None."""
    found = _x(el, path)
    return found[0] if found else None


def _code(el: etree._Element | None, path: str) -> str | None:
    """The stripped text of the first non-empty element at `path`, or None."""
    for found in _x(el, path):
        value = (found.text or "").strip()
        if value:
            return value
    return None


def _attr(el: etree._Element | None, path: str) -> str | None:
    """The first non-empty attribute value selected by `path` (ending in /@NAME), or None."""
    return next((v.strip() for v in _x(el, path) if v.strip()), None)


def _paragraphs(el: etree._Element) -> str:
    """The text of an element made of <P> paragraphs (with <FT> inline markup), one line per paragraph."""
    paragraphs = _x(el, "t:P")
    if not paragraphs:
        return clean_text("".join(el.itertext()))
    return "\n".join(t for p in paragraphs if (t := clean_text("".join(p.itertext()))))


def _text(el: etree._Element | None, path: str) -> str:
    """The paragraphs of the first element at `path`, or ""."""
    found = _first(el, path)
    return _paragraphs(found) if found is not None else ""


def _multilingual(root: etree._Element, path: str, language: str | None) -> str | None:
    """Among elements with an LG attribute, the French text, else the one in `language`, else the first."""
    found = [(el.get("LG"), _paragraphs(el)) for el in _x(root, path)]
    found = [(lg, text) for lg, text in found if text]
    for wanted in ("FR", language):
        for lg, text in found:
            if lg == wanted:
                return text
    return found[0][1] if found else None


# --- fields -------------------------------------------------------------------------------------------------


def _form(root: etree._Element) -> etree._Element | None:
    """The form to read: the French language version, else the original-language one, else the first."""
    forms = _x(root, "t:FORM_SECTION/*")
    if not forms:
        return None
    original = set(_x(root, "t:CODED_DATA_SECTION/t:NOTICE_DATA/t:LG_ORIG/text()"))
    for wanted in (lambda f: f.get("LG") == "FR", lambda f: f.get("LG") in original):
        for form in forms:
            if wanted(form):
                return form
    return forms[0]


def _source_id(root: etree._Element) -> str:
    """The TED publication number "NNNNNN-YYYY" from DOC_ID, else from the OJ S reference of the notice."""
    doc_id = (root.get("DOC_ID") or "").strip()
    if doc_id:
        return doc_id
    m = _OJS_NUMBER.search(_code(root, "t:CODED_DATA_SECTION/t:NOTICE_DATA/t:NO_DOC_OJS") or "")
    if not m:
        raise ParseError(FMT, "no DOC_ID nor NO_DOC_OJS: cannot identify the notice")
    return f"{m[2]}-{m[1]}"


def _headline(root: etree._Element, language: str | None) -> str:
    """The translated headline title (TRANSLATION_SECTION), for forms without OBJECT_CONTRACT/TITLE."""
    titles = {
        doc.get("LG"): _text(doc, "t:TI_TEXT")
        for doc in _x(root, "t:TRANSLATION_SECTION/t:ML_TITLES/t:ML_TI_DOC")
    }
    for wanted in ("FR", language):
        if titles.get(wanted):
            return titles[wanted]
    return next((t for t in titles.values() if t), "")


def _url(root: etree._Element, language: str | None) -> str | None:
    """The notice's page on TED, in French when available."""
    return _multilingual(root, "t:CODED_DATA_SECTION/t:NOTICE_DATA/t:URI_LIST/t:URI_DOC", language)


def _cpv_codes(root: etree._Element, form: etree._Element | None) -> list[str]:
    """The main CPV code first, then the lots' additional codes, no repeats; else the coded-data CPV codes."""
    codes = _x(
        form,
        "t:OBJECT_CONTRACT/t:CPV_MAIN/t:CPV_CODE/@CODE"
        " | t:OBJECT_CONTRACT/t:OBJECT_DESCR/t:CPV_ADDITIONAL/t:CPV_CODE/@CODE",
    )
    codes = codes or _x(root, "t:CODED_DATA_SECTION/t:NOTICE_DATA/t:ORIGINAL_CPV/@CODE")
    return list(dict.fromkeys(c.strip() for c in codes if c.strip()))


def _procedure(root: etree._Element, form: etree._Element | None) -> str | None:
    """The procedure as an eForms code (open, restricted, neg-w-call...), from the form's PT_* element."""
    for el in _x(form, "t:PROCEDURE//*[starts-with(local-name(), 'PT_')]"):
        if local(el.tag) in _PROCEDURES:
            return _PROCEDURES[local(el.tag)]
    return _PR_PROC.get(_attr(root, "t:CODED_DATA_SECTION/t:CODIF_DATA/t:PR_PROC/@CODE") or "")


def _contract_nature(root: etree._Element, form: etree._Element | None) -> str | None:
    """works, supplies or services, from TYPE_CONTRACT, else from the coded contract nature."""
    nature = (_attr(form, "t:OBJECT_CONTRACT/t:TYPE_CONTRACT/@CTYPE") or "").lower()
    if nature in _NATURES:
        return nature
    return _NATURE_CODES.get(
        _attr(root, "t:CODED_DATA_SECTION/t:CODIF_DATA/t:NC_CONTRACT_NATURE/@CODE") or ""
    )


def _notice_type(root: etree._Element, form: etree._Element | None) -> str:
    """contract_notice, award_notice, prior_information/other: from the form, else the coded document type."""
    if form is not None:
        number = form.get("FORM") or local(form.tag).split("_")[0]
        by_attr = _NOTICE_ATTR_TYPES.get(_attr(form, "t:NOTICE/@TYPE") or "")
        if by_attr or number in _FORM_TYPES:
            return by_attr or _FORM_TYPES[number]
    code = _attr(root, "t:CODED_DATA_SECTION/t:CODIF_DATA/t:TD_DOCUMENT_TYPE/@CODE") or ""
    return _DOCUMENT_TYPES.get(code, "other")


def _deadline(root: etree._Element, form: etree._Element | None) -> datetime | None:
    """The time limit for tenders or requests to participate: local wall-clock time, 23:59 if only a date."""
    day = _code(form, "t:PROCEDURE/t:DATE_RECEIPT_TENDERS")
    time = _code(form, "t:PROCEDURE/t:TIME_RECEIPT_TENDERS")
    if not day:
        day, _, time = (
            _code(root, "t:CODED_DATA_SECTION/t:CODIF_DATA/t:DT_DATE_FOR_SUBMISSION") or ""
        ).partition(" ")
    return parse_datetime(f"{day} {time or '23:59'}") if day else None


def _amount(form: etree._Element | None) -> float | None:
    """The estimated (or total) value of the procurement when given in euros."""
    for el in _x(form, "t:OBJECT_CONTRACT/t:VAL_ESTIMATED_TOTAL | t:OBJECT_CONTRACT/t:VAL_TOTAL"):
        if el.get("CURRENCY", "EUR") == "EUR":
            try:
                return float((el.text or "").strip())
            except ValueError:
                return None
    return None


def _lots(form: etree._Element | None) -> list[Lot]:
    """The lots (OBJECT_DESCR with a LOT_NO) with their title, description and additional CPV codes."""
    lots = []
    for descr in _x(form, "t:OBJECT_CONTRACT/t:OBJECT_DESCR[t:LOT_NO]"):
        codes = [c.strip() for c in _x(descr, "t:CPV_ADDITIONAL/t:CPV_CODE/@CODE") if c.strip()]
        lots.append(
            Lot(
                lot_id=_code(descr, "t:LOT_NO") or "",
                title=_text(descr, "t:TITLE"),
                description=_text(descr, "t:SHORT_DESCR"),
                cpv_codes=list(dict.fromkeys(codes)),
            )
        )
    return lots


# --- sections -----------------------------------------------------------------------------------------------


def _sections(form: etree._Element | None, title: str) -> list[Section]:
    """The notice's readable parts with their kinds, in the order of the form."""
    sections = [Section("Titre", title, "title")] if title else []
    if form is None:
        return sections
    short = _text(form, "t:OBJECT_CONTRACT/t:SHORT_DESCR")
    if short:
        sections.append(Section("Description succincte", short, "object"))
    for descr in _x(form, "t:OBJECT_CONTRACT/t:OBJECT_DESCR"):
        sections += _object_sections(descr)
    sections += _lefti_sections(form)
    for award in _x(form, "t:AWARD_CONTRACT"):
        title = _text(award, "t:TITLE")
        if title:
            number = _code(award, "t:LOT_NO")
            heading = "Marché attribué" + (f" (lot {number})" if number else "")
            sections.append(Section(heading, title, "title", number))
    for path, heading, kind in (
        (
            "t:PROCEDURE/t:MAIN_FEATURES_AWARD",
            "Principales caractéristiques de la procédure d'attribution",
            "other",
        ),
        ("t:PROCEDURE/t:CRITERIA_EVALUATION", "Critères d'évaluation des projets", "award_criteria"),
        ("t:COMPLEMENTARY_INFO/t:INFO_ADD", "Informations complémentaires", "additional_info"),
    ):
        text = _text(form, path)
        if text:
            sections.append(Section(heading, text, kind))
    return sections


def _object_sections(descr: etree._Element) -> list[Section]:
    """Description, place, award criteria and additional information of one OBJECT_DESCR (lot or whole)."""
    lot = _code(descr, "t:LOT_NO")
    sections = []
    description = _text(descr, "t:SHORT_DESCR")
    name = _text(descr, "t:TITLE")
    if description:
        heading = (
            f"Lot {lot} : {name}"
            if lot and name
            else (f"Lot {lot}" if lot else "Description des prestations")
        )
        sections.append(Section(heading, description, "description", lot))
    site = _text(descr, "t:MAIN_SITE")
    if site:
        sections.append(Section("Lieu d'exécution", site, "other", lot))
    if name and not description:
        sections.append(Section(f"Lot {lot}" if lot else "Intitulé", name, "title", lot))
    # Criteria sit in an AC block, or (older forms, concessions) directly in OBJECT_DESCR.
    for ac in _x(descr, ".//t:AC") or [descr]:
        sections += _award_criteria(ac, lot)
    candidates = _text(descr, "t:CRITERIA_CANDIDATE")
    if candidates:
        sections.append(Section("Critères de limitation du nombre de candidats", candidates, "participation", lot))
    info = _text(descr, "t:INFO_ADD")
    if info:
        sections.append(Section("Informations complémentaires", info, "additional_info", lot))
    return sections


def _award_criteria(ac: etree._Element, lot: str | None) -> list[Section]:
    """One section per award criterion of an AC block: quality, cost and price criteria with their weight."""
    sections = []
    for criterion in ac:
        kind = local(criterion.tag)
        if kind == "AC_PROCUREMENT_DOC":
            sections.append(
                Section(
                    "Critères d'attribution",
                    "Le prix n'est pas le seul critère d'attribution et "
                    "tous les critères sont énoncés uniquement dans les documents du marché.",
                    "award_criteria",
                    lot,
                )
            )
            continue
        if kind in ("AC_CRITERION", "AC_CRITERIA"):  # concession notices list bare criteria
            name, weighting = _paragraphs(criterion), ""
        elif kind in _CRITERION_TYPES:
            name, weighting = _text(criterion, "t:AC_CRITERION"), _text(criterion, "t:AC_WEIGHTING")
        else:
            continue
        label = _CRITERION_TYPES.get(kind, "")
        heading = "Critère d'attribution : " + " – ".join(p for p in (label, name) if p)
        text = "\n".join(p for p in (name or label, f"Pondération : {weighting}" if weighting else "") if p)
        if text:
            sections.append(Section(heading, text, "award_criteria", lot))
    return sections


def _lefti_sections(form: etree._Element) -> list[Section]:
    """Participation conditions, execution conditions and reservation (section III of the forms)."""
    lefti = _first(form, "t:LEFTI")
    if lefti is None:
        return []
    sections = []
    for path, heading, kind in _LEFTI_SECTIONS:
        text = _text(lefti, f"t:{path}")
        if text:
            sections.append(Section(heading, text, kind))
    reserved = [meaning for flag, meaning in RESERVED_FLAGS.items() if _first(lefti, f"t:{flag}") is not None]
    if reserved:
        sections.append(Section("Marché réservé", "\n".join(reserved), "reservation"))
    return sections


# --- declared considerations --------------------------------------------------------------------------------


def _declared(form: etree._Element | None) -> list[DeclaredConsideration]:
    """(social, reservation) for each reservation flag the form sets, with the element name as evidence."""
    if form is None:
        return []
    return [
        DeclaredConsideration(Dimension.SOCIAL, Lever.RESERVATION, flag)
        for flag in RESERVED_FLAGS
        if next(form.iter(f"{_T}{flag}"), None) is not None
    ]
