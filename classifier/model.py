"""The trained part of the classifier: scikit-learn pipelines over light-stemmed French words, character n-grams
and the section kind.

Words come from a regular-expression tokenizer and a light stemmer (`word_forms`): no language model is loaded
when tagging (spaCy's French tokenizer took seconds to compile its patterns at every start). Two calibrated
pipelines: `dimension` (one probability per dimension for a clause) and `lever` (the lever of a (clause, dimension)
pair). The artifact (joblib) is the `ClauseModel`, with a version string = short hash of (training data + classifier
code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import Pipeline

from models.notice import SECTION_KINDS
from models.vocabulary import Lever

from .compiled import ARTIFACT, DIMENSIONS, CompiledModel, compile_model
from .tokens import TOKENIZER, word_forms

__all__ = [
    "ARTIFACT",
    "DIMENSIONS",
    "LEVERS",
    "ClauseFeatures",
    "ClauseModel",
    "make_dimension_pipeline",
    "make_lever_pipeline",
]

LEVERS: tuple[Lever, ...] = tuple(Lever)


def _split(s: str) -> list[str]:
    return s.split()


class ClauseFeatures(BaseEstimator, TransformerMixin):
    """Clause items -> sparse features: tf-idf of lemma 1-2-grams, tf-idf of character 3-5-grams (robust to the
    typos and broken accents of real notices), the section kind and, for the lever model, the dimension.

    An item is a tuple (text, section_kind) or (text, section_kind, dimension).
    """

    def __init__(self, with_dimension: bool = False, char_max_features: int = 30000):
        self.with_dimension = with_dimension
        self.char_max_features = char_max_features

    def fit(self, X, y=None):
        texts = [x[0] for x in X]
        self.words_ = TfidfVectorizer(
            tokenizer=_split,
            lowercase=False,
            token_pattern=None,
            ngram_range=(1, 2),
            min_df=1,
            sublinear_tf=True,
        ).fit(word_forms(texts))
        self.tokenizer_ = TOKENIZER
        self.chars_ = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            min_df=2,
            sublinear_tf=True,
            max_features=self.char_max_features,
        ).fit([t.lower() for t in texts])
        return self

    def transform(self, X):
        texts = [x[0] for x in X]
        words = self.words_.transform(word_forms(texts))
        chars = self.chars_.transform([t.lower() for t in texts])
        return sp.hstack([words, chars * 0.5, self._context(X)], format="csr")

    def _context(self, X) -> sp.csr_matrix:
        kinds = {k: i for i, k in enumerate(SECTION_KINDS)}
        dims = {d.value: i for i, d in enumerate(DIMENSIONS)}
        width = len(kinds) + (len(dims) * (1 + len(kinds)) if self.with_dimension else 0)
        rows, cols = [], []
        for r, x in enumerate(X):
            k = kinds.get(x[1], kinds["other"])
            rows.append(r)
            cols.append(k)
            if self.with_dimension:
                d = dims[str(x[2])]
                rows += [r, r]
                cols += [len(kinds) + d, len(kinds) + len(dims) + d * len(kinds) + k]
        data = np.ones(len(rows), dtype=np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(X), width))


def make_dimension_pipeline(cv: int = 5) -> Pipeline:
    """(text, kind) -> one calibrated probability per dimension (social, environmental)."""
    base = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000)
    return Pipeline(
        [
            ("features", ClauseFeatures()),
            ("clf", MultiOutputClassifier(CalibratedClassifierCV(base, method="sigmoid", cv=cv))),
        ]
    )


def make_lever_pipeline(cv: int = 3) -> Pipeline:
    """(text, kind, dimension) -> calibrated probabilities over the levers."""
    base = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000)
    return Pipeline(
        [
            ("features", ClauseFeatures(with_dimension=True)),
            ("clf", CalibratedClassifierCV(base, method="sigmoid", cv=cv)),
        ]
    )


@dataclass
class ClauseModel:
    """The shipped artifact: both pipelines, the version, and what they were trained and evaluated on."""

    dimension: Pipeline
    lever: Pipeline
    version: str
    info: dict = field(default_factory=dict)

    def dimension_proba(self, items: Sequence[tuple[str, str]]) -> np.ndarray:
        """n x 2 probabilities, columns in DIMENSIONS order."""
        if not items:
            return np.zeros((0, len(DIMENSIONS)))
        probas = self.dimension.predict_proba(list(items))
        return np.column_stack([p[:, 1] for p in probas])

    def lever_proba(self, items: Sequence[tuple[str, str, str]]) -> tuple[list[Lever], np.ndarray]:
        if not items:
            return [], np.zeros((0, 0))
        proba = self.lever.predict_proba(list(items))
        return [Lever(c) for c in self.lever.classes_], proba

    def save(self, path: str | Path = ARTIFACT) -> Path:
        """Saved compiled (classifier.compiled.load_model reads it): tagging then needs neither scikit-learn nor
        these pipelines."""
        return self.compile().save(path)

    def compile(self) -> CompiledModel:
        return compile_model(self)
