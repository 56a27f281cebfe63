"""Rules on hand-written sentences: one positive per (dimension, lever), and the negatives of ANNOTATION.md."""

from __future__ import annotations

import pytest

from classifier.rules import match_clause
from models.vocabulary import Dimension, Lever

SOC, ENV = Dimension.SOCIAL, Dimension.ENVIRONMENTAL


def pairs(text: str, kind: str = "other", zone: str | None = None) -> set[tuple[Dimension, Lever]]:
    return {(h.dimension, h.lever) for h in match_clause(text, kind, zone)}


POSITIVES = [
    # (sentence, section kind, expected pair)
    # the code's and the former code's wordings of an insertion clause, wherever they sit
    (
        "Conditions d'exécution visant à promouvoir l'emploi de personnes rencontrant des difficultés particulières "
        "d'insertion.",
        "additional_info",
        (SOC, Lever.EXECUTION_CONDITION),
    ),
    (
        "Le nombre d'heures de travail à réaliser au titre de l'engagement d'insertion est de 350 heures.",
        "description",
        (SOC, Lever.EXECUTION_CONDITION),
    ),
    (
        "Le titulaire devra réserver 10 % du volume total des heures de travail aux publics éligibles.",
        "additional_info",
        (SOC, Lever.EXECUTION_CONDITION),
    ),
    # services whose stated purpose is professional insertion (ANNOTATION.md)
    (
        "Prestations de services d'insertion professionnelle auprès des demandeurs d'emploi",
        "title",
        (SOC, Lever.CONTRACT_SUBJECT),
    ),
    ("Accompagnement vers l'emploi", "title", (SOC, Lever.CONTRACT_SUBJECT)),
    # "l'offre est jugée sur": an award criterion wherever it is written
    (
        "L'offre est jugée sur les mesures prises pour limiter l'impact environnemental des prestations.",
        "additional_info",
        (ENV, Lever.AWARD_CRITERION),
    ),
    ("Sous-critère 2.4 : qualité et environnement", "award_criteria", (ENV, Lever.AWARD_CRITERION)),
    ("Œufs issus de l'agriculture biologique.", "additional_info", (ENV, Lever.TECHNICAL_SPECIFICATION)),
    (
        "Le savoir-faire environnemental (charte de l'entreprise, moyens dédiés, formation du personnel).",
        "participation",
        (ENV, Lever.SELECTION_CRITERION),
    ),
    (
        "Marché d'insertion et de qualification professionnelle des personnes éloignées de l'emploi",
        "title",
        (SOC, Lever.CONTRACT_SUBJECT),
    ),
    (
        "Les vêtements porteront le label Fair Wear ou équivalent.",
        "technical_specification",
        (SOC, Lever.TECHNICAL_SPECIFICATION),
    ),
    (
        (
            "Le marché comporte une clause sociale d'insertion en application de l'article L. 2112-2 du code de la "
            "commande publique."
        ),
        "execution_conditions",
        (SOC, Lever.EXECUTION_CONDITION),
    ),
    (
        "Critère 4 : performances en matière d'insertion professionnelle des publics en difficulté / Pondération : 10",
        "award_criteria",
        (SOC, Lever.AWARD_CRITERION),
    ),
    (
        (
            "Le marché est réservé à des entreprises adaptées et à des établissements et services d'aide par le travail "
            "(article L. 2113-12 du code de la commande publique)."
        ),
        "reservation",
        (SOC, Lever.RESERVATION),
    ),
    (
        (
            "Lot 2 réservé aux structures d'insertion par l'activité économique en application de l'article 36 de "
            "l'ordonnance n° 2015-899."
        ),
        "other",
        (SOC, Lever.RESERVATION),
    ),
    (
        "Marché réservé en application de l'article 15 du code des marchés publics.",
        "other",
        (SOC, Lever.RESERVATION),
    ),
    (
        "Références du candidat en matière d'insertion professionnelle des personnes éloignées de l'emploi.",
        "participation",
        (SOC, Lever.SELECTION_CRITERION),
    ),
    (
        "Collecte sélective et valorisation des biodéchets des cantines scolaires",
        "title",
        (ENV, Lever.CONTRACT_SUBJECT),
    ),
    (
        "Les produits d'entretien porteront l'écolabel européen ou équivalent.",
        "description",
        (ENV, Lever.TECHNICAL_SPECIFICATION),
    ),
    (
        "Le papier sera certifié FSC ou PEFC ou équivalent.",
        "technical_specification",
        (ENV, Lever.TECHNICAL_SPECIFICATION),
    ),
    (
        "Les conditions d'exécution comportent des éléments à caractère environnemental détaillés au CCAP.",
        "execution_conditions",
        (ENV, Lever.EXECUTION_CONDITION),
    ),
    (
        "Le titulaire s'engage à assurer le tri et la valorisation des déchets de chantier.",
        "other",
        (ENV, Lever.EXECUTION_CONDITION),
    ),
    (
        "Performances en matière de protection de l'environnement : 10 %",
        "award_criteria",
        (ENV, Lever.AWARD_CRITERION),
    ),
    (
        "Critère n° 3 - Dispositions prises en matière de développement durable / Pondération : 5",
        "other",
        (ENV, Lever.AWARD_CRITERION),
    ),
    (
        (
            "Le candidat fournit un certificat ISO 14001 ou toute preuve équivalente de mesures de gestion "
            "environnementale."
        ),
        "participation",
        (ENV, Lever.SELECTION_CRITERION),
    ),
    ("Rénovation énergétique du groupe scolaire Jules Ferry", "object", (ENV, Lever.CONTRACT_SUBJECT)),
    (
        "Le désherbage est manuel ou mécanique : aucun produit phytosanitaire ne peut être employé.",
        "description",
        (ENV, Lever.TECHNICAL_SPECIFICATION),
    ),
    ("Activités de découverte de l'environnement pour les classes", "title", (ENV, Lever.CONTRACT_SUBJECT)),
    (
        "Politique de développement durable du candidat (démarches environnementales, démarches sociales) - 40 points",
        "additional_info",
        (SOC, Lever.AWARD_CRITERION),
    ),
]


# Purpose families written from the code de l'environnement's domains and the national guides (one sentence each,
# written for the test): a title stating one of them is an environmental contract subject.
ENV_SUBJECT_TITLES = [
    "Aménagement d'une passe à poisson sur le seuil du moulin",
    "Étude préalable à l'effacement du seuil de la Forge",
    "Plan de gestion sédimentaire et espace de bon fonctionnement de la rivière",
    "Suivi floristique des prairies de fauche",
    "Protection de la ressource en eau des captages prioritaires du syndicat",
    "Pose d'un écran anti-bruit le long de la rocade",
    "Travaux de dépollution de l'ancienne station-service",
    "Étude de vulnérabilité au changement climatique du territoire",
    "Remplacement des groupes froids fonctionnant au HCFC",
    "Passage en LED de l'éclairage du gymnase",
    "Maîtrise d'œuvre de l'écoquartier des Rives",
    "Étude d'impact du projet de déviation",
    "Collecte en apport volontaire du verre et des papiers",
    "Impression de la revue municipale sur papier recyclé",
    "Diagnostic énergétique des bâtiments communaux",
    "Fourniture d'électricité verte pour les bâtiments de la commune",
    "Désimperméabilisation et végétalisation de la cour de l'école",
    "Mission de diagnostic de la qualité de l'air intérieur",
    "Assistance du Département dans le cadre de la séquence éviter, réduire, compenser",
    "Remplacement de la chaudière fioul par une chaudière à granulés",
    "Déploiement de bornes IRVE sur les parkings publics",
    "Fourniture de couches lavables pour les crèches municipales",
    "Animation d'ateliers de lutte contre le gaspillage alimentaire dans les cantines",
    "Diagnostic de pollution des sols selon la norme NF X31-620",
    "Réseau de surveillance de la qualité des eaux souterraines",
    "Animation du contrat de rivière de la Bourbre",
    "Création d'une chaufferie bois pour le groupe scolaire",
    "Collecte, tri et valorisation des déchets diffus spécifiques",
    "Fourniture de berlines électriques",
    "Plan de gestion de l'espace naturel sensible du marais",
    "Acquisition de matériel de désherbage alternatif",
]


# Each title above reaches the rules through the trigger words that open a clause to them (classifier.rules stems):
# a family whose words no stem covers would never be tried on a real notice.
@pytest.mark.parametrize("text", ENV_SUBJECT_TITLES)
def test_environmental_purpose_found_by_the_whole_classifier(classifier, text):
    from classifier import Document

    found = {(d.dimension, d.lever) for d in classifier.classify(Document(id="t", title=text))}
    assert (ENV, Lever.CONTRACT_SUBJECT) in found


@pytest.mark.parametrize("text", ENV_SUBJECT_TITLES)
def test_environmental_purpose_in_a_title(text):
    assert (ENV, Lever.CONTRACT_SUBJECT) in pairs(text, "title")


@pytest.mark.parametrize(
    "text, kind, expected", POSITIVES, ids=[f"{p[2][0]}-{p[2][1]}-{i}" for i, p in enumerate(POSITIVES)]
)
def test_rule_finds_the_pair(text, kind, expected):
    assert expected in pairs(text, kind)


def test_every_lever_and_dimension_has_a_positive_case():
    covered = {p[2] for p in POSITIVES}
    expected = {(d, lv) for d in Dimension for lv in Lever} - {(ENV, Lever.RESERVATION)}
    assert covered == expected


NEGATIVES = [
    ("Ancre et vis bio résorbable de ténodèse", "title"),
    ("Adaptation de la solution à l'environnement technique de la collectivité : 20 %", "award_criteria"),
    ("Marché réservé : non", "participation"),
    ("Conditions de participation : Marché réservé : non.", "participation"),
    ("Conditions particulières d'exécution : néant", "execution_conditions"),
    ("Critères sociaux et environnementaux : non", "other"),
    (
        (
            "Le marché est réservé à des ateliers protégés et des opérateurs économiques dont l'objet est l'intégration "
            "sociale et professionnelle de personnes handicapées ou défavorisées : non"
        ),
        "reservation",
    ),
    (
        (
            "Déclaration sur l'honneur attestant que le candidat est en règle au regard des articles L. 5212-1 à L. 5212-11 "
            "du code du travail concernant l'emploi des travailleurs handicapés."
        ),
        "participation",
    ),
    (
        (
            "Renseignements sur le respect de l'obligation d'emploi mentionnée aux articles L5212-1 à L5212-11 du Code du "
            "travail"
        ),
        "participation",
    ),
    ("Direction de l'Environnement et du Développement durable, 2 rue de la Mairie, 75001 Paris", "other"),
    ("Ministère de la transition écologique et solidaire", "object"),
    ("Le titulaire valorise les certificats d'économies d'énergie (CEE) issus des travaux.", "description"),
    ("La prestation est réservée à une profession déterminée.", "other"),
    ("Le pouvoir adjudicateur se réserve le droit de ne pas donner suite à la consultation.", "other"),
    ("Assurance des risques statutaires : marché réservé aux entreprises d'assurance agréées.", "object"),
    ("Prix : 60 % ; valeur technique : 40 % ; délai : 10 %", "award_criteria"),
    (
        "Coordination SPS et plan de prévention de la sécurité des travailleurs sur le chantier.",
        "description",
    ),
    ("Recyclage CACES R489 pour les caristes", "title"),
    ("Le marché ne comporte pas de clause sociale.", "execution_conditions"),
    ("Fourniture de produits détergents (hors produits écolabellisés)", "title"),
    ("Le marché n'est pas réservé au titre des articles L. 2113-12 et L. 2113-13.", "reservation"),
    ("Fourniture et pose de films de protection solaire", "title"),
    ("La collectivité souhaite limiter les impacts environnementaux de ses achats.", "execution_conditions"),
    (
        "Est irrégulière une offre qui méconnaît la législation en matière sociale et environnementale.",
        "other",
    ),
    ("Formations Sauveteur Secouriste du Travail et gestes et soins d'urgence", "title"),
    ("Délégation du service public de collecte des ordures ménagères", "title"),
    ("Dépollution pyrotechnique du terrain militaire", "title"),
    ("Mise en place de la tarification incitative des ordures ménagères", "title"),  # a billing scheme
    ("Entretien des chaudières gaz et des chauffe-eau solaires des logements", "title"),
    ("Lavage des conteneurs d'apport volontaire", "title"),
    ("Transport des refus du centre de compostage", "title"),
    ("Scénographie du hall de l'unité de valorisation énergétique", "title"),
    ("Viabilisation d'un lotissement de 18 lots réservés à la construction de logements", "title"),
    ("Isolation acoustique des salles de classe", "title"),
    ("Fourniture de combustibles granulés bois pour la chaufferie biomasse", "title"),
    ("Entretien courant de l'espace naturel sensible du domaine", "title"),
    ("Maintenance des ascenseurs et élévateurs pour personnes à mobilité réduite", "title"),
    ("Acquisition d'une imprimante pour la bio impression de tissus", "title"),
    ("Fourniture de papier pour photocopieurs", "title"),
    ("Réservation de berceaux dans une crèche située dans l'écoquartier de la gare", "title"),
    ("Sous-critère 1.1 : qualification des agents (diplômes et recyclage obligatoire) : 10 points", "award_criteria"),
    ("Fourniture de mobilier pour le Syndicat de valorisation des déchets ménagers", "title"),
    ("Fourniture de casques anti-bruit pour les agents des ateliers", "title"),
    ("Étude d'impact économique du futur parc des expositions", "title"),
    ("Fourniture de sacs en papier pour les bibliothèques", "title"),
    ("Collecte et destruction des papiers confidentiels", "title"),
    ("Travaux de voirie soumis à déclaration au titre du code de l'environnement", "title"),
]


@pytest.mark.parametrize("text, kind", NEGATIVES, ids=[n[0][:40] for n in NEGATIVES])
def test_rule_does_not_fire(text, kind):
    assert pairs(text, kind) == set()


def test_buyer_zone_is_never_a_hit():
    assert (
        pairs("Syndicat mixte de l'environnement et de la valorisation des déchets", "other", "buyer")
        == set()
    )


def test_each_hit_names_its_rule_and_span():
    text = "Performances en matière de protection de l'environnement : 10 %"
    hit = match_clause(text, "award_criteria")[0]
    assert hit.rule == "environmental.lexicon"
    assert "environnement" in text[hit.start : hit.end]
