"""The one vocabulary of section headings: a heading -> a kind of models.notice.SECTION_KINDS.

Headings are read in two situations, each with its own table here (merging them changes results both ways: an
Atexo label "Clauses sociales" is an execution condition, no heading phrase of running text; "II.1.1)
Intitulé" is the object of a form page for the parsers, its title for the classifier):

- a line of running text that may be a heading (the classifier's segmenter on raw notice text, PDF text, page
  text): HEADING_KINDS lists heading *phrases*, written for raw text (accented or not, any case), and the
  leftmost phrase of a title wins, earlier entries first at the same place (`HEADING_KIND_RE.search`);
- the label of a field or block of a structured page, known to be a heading (Atexo consultations, boamp.fr and
  TED form pages, aggregator pages): `label_kind` folds it (models.text.fold) and the first rule of
  LABEL_KINDS that matches wins; form pages read the English TED headings and the BOAMP headings of
  FORM_LABEL_KINDS first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from models.text import fold

APOSTROPHE = "[’'`´]"  # apostrophes as found in real notices
E_LETTER = "[eéèêEÉÈÊ]"
_A, _E = APOSTROPHE, E_LETTER

# (kind, pattern) on a heading's title, for raw text; combined into HEADING_KIND_RE, whose leftmost match (earlier
# entries first) wins.
HEADING_KINDS: tuple[tuple[str, str], ...] = (
    ("reservation", rf"march{_E}s?\s+r{_E}serv|r{_E}servation\s+du\s+march|reserved\s+contract"),
    (
        "execution_conditions",
        (
            rf"conditions?\s+(?:particuli{_E}res?\s+)?d{_A}\s*ex{_E}cution|clauses?\s+(?:particuli{_E}res?\s+)?"
            rf"d{_A}\s*ex{_E}cution|(?:contract\s+)?performance\s+conditions|conditions?\s+li{_E}es?\s+au\s+march"
        ),
    ),
    (
        "award_criteria",
        (
            rf"crit{_E}res?\s+(?:d{_A}\s*attribution|de\s+jugement|de\s+choix\s+des\s+offres|"
            rf"d{_A}\s*{_E}valuation\s+des\s+offres|de\s+s{_E}lection\s+des\s+offres|pond{_E}r)|jugement\s+des\s+offres"
            rf"|award\s+criteri|attribution\s+du\s+march{_E}\s*-?\s*crit|crit{_E}res?\s+d{_A}\s*{_E}valuation"
        ),
    ),
    (
        "participation",
        (
            rf"conditions?\s+de\s+participation|crit{_E}res?\s+de\s+s{_E}lection|s{_E}lection\s+des\s+candidat"
            rf"|justifications?\s+{_A}?\s*(?:à|a)\s+produire|capacit{_E}s?\s+(?:technique|{_E}conomique|financi|profes)"
            rf"|habilitation\s+(?:à|a)\s+exercer|situation\s+(?:propre|juridique)|documents?\s+(?:à|a)\s+produire"
            rf"|r{_E}f{_E}rences?\s+professionnelle|conditions?\s+for\s+participation|selection\s+criteri"
            rf"|suitability\s+to\s+pursue|economic\s+and\s+financial|technical\s+and\s+professional"
            rf"|limitation\s+du\s+nombre\s+de\s+candidats|pi{_E}ces?\s+(?:de\s+la\s+)?candidature"
            rf"|contenu\s+(?:du\s+dossier\s+de\s+)?(?:la\s+)?candidature|qualification\s+(?:pour\s+le\s+)?syst"
            rf"|autres\s+renseignements\s+demand"
        ),
    ),
    (
        "technical_specification",
        (
            rf"sp{_E}cifications?\s+techniques?|cahier\s+des\s+clauses\s+techniques|\bC\.?C\.?T\.?P\b"
            rf"|exigences?\s+techniques|caract{_E}ristiques\s+techniques|technical\s+specification"
        ),
    ),
    (
        "additional_info",
        (
            rf"(?:renseignements|informations)\s+compl{_E}mentaires|autres?\s+(?:informations|renseignements)"
            rf"|additional\s+information|complementary\s+information|divers\b"
        ),
    ),
    ("lot", r"^lots?\b|renseignements\s+relatifs\s+aux\s+lots|information\s+about\s+lots|allotissement"),
    ("title", rf"^(?:intitul{_E}|title|titre)\b"),
    (
        "object",
        (
            rf"^objets?\b|objet\s+(?:du\s+march|de\s+la\s+consultation|de\s+l{_A}\s*(?:accord|avis|appel))"
            rf"|^object\b|^[ée]tendue\s+du\s+march|^scope\s+of"
        ),
    ),
    (
        "description",
        (
            rf"^description|caract{_E}ristiques\s+principales|quantit{_E}s?\b|nature\s+et\s+{_E}tendue|^[ée]tendue"
            rf"|short\s+description|^d{_E}signation|^besoins?\b|^pr{_E}sentation"
        ),
    ),
)

HEADING_KIND_RE = re.compile(
    "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in HEADING_KINDS), re.IGNORECASE
)

# (kind, pattern) on a folded label (lower case, no accents), first match wins.
LABEL_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("reservation", r"marches? reserves?|reservations?\b"),
        ("award_criteria", r"criteres? d.attribution|jugement des offres|criteres? de choix"),
        ("participation", r"participation|criteres? de selection|capacites?|candidature|justificatifs"),
        (
            "execution_conditions",
            r"conditions? (particulieres? )?d.execution|clauses? (soc|env)|insertion|durable",
        ),
        ("technical_specification", r"specifications? techniques?"),
        (
            "additional_info",
            r"renseignements? complementaires?|informations? complementaires?|autres informations",
        ),
        ("lot", r"^lots?\b|allotissement|detail des lots"),
        ("object", r"^objet"),
        ("description", r"description|descriptif|caracteristiques|besoin|quantites?"),
    )
)

# Headings of the standard forms as boamp.fr and TED pages show them (English TED headings, BOAMP headings that
# LABEL_KINDS does not cover), read before LABEL_KINDS; first match wins.
FORM_LABEL_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "other",
        re.compile(
            r"^(date|langue|delai|duree|modalites d.ouverture|time limit|languages?|minimum time|cpv"
            r"|objets? (principal|supplementaires?)|conditions de remise)"
        ),
    ),
    ("participation", re.compile(r"situation juridique|references? requises?|habilitation")),
    ("participation", re.compile(r"profession (particuliere|determinee)|particular profession")),
    ("reservation", re.compile(r"reserved contracts?|reserved procurement")),
    ("award_criteria", re.compile(r"award criteri")),
    (
        "execution_conditions",
        re.compile(r"performance (of the contract|conditions)|conditions? related to the contract"),
    ),
    (
        "participation",
        re.compile(r"conditions? for participation|selection criteri|ability|suitability|standing"),
    ),
    ("technical_specification", re.compile(r"technical specifications?")),
    (
        "additional_info",
        re.compile(r"complementary information|additional information|autres renseignements"),
    ),
    ("object", re.compile(r"^(title|intitule|short description|object)\b")),
    ("description", re.compile(r"^description of the procurement|^scope|^quantity")),
)


def label_kind(label: str, extra: Iterable[tuple[str, re.Pattern[str]]] = ()) -> str:
    """The section kind of a page's label ("Critères d'attribution" -> "award_criteria"), "other" when unknown;
    the rules of `extra` (e.g. FORM_LABEL_KINDS) are tried before LABEL_KINDS."""
    text = fold(label)
    for rules in (extra, LABEL_KINDS):
        for kind, pattern in rules:
            if pattern.search(text):
                return kind
    return "other"
