"""eForms UBL notices (ContractNotice, ContractAwardNotice, PriorInformationNotice; SDK 1.x) -> Notice.

Declared considerations come from the codes the buyer picked:
- BT-06 strategic procurement (`env-imp` environmental, `soc-obj` social), BT-774 environmental impact,
  BT-775 social objective (read even without BT-06 `soc-obj`), BT-805 green-procurement criteria (not `none`);
- BT-71 reserved participation (`res-ws`, `res-pub-ser`) and BT-736 reserved execution (`yes`):
  social, reservation.

Lever: eForms files BT-06/774/775/805 under the lot's `ProcurementProject/ProcurementAdditionalType` (every
sample, every SDK 1.x version), which names no lever, so they are declared with lever None; only a code found
inside an award criterion would be declared as an award criterion. Codes are read wherever they sit (lot,
part, lots group or procedure), with `lot` set to the enclosing `ProcurementProjectLot` identifier.

Multilingual fields keep the French text when there is one, else the first non-empty one. Deadlines are the
wall-clock time the notice gives (timezone dropped), as for the other sources.
"""

from __future__ import annotations

import functools
from datetime import date, datetime

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
from models.links import buyer_ref_key, eforms_notice_key, procedure_uuid_key
from models.notice import DeclaredConsideration, Lot, Notice, Section
from models.text import clean_text
from models.vocabulary import Dimension, Lever

FMT = "eforms"

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
}
_CAC = f"{{{NS['cac']}}}"
_CBC = f"{{{NS['cbc']}}}"
_EXTENSION = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"

# Root element -> notice type; the root's namespace must be the matching UBL document namespace.
ROOTS = {
    "ContractNotice": "contract_notice",
    "ContractAwardNotice": "award_notice",
    "PriorInformationNotice": "prior_information",
}
_OTHER_NOTICE_TYPES = {"can-modif"}  # BT-02 values that are neither calls nor awards (contract modifications)
_NATURES = {"works", "supplies", "services"}

# listName of a code -> business term, for the evidence string.
_DECLARING_LISTS = {
    "strategic-procurement": "BT-06",
    "environmental-impact": "BT-774",
    "social-objective": "BT-775",
    "gpp-criteria": "BT-805",
    "reserved-procurement": "BT-71",
    "reserved-execution": "BT-736",
}
_STRATEGIC = {"env-imp": Dimension.ENVIRONMENTAL, "soc-obj": Dimension.SOCIAL}
# Official French labels of the codes (eForms SDK codelists and translations).
_RESERVED_PARTICIPATION = {
    "res-ws": "La participation est réservée à des ateliers protégés et à des opérateurs économiques dont "
    "l'objet principal est l'intégration sociale et professionnelle de personnes handicapées ou "
    "défavorisées.",
    "res-pub-ser": "La participation est réservée à des organisations qui poursuivent une mission de service "
    "public et respectent d'autres conditions pertinentes énoncées dans la législation.",
}
_RESERVED_EXECUTION = "Le contrat doit être exécuté dans le cadre de programmes d'emplois protégés."
_CRITERION_TYPES = {"price": "Prix", "quality": "Qualité", "cost": "Coût"}
_SCOPE_NAMES = {"Lot": "Lot", "Part": "Partie", "LotsGroup": "Groupe de lots"}
_WEIGHT_UNITS = {"per-exa": " %", "per-mid": " %", "poi-exa": " points", "poi-mid": " points"}


@parser(FMT)
def parse_eforms(data: bytes, where: str | None = None) -> Notice:
    """Parse one eForms notice (the XML bytes) into a Notice; any failure raises ParseError naming `where`."""
    root = read_xml(data, FMT, where)
    return _notice(root, _notice_type(root))


def _notice_type(root: etree._Element) -> str:
    """The notice type from the root element; anything but an eForms UBL notice is refused."""
    name = local(root.tag)
    namespace = etree.QName(root).namespace
    if name not in ROOTS or namespace != f"urn:oasis:names:specification:ubl:schema:xsd:{name}-2":
        hint = " (a TED R2.0.9 export: use parse_ted_r209)" if name == "TED_EXPORT" else ""
        raise ParseError(FMT, f"not an eForms notice: root element {{{namespace}}}{name}{hint}")
    if _code(root, "cbc:NoticeTypeCode") in _OTHER_NOTICE_TYPES:
        return "other"
    return ROOTS[name]


def _notice(root: etree._Element, notice_type: str) -> Notice:
    """Build the Notice from a checked eForms root."""
    scopes = _x(root, "cac:ProcurementProjectLot")
    lots = [_lot(scope) for scope in scopes if _scheme(scope) in ("Lot", "Part")]
    title = _text(root, "cac:ProcurementProject/cbc:Name") or next(
        (lot.title for lot in lots if lot.title), ""
    )
    buyer = _buyer(root)
    country = buyer.get("country") or iso2_country(
        _code(
            root, "cac:ProcurementProject/cac:RealizedLocation/cac:Address/cac:Country/cbc:IdentificationCode"
        )
    )
    return Notice(
        source="ted",
        source_id=_source_id(root),
        title=title,
        buyer_name=buyer.get("name"),
        buyer_siret=buyer.get("siret") if country in ("FR", None) else None,
        buyer_nuts=buyer.get("nuts"),
        country=country,
        department=department_from_postal_code(buyer.get("postal_code")) if country == "FR" else None,
        cpv_codes=_cpv_codes(root, scopes),
        procedure=_code(root, "cac:TenderingProcess/cbc:ProcedureCode"),
        contract_nature=_contract_nature(root, scopes),
        notice_type=notice_type,
        published=_published(root),
        deadline=_deadline(scopes),
        language=_language(root),
        amount=_amount(root),
        sections=_sections(root, title, scopes),
        lots=lots,
        declared=_declared(root),
        raw_format=FMT,
        links=_links(root, buyer.get("siret") if country in ("FR", None) else None),
    )


def _links(root: etree._Element, siret: str | None) -> list[str]:
    """Procedure keys (models/links.py): the procedure identifier (BT-04), this notice's identifier (BT-701), the
    notices it changes (BT-758) or follows (BT-125), the buyer's internal reference (BT-22) with its SIRET."""
    keys = [procedure_uuid_key(_code(root, "cbc:ContractFolderID")), eforms_notice_key(_code(root, "cbc:ID"))]
    for path in (f"{_EXTENSION}/efac:Changes/efbc:ChangedNoticeIdentifier",
                 ".//cac:NoticeDocumentReference/cbc:ID"):
        keys += [eforms_notice_key(el.text) for el in _x(root, path) if el.text]
    keys.append(buyer_ref_key(siret, _code(root, "cac:ProcurementProject/cbc:ID")))
    return list(dict.fromkeys(key for key in keys if key))


# --- small XPath helpers ------------------------------------------------------------------------------------


def _x(el: etree._Element, path: str) -> list:
    """XPath with the eForms namespace map (compiled once per expression)."""
    return _compiled(path)(el)


@functools.lru_cache(maxsize=256)
def _compiled(path: str) -> etree.XPath:
    """A compiled XPath expression over the eForms namespaces."""
    return etree.XPath(path, namespaces=NS)


def _code(el: etree._Element, path: str) -> str | None:
    """The stripped text of the first element at `path`, or None."""
    for found in _x(el, path):
        value = (found.text or "").strip()
        if value:
            return value
    return None


def _pick(elements: list) -> str:
    """The French text among the language variants of one field, else the first non-empty one."""
    texts = [(found.get("languageID"), clean_text("".join(found.itertext()))) for found in elements]
    texts = [(lang, text) for lang, text in texts if text]
    for lang, text in texts:
        if lang == "FRA":
            return text
    return texts[0][1] if texts else ""


def _text(el: etree._Element, path: str) -> str:
    """The cleaned text of a (possibly multilingual) field, French preferred."""
    return _pick(_x(el, path))


def _scheme(scope: etree._Element) -> str | None:
    """The kind of a ProcurementProjectLot: Lot, Part or LotsGroup."""
    ids = _x(scope, "cbc:ID")
    return ids[0].get("schemeName") if ids else None


def _scope_id(scope: etree._Element) -> str | None:
    """The identifier of a ProcurementProjectLot (LOT-0001, PAR-0001, GLO-0001)."""
    return _code(scope, "cbc:ID")


# --- fields -------------------------------------------------------------------------------------------------


def _source_id(root: etree._Element) -> str:
    """The OJ S publication number (00175200-2025) when published, else the notice identifier (BT-701)."""
    published = _code(root, f"{_EXTENSION}/efac:Publication/efbc:NoticePublicationID")
    notice_id = published or _code(root, "cbc:ID")
    if not notice_id:
        raise ParseError(FMT, "no notice publication number nor notice identifier (cbc:ID)")
    return notice_id


def _buyer(root: etree._Element) -> dict:
    """Name, SIRET, NUTS, country and postal code of the first buyer (ContractingParty's organisation)."""
    party_ids = _x(root, "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID/text()")
    if not party_ids:
        return {}
    wanted = party_ids[0].strip()
    for company in _x(root, f"{_EXTENSION}/efac:Organizations/efac:Organization/efac:Company"):
        if _code(company, "cac:PartyIdentification/cbc:ID") != wanted:
            continue
        siret = next(
            (s for s in map(siret_from_id, _x(company, "cac:PartyLegalEntity/cbc:CompanyID/text()")) if s),
            None,
        )
        return {
            "name": _text(company, "cac:PartyName/cbc:Name") or None,
            "siret": siret,
            "nuts": _code(company, "cac:PostalAddress/cbc:CountrySubentityCode"),
            "country": iso2_country(_code(company, "cac:PostalAddress/cac:Country/cbc:IdentificationCode")),
            "postal_code": _code(company, "cac:PostalAddress/cbc:PostalZone"),
        }
    return {}


def _cpv_codes(root: etree._Element, scopes: list) -> list[str]:
    """CPV codes: the procedure's main one first, its additional ones, then the lots' codes; no repeats."""
    paths = (
        "cac:MainCommodityClassification/cbc:ItemClassificationCode",
        "cac:AdditionalCommodityClassification/cbc:ItemClassificationCode",
    )
    codes: list[str] = []
    for project in _x(root, "cac:ProcurementProject") + [
        p for s in scopes for p in _x(s, "cac:ProcurementProject")
    ]:
        for path in paths:
            for found in _x(project, path):
                code = (found.text or "").strip()
                if code and code not in codes:
                    codes.append(code)
    return codes


def _contract_nature(root: etree._Element, scopes: list) -> str | None:
    """Main nature (BT-23) of the procedure, else of the first lot having one: works, supplies or services."""
    for el in [root, *scopes]:
        nature = _code(el, "cac:ProcurementProject/cbc:ProcurementTypeCode")
        if nature in _NATURES:
            return nature
    return None


def _published(root: etree._Element) -> date | None:
    """The OJ S publication date, else the dispatch date (BT-05) of notices not yet published."""
    return parse_date(_code(root, f"{_EXTENSION}/efac:Publication/efbc:PublicationDate")) or parse_date(
        _code(root, "cbc:IssueDate")
    )


def _deadline(scopes: list) -> datetime | None:
    """The lots' earliest tender deadline (BT-131), else earliest request-to-participate one (BT-1311)."""
    for period in ("cac:TenderSubmissionDeadlinePeriod", "cac:ParticipationRequestReceptionPeriod"):
        found = [
            moment
            for scope in scopes
            for el in _x(scope, f"cac:TenderingProcess/{period}")
            if (moment := _moment(_code(el, "cbc:EndDate"), _code(el, "cbc:EndTime")))
        ]
        if found:
            return min(found)
    return None


def _moment(day: str | None, time: str | None) -> datetime | None:
    """Wall-clock datetime of an eForms date ("2025-04-24+02:00") and time ("12:00:00+02:00", else 23:59)."""
    parsed = parse_date(day)
    if parsed is None:
        return None
    moment = parse_datetime(f"{parsed.isoformat()}T{time[:8] if time else '23:59'}")
    return moment.replace(tzinfo=None) if moment else None


def _language(root: etree._Element) -> str | None:
    """ "fr" when the notice carries French text, else its official language (BT-702) as ISO 639-1."""
    if root.xpath("boolean(//*[@languageID='FRA'])"):
        return "fr"
    return iso2_language(_code(root, "cbc:NoticeLanguageCode"))


def _amount(root: etree._Element) -> float | None:
    """The procedure's estimated value (BT-27) when given in euros."""
    for el in _x(root, "cac:ProcurementProject/cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount"):
        if el.get("currencyID", "EUR") == "EUR":
            try:
                return float((el.text or "").strip())
            except ValueError:
                return None
    return None


def _lot(scope: etree._Element) -> Lot:
    """A lot (or a PIN part) with its title, description and CPV codes."""
    codes: list[str] = []
    for found in _x(
        scope,
        "cac:ProcurementProject/cac:MainCommodityClassification/cbc:ItemClassificationCode"
        " | cac:ProcurementProject/cac:AdditionalCommodityClassification/cbc:ItemClassificationCode",
    ):
        code = (found.text or "").strip()
        if code and code not in codes:
            codes.append(code)
    return Lot(
        lot_id=_scope_id(scope) or "",
        title=_text(scope, "cac:ProcurementProject/cbc:Name"),
        description=_text(scope, "cac:ProcurementProject/cbc:Description"),
        cpv_codes=codes,
    )


# --- sections -----------------------------------------------------------------------------------------------


def _sections(root: etree._Element, title: str, scopes: list) -> list[Section]:
    """The notice's readable parts with their kinds: procedure first, then each lot, part or lots group."""
    sections = [Section("Titre", title, "title")] if title else []
    sections += _project_sections(root, None)
    procedure_features = _text(root, "cac:TenderingProcess/cbc:Description")
    if procedure_features:
        sections.append(Section("Caractéristiques de la procédure", procedure_features, "other"))
    for scope in scopes:
        lot_id = _scope_id(scope)
        sections += _project_sections(scope, lot_id, _SCOPE_NAMES.get(_scheme(scope) or "", "Lot"))
        sections += _terms_sections(scope, lot_id)
    return sections


def _project_sections(el: etree._Element, lot_id: str | None, scope_name: str = "Lot") -> list[Section]:
    """Description, strategic-procurement text, place of performance and additional information of a scope."""
    project = _x(el, "cac:ProcurementProject")
    if not project:
        return []
    project = project[0]
    sections = []
    description = _text(project, "cbc:Description")
    if description:
        if lot_id is None:
            sections.append(Section("Objet du marché", description, "object"))
        else:
            name = _text(project, "cbc:Name")
            heading = f"{scope_name} {lot_id} : {name}" if name else f"{scope_name} {lot_id}"
            sections.append(Section(heading, description, "description", lot_id))
    strategic = _text(
        project,
        "cac:ProcurementAdditionalType[cbc:ProcurementTypeCode/@listName="
        "'strategic-procurement']/cbc:ProcurementType",
    )
    if strategic:
        sections.append(Section("Marché stratégique", strategic, "other", lot_id))
    places = [t for loc in _x(project, "cac:RealizedLocation") if (t := _text(loc, "cbc:Description"))]
    if places:
        sections.append(Section("Lieu d'exécution", "\n".join(places), "other", lot_id))
    note = _text(project, "cbc:Note")
    if note:
        sections.append(Section("Informations complémentaires", note, "additional_info", lot_id))
    return sections


def _terms_sections(scope: etree._Element, lot_id: str | None) -> list[Section]:
    """Selection criteria, execution conditions, reservation and award criteria of one lot, part or group."""
    terms = _x(scope, "cac:TenderingTerms")
    if not terms:
        return []
    terms = terms[0]
    sections = []
    selection = _selection_criteria(terms)
    if selection:
        sections.append(Section("Critères de sélection", selection, "participation", lot_id))
    conditions = [
        t
        for req in _x(
            terms, "cac:ContractExecutionRequirement[cbc:ExecutionRequirementCode/@listName='conditions']"
        )
        if (t := _text(req, "cbc:Description"))
    ]
    if conditions:
        sections.append(
            Section(
                "Conditions particulières d'exécution", "\n".join(conditions), "execution_conditions", lot_id
            )
        )
    reservation = _reservation_text(terms)
    if reservation:
        sections.append(Section("Marché réservé", reservation, "reservation", lot_id))
    sections += _award_criteria(terms, lot_id)
    return sections


def _selection_criteria(terms: etree._Element) -> str:
    """The selection criteria (BT-749 name, BT-750 description), one paragraph each, repeats dropped."""
    paragraphs = []
    for criterion in _x(terms, f"{_EXTENSION}/efac:SelectionCriteria"):
        parts = [_text(criterion, "cbc:Name"), _text(criterion, "cbc:Description")]
        paragraph = "\n".join(p for p in parts if p)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(dict.fromkeys(paragraphs))


def _reservation_text(terms: etree._Element) -> str:
    """French wording of the codes that reserve participation (BT-71) or execution (BT-736)."""
    lines = [
        _RESERVED_PARTICIPATION[code]
        for code in (
            (el.text or "").strip()
            for el in _x(
                terms,
                "cac:TendererQualificationRequest/cac:SpecificTendererRequirement/"
                "cbc:TendererRequirementTypeCode[@listName='reserved-procurement']",
            )
        )
        if code in _RESERVED_PARTICIPATION
    ]
    if (
        _code(
            terms,
            "cac:ContractExecutionRequirement/cbc:ExecutionRequirementCode[@listName='reserved-execution']",
        )
        == "yes"
    ):
        lines.append(_RESERVED_EXECUTION)
    return "\n".join(dict.fromkeys(lines))


def _award_criteria(terms: etree._Element, lot_id: str | None) -> list[Section]:
    """One section per award criterion (BT-539 type, BT-734 name, BT-540 description, BT-541 weight)."""
    sections = []
    for awarding in _x(terms, "cac:AwardingTerms/cac:AwardingCriterion"):
        for criterion in _x(awarding, "cac:SubordinateAwardingCriterion"):
            type_code = _code(criterion, "cbc:AwardingCriterionTypeCode")
            label = _CRITERION_TYPES.get(type_code or "", type_code or "")
            name = _text(criterion, "cbc:Name")
            parts = [name, _text(criterion, "cbc:Description"), _weight(criterion)]
            heading = "Critère d'attribution : " + " – ".join(p for p in (label, name) if p)
            text = "\n".join(p for p in parts if p) or label
            if text:
                sections.append(Section(heading, text, "award_criteria", lot_id))
        overall = [
            t for t in (_text(awarding, "cbc:Description"), _text(awarding, "cbc:CalculationExpression")) if t
        ]
        if overall:
            sections.append(Section("Critères d'attribution", "\n".join(overall), "award_criteria", lot_id))
    return sections


def _weight(criterion: etree._Element) -> str:
    """The weight of an award criterion as users read it: "Pondération : 60 %", "Ordre d'importance : 1"."""
    for param in _x(criterion, f"{_EXTENSION}/efac:AwardCriterionParameter"):
        code = _x(param, "efbc:ParameterCode")
        number = _code(param, "efbc:ParameterNumeric")
        if not code or not number or code[0].get("listName") != "number-weight":
            continue
        kind = (code[0].text or "").strip()
        if kind == "ord-imp":
            return f"Ordre d'importance : {number}"
        return f"Pondération : {number}{_WEIGHT_UNITS.get(kind, '')}"
    return ""


# --- declared considerations --------------------------------------------------------------------------------


def _declared(root: etree._Element) -> list[DeclaredConsideration]:
    """Considerations declared by codes (BT-06, 774, 775, 805, 71, 736), wherever they sit; no repeats."""
    declared: dict[tuple, DeclaredConsideration] = {}
    for el in root.iter(
        f"{_CBC}ProcurementTypeCode", f"{_CBC}TendererRequirementTypeCode", f"{_CBC}ExecutionRequirementCode"
    ):
        list_name = el.get("listName")
        if list_name not in _DECLARING_LISTS:
            continue
        code = (el.text or "").strip()
        dimension = _declared_dimension(list_name, code)
        if dimension is None:
            continue
        item = DeclaredConsideration(
            dimension,
            _declared_lever(el, list_name),
            f"{_DECLARING_LISTS[list_name]} {code}",
            _enclosing_lot(el),
        )
        declared.setdefault((item.dimension, item.lever, item.evidence, item.lot), item)
    return list(declared.values())


def _declared_dimension(list_name: str, code: str) -> Dimension | None:
    """The dimension a code declares, or None for codes that declare nothing (`none`, `inn-pur`, `no`...)."""
    if not code:
        return None
    if list_name == "strategic-procurement":
        return _STRATEGIC.get(code)
    if list_name == "environmental-impact":
        return Dimension.ENVIRONMENTAL
    if list_name == "gpp-criteria":
        return Dimension.ENVIRONMENTAL if code != "none" else None
    if list_name == "social-objective":
        return Dimension.SOCIAL
    if list_name == "reserved-procurement":
        return Dimension.SOCIAL if code in _RESERVED_PARTICIPATION else None
    return Dimension.SOCIAL if code == "yes" else None  # reserved-execution


def _declared_lever(el: etree._Element, list_name: str) -> Lever | None:
    """Reservation for BT-71/BT-736; award criterion for a code inside an award criterion; else unknown."""
    if list_name in ("reserved-procurement", "reserved-execution"):
        return Lever.RESERVATION
    if any(True for _ in el.iterancestors(f"{_CAC}SubordinateAwardingCriterion", f"{_CAC}AwardingCriterion")):
        return Lever.AWARD_CRITERION
    return None


def _enclosing_lot(el: etree._Element) -> str | None:
    """The identifier of the ProcurementProjectLot holding `el`, None at procedure level."""
    for scope in el.iterancestors(f"{_CAC}ProcurementProjectLot"):
        return _scope_id(scope)
    return None
