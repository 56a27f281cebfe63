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
