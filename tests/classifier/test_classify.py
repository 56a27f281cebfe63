"""Classify hand-written notices: the pairs found, their evidence and the traps of real notices."""

from __future__ import annotations

from classifier import Document, document_from_notice
from models.notice import Notice, Section
from models.vocabulary import Dimension, Lever

from .conftest import real_notice

SOC, ENV = Dimension.SOCIAL, Dimension.ENVIRONMENTAL


def pairs(classifier, text="", **kw):
    return {(d.dimension, d.lever) for d in classifier.classify(Document("t", text, **kw))}


def test_mapa_notice_with_award_and_execution_considerations(classifier):
    text = (
        "Avis d'appel public à la concurrence\n"
        "Objet du marché : Nettoyage des locaux de la mairie\n"
        "Critères d'attribution :\n"
        "- Prix : 60 %\n"
        "- Valeur technique : 30 %\n"
        "- Performances en matière de protection de l'environnement : 10 %\n"
        "Conditions particulières d'exécution :\n"
        "Le titulaire réalisera une action d'insertion au bénéfice de personnes éloignées de l'emploi "
        "(article L. 2112-2 du code de la commande publique).\n"
    )
    assert pairs(classifier, text) == {(ENV, Lever.AWARD_CRITERION), (SOC, Lever.EXECUTION_CONDITION)}


def test_boilerplate_notice_has_no_consideration(classifier):
    text = (
        "Direction de l'Environnement - Service des marchés\n"
        "Objet : fourniture d'électricité pour les bâtiments communaux\n"
        "Le titulaire valorise les certificats d'économies d'énergie (CEE).\n"
        "Conditions de participation : Marché réservé : non.\n"
        "Déclaration sur l'honneur du candidat justifiant qu'il est en règle au regard des articles L. 5212-1 à "
        "L. 5212-11 du code du travail concernant l'emploi des travailleurs handicapés.\n"
        "Conditions particulières d'exécution : néant\n"
        "La prestation est réservée à une profession déterminée.\n"
        "Critères d'attribution : prix 70 %, valeur technique 30 %.\n"
    )
    assert pairs(classifier, text) == set()


def test_reserved_contract_from_parser_sections(classifier):
    notice = Notice(
        source="demo",
        source_id="r1",
        title="Entretien des espaces verts",
        sections=[
            Section(
                "Marché réservé",
                "Le marché est réservé à des établissements et services d'aide par le "
                "travail et à des entreprises adaptées (article L. 2113-12).",
                kind="reservation",
            )
        ],
    )
    detections = classifier.classify(document_from_notice(notice))
    assert [(d.dimension, d.lever) for d in detections] == [(SOC, Lever.RESERVATION)]
    d = detections[0]
    assert notice.full_text()[d.start : d.end] == d.evidence and d.section == "Marché réservé"


def test_detection_says_why(classifier):
    text = "Critères d'attribution : valeur environnementale des produits (écolabel européen) : 15 %."
    (d,) = classifier.classify(Document("w", text))
    assert d.method in ("rule", "rule+model") and 0.6 <= d.confidence <= 1
    assert text[d.start : d.end] == d.evidence and "environnementale" in d.evidence
    assert d.section is None or "attribution" in d.section


def test_evidence_is_at_most_300_characters(classifier):
    long = (
        "Conditions particulières d'exécution :\n"
        + ("Le titulaire respecte le planning. " * 20)
        + ("Le titulaire s'engage à réduire et trier les déchets de chantier et à les valoriser, " * 3)
        + ("Le titulaire respecte le planning. " * 20)
    )
    detections = classifier.classify(Document("l", long))
    assert detections and all(
        len(d.evidence) <= 300 and long[d.start : d.end] == d.evidence for d in detections
    )


def test_one_detection_per_pair(classifier):
    text = (
        "Critères d'attribution : performance environnementale 10 %.\n"
        "Critère 3 : démarche environnementale / Pondération : 5\n"
    )
    assert len(classifier.classify(Document("p", text))) == 1


def test_real_ted_notice_with_empty_reserved_contracts_heading(classifier):
    text = real_notice(
        "35594643"
    )  # EDF generating sets: "III.1.5) Information about reserved contracts" empty
    assert classifier.classify(Document("35594643", text)) == []


def test_classify_many_keeps_order(classifier):
    docs = [
        Document(str(i), t) for i, t in enumerate(["Prix 100 %.", "Rénovation énergétique du gymnase"] * 3)
    ]
    results = list(classifier.classify_many(docs, batch_size=4))
    assert [bool(r) for r in results] == [False, True] * 3
