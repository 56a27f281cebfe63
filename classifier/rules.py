"""Lexicons and legal citations: precise, explainable evidence of social and environmental considerations.

Each `Rule` names a phrasing family; a hit says which rule matched, on which span, with which dimension and lever.
The lever comes, in this order, from: the wording of a reservation (always social), an award-criterion wording
("critère ... / pondération"), a wording that fixes the lever (a legal citation, "clause d'insertion", "conditions
d'exécution à caractère environnemental"), the section the clause sits in, lever cues in the clause, and, in a
title / objet / description, the purpose of the purchase (contract_subject) for the rules that can state one.
Negative statements ("Marché réservé : non", "... : néant"), the L5212 sworn declaration, energy-saving certificates
(CEE), "Environnement" in a buyer's name and web-page chrome are never hits. Patterns expect NFC text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from models.text import fold as fold_accents
from models.vocabulary import Dimension, Lever

__all__ = [
    "RULES",
    "SECTION_LEVER",
    "Hit",
    "Rule",
    "Suppressed",
    "blocked_clause",
    "first_trigger",
    "match_clause",
    "negated_clause",
    "search_key",
    "trace_all",
    "trigger_positions",
]

ENV = Dimension.ENVIRONMENTAL
SOC = Dimension.SOCIAL

_A = "[’'`´]"
_I = re.IGNORECASE


@dataclass(frozen=True)
class Rule:
    """A phrasing family. `lever` is the lever its wording fixes (None: from the section and cues); `strong`
    makes that lever win over the section's; `subject` lets it state the purpose of the purchase."""

    name: str
    dimension: Dimension
    pattern: re.Pattern[str]
    confidence: float
    lever: Lever | None = None
    strong: bool = False
    subject: bool = False
    kinds: frozenset[str] | None = None  # only in these section kinds
    precise: bool = False  # a wording precise enough to count in a description too


@dataclass(frozen=True)
class Hit:
    rule: str
    dimension: Dimension
    lever: Lever
    confidence: float
    start: int  # offsets within the clause text
    end: int


def _rule(
    name, dimension, pattern, confidence, lever=None, strong=False, subject=False, kinds=None, precise=False
):
    return Rule(
        name,
        dimension,
        re.compile(pattern, _I),
        confidence,
        lever,
        strong,
        subject,
        frozenset(kinds) if kinds else None,
        precise,
    )


# --- legal citations -----------------------------------------------------------------------------------------------

_ART = r"(?:articles?|art\.)\s*"
_L = r"L\.?\s?"
_R = r"R\.?\s?"
CITE_RESERVATION = (
    rf"{_L}2113-1[2-6]\b|{_ART}3[67]\s+(?:et\s+3[67]\s+)?de\s+l{_A}\s*ordonnance|{_ART}15\s+du\s+(?:code\s+des\s+march"
    rf"|CMP)|{_ART}3[67]\s+de\s+l{_A}ordonnance\s+n?[°ºo]?\s*2015-899"
)
CITE_EXECUTION = rf"{_L}2112-2\b|{_L}2112-3\b|{_ART}38\s+de\s+l{_A}\s*ordonnance|{_ART}14\s+du\s+(?:code\s+des\s+march|CMP)"
CITE_AWARD = rf"{_L}2152-7\b|{_R}2152-7\b|{_ART}52\s+de\s+l{_A}\s*ordonnance|{_ART}53\s+du\s+(?:code\s+des\s+march|CMP)"
CITE_SPEC = rf"{_R}2111-1[2-7]\b|{_R}2111-1[0-1]\b"

# "bio" meaning organic, not the first half of a science or a technique ("bio-nettoyage", "bio-impression").
_BIO = (
    r"\bbio\b(?![-‐]?\s*(?:nettoy|r[ée]sorb|compatib|m[ée]dic|techno|statisti|informati|logist|m[ée]tri|chimi|marqueur"
    r"|s[ée]curit|impress))"
)

# Not a waste facility's name ("Unité de valorisation énergétique", "centre de compostage"): the purchase is then
# something done at or for the facility (scenography, transport of its residues), not the recovery itself.
_NOT_A_FACILITY = (
    r"(?<!unit[ée]\sde\s)(?<!centre\sde\s)(?<!usine\sde\s)(?<!plateforme\sde\s)(?<!plate-forme\sde\s)"
    r"(?<!p[ôo]le\sde\s)"
)

# --- lexicons --------------------------------------------------------------------------------------------------

# Environmental vocabulary precise enough to count in an award-criterion, execution-condition or selection section.
_ENV_TERMS = (
    rf"environnementa(?:l|le|les|ux)\b|(?:protection|pr[ée]servation|respect(?:ueu(?:x|se)s?)?|faveur|impacts?|atteintes?"
    rf"|incidences?|nuisible|nocifs?)\b[^.;:]{{0,40}}?\bl{_A}\s*environnement\b"
    rf"|d[ée]veloppement\s+durable|[ée]co-?responsab|[ée]cologiques?\b|transition\s+[ée]cologique"
    r"|[ée]co-?label|[ée]co-?labellis[ée]|[ée]co-?conception|[ée]co-?con[çc]u"
    r"|empreinte\s+(?:carbone|environnementale)|bilan\s+carbone|bas\s+carbone|d[ée]carbon|neutralit[ée]\s+carbone"
    r"|[ée]missions?\s+(?:de\s+|du\s+|des\s+)?(?:gaz\s+[àa]\s+effet\s+de\s+serre|GES|CO2|CO₂|carbone|polluants?|particules)"
    r"|gaz\s+[àa]\s+effet\s+de\s+serre"
    r"|performances?\s+[ée]nerg[ée]tiques?|efficacit[ée]\s+[ée]nerg[ée]tique|sobri[ée]t[ée]\s+[ée]nerg[ée]tique"
    rf"|[ée]conomies?\s+d{_A}\s*[ée]nergie|ma[îi]trise\s+(?:de\s+l{_A}\s*[ée]nergie|des\s+(?:consommations|d[ée]penses)\s+"
    r"(?:d.)?[ée]nerg)|consommations?\s+(?:[ée]nerg[ée]tiques?|d.[ée]nergie|de\s+carburant|d.eau|des\s+v[ée]hicules)"
    r"|[ée]nergies?\s+renouvelables?|[ée]nergies?\s+vertes?|[ée]lectricit[ée]\s+(?:verte|d.origine\s+renouvelable)"
    r"|recycl(?:age|[ée]e?s?|ables?|abilit[ée])\b(?!\s+(?:CACES|FIMO|SST|des\s+(?:comp[ée]tences|formations)|(?:obligatoire"
    r"|p[ée]riodique)s?\b(?!\s+d)))"  # "diplômes et recyclage obligatoire": a refresher course
    r"|r[ée]emploi|r[ée]utilisation|valorisation\s+(?:des\s+d[ée]chets|mati[èe]re|[ée]nerg[ée]tique|organique|des\s+"
    r"(?:biod[ée]chets|mat[ée]riaux|d[ée]blais|terres))|(?:tri|gestion|r[ée]duction|pr[ée]vention|limitation|"
    r"traitement\s+et\s+valorisation)\s+des\s+d[ée]chets|d[ée]chets\s+de\s+chantier|[ée]conomie\s+circulaire"
    r"|biodiversit[ée]|pollution|polluants?\b|nuisances?\s+(?:sonores|environnementales)|qualit[ée]\s+de\s+l.air"
    r"|agriculture\s+biologique|produits?\s+(?:issus\s+de\s+l.agriculture\s+)?biologiques?|\bbio(?:logiques?)?\s+ou\s+"
    r"[ée]quivalent|denr[ée]es\s+(?:bio|biologiques|durables)|\bEGalim\b|circuits?\s+courts?|produits?\s+de\s+saison"
    r"|v[ée]hicules?\s+(?:propres?|[ée]lectriques?|hybrides?|[àa]\s+faibles?\s+[ée]missions)|motorisations?\s+"
    r"(?:[ée]lectriques?|hybrides?|propres?|GNV)|Crit.?Air|zéro\s+phyto|produits?\s+phytosanitaires"
    r"|ISO(?:\b|(?=\d))[^.;]{0,30}?14\s?001|\bEMAS\b|" + _BIO + r"|NF\s+Environnement|\bFSC\b|\bPEFC\b|\bHQE\b|Ange\s+Bleu|Nordic\s+Swan"
    r"|emballages?\s+(?:recycl|r[ée]utilisables|biod[ée]gradables|compostables)|biod[ée]gradables?"
    r"|mesures?\s+de\s+gestion\s+environnementale|management\s+environnemental|syst[èe]me\s+de\s+management\s+"
    r"de\s+l.environnement|co[ûu]t\s+(?:du\s+)?cycle\s+de\s+vie|analyse\s+du\s+cycle\s+de\s+vie"
)

_SOC_TERMS = (
    rf"insertion\s+(?:sociale|professionnelle|par\s+l{_A}\s*activit[ée]\s+[ée]conomique|des\s+publics)"
    rf"|(?:clause|heures?|action|objectifs?|volume|dispositif)\s+(?:sociale?\s+)?d{_A}\s*insertion|clauses?\s+sociales?"
    r"|publics?\s+(?:[ée]loign[ée]s|en\s+difficult[ée]|prioritaires|en\s+insertion)|personnes?\s+(?:[ée]loign[ée]es|"
    r"rencontrant\s+des\s+difficult[ée]s|en\s+situation\s+de\s+handicap|handicap[ée]es|d[ée]favoris[ée]es|en\s+"
    r"difficult[ée]|en\s+insertion)|demandeurs?\s+d.emploi\s+de\s+longue\s+dur[ée]e|ch[ôo]meurs?\s+de\s+longue"
    r"|\bSIAE\b|structures?\s+d.insertion|entreprises?\s+d.insertion|\bESAT\b|[ée]tablissements?\s+et\s+services?\s+"
    r"d.aide\s+par\s+le\s+travail|entreprises?\s+adapt[ée]es|ateliers?\s+prot[ée]g[ée]s|\bRQTH\b"
    r"|commerce\s+[ée]quitable|[ée]quitables?\b|conventions?\s+(?:fondamentales\s+)?de\s+l.OIT|\bOIT\b"
    r"|organisation\s+internationale\s+du\s+travail|[ée]galit[ée]\s+(?:professionnelle|femmes?.hommes?|entre\s+les\s+"
    r"femmes\s+et\s+les\s+hommes|des\s+chances)|discriminations?|diversit[ée]\s+(?:sociale|des\s+recrutements)"
    r"|accessibilit[ée]\s+(?:aux|des|pour\s+les)\s+personnes|personnes?\s+[àa]\s+mobilit[ée]\s+r[ée]duite|\bPMR\b"
    r"|[ée]conomie\s+sociale\s+et\s+solidaire|caract[èe]re\s+social|crit[èe]res?\s+socia(?:l|ux)|dimension\s+sociale"
    r"|performances?\s+sociales?|responsabilit[ée]\s+sociale|enjeux\s+soci[ée]taux|conditions\s+de\s+travail\s+"
    r"(?:d[ée]centes|dignes)|environnementa\w*\s*(?:et|,)\s*socia\w*|socia\w*\s+et\s+environnementa\w*"
    r"|(?:d[ée]marches?|mesures?|qualit[ée]|enjeux|impacts?|aspects?|crit[èe]res?|clauses?)\s+socia(?:les?|ux)\b"
    r"|conditions\s+de\s+travail\s+"
    r"(?:d[ée]centes|dignes)|travail\s+(?:des\s+enfants|forc[ée]|d[ée]cent)|apprentis(?:sage)?\b"
)

# Wording that marks an award criterion wherever it sits ("Critère 3 : ... / Pondération : 5", "... : 10 %").
AWARD_CUE = re.compile(
    r"pond[ée]ration|pond[ée]r[ée]|weighting|\d+(?:[.,]\d+)?\s*(?:points?|pts\b)|\bnot[ée]e?s?\s+sur|sous-crit[èe]re"
    r"|crit[èe]re\s+(?:n\s*[°ºo]\s*)?\d|crit[èe]res?\s+(?:de\s+jugement|d.attribution|de\s+choix|d.[ée]valuation)"
    r"|offres?\s+(?:\w+\s+){0,2}(?:est|sont|sera|seront)\s+(?:jug[ée]e?s?|[ée]valu[ée]e?s?|appr[ée]ci[ée]e?s?|not[ée]e?s?)"
    r"\s+(?:sur|au\s+regard|en\s+fonction|selon)",
    _I,
)
# "... : 10 %" is a criterion's weight only next to the word "critère".
AWARD_WEAK_CUE = re.compile(r"\d+(?:[.,]\d+)?\s*%", _I)
EXECUTION_CUE = re.compile(
    rf"(?:titulaire|prestataire|attributaire|cocontractant|entreprise\s+retenue|candidat\s+retenu|soumissionnaire\s+"
    rf"retenu)\s+(?:\w+\s+){{0,2}}(?:s{_A}\s*engage|devra|doit|est\s+tenue?|veillera|mettra|s{_A}\s*oblige)"
    rf"|engagements?\s+(?:contractuels?\s+)?du\s+titulaire"
    rf"|dans\s+le\s+cadre\s+de\s+l{_A}\s*ex[ée]cution|lors\s+de\s+l{_A}\s*ex[ée]cution|conditions?\s+(?:particuli[èe]res?\s+)?"
    rf"d{_A}\s*ex[ée]cution|clauses?\s+(?:sociale|environnementale|d{_A}insertion)|CCAP|cahier\s+des\s+clauses\s+"
    r"administratives",
    _I,
)
# A requirement on the candidate outside a participation section ("le candidat devra fournir un certificat ...").
SELECTION_CUE = re.compile(
    r"candidat(?:ure)?s?\s+(?:\w+\s+){0,2}(?:devra|doit|doivent|devront)\s+(?:fournir|produire|justifier|disposer|"
    r"pr[ée]senter|[êe]tre\s+certifi)|capacit[ée]s?\s+(?:techniques?|professionnelles?)|[àa]\s+l.appui\s+de\s+"
    r"(?:sa|leur)\s+candidature|crit[èe]res?\s+de\s+s[ée]lection\s+des\s+candidat|(?:preuves?|justificatifs?)\s+de\s+"
    r"(?:sa|leur|la)\s+capacit",
    _I,
)
SPEC_CUE = re.compile(
    r"ou\s+[ée]quivalent|conformes?\s+(?:[àa]\s+la\s+norme|aux\s+normes)|norme\s+[A-Z]|exig[ée]e?s?\b"
    r"|devront\s+(?:[êe]tre|respecter|r[ée]pondre)|doivent\s+(?:[êe]tre|respecter|r[ée]pondre)|caract[ée]ristiques"
    r"|sp[ée]cifications?|CCTP|performances?\s+minimales?|classe\s+[ée]nerg[ée]tique|attention\s+particuli[èe]re"
    r"|sera\s+port[ée]e?\s+(?:[àa]|sur)|imposée?s?\b|obligatoirement",
    _I,
)

_AWARD_KINDS = frozenset({"award_criteria"})
_SUBJECT_KINDS = frozenset({"title", "object", "description", "lot"})

# Purpose-of-the-purchase families (contract_subject in a title / objet / description).
_ENV_SUBJECT = (
    r"(?:sensibilisation|[ée]ducation|d[ée]couverte)\s+(?:[àa]\s+l.|de\s+l.)\s*environnement"
    r"|environnementa(?:l|le|les|ux)\b(?<!risques\senvironnementaux)|hydro-?[ée]lectri|esp[èe]ces\s+(?:exotiques\s+)?"
    r"envahissantes|milieux?\s+(?:naturels?|aquatiques?)|zones?\s+humides?|restauration\s+(?:[ée]cologique|des\s+"
    r"milieux|de\s+la\s+continuit)|qualit[ée]\s+(?:(?:physico-?chimique|biologique|et\s+)+\s*)?(?:des\s+(?:eaux|masses"
    r"\s+d.eau|cours\s+d.eau|milieux)|de\s+l.eau)|tri\s+s[ée]lectif|collectes?\s+s[ée]lectives?|pr[ée]vention\s+"
    r"(?:\w+\s+){0,5}d[ée]chets|[ée]co-?responsab|non\s+(?:nocifs?|polluants?|toxiques?)|respectueu(?:x|se)s?\s+de\s+"
    r"l.environnement|" + _BIO + r"|(?:construction|cr[ée]ation|installation|r[ée]alisation)\s+(?:\w+\s+)"
    r"{0,4}(?:chaufferie|chaudi[èe]re)s?\s+(?:bois|biomasse)|chaufferies?\s+(?:au\s+|[àa]\s+)?(?:bois|biomasse|"
    r"granul[ée]s)\b|motorisations?\s+(?:\w+\s+){0,3}[ée]lectriques?"
    r"|r[ée]novation\s+(?:[ée]nerg[ée]tique|thermique)|performance\s+[ée]nerg[ée]tique|transition\s+(?:[ée]cologique|"
    r"[ée]nerg[ée]tique)|[ée]nergies?\s+renouvelables?|photovolta[ïi]que|centrales?\s+solaires?|solaire\s+thermique"
    r"|(?<!protection\s)(?<!films\s)solaires?\b|[ée]olien|m[ée]thanisation|g[ée]othermi|d[ée]carbon|bas\s+carbone|plan\s+climat"
    r"|bilan\s+carbone|[ée]conomie\s+circulaire|" + _NOT_A_FACILITY + r"valorisation\s+(?:des\s+)?(?:d[ée]chets|"
    r"biod[ée]chets|mati[èe]re|"
    r"[ée]nerg[ée]tique|organique|des\s+d[ée]blais)|recyclage\s+(?:des|de)\b|recycl[ée]e?s?\b|collecte\s+s[ée]lective"
    r"|biod[ée]chets|" + _NOT_A_FACILITY + r"compost|ressourcerie|recyclerie|r[ée]emploi|biodiversit[ée]|renaturation"
    r"|continuit[ée]\s+"
    r"[ée]cologique|(?:v[ée]hicules?|bus|autobus|bennes?)\s+(?:100\s*%\s+)?(?:[ée]lectriques?|hybrides?|propres|au\s+"
    r"(?:GNV|bioGNV|hydrog[èe]ne)|[àa]\s+faibles?\s+[ée]missions)|bornes?\s+de\s+recharge|mobilit[ée]\s+durable"
    r"|isolation\s+thermique|[ée]co-?label|[ée]co-?labellis|agriculture\s+biologique|produits?\s+biologiques"
    r"|denr[ée]es\s+(?:alimentaires\s+)?biologiques|d[ée]veloppement\s+durable|d[ée]pollution\s+(?:des?\s+|du\s+)?"
    r"(?:sols?|sites?|terres|friches?|terrains?)"
    r"|efficacit[ée]\s+[ée]nerg[ée]tique|[ée]conomies?\s+d.[ée]nergie|audits?\s+[ée]nerg[ée]tiques?|\bHQE\b"
    r"|(?:b[âa]timent|construction)s?\s+(?:basse\s+consommation|passif|[àa]\s+[ée]nergie\s+positive)|\bBBC\b"
    # energy renovation of buildings (ADEME's and the building code's wording: "rénovation / réhabilitation
    # thermique", insulation of the envelope, energy diagnostics) and positive-energy buildings
    r"|(?:r[ée]habilitation|r[ée]novation|am[ée]lioration|requalification)s?\s+(?:thermiques?|"
    r"[ée]nerg[ée]tiques?)\b|isolation\s+(?:par\s+l.ext[ée]rieur|ext[ée]rieure|des\s+(?:combles|toitures?|fa[çc]ades|"
    r"murs|planchers|b[âa]timents|logements)|de\s+(?:la\s+)?(?:combles|toitures?|fa[çc]ades?))|travaux\s+d.isolation"
    r"|\bITE\b|\bBEPOS\b|(?:[ée]tudes?|diagnostics?|audits?)\s+(?:\w+\s+){0,2}?thermiques?\b|diagnostics?\s+de\s+"
    r"performance\s+[ée]nerg[ée]tique|\bDPE\b|management\s+de\s+l.[ée]nergie|ISO\s*50\s?001|cit.ergie"
    r"|pr[ée]carit[ée]\s+[ée]nerg[ée]tique|(?:centrales?|lignes?|unit[ée]s?|installations?|r[ée]seaux?\s+de\s+chaleur)"
    r"\s+(?:\w+\s+){0,2}?(?:biomasse|bois[- ][ée]nergie)|bois[- ][ée]nergie"
    # clean vehicles and boats (L224-7 code de l'environnement: electric, hybrid, gas)
    r"|(?:v[ée]hicules?|v[ée]los?|bateaux?|navettes?|bus|cars?|bennes?|camions?|scooters?|berlines?|citadines?"
    r"|utilitaires?|fourgons?|fourgonnettes?|minibus|tracteurs?|engins?)\s+(?:\w+\s+){0,3}?"
    r"(?:[ée]lectriques?|hybrides?|propres?)\b|[àa]\s+assistance\s+[ée]lectrique|\bau\s+(?:GNV|GNC|bioGNV)\b"
    # recovery of waste (the waste hierarchy of L541-1: reuse, recycling, recovery; sorted streams)
    r"|" + _NOT_A_FACILITY + r"(?:valoris|revaloris|recycl|r[ée]emploi|\btri[ée]?s?\b)[^.;]{0,60}?\b(?:d[ée]chets|gravats"
    r"|encombrants|emballages|papiers?|cartons?|verre|bois|v[ée]g[ée]taux|boues|mat[ée]riaux|d[ée]blais|objets|fin\s+de\s+vie"
    r"|DDS|DEEE|D3E)\b|\b(?:d[ée]chets|gravats|"
    r"encombrants|emballages|papiers?|cartons?|verre|ordures\s+m[ée]nag[èe]res)\b[^.;]{0,60}?(?<!non\s)(?:valorisables|valorisation"
    r"|recyclables|recyclage|(?<!refus\sde\s)\btri\b)|centres?\s+de\s+tri\b(?!\s+postal)|emballages\s+recyclables"
    # natural environment (Natura 2000, protected species, river continuity, ERC sequence of L122-1)
    r"|natura\s*2000|esp[èe]ces\s+prot[ée]g[ée]es|habitats?\s+naturels|faune\s+(?:et\s+)?(?:de\s+la\s+)?flore"
    r"|passes?\s+[àa]\s+poissons?|franchissement\s+piscicole|continuit[ée]\s+(?:piscicole|s[ée]dimentaire)"
    r"|restauration\s+(?:des?\s+|du\s+|de\s+la\s+)?(?:cours\s+d.eau|rivi[èe]res?|roseli[èe]res?|berges|haies|mares?"
    r"|ripisylves?|tourbi[èe]res?|dunes?)|[ée]co-?ponts?|r[ée]serves?\s+naturelles?|espaces?\s+naturels?\s+sensibles?"
    r"|coh[ée]rence\s+[ée]cologique|gestion\s+diff[ée]renci[ée]e?|[ée]co-?p[âa]turage"
    r"|d[ée]sherbage\s+alternatif|[ée]viter,?\s+r[ée]duire,?\s+compenser|sols?\s+pollu[ée]s|qualit[ée]\s+de\s+l.air"
    r"|\b[ée]co-?exemplaires?|\b[ée]cologiques?\b|ISO\s*14\s?001|\bEMAS\b"
    # rivers and wetlands (L211-7 aquatic environments, L214-17 continuity): crossing works for fish, removal of weirs, sediment
    # plans, the "espace de bon fonctionnement" of the SDAGE, alluvial forests and seagrass beds (habitats of
    # Natura 2000's annex I), the EU's LIFE nature programme
    r"|ouvrages?\s+franchissables?|franchissabilit[ée]|(?:effacement|arasement|d[ée]rasement)\s+(?:d.un\s+|du\s+|des\s+|"
    r"de\s+l.)?(?:seuils?|barrages?|ouvrages?|buses?)|gestion\s+s[ée]dimentaire|espaces?\s+de\s+bon\s+fonctionnement"
    r"|hydromorpholog|for[êe]ts?\s+alluviales?|herbiers?\s+(?:de\s+|[àa]\s+)?(?:posidonies?|zost[èe]res)"
    r"|posidonies?|programme\s+LIFE\b|inventaires?\s+(?:\w+\s+){0,2}?(?:faunistiques?|floristiques?|naturalistes?|"
    r"[ée]cologiques?|des\s+habitats)|suivis?\s+(?:\w+\s+){0,2}?(?:faunistiques?|floristiques?|naturalistes?)"
    # drinking-water resources (L211-1, L211-3: priority catchments, diffuse pollution) and re-use of treated water
    r"|(?:protection|pr[ée]servation|reconqu[êe]te)\s+(?:\w+\s+){0,3}?ressources?\s+en\s+eau|captages?\s+prioritaires"
    r"|aires?\s+d.alimentation\s+(?:de\s+|des\s+|du\s+)?captages?|pollutions?\s+diffuses|r[ée]utilisation\s+des\s+eaux\s+"
    r"(?:us[ée]es\s+)?trait[ée]es|\bREUT\b|\bREUSE\b"
    # noise (L571-1: fighting noise, noise maps and plans), polluted sites (L556), climate (L229-26 PCAET)
    r"|(?:murs?|[ée]crans?|merlons?|dispositifs?|barri[èe]res?|buttes?)\s+(?:\w+\s+)?anti-?bruit|(?:lutte\s+contre"
    r"|pr[ée]vention\s+d)(?:\s+le)?\s+bruit|nuisances?\s+sonores|cartes?\s+(?:strat[ée]giques?\s+)?"
    r"de\s+bruit|\bPPBE\b|(?:travaux|op[ée]rations?|chantiers?|[ée]tudes?|missions?|plans?)\s+de\s+d[ée]pollution\b"
    r"(?!\s+pyrotechnique)|changements?\s+climatiques?|adaptation\s+au\s+(?:changement\s+)?climat|[îi]lots?\s+de\s+"
    r"chaleur|\bPCAET\b"
    # ozone-depleting refrigerants (EU regulation 1005/2009), energy-saving lighting of the TEPCV programme
    r"|\bHCFC\b|couche\s+d.ozone|passage\s+(?:\w+\s+){0,2}?en\s+LED|relamping|\bTEPCV\b|territoires?\s+[àa]\s+"
    r"[ée]nergie\s+positive|(?<!dans\sl.)[ée]co-?\s?quartiers?"  # (a crèche "dans l'éco-quartier" is only sited there)
    # environmental regulatory files and assessments (L122-1 impact assessment, L181-1 authorisation, water law)
    r"|[ée]tudes?\s+d.impact\b(?!\s+(?:[ée]conomique|social|financier|budg[ée]taire|sur\s+l.emploi))"
    r"|[ée]valuations?\s+des\s+incidences|dossiers?\s+d.incidences|loi\s+sur\s+l.eau"
    r"|dossiers?\s+(?:d.autorisation\s+|de\s+d[ée]claration\s+)?ICPE\b"
    # sorted waste streams (L541-1's hierarchy: glass, paper, packaging, textiles, electrical waste collected apart)
    r"|(?:collecte|apport\s+volontaire|enl[èe]vement)\b[^.;]{0,40}?\b(?:du|des|de)\s+(?:verre|cartons?|papiers?(?!\s+"
    r"confidentiel)|emballages|textiles|D3E|DEEE|biod[ée]chets|huiles\s+usag[ée]es)\b|(?:d[ée]p[ôo]ts?|conteneurs?"
    r"|colonnes?|bornes?)\s+(?:\w+\s+){0,2}?(?:[àa]|de|du|pour\s+le)\s+verre\b"
    r"|\bD3E\b|\bDEEE\b|responsabilit[ée]\s+[ée]largie\s+des?\s+producteurs?"
    # ADEME's programmes and the national guides' purchase families: energy diagnostics and shared energy advice,
    # renewable gas and electricity, car-sharing, bio-based building materials and low-carbon building labels,
    # de-sealing soils and cooling islands (climate adaptation), rain-water harvesting, weeding without pesticides
    r"|(?:diagnostics?|bilans?)\s+(?:\w+\s+){0,2}?[ée]nerg[ée]tiques?|conseil\s+en\s+[ée]nergie\s+partag[ée]"
    r"|[ée]conomes?\s+de\s+flux|[ée]lectricit[ée]\s+(?:verte|d.origine\s+renouvelable|100\s*%\s+renouvelable)"
    r"|garanties?\s+d.origine|biogaz|biom[ée]thane|covoiturage|autopartage|biosourc[ée]s?|\bBREEAM\b|\bBBCA\b"
    r"|d[ée]simperm[ée]abilis|[îi]lots?\s+de\s+fra[îi]cheur|r[ée]cup[ée]ration\s+(?:\w+\s+){0,2}?eaux?\s+(?:de\s+)?"
    r"pluie|z[ée]ro\s+phyto|sans\s+(?:produits?\s+)?(?:phytosanitaires|pesticides)"
    # wood-pellet heating, charging points (IRVE, décret 2017-26), reusable instead of disposable (loi AGEC), food waste
    r"|(?:chaudi[èe]res?|po[êe]les?)\s+(?:\w+\s+){0,2}?granul[ée]s|\bIRVE\b|(?:couches|gobelets"
    r"|vaisselles?|contenants|bo[îi]tes|serviettes|protections\s+p[ée]riodiques)\s+(?:\w+\s+)?(?:lavables|r[ée]utilisables)"
    r"|gaspillage\s+alimentaire|anti-?gaspi"
    # polluted soils (L556-1: diagnosis to NF X31-620, remediation), groundwater monitoring, the water agencies'
    # "contrats de baie / de rivière / territoriaux" and priority catchment fields
    r"|\b(?:pollutions?|pollu[ée]s?)\s+(?:\w+\s+){0,1}?(?:des?\s+|du\s+)(?:sols?|sous-sols?|sites?|terrains?|nappes?)\b"
    r"|r[ée]habilitation\s+(?:environnementale\s+)?des\s+sols|X\s?31-620|(?:suivi|surveillance|r[ée]seau)\s+(?:\w+\s+)"
    r"{0,5}?(?:nappes?|eaux\s+souterraines|pi[ée]zom[ée]tri)|contrats?\s+(?:de\s+(?:la\s+|l.)?(?:baie|rivi[èe]re|"
    r"nappe|bassin|milieux?)|territoria(?:l|ux)\s+(?:eau|des?\s+milieux|du\s+champ\s+captant))|champs?\s+captants?"
    # recovery stated after the collection or treatment ("collecte, traitement et/ou valorisation des DDS"), sorted
    # material collected, insulation works that are not acoustic, alternative weeding
    r"|(?:collecte|traitement|tri|transport|enl[èe]vement|[ée]limination)(?:\s*,\s*\w+)*\s+(?:et(?:/ou)?|ou)\s+(?:la\s+)?"
    r"(?:re)?valorisation|(?:verre|cartons?|papiers?|emballages)\b[^.;]{0,40}?\bcollect[ée]s?\b|(?:op[ée]rations?|"
    r"travaux|chantiers?)\s+d.isolation\b(?!\s+(?:acoustique|phonique))|d[ée]sherbage\s+(?:\w+\s+)?(?:alternatif|"
    r"thermique|m[ée]canique|sans\s+produits?)|espaces?\s+naturels?\s+sensibles?"
)
_SOC_SUBJECT = (
    rf"march[ée]s?\s+d{_A}\s*insertion|chantiers?\s+d{_A}\s*insertion|insertion\s+(?:sociale\s+et\s+professionnelle|"
    rf"par\s+l{_A}\s*activit[ée]\s+[ée]conomique)\s+(?:de|des)\s+(?:personnes|publics)|(?:prestations?|services?|"
    r"actions?|dispositifs?)\s+(?:de\s+services\s+)?d.insertion\s+(?:sociale|professionnelle|et\s+de\s+qualification)"
    r"|accompagnement\s+(?:socio-?professionnel|vers\s+l.emploi)\s+(?:de|des)\s+(?:personnes|publics)\s+(?:[ée]loign|en"
    r"\s+difficult|handicap)|accompagnement\s+vers\s+l.emploi|insertion\s+professionnelle\s+(?:durable\s+)?(?:des|de)\s+"
    r"(?:demandeurs\s+d.emploi|jeunes|personnes|publics|b[ée]n[ée]ficiaires|allocataires)|commerce\s+[ée]quitable"
    r"|accessibilit[ée]\s+(?:des|aux)\s+personnes\s+(?:handicap|[àa]\s+mobilit)|mise\s+en\s+accessibilit[ée]"
    r"|(?:b[ée]n[ée]ficiaires|allocataires)\s+du\s+RSA|(?:personnes|publics?)\s+(?:[ée]loign[ée]e?s\s+de\s+l.emploi|en\s+"
    r"(?:insertion|difficult[ée]\s+(?:sociale|d.insertion)))|demandeurs\s+d.emploi\s+de\s+longue\s+dur[ée]e"
    # accessibility of buildings and services to disabled persons (L161-1 code de la construction; Ad'AP of the
    # ordonnance 2014-1090): works, diagnostics and compliance
    r"|mises?\s+(?:aux\s+normes|en\s+conformit[ée])\s+(?:\w+\s+){0,3}?\W*(?:accessibilit[ée]|PMR|handicap)"
    r"|accessibilit[ée]\s+(?:\W*PMR|handicap|des\s+(?:b[âa]timents?|[ée]tablissements?|locaux|services|ERP|IOP|sites?|"
    r"[ée]coles?|logements)|du\s+(?:b[âa]timent|site|groupe|lyc[ée]e|coll[èe]ge)|aux\s+publics?)|(?:travaux|diagnostics?"
    r"|attestations?|audits?|[ée]tudes?|mises?\s+aux\s+normes)\s+(?:d.)?accessibilit[ée]|s[ée]curit[ée]\s+et\s+(?:d.)?"
    r"accessibilit[ée]|\bAd.?AP\b|agendas?\s+d.accessibilit[ée]|(?:am[ée]nagements?|acc[èe]s|[ée]l[ée]vateurs?|rampes?"
    r"|sanitaires?|ascenseurs?\s+et\s+[ée]l[ée]vateurs?)\s+PMR|\bT\.?PMR\b|transports?\s+(?:\w+\s+){0,4}?(?:personnes\s+"
    r"(?:handicap[ée]es|[àa]\s+mobilit[ée]\s+r[ée]duite|en\s+situation\s+de\s+handicap)|PMR|(?:[ée]l[èe]ves|enfants|"
    r"[ée]tudiants)\s+(?:\w+\s+){0,4}?(?:handicap[ée]s|en\s+situation\s+de\s+handicap))|sourds|malentendants"
    r"|langue\s+des\s+signes|adapt[ée]s?\s+aux\s+personnes\s+(?:[àa]\s+mobilit[ée]\s+r[ée]duite|handicap)"
    r"|(?:[ée]l[ée]vateurs?|ascenseurs?|rampes?|plate-?formes?\s+[ée]l[ée]vatrices?|monte-?escaliers?|sanitaires?)\s+"
    r"(?:\w+\s+){0,3}?(?:pour\s+)?(?:les\s+)?(?:personnes?\s+[àa]\s+mobilit[ée]\s+r[ée]duite|personnes?\s+handicap[ée]es?)"
    r"|(?:mises?\s+(?:aux\s+normes|en\s+conformit[ée])|conformit[ée])\s+(?:[\w'’-]+\s+){0,4}?(?:l['’]\s*)?accessibilit[ée]"
    # services whose purpose is insertion into employment (L5132-1 code du travail)
    rf"|(?:actions?|missions?|prestations?|services?|d[ée]marches?|parcours|ateliers?|march[ée]s?)\s+(?:\w+\s+){{0,3}}?"
    rf"d{_A}\s*(?:r[ée])?insertion\b(?!\s+(?:urbaine|paysag|d.un|de\s+la|des?\s+(?:voies?|pistes?|am[ée]nag|ouvrages?)))"
    r"|insertion\s+(?:socio-?)?professionnelles?\b|parcours\s+(?:de\s+la\s+)?(?:2[èe]me|deuxi[èe]me|seconde)\s+chance"
)

RULES: tuple[Rule, ...] = (
    # reservation (always social)
    _rule("reservation.citation", SOC, CITE_RESERVATION, 0.95, Lever.RESERVATION, strong=True),
    _rule(
        "reservation.beneficiaries",
        SOC,
        r"r[ée]serv[ée]e?s?\s+(?:exclusivement\s+)?(?:[àa]\s+des|aux|[àa])\s+(?:\w+\s+){0,3}(?:ESAT|[ée]tablissements?\s+"
        r"et\s+services?\s+d.aide|entreprises?\s+adapt[ée]es|ateliers?\s+prot[ée]g[ée]s|structures?\s+d.insertion|"
        r"\bSIAE\b|entreprises?\s+d.insertion|op[ée]rateurs?\s+[ée]conomiques?\s+(?:qui|dont)|entreprises?\s+de\s+"
        r"l.[ée]conomie\s+sociale|structures?\s+de\s+l.insertion|travailleurs\s+handicap|personnes\s+handicap)",
        0.95,
        Lever.RESERVATION,
        strong=True,
    ),
    _rule(
        "reservation.sheltered_employment",
        SOC,
        r"ex[ée]cution\s+du\s+(?:march[ée]|contrat)\s+est\s+(?:limit[ée]e|r[ée]serv[ée]e)\s+(?:dans\s+le\s+cadre\s+de|"
        r"[àa])\s+(?:programmes?|emplois?)\s+(?:d.emplois?\s+)?prot[ée]g[ée]s|reserved\s+(?:to|for)\s+sheltered"
        r"|sheltered\s+employment\s+programmes",
        0.9,
        Lever.RESERVATION,
        strong=True,
    ),
    _rule(  # a title or objet naming a reserved contract ("Marché réservé de services", "Lot 2 réservé")
        "reservation.title",
        SOC,
        r"\b(?:march[ée]s?|lots?|accord-cadre)\s+(?:n?[°ºo]?\s*\d+\s+)?r[ée]serv[ée]s?\b(?![^.;]{0,40}?(?:assur|architect|"
        r"profession|avocat|notaire|huissier|m[ée]decin|pharmac|g[ée]om[èe]tre|comptable|constru|logement|b[âa]tir|"
        # (building plots "réservés à la construction de logements" are land, not a reserved contract)
        r"habitat))",
        0.9,
        Lever.RESERVATION,
        strong=True,
        kinds=frozenset({"title", "object"}),
    ),
    _rule(
        "reservation.yes",
        SOC,
        r"march[ée]s?\s+r[ée]serv[ée]s?\s*:\s*oui\b",
        0.85,
        Lever.RESERVATION,
        strong=True,
    ),
    _rule(
        "reservation.declared",
        SOC,
        r"^\W*(?:(?:le\s+)?(?:march[ée]|lot|accord-cadre)(?:\s+n?[°ºo]?\s*\d+)?\s+(?:est\s+)?r[ée]serv[ée]"
        r"|reserved\s+(?:market|contract))\s*[.!]?\s*$",
        0.8,
        Lever.RESERVATION,
        strong=True,
    ),
    # execution conditions (wording fixes the lever)
    _rule(
        "execution.insertion_clause",
        SOC,
        rf"clauses?\s+(?:sociale\s+)?(?:obligatoire\s+)?d{_A}\s*insertion|clauses?\s+sociales?\s+(?:d.insertion|"
        rf"obligatoire)|action\s+d{_A}\s*insertion|heures?\s+d{_A}\s*insertion|(?:promotion\s+de\s+l|favoriser\s+l"
        rf"|promouvoir\s+l)"
        rf"{_A}\s*emploi\s+(?:de\s+|des\s+)?personnes\s+(?:[ée]loign|rencontrant|en\s+difficult|en\s+insertion)"
        # L2112-2 / former art. 14: hours of work reserved "au titre de l'engagement d'insertion", "X % des heures"
        rf"|heures\s+(?:de\s+travail\s+)?(?:\w+\s+){{0,4}}au\s+titre\s+(?:de\s+l{_A}\s*engagement|de\s+la\s+clause|de\s+"
        rf"l{_A}\s*action)\s+d{_A}\s*insertion|engagement\s+d{_A}\s*insertion"
        rf"|r[ée]serv\w*\s+(?:\w+\s+){{0,3}}(?:\d+(?:[.,]\d+)?\s*%|une\s+part|un\s+(?:nombre|volume))\s+(?:\w+\s+){{0,4}}"
        rf"heures\b[^.;]{{0,160}}\b(?:b[ée]n[ée]ficiaires|personnes|publics|demandeurs\s+d.emploi|insertion)",
        0.95,
        Lever.EXECUTION_CONDITION,
        strong=True,
    ),
    _rule(
        "execution.social_character",
        SOC,
        rf"(?:conditions?|clauses?|stipulations?|dispositions?)\s+(?:particuli[èe]res?\s+)?(?:d{_A}\s*ex[ée]cution\s+)?"
        rf"(?:\w+\s+){{0,5}}[àa]\s+caract[èe]re\s+social",
        0.95,
        Lever.EXECUTION_CONDITION,
        strong=True,
    ),
    _rule(
        "execution.environmental_character",
        ENV,
        rf"(?:conditions?|clauses?|stipulations?|dispositions?)\s+(?:particuli[èe]res?\s+)?(?:d{_A}\s*ex[ée]cution\s+)?"
        rf"(?:\w+\s+){{0,6}}(?:[àa]\s+)?caract[èe]re\s+(?:social\s+et\s+)?environnemental|clauses?\s+environnementales?",
        0.95,
        Lever.EXECUTION_CONDITION,
        strong=True,
    ),
    _rule(
        "execution.citation.social",
        SOC,
        rf"(?:{CITE_EXECUTION})(?=[^.;]{{0,200}}(?:insertion|social|emploi|handicap|difficult))",
        0.95,
        Lever.EXECUTION_CONDITION,
        strong=True,
    ),
    _rule(
        "execution.citation.environmental",
        ENV,
        rf"(?:{CITE_EXECUTION})(?=[^.;]{{0,200}}(?:environnement|[ée]cologique|d[ée]chets|[ée]nerg|carbone))",
        0.95,
        Lever.EXECUTION_CONDITION,
        strong=True,
    ),
    _rule(
        "execution.english",
        SOC,
        r"social\s+(?:and\s+environmental\s+)?(?:performance|execution)\s+conditions?|(?:performance|execution)\s+"
        r"conditions?\s+(?:of\s+an?\s+|with\s+an?\s+)?(?:environmental\s+and\s+)?social",
        0.9,
        Lever.EXECUTION_CONDITION,
        strong=True,
    ),
    _rule(
        "execution.english.environmental",
        ENV,
        r"environmental\s+(?:and\s+social\s+)?(?:performance|execution)\s+conditions?|(?:performance|execution)\s+"
        r"conditions?\s+(?:of\s+an?\s+|with\s+an?\s+)?(?:social\s+and\s+)?environmental",
        0.9,
        Lever.EXECUTION_CONDITION,
        strong=True,
    ),
    _rule(
        "execution.non_discrimination",
        SOC,
        r"pr[ée]vention\s+des\s+discriminations|promotion\s+de\s+l.[ée]galit[ée]\s+des\s+chances|[ée]galit[ée]\s+"
        r"professionnelle\s+entre\s+les\s+femmes\s+et\s+les\s+hommes",
        0.85,
        Lever.EXECUTION_CONDITION,
    ),
    # award criteria (any section, when worded as a weighted criterion)
    _rule(
        "award.citation.environmental",
        ENV,
        rf"(?:{CITE_AWARD})(?=[^.;]{{0,200}}(?:environnement|[ée]cologique|d[ée]veloppement\s+durable))",
        0.9,
        Lever.AWARD_CRITERION,
        strong=True,
    ),
    _rule(
        "award.citation.social",
        SOC,
        rf"(?:{CITE_AWARD})(?=[^.;]{{0,200}}(?:insertion|social|handicap))",
        0.9,
        Lever.AWARD_CRITERION,
        strong=True,
    ),
    # technical specifications
    _rule(
        "spec.organic",
        ENV,
        r"issue?s?\s+de\s+l.agriculture\s+biologique|label\s+(?:AB|agriculture\s+biologique)\b",
        0.85,
        Lever.TECHNICAL_SPECIFICATION,
        precise=True,
    ),
    _rule(
        "spec.citation",
        ENV,
        rf"(?:{CITE_SPEC})(?=[^.;]{{0,200}}(?:label|environnement|[ée]cologique))",
        0.9,
        Lever.TECHNICAL_SPECIFICATION,
        strong=True,
    ),
    _rule(
        "spec.label_or_equivalent",
        ENV,
        r"(?:[ée]co-?label(?:\s+(?:europ[ée]en|UE))?|NF\s+Environnement|\bFSC\b|\bPEFC\b|Ange\s+Bleu|Nordic\s+Swan|"
        r"label\s+(?:AB|bio|[ée]cologique)|agriculture\s+biologique|\bAB\b|\bbio\b|biologiques?|HQE|Energy\s+Star|TCO)"
        r"[^.;\n]{0,80}?ou\s+[ée]quivalent",
        0.9,
        Lever.TECHNICAL_SPECIFICATION,
        precise=True,
    ),
    _rule(
        "spec.no_pesticides",
        ENV,
        r"(?:aucun|sans|interdiction\s+(?:des?|d.utiliser|d.employer)|z[ée]ro)\s+(?:\w+\s+){0,2}phytosanitaires?"
        r"|d[ée]sherbage\s+(?:\w+\s+){0,2}(?:manuel|m[ée]canique|thermique|alternatif)",
        0.9,
        Lever.TECHNICAL_SPECIFICATION,
        precise=True,
    ),
    _rule(
        "spec.social_label",
        SOC,
        r"(?:Fair\s*Wear|SA\s?8000|commerce\s+[ée]quitable|Fairtrade|Max\s+Havelaar)[^.;\n]{0,80}?ou\s+[ée]quivalent",
        0.9,
        Lever.TECHNICAL_SPECIFICATION,
    ),
    _rule(
        "selection.environmental_certificate",
        ENV,
        r"ISO(?:\b|(?=\d))[^.;]{0,30}?14\s?001|\bEMAS\b|syst[èe]me\s+de\s+management\s+(?:de\s+l.)?environnement"
        r"|mesures?\s+de\s+gestion\s+environnementale|management\s+environnemental",
        0.9,
    ),
    # dimension lexicons (lever from the section and cues)
    _rule("environmental.lexicon", ENV, _ENV_TERMS, 0.85),
    _rule("social.lexicon", SOC, _SOC_TERMS, 0.85),
    _rule("environmental.subject", ENV, _ENV_SUBJECT, 0.85, subject=True, kinds=_SUBJECT_KINDS),
    _rule("social.subject", SOC, _SOC_SUBJECT, 0.85, subject=True, kinds=_SUBJECT_KINDS),
    # a criterion named after the environment ("Sous-critère 2.4 : qualité et environnement"), the surroundings
    # of a site or an IT system aside
    _rule(
        "award.environment_criterion",
        ENV,
        r"\benvironnement\b(?!\s+(?:techn|logiciel|informati|de\s+travail|num[ée]rique|local|urbain|imm[ée]diat|du\s+site|"
        r"existant|de\s+production|de\s+d[ée]veloppement|applicatif|de\s+test|de\s+recette|professionnel|concurrentiel|"
        r"[ée]conomique|juridique|r[ée]glementaire|sonore))",
        0.85,
        Lever.AWARD_CRITERION,
        kinds=_AWARD_KINDS,
    ),
)
_RULE_BY_NAME = {rule.name: rule for rule in RULES}

# Broad vocabulary per dimension, as stems of the lower-cased, accent-folded text (searched with str.find: a
# notice is scanned in well under a millisecond). A clause without any of them is neither a rule hit nor a model
# candidate, and the model alone may only detect a dimension whose stems the clause contains. "=" marks a stem that
# must be a whole word; "_" stands for a space.
_ENV_STEMS = (
    "environn écolog durable déchet recycl réemploi réutilis valoris compost circulaire carbon =co2 =ges émission énerg "
    "photovolta solaire éolien biomasse géotherm isolation thermique climat biodivers pollu nuisance =bio biolog label "
    "=fsc pefc 14001 14_001 =emas =hqe =bbc egalim circuit_court circuits_court saison électrique hybride =gnv critair "
    "crit'air éco- économie_d économies_d consommation emballage phyto cycle_de_vie =vert =verte =vertes =verts hydro "
    "envahissant milieux =humide =humides nocif toxique acoustique qualité_de environmental "
    "natura espèces faune flore poisson piscicol renatur =ite =dpe bepos écopont ecopont roseli cours_d'eau ripisylv "
    "tourbi =dunes =erc =gnc =tri =tris =triés apport_volontaire 50001 50_001 cit'ergie exemplaire différenci "
    "collecte_s collectes_s franchiss effacement arasement dérasement sédiment bon_fonctionnement hydromorpho "
    "alluvia herbier posidon =life faunisti floristi naturalist ressource_en_eau ressources_en_eau captage =reut =reuse "
    "bruit =ppbe îlot_de_chaleur îlots_de_chaleur =pcaet =hcfc ozone =led relamping =tepcv ecoquartier eco_quartier "
    "étude_d'impact études_d'impact incidences loi_sur_l'eau =icpe verre carton papier =textiles =d3e =deee "
    "huiles_usag responsabilité_élargie garantie_d'origine garanties_d'origine biogaz biométhane "
    "covoiturage autopartage biosourc =breeam =bbca désimperm fraîcheur pluie pesticide econome économe granulé =irve "
    "lavable réutilisable gaspi chaufferie naturel_sensible naturels_sensibles désherb x31-620 x_31-620 souterrain "
    "écoquartier écoquartiers compenser piézom contrat_de_baie contrats_de_baie contrat_de_la_baie "
    "contrat_de_la_rivière contrat_de_rivière contrats_de_rivière contrat_territorial "
    "contrats_territoriaux champ_captant champs_captants réhabilitation_des_sols"
)
_SOC_STEMS = (
    "social sociaux sociéta insertion handicap =esat adaptée =siae =iae défavoris éloign chôm emploi =rqth équitable "
    "=oit travail égalit discrimin diversit accessib =pmr mobilité_r solidaire =ess réserv apprenti éthique reserved "
    "=adap ad'ap =tpmr sourd malentend langue_des_signes chance"
)
_LEVER_STEMS = (
    "2113-1 2112-2 2152-7 2111-1 ordonnance code_des_march conditions_particulières_d condition_particulière_d "
    "conditions_d'ex condition_d'ex performance_conditions"
)


def _stems(spec: str, dim: Dimension | None) -> list[tuple[bytes, bool, Dimension | None]]:
    """Each stem twice: without accents, and with every accented letter or apostrophe as "?" (as `search_key` renders
    "é" and "’"; an ASCII apostrophe stays, hence the first variant)."""
    out = []
    for word in spec.split():
        stem = word.lstrip("=").replace("_", " ")
        variants = {  # (a text may write "étude d'impact" with either apostrophe)
            fold_accents(stem),
            "".join("?" if ord(c) > 127 or c == "'" else c for c in stem),
            "".join("?" if ord(c) > 127 else c for c in stem),
        }
        out += [(v.encode("ascii"), word.startswith("="), dim) for v in sorted(variants)]
    return out


_STEMS = _stems(_ENV_STEMS, ENV) + _stems(_SOC_STEMS, SOC) + _stems(_LEVER_STEMS, None)


def search_key(text: str) -> bytes:
    """The bytes the trigger stems are searched in: the text in lower case as ASCII, any other character as "?"
    (not accent folding, which is models.text.fold: same length as `text`, so offsets stay valid, searched at C
    speed)."""
    low = text.lower()
    if len(low) != len(text):  # a few characters ("İ") lower-case to two
        low = "".join(c.lower()[:1] for c in text)
    return low.encode("ascii", "replace")


def _automaton():
    """Every stem (both variants) in one Aho-Corasick automaton: one pass over a text finds them all."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for stem, whole, dim in _STEMS:
        key = stem.decode("ascii")
        found = automaton.get(key, ())
        automaton.add_word(key, (*found, (len(key), whole, dim)))
    automaton.make_automaton()
    return automaton


_AUTOMATON = _automaton()


def _occurrences(text: str):
    """(start, end, dimension) of every stem in `text`, whole-word stems only between non-alphanumeric bytes."""
    folded = search_key(text)
    n = len(folded)
    for last, entries in _AUTOMATON.iter(folded.decode("ascii")):
        j = last + 1
        for size, whole, dim in entries:
            i = j - size
            if not whole or (
                (i == 0 or not folded[i - 1 : i].isalnum()) and (j >= n or not folded[j : j + 1].isalnum())
            ):
                yield i, j, dim


def trigger_positions(text: str) -> list[tuple[int, Dimension | None]]:
    """Sorted (offset, dimension) of every trigger stem in `text` (dimension None: a lever wording)."""
    out = [(i, dim) for i, _, dim in _occurrences(text)]
    out.sort(key=lambda x: x[0])
    return out


def first_trigger(text: str, dimension: Dimension | None = None) -> tuple[int, int] | None:
    """Span of the first trigger stem of `dimension` (of any when None) in a short text."""
    spans = [(i, j) for i, j, dim in _occurrences(text) if dimension is None or dim is dimension]
    return min(spans) if spans else None


# --- negatives --------------------------------------------------------------------------------------------------

# A clause that only says no: "non", "néant", "sans objet".
_EMPTY = re.compile(r"^\W*(?:non|no|n[ée]ant|sans\s+objet|aucune?|none|nil|/)\W*$", _I)
# "Marché réservé : non", "... réservé à des ateliers protégés ... : non", "Conditions particulières d'exécution : néant".
_ANSWER_NO = re.compile(
    r"[^.;\n]{0,250}?(?:[:?]|\?)\s*(?:non|no|n[ée]ant|sans\s+objet|aucune?|nil)\b(?!\s*[-–]?\s*\w+\s+\w)", _I
)
_NEGATION_BEFORE = re.compile(
    rf"(?:\b(?:ne|n{_A})\s*(?:\w+[\s’'`´]+){{0,4}}(?:pas|aucun|aucune|jamais|ni)\b|\baucune?\s+(?:\w+\s+){{0,2}}"
    rf"|\bpas\s+de\s+(?:\w+\s+){{0,2}}|\bsans\s+(?:clause|condition|crit[èe]re|consid[ée]ration|exigence)\w*\s+"
    rf"|\bnon\s+(?:soumis|assorti|concern)\w*\s+(?:\w+\s+){{0,3}})[^.;:]{{0,60}}$"
    rf"|\b(?:hors|except[ée]s?|sauf)\b[^.;:()]{{0,40}}$",
    _I,
)
# Statements every notice carries: the L5212 sworn declaration on the employment of disabled workers, DC1/DC2/DUME.
_SWORN_DECLARATION = re.compile(
    r"L\.?\s*5212|L\.?\s*323-1|obligation\s+d.emploi|emploi\s+des\s+travailleurs\s+handicap|employment\s+obligation"
    r"|disabled\s+workers",
    _I,
)
# Exclusion grounds and the definition of an irregular offer, copied into many notices.
_BOILERPLATE = re.compile(
    r"dans\s+aucun\s+des\s+cas\s+d.interdiction|interdictions?\s+de\s+soumissionner|exclusions?\s+r[ée]sultant"
    r"|condamnations?\s+(?:d[ée]finitives?\s+)?pour|m[ée]conna[îi]t\s+la\s+l[ée]gislation|offres?\s+irr[ée]guli[èe]re"
    r"|pour\s+pouvoir\s+soumissionner\s+aux\s+march[ée]s\s+(?:publics\s+)?r[ée]serv|\bnous\s+nous\s+engageons\b",
    _I,
)
# The buyer describing its own policy ("la collectivité s'engage / souhaite ...") rather than a requirement: only
# wordings that fix a lever (a clause d'insertion, a reservation...) count there.
_BUYER_POLICY = re.compile(
    rf"(?:collectivit[ée]|pouvoir\s+adjudicateur|acheteur|ville|commune|d[ée]partement|r[ée]gion|ma[îi]tre\s+"
    rf"d.ouvrage|[ée]tablissement)\s+(?:\w+\s+){{0,2}}(?:s{_A}\s*engage|souhaite|entend|veut|a\s+pour\s+ambition)",
    _I,
)
_STRONG_SELECTION = re.compile(
    r"ISO\s*14\s?001|ISO\s?14001|\bEMAS\b|gestion\s+environnementale|management\s+environnemental|certifica|[ée]co-?label"
    r"|(?:savoir-faire|comp[ée]tences?|expertise|d[ée]marche|politique|charte|engagements?)\s+environnementa",
    _I,
)
_ENERGY_CERTIFICATES = re.compile(
    r"certificats?\s+d.[ée]conomies?\s+d.[ée]nergie|\bC\.?E\.?E\.?\b", re.UNICODE
)
# A buyer's or a department's name ("Direction de l'Environnement", "Ministère de la Transition écologique").
_NAME_BEFORE = re.compile(
    r"\b(?:[Mm]inist[èe]re|MINIST[ÈE]RE|Direction|DIRECTION|direction|Agence|AGENCE|agence|Service|SERVICE|Syndicat"
    r"|SYNDICAT|syndicat|P[ôo]le|Office|Institut|Conseil|Observatoire|Maison|Comit[ée]|D[ée]partement|Bureau|Mission"
    r"|DREAL|DDT|Cellule|Division|Secr[ée]tariat|Fonds|Agence|Vice-pr[ée]sident|Adjoint|[ée]lu)\b"
    r"[^.;:\n,()]{0,50}?(?:\bde\s+la\s+|\bde\s+l.\s*|\bdu\s+|\bdes\s+|\bet\s+|\s)$"
)
_NAME_AFTER_CAPITAL = re.compile(
    r"^(?:Environnement|Développement\s+Durable|Transition\s+[ÉE]cologique|Écologie)"
)
# The words of a body's name after "Direction de", "Syndicat de"... ("Agence de l'Environnement et de la Maîtrise de
# l'Énergie", "Office français de la biodiversité", "Syndicat de valorisation des déchets").
_NAME_WORDS = re.compile(
    r"environnement|d[ée]veloppement\s+durable|transition|[ée]colog|biodiversit|ma[îi]trise\s+de\s+l.[ée]nergie"
    r"|[ée]nergie|climat|espaces?\s+naturels|milieux|d[ée]chets|valorisation|traitement|tri\b|collecte|recyclage"
    r"|pr[ée]vention|qualit[ée]\s+de\s+l.environnement",
    _I,
)
# Servicing or fuelling what is already there is not a purchase whose purpose is environmental or social: energy
# equipment ("Entretien des chaudières ... solaires", "maintenance des panneaux photovoltaïques"), lifts for persons with
# reduced mobility, and natural areas or wetlands with no requirement stated (ANNOTATION.md); building, installing
# or restoring them is.
_MAINTAINED = re.compile(
    r"solaire|photovolta|chaufferie|chaudi[èe]re|g[ée]otherm|[ée]olien|pompes?\s+[àa]\s+chaleur|bornes?\s+de\s+recharge"
    r"|ascenseurs?|[ée]l[ée]vateurs?|monte-|espaces?\s+naturels?|zones?\s+humides?|milieux?\s+naturels?|mares?\b",
    _I,
)
_MAINTENANCE = re.compile(r"\b(?:entretien|maintenance|d[ée]pannages?|ramonage|combustibles?|approvisionnement)\b", _I)
# A title that says the contract carries a condition ("le marché comporte une clause...", "avec clause d'insertion")
# rather than naming its purpose ("Action d'insertion ayant pour support...").
_CARRIES = re.compile(r"\b(?:comporte|comprend|pr[ée]voit|int[èe]gre|inclut|assorti|avec)\b", _I)
_CODE_BEFORE = re.compile(r"code\s+(?:de\s+l.|du\s+)?$", _I)

_CRITERION = re.compile(r"crit[èe]re", _I)
# A description stating the purpose of the purchase ("le marché a pour objet ...", "la mission consiste à ...").
_PURPOSE_CUE = re.compile(
    rf"(?:a|ont)\s+pour\s+(?:objet|but|objectif)|objet\s+(?:du|de\s+la|de\s+l{_A})|\bconcerne|porte(?:nt)?\s+sur"
    rf"|consiste|\bvise|objectifs?\b|s{_A}\s*agit|il\s+est\s+pr[ée]vu",
    _I,
)
# Wording that requires a characteristic (in a description: a technical specification rather than the purpose).
SPEC_REQUIREMENT_CUE = re.compile(
    r"ou\s+[ée]quivalent|conformes?\s+(?:[àa]\s+la\s+norme|aux\s+normes)|exig[ée]e?s?\b|devront\s+(?:[êe]tre|respecter|"
    r"r[ée]pondre)|doivent\s+(?:[êe]tre|respecter|r[ée]pondre)|performances?\s+minimales?|attention\s+particuli[èe]re"
    r"|sera\s+port[ée]e?\s+(?:[àa]|sur)|impos[ée]e?s?\b|obligatoirement",
    _I,
)

SECTION_LEVER: dict[str, Lever] = {
    "award_criteria": Lever.AWARD_CRITERION,
    "execution_conditions": Lever.EXECUTION_CONDITION,
    "reservation": Lever.RESERVATION,
    "participation": Lever.SELECTION_CRITERION,
    "technical_specification": Lever.TECHNICAL_SPECIFICATION,
}


def blocked_clause(text: str) -> bool:
    """Boilerplate (exclusion grounds, sworn declarations, tenderers' integrity pledges) or the buyer's own policy."""
    return bool(_BOILERPLATE.search(text) or _SWORN_DECLARATION.search(text) or _BUYER_POLICY.search(text))


def negated_clause(text: str) -> bool:
    """A clause that only answers "no" (an empty or negative form field)."""
    return bool(_EMPTY.match(text))


def _negated(text: str, start: int, end: int) -> bool:
    if _ANSWER_NO.match(text, end):
        return True
    return bool(_NEGATION_BEFORE.search(text[max(0, start - 120) : start]))


def _is_name(text: str, start: int, end: int) -> bool:
    """'Environnement' or 'Transition écologique' inside a buyer's / department's name or a code's name. Only the
    words such names are made of count: "Mission de diagnostic qualité de l'air" is a purpose, not a name."""
    before = text[max(0, start - 70) : start]
    if _CODE_BEFORE.search(before):
        return True
    if _NAME_WORDS.match(text, start) and _NAME_BEFORE.search(before):
        return True
    return bool(_NAME_AFTER_CAPITAL.match(text, start)) and not re.search(
        r"\b(?:crit|perf|prot|respect|mesure)", before, _I
    )


def resolve_lever(rule: Rule, text: str, kind: str) -> Lever | None:
    if rule.lever is Lever.RESERVATION:
        return Lever.RESERVATION
    if (
        kind in _AWARD_KINDS
        or AWARD_CUE.search(text)
        or (AWARD_WEAK_CUE.search(text) and _CRITERION.search(text))
    ):
        return Lever.AWARD_CRITERION
    if rule.strong and rule.lever is not None:
        return rule.lever
    section = SECTION_LEVER.get(kind)
    if section is Lever.RESERVATION:
        section = None if rule.dimension is ENV else section
    if section is not None:
        return section
    if rule.lever is not None:
        return rule.lever
    if kind in ("description", "lot") and SPEC_REQUIREMENT_CUE.search(text):
        return Lever.TECHNICAL_SPECIFICATION
    if kind in _SUBJECT_KINDS and rule.subject:
        return Lever.CONTRACT_SUBJECT
    if EXECUTION_CUE.search(text):
        return Lever.EXECUTION_CONDITION
    if SELECTION_CUE.search(text):
        return Lever.SELECTION_CRITERION
    if kind in _SUBJECT_KINDS and SPEC_CUE.search(text):
        return Lever.TECHNICAL_SPECIFICATION
    return None


def _confidence(rule: Rule, lever: Lever, text: str, kind: str) -> float:
    """The rule's confidence, lowered where the same words are often not a consideration (a description listing
    items, a candidate's skills, the buyer's own policy, a cue found outside any lever section)."""
    conf = rule.confidence
    if rule.strong or rule.precise or lever is Lever.RESERVATION:
        return conf
    if kind in ("description", "lot"):
        conf = min(conf, 0.6)
        if lever is Lever.CONTRACT_SUBJECT and not _PURPOSE_CUE.search(text):
            return 0.0  # an item in a description's list is not the purpose of the purchase
    elif kind == "participation" and not _STRONG_SELECTION.search(text):
        conf = min(conf, 0.65)
    elif kind not in SECTION_LEVER and kind not in _SUBJECT_KINDS and lever is not Lever.AWARD_CRITERION:
        conf = min(conf, 0.75)
    return conf


def match_clause(
    text: str, kind: str = "other", zone: str | None = None, dims: set | None = None, trace: list | None = None
) -> list[Hit]:
    """Rule hits in one clause (NFC text) of a section of the given kind; empty for negative statements.
    Without `trace`, results are remembered (a clause of a platform's or a form's boilerplate comes back in notice
    after notice): see `_match_clause`."""
    if trace is not None:
        return _match_clause(text, kind, zone, dims, trace)
    return list(_remembered(text, kind, zone, None if dims is None else frozenset(dims)))


@functools.lru_cache(maxsize=32768)
def _remembered(text: str, kind: str, zone: str | None, dims: frozenset | None) -> tuple[Hit, ...]:
    return tuple(_match_clause(text, kind, zone, dims, None))


def _match_clause(
    text: str, kind: str = "other", zone: str | None = None, dims: set | None = None, trace: list | None = None
) -> list[Hit]:
    """Rule hits in one clause (NFC text) of a section of the given kind; empty for negative statements.
    At most one hit per rule (its first unnegated match). `dims`: the dimensions of the trigger stems found in the
    clause (None for a lever wording), when known, to skip the other dimension's rules. `trace`, when given,
    receives a `Suppressed` for every rule match that was not kept, with the reason (for `explain`)."""
    if zone in ("buyer", "review") or negated_clause(text) or _BOILERPLATE.search(text):
        if trace is not None:
            trace_all(trace, text, kind, "boilerplate" if _BOILERPLATE.search(text) else "zone")
        return []
    sworn = _SWORN_DECLARATION.search(text) is not None
    cee = _ENERGY_CERTIFICATES.search(text) is not None
    policy = _BUYER_POLICY.search(text) is not None
    lever_cue = kind in ("title", "object") and bool(AWARD_CUE.search(text) or EXECUTION_CUE.search(text))
    hits: list[Hit] = []
    for rule in RULES:
        if rule.kinds is not None and kind not in rule.kinds:
            continue
        if dims is not None and rule.dimension not in dims and None not in dims:
            continue
        if zone == "procedure" and not rule.strong:
            continue
        skip = None
        if kind in ("title", "object") and not (rule.subject or rule.strong or lever_cue):
            skip = "title_purpose_only"  # a title states the purpose: purpose families, fixed-lever
            # wordings or explicit cues
        elif rule.dimension is SOC and sworn and rule.lever is not Lever.RESERVATION:
            skip = "sworn_declaration"
        elif rule.dimension is ENV and cee:
            skip = "energy_certificates"
        elif policy and not rule.strong:
            skip = "buyer_policy"
        if skip is not None:
            if trace is not None:
                _trace_rule(trace, rule, text, skip)
            continue
        for m in rule.pattern.finditer(text):
            start, end = m.span()
            if _negated(text, start, end):
                if trace is not None:
                    trace.append(Suppressed(rule.name, rule.dimension, None, start, end, "negation"))
                break  # "n'est pas réservé au titre des articles L. 2113-12 et L. 2113-13": the rest too
            if rule.subject and _MAINTAINED.search(m.group(0)) and _MAINTENANCE.search(text, 0, start):
                if trace is not None:
                    trace.append(Suppressed(rule.name, rule.dimension, None, start, end, "maintenance"))
                continue
            if rule.dimension is ENV and _is_name(text, start, end):
                if trace is not None:
                    trace.append(Suppressed(rule.name, rule.dimension, None, start, end, "name"))
                continue
            lever = resolve_lever(rule, text, kind)
            if lever is None or (lever is Lever.RESERVATION and rule.dimension is ENV):
                if trace is not None:
                    trace.append(Suppressed(rule.name, rule.dimension, None, start, end, "no_lever"))
                break
            conf = _confidence(rule, lever, text, kind)
            if conf > 0:
                hits.append(Hit(rule.name, rule.dimension, lever, conf, start, end))
            elif trace is not None:
                trace.append(Suppressed(rule.name, rule.dimension, lever, start, end, "description_item"))
            break
    fixed = [h for h in hits if h.lever is not Lever.CONTRACT_SUBJECT and _RULE_BY_NAME[h.rule].strong
             and (kind not in ("title", "object") or _CARRIES.search(text, 0, h.start))]
    if fixed:  # "le marché comporte un dispositif de promotion de l'emploi de personnes en insertion": a condition
        inside = [h for h in hits if h.lever is Lever.CONTRACT_SUBJECT
                  and any(f.dimension is h.dimension and f.start <= h.start and h.end <= f.end for f in fixed)]
        if trace is not None:
            trace.extend(Suppressed(h.rule, h.dimension, h.lever, h.start, h.end, "superseded") for h in inside)
        hits = [h for h in hits if h not in inside]
    if any(h.lever is Lever.RESERVATION for h in hits):  # "le lot 1 est réservé aux ESAT": a reservation, not more
        kept = [h for h in hits if h.dimension is not SOC or h.lever is Lever.RESERVATION or h.rule != "social.lexicon"]
        if trace is not None:
            trace.extend(Suppressed(h.rule, h.dimension, h.lever, h.start, h.end, "reservation_clause")
                         for h in hits if h not in kept)
        hits = kept
    return hits


@dataclass(frozen=True)
class Suppressed:
    """A rule match that did not become a hit, and why: `reason` is a code of SUPPRESSION_LABELS
    (models/vocabulary.py); offsets are within the clause text."""

    rule: str
    dimension: Dimension
    lever: Lever | None
    start: int
    end: int
    reason: str


def _trace_rule(trace: list, rule: Rule, text: str, reason: str) -> None:
    m = rule.pattern.search(text)
    if m is not None:
        trace.append(Suppressed(rule.name, rule.dimension, None, m.start(), m.end(), reason))


def trace_all(trace: list, text: str, kind: str, reason: str) -> None:
    """A `Suppressed` in `trace` for the first match of every rule that reads sections of `kind`, all for `reason`."""
    for rule in RULES:
        if rule.kinds is None or kind in rule.kinds:
            _trace_rule(trace, rule, text, reason)
