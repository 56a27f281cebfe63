"""Test doubles the project's tests share (never shipped): a stub classifier."""

from __future__ import annotations

from classifier import Detection
from models.vocabulary import Dimension, Lever


class StubClassifier:
    """One social execution condition per notice: the store's behaviour is under test, not the model."""

    version = "stub-1"

    def classify_many(self, docs):
        for _doc in docs:
            yield [Detection(Dimension.SOCIAL, Lever.EXECUTION_CONDITION, 0.9, "Clause d'insertion", 0, 10,
                             "Conditions d'exécution", "rule", self.version)]
