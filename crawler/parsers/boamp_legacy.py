"""The legacy BOAMP structures -> Notice parts: XML v230 and its JSON renderings, DILA's lower-case JSON, and
the national MAPA / FNSimple JSON of the open-data records.

They are read by one walker over JSON-like data whose keys are compared once normalised (no namespace prefix,
no `_` or `-`, upper case), so `CONDITION_PARTICIPATION`, `conditionparticipation` and
`conditionParticipation` are one key. `MARCHE_RESERVE_OUI` (and its `ATELIERS_PROTEGES` / `EMPLOIS_PROTEGES`
children) is declared as (social, reservation); `PRESTATION_RESERVEE_OUI` (a service reserved to a profession)
is not a reservation in the L2113 sense. Deadlines are the wall-clock time in Paris, without a timezone
(models.dates).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from crawler.parsers.common import (
    cpv_codes,
    department,
    department_from_postal_code,
    first_present,
    readable,
    readable_line,
    siret_from_id,
    unique,
    unique_declared,
)
from crawler.parsers.errors import ParseError
from models.dates import read_date, read_datetime
from models.notice import DeclaredConsideration, Lot, Notice, Section
from models.text import fold
from models.vocabulary import Dimension, Lever

BOAMP_URL = "https://www.boamp.fr/pages/avis/?q=idweb:{}"

# --- codes and labels ---------------------------------------------------------------------------------------

NATURES = {"TRAVAUX": "works", "FOURNITURES": "supplies", "SERVICES": "services", "SERVICE": "services"}
_CRITERES = {"SOCIAUX": Dimension.SOCIAL, "ENVIRONNEMENTAUX": Dimension.ENVIRONMENTAL}

# BOAMP `nature` (DILA / XML: TYPE_AVIS/NATURE) -> notice type; STATUT/etat RECTIFICATIF or ANNULATION wins.
NOTICE_TYPES = {
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

# --- the walker: which keys open sections, which are skipped ------------------------------------------------

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
_MIN_LOOSE_TEXT = 80  # text outside any known key is kept (as "Autres informations") from this length on
_JUNK_LEAF = re.compile(r"^([\d\s.,:/+\-TZ%€]*|true|false|oui|non)$", re.IGNORECASE)


# --- keys and values ----------------------------------------------------------------------------------------


def norm_key(key: Any) -> str:
    """A key as compared across renderings: namespace prefix, `_`, `-` and spaces dropped, upper case."""
    return re.sub(r"[_\-\s]", "", str(key).rsplit(":", 1)[-1]).upper()


def as_list(value: Any) -> list:
    """A list from a value that may be a list, a single item or None."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def get_path(node: Any, *names: str) -> Any:
    """Descend `node` by normalised key names (the first item of a list at each step); None when missing."""
    for name in names:
        if isinstance(node, list):
            node = node[0] if node else None
        if not isinstance(node, dict):
            return None
        node = next((v for k, v in node.items() if norm_key(k) == name), None)
    return node


def scalar(value: Any) -> str:
    """The text of a leaf: a string, a number, or an element rendered as {"#text": ...}."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("#text")
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return readable_line(value)


def present_key(node: Any) -> str | None:
    """The normalised name of the first present flag of a choice ({"OUVERT": ""}, {"ouvert": null, ...})."""
    if isinstance(node, str) and node.strip():
        return norm_key(node)
    if isinstance(node, dict):
        return next(
            (norm_key(k) for k, v in node.items() if v is not None and not str(k).startswith("@")), None
        )
    return None


def declared_dimensions(values: list, field: str) -> list[DeclaredConsideration]:
    """Dimension-only declarations from BOAMP's `criteres` values ("sociaux", "environnementaux")."""
    declared = []
    for value in values:
        dimension = _CRITERES.get(norm_key(fold(value)))
        if dimension:
            declared.append(DeclaredConsideration(dimension, None, f"{field}={value}"))
    return declared


# --- the walker ---------------------------------------------------------------------------------------------


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
    text = readable(value)
    return "" if _JUNK_LEAF.match(text) else text


def _weighted_text(node: dict) -> str:
    """An element with text and maybe a weight: <CRITERE POIDS="60">Prix</CRITERE> -> "Prix : 60 %"."""
    text = _leaf_text(node.get("#text"))
    weight = next((v for k, v in node.items() if norm_key(k) in ("@POIDS", "@PONDERATION")), None)
    return f"{text} : {weight} %" if text and weight else text


def _criterion_text(node: dict) -> str:
    """A criterion as a label and a weight ({"libelle": "Prix", "ponderation": "50"}) -> "Prix : 50 %"."""
    fields = {norm_key(k): v for k, v in node.items()}
    label = next((fields[k] for k in _CRITERION_LABELS if isinstance(fields.get(k), str)), None)
    weight = next((scalar(fields[k]) for k in _CRITERION_WEIGHTS if scalar(fields.get(k))), None)
    if not label or not weight or len(fields) > 3:
        return ""
    text = _leaf_text(label)
    return text if weight in text else f"{text} : {weight} %"


def _own_heading(value: Any) -> str:
    """The printed heading a v110 block carries in its TITRE ("Conditions de participation :")."""
    title = get_path(value, "TITRE") if isinstance(value, dict) else None
    return readable_line(title).rstrip(" :") if isinstance(title, str) else ""


class Walker:
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
        name = norm_key(key)
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
            weight = scalar(get_path(value, "POIDS"))
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
        lot_id = scalar(_get_any(item, _LOT_ID_KEYS)) or str(index)
        title = scalar(_get_any(item, _LOT_TITLE_KEYS))
        description = readable(_scalar_text(_get_any(item, _LOT_DESCRIPTION_KEYS)))
        cpvs = unique(cpv_codes(" ".join(_strings(_get_any(item, _LOT_CPV_KEYS)))))
        self.lots.append(Lot(lot_id=lot_id, title=title, description=description, cpv_codes=cpvs))
        heading = f"Lot {lot_id} : {title}" if title else f"Lot {lot_id}"
        self.sections.append(Section(heading=heading, text=description or title, kind="lot", lot=lot_id))
        self.walk({k: v for k, v in item.items() if norm_key(k) not in _LOT_FIELDS}, None, lot_id)

    def sections_with_text(self) -> list[Section]:
        """The sections that hold some text, in document order."""
        return [s for s in self.sections if s.text.strip()]

    def declared(self) -> list[DeclaredConsideration]:
        """(social, reservation) for each reservation flag met, per lot."""
        return unique_declared(
            [
                DeclaredConsideration(Dimension.SOCIAL, Lever.RESERVATION, key, lot)
                for key, lot in self.reserved
            ]
        )


def _get_any(node: dict, names: tuple[str, ...]) -> Any:
    """The value of the first key of `node` whose normalised name is in `names` (in the order of `names`)."""
    by_name = {norm_key(k): v for k, v in node.items()}
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
        return as_list(value)
    inner = get_path(value, "LOT")
    if inner is not None:
        return as_list(inner)
    numbers = as_list(get_path(value, "NUMLOT"))
    if not numbers:
        return [value]
    descriptions = as_list(get_path(value, "DESCLOT")) or [t for t in as_list(get_path(value, "AUTRES")) if t]
    cpvs = as_list(get_path(value, "NOMENCLOT"))
    return [
        {"NUM": number, "DESCRIPTION": _at(descriptions, i), "CPV": _at(cpvs, i)}
        for i, number in enumerate(numbers)
    ]


def _at(items: list, index: int) -> Any:
    """items[index], or None past the end."""
    return items[index] if index < len(items) else None


# --- notice fields ------------------------------------------------------------------------------------------


def _find(node: Any, names: frozenset, avoid: frozenset = frozenset()) -> list:
    """The values of every key named in `names` under a node (document order), skipping `avoid` keys."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            name = norm_key(key)
            if name in names:
                found.append(value)
            elif name not in avoid:
                found.extend(_find(value, names, avoid))
    elif isinstance(node, list):
        for item in node:
            found.extend(_find(item, names, avoid))
    return found


def structure_cpvs(node: Any) -> list[str]:
    """CPV codes of a legacy structure, main one first (document order), no repeats."""
    return unique(cpv_codes(" ".join(s for value in _find(node, _CPV_KEYS) for s in _strings(value))))


def structure_siret(node: Any) -> str | None:
    """The buyer's SIRET (CODE_IDENT_NATIONAL / codeIdentificationNational), never a winner's."""
    return next(
        (s for s in (siret_from_id(scalar(v)) for v in _find(node, _SIRET_KEYS, _NOT_BUYER)) if s), None
    )


def _structure_buyer(node: Any) -> str:
    """The buyer's name in a legacy structure."""
    return readable_line(
        first_present(
            scalar(get_path(node, "IDENTITE", "DENOMINATION")),
            scalar(get_path(node, "IDENT", "NOM")),
            scalar(get_path(node, "ORGANISME", "NOMOFFICIEL")),
            scalar(get_path(node, "ORGANISME", "ACHETEURPUBLIC")),
        )
        or ""
    ).rstrip(".,")


def structure_postal_code(node: Any) -> str:
    """The buyer's postal code in a legacy structure."""
    return (
        first_present(
            scalar(get_path(node, "IDENTITE", "CP")),
            scalar(get_path(node, "IDENT", "CP")),
            scalar(get_path(node, "ORGANISME", "CP")),
            scalar(get_path(node, "ORGANISME", "ADR", "CP")),
        )
        or ""
    )


def structure_nature(node: Any) -> str | None:
    """works / supplies / services from TYPE_MARCHE, natureMarche or the v110 INFO flags."""
    for choice in _find(node, frozenset({"TYPEMARCHE", "NATUREMARCHE", "INFO"})):
        if isinstance(choice, dict):
            flags = [choice] + [v for v in choice.values() if isinstance(v, dict)]
            for flag in flags:
                nature = next(
                    (
                        NATURES[norm_key(k)]
                        for k, v in flag.items()
                        if v is not None and norm_key(k) in NATURES
                    ),
                    None,
                )
                if nature:
                    return nature
    return None


def _structure_procedure(node: Any) -> str | None:
    """The procedure from PROCEDURE/TYPE_PROCEDURE (a choice of flags) or the v110 PROCEDURE/@type."""
    procedure = get_path(node, "PROCEDURE")
    code = present_key(get_path(procedure, "TYPEPROCEDURE")) or present_key(get_path(procedure, "@TYPE"))
    if not code and isinstance(procedure, dict):
        code = next(
            (norm_key(k) for k, v in procedure.items() if v is not None and norm_key(k) in _PROCEDURES),
            None,
        )
    return procedure_label(code)


def procedure_label(code: str | None) -> str | None:
    """A readable procedure from a BOAMP code ("PROCEDURE_ADAPTE" -> "Procédure adaptée")."""
    if not code:
        return None
    name = norm_key(code)
    return _PROCEDURES.get(name) or code.replace("_", " ").capitalize()


def structure_deadline(node: Any) -> datetime | None:
    """The deadline for tenders (or for applications) of a legacy structure."""
    return read_datetime(
        first_present(
            get_path(node, "CONDITIONDELAI", "RECEPTOFFRES"),
            get_path(node, "CONDITIONDELAI", "RECEPTCANDIDAT"),
            get_path(node, "INITIAL", "PROCEDURE", "DATERECEPTIONOFFRES"),
        )
    )


def structure_amount(node: Any) -> float | None:
    """The total value awarded, or the estimated value, when the structure gives one."""
    for value in (
        get_path(node, "ATTRIBUTION", "VALEURTOTALE"),
        get_path(node, "OBJET", "CARACTERISTIQUES", "VALEURTOTALE"),
        get_path(node, "AUTRESINFORMATIONS", "VALEURTOTALEESTIMEE", "VALEUR"),
    ):
        amount = _amount(scalar(value))
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


def criteres_flags(node: Any, field: str) -> list[DeclaredConsideration]:
    """Declared dimensions from CRITERES_SOCIAUX_ENV ({"SOCIAUX": "", "ENVIRONNEMENTAUX": ""} or a list)."""
    if isinstance(node, dict):
        values = [str(k) for k, v in node.items() if v is not None]
        return declared_dimensions(values, field)
    return declared_dimensions([v for v in as_list(node) if isinstance(v, str)], field)


def _legacy_notice_type(type_avis: Any) -> str | None:
    """The notice type from TYPE_AVIS (NATURE, with STATUT RECTIFICATIF / ANNULATION taking precedence)."""
    status = present_key(get_path(type_avis, "STATUT"))
    if status in ("RECTIFICATIF", "ANNULATION"):
        return NOTICE_TYPES[status]
    nature = present_key(get_path(type_avis, "NATURE"))
    return NOTICE_TYPES.get(nature or "", "other" if nature else None)


def legacy_notice(gestion: Any, donnees: Any, fmt: str, where: str | None) -> Notice:
    """A Notice from the GESTION and DONNEES parts of a v230 notice (XML, or DILA's JSON rendering)."""
    reference = get_path(gestion, "REFERENCE")
    idweb = scalar(get_path(reference, "IDWEB"))
    if not idweb:
        raise ParseError(fmt, "no GESTION/REFERENCE/IDWEB: not a BOAMP notice", where)
    indexation = get_path(gestion, "INDEXATION")
    walker = Walker()
    walker.walk(donnees)
    declared = (
        criteres_flags(get_path(indexation, "CRITERESSOCIAUXENV"), "CRITERES_SOCIAUX_ENV") + walker.declared()
    )
    departments = as_list(get_path(indexation, "DEPPUBLICATION")) or as_list(
        get_path(indexation, "DEPPRESTATION")
    )
    return Notice(
        source="boamp",
        source_id=idweb,
        title=readable_line(
            first_present(
                scalar(get_path(indexation, "RESUMEOBJET")),
                scalar(get_path(donnees, "OBJET", "TITREMARCHE")),
                scalar(get_path(donnees, "OBJET", "OBJETCOMPLET")),
            )
            or ""
        ),
        url=BOAMP_URL.format(idweb),
        buyer_name=_structure_buyer(donnees) or None,
        buyer_siret=structure_siret(donnees),
        country="FR",
        department=first_present(
            *(department(scalar(d)) for d in departments),
            department_from_postal_code(structure_postal_code(donnees)),
        ),
        cpv_codes=structure_cpvs(donnees),
        procedure=_structure_procedure(donnees),
        contract_nature=structure_nature(donnees),
        notice_type=_legacy_notice_type(get_path(reference, "TYPEAVIS")),
        published=read_date(
            first_present(get_path(indexation, "DATEPUBLICATION"), get_path(gestion, "DATEPUBLICATION"))
        ),
        deadline=read_datetime(get_path(indexation, "DATELIMITEREPONSE")) or structure_deadline(donnees),
        language="fr",
        amount=structure_amount(donnees),
        sections=walker.sections_with_text(),
        lots=walker.lots,
        declared=unique_declared(declared),
        raw_format=fmt,
    )
