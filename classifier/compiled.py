"""The shipped model as plain arrays: what `tenderwatch tag` loads, with numpy only.

scikit-learn takes about two seconds to import (it imports scipy.stats), more than the whole one-notice `tag` run
may take, and scipy.sparse alone a third of a second. The trained pipelines (classifier.model.ClauseModel,
scikit-learn) are therefore compiled, when saved, into this form: the tf-idf vocabularies and weights, every
cross-validated logistic regression's coefficients and its sigmoid calibration. `dimension_proba` and `lever_proba`
compute what the pipelines' `predict_proba` computes (tests/classifier/test_compiled.py compares both on real and
edge-case texts), importing neither scikit-learn nor scipy.
"""

from __future__ import annotations

import pickle
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.notice import SECTION_KINDS
from models.vocabulary import Dimension, Lever

from .tokens import TOKENIZER, word_forms

__all__ = ["ARTIFACT", "DIMENSIONS", "CompiledModel", "Features", "load_model"]

ARTIFACT = Path(__file__).resolve().parent / "artifacts" / "model.pkl.z"
DIMENSIONS: tuple[Dimension, ...] = (Dimension.SOCIAL, Dimension.ENVIRONMENTAL)
_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's char_wb analyzer


@dataclass
class Features:
    """ClauseFeatures' transform: word 1-2-grams of `word_forms`, char_wb 3-5-grams of the lower-cased text (both
    sublinear tf-idf, l2-normalised; chars weighted 0.5), then the section kind (and the dimension) one-hot."""

    words: dict[str, int]
    word_idf: np.ndarray
    chars: dict[str, int]
    char_idf: np.ndarray
    char_range: tuple[int, int]
    with_dimension: bool
    tokenizer: str = TOKENIZER

    def transform(self, items) -> _Rows:
        """The feature rows of `items`, as the CSR arrays of the pipeline's hstack [words, chars * 0.5, context]."""
        if self.tokenizer != TOKENIZER:
            raise TypeError(f"this model's word features were built by the {self.tokenizer!r} tokenizer, the "
                            f"classifier's is {TOKENIZER!r}: retrain it (tenderwatch train)")
        items = list(items)
        texts = [x[0] for x in items]
        words = _tfidf([self._word_grams(f) for f in word_forms(texts)], self.words, self.word_idf)
        chars = _tfidf([self._char_grams(t.lower()) for t in texts], self.chars, self.char_idf)
        return _Rows.hstack([words, _Rows(chars.indptr, chars.cols + len(self.word_idf), chars.data * 0.5),
                             self._context(items, len(self.word_idf) + len(self.char_idf))])

    def _context(self, items, offset: int) -> _Rows:
        kinds = {k: i for i, k in enumerate(SECTION_KINDS)}
        dims = {d.value: i for i, d in enumerate(DIMENSIONS)}
        cols: list[int] = []
        indptr = [0]
        for x in items:
            k = kinds.get(x[1], kinds["other"])
            cols.append(offset + k)
            if self.with_dimension:
                d = dims[str(x[2])]
                cols += [offset + len(kinds) + d, offset + len(kinds) + len(dims) + d * len(kinds) + k]
            indptr.append(len(cols))
        return _Rows(np.asarray(indptr, dtype=np.int64), np.asarray(cols, dtype=np.int64), np.ones(len(cols)))

    @staticmethod
    def _word_grams(forms: str) -> list[str]:
        tokens = forms.split()
        return tokens + [" ".join(tokens[i : i + 2]) for i in range(len(tokens) - 1)]

    def _char_grams(self, text: str) -> list[str]:
        low, high = self.char_range
        grams: list[str] = []
        for w in _WHITE_SPACES.sub(" ", text).split():
            w = f" {w} "
            for n in range(low, high + 1):
                offset = 0
                grams.append(w[offset : offset + n])
                while offset + n < len(w):
                    offset += 1
                    grams.append(w[offset : offset + n])
                if offset == 0:
                    break
        return grams


@dataclass
class _Rows:
    """Sparse rows as CSR arrays (what scipy.sparse.csr_matrix holds), with the two operations scoring needs: numpy
    only, so that tagging does not import scipy (a third of a second at every start)."""

    indptr: np.ndarray
    cols: np.ndarray
    data: np.ndarray

    @staticmethod
    def hstack(blocks: list[_Rows]) -> _Rows:
        """Blocks of the same rows side by side (their columns already offset), row by row in block order."""
        counts = np.stack([np.diff(b.indptr) for b in blocks])  # blocks x rows
        row_of = [np.repeat(np.arange(counts.shape[1]), c) for c in counts]
        order = np.argsort(np.concatenate(row_of), kind="stable")
        cols = np.concatenate([b.cols for b in blocks])[order]
        data = np.concatenate([b.data for b in blocks])[order]
        return _Rows(np.concatenate([[0], np.cumsum(counts.sum(axis=0))]).astype(np.int64), cols, data)

    def dot(self, coef: np.ndarray) -> np.ndarray:
        """rows @ coef (n_features x k), each row's products summed in column order, as a CSR product does."""
        n, k = len(self.indptr) - 1, coef.shape[1]
        contributions = np.vstack([self.data[:, None] * coef[self.cols], np.zeros((1, k))])
        starts = self.indptr[:-1]
        out = np.add.reduceat(contributions, np.minimum(starts, len(self.data)), axis=0)[:n]
        out[starts == self.indptr[1:]] = 0.0
        return out


def _tfidf(grams_per_item: list[list[str]], vocabulary: dict[str, int], idf: np.ndarray) -> _Rows:
    """Sublinear tf-idf rows, l2-normalised, as scikit-learn's TfidfVectorizer(sublinear_tf=True) computes them: the
    counting is the only Python loop, the rest is numpy."""
    get = vocabulary.get
    cols: list[int] = []
    rows: list[int] = []
    for r, grams in enumerate(grams_per_item):
        found = [j for j in map(get, grams) if j is not None]
        cols.extend(found)
        rows.extend([r] * len(found))
    n, width = len(grams_per_item), len(idf)
    keys, counts = np.unique(np.asarray(rows, dtype=np.int64) * width + np.asarray(cols, dtype=np.int64),
                             return_counts=True)  # sorted by row, then column; duplicates counted
    row, col = keys // width, keys % width
    data = (1.0 + np.log(counts)) * idf[col]
    norms = np.sqrt(np.bincount(row, weights=data * data, minlength=n))
    norms[norms == 0] = 1.0
    data = data / norms[row]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=n))]).astype(np.int64)
    return _Rows(indptr, col, data)


@dataclass
class _Calibrated:
    """One output of a CalibratedClassifierCV: per fold, a logistic regression and one sigmoid per class."""

    coef: list[np.ndarray]  # per fold: n_features x n_scores (1 for a binary output)
    intercept: list[np.ndarray]
    sigmoid: list[np.ndarray]  # per fold: n_scores x 2 (a, b)
    positions: list[np.ndarray]  # per fold: the class index of each score
    n_classes: int

    def proba(self, X: _Rows) -> np.ndarray:
        out = np.zeros((len(X.indptr) - 1, self.n_classes))
        for coef, intercept, sig, pos in zip(self.coef, self.intercept, self.sigmoid, self.positions):
            scores = X.dot(coef) + intercept
            p = np.zeros_like(out)
            calibrated = 1.0 / (1.0 + np.exp(sig[:, 0] * scores + sig[:, 1]))
            if self.n_classes == 2:
                p[:, 1] = calibrated[:, 0]
                p[:, 0] = 1.0 - p[:, 1]
            else:
                p[:, pos] = calibrated
                total = p.sum(axis=1, keepdims=True)
                p = np.divide(p, total, out=np.full_like(p, 1.0 / self.n_classes), where=total != 0)
                p[(p > 1.0) & (p <= 1.0 + 1e-5)] = 1.0
            out += p
        return out / len(self.coef)


@dataclass
class CompiledModel:
    """What the classifier needs of the model, as arrays: the same interface as ClauseModel's scoring."""

    dimension_features: Features
    dimension: list[_Calibrated]  # one per dimension, DIMENSIONS order
    lever_features: Features
    lever: _Calibrated
    lever_classes: list[str]
    version: str
    info: dict = field(default_factory=dict)

    def dimension_proba(self, items) -> np.ndarray:
        """n x 2 probabilities, columns in DIMENSIONS order."""
        if not items:
            return np.zeros((0, len(DIMENSIONS)))
        X = self.dimension_features.transform(list(items))
        return np.column_stack([out.proba(X)[:, 1] for out in self.dimension])

    def lever_proba(self, items) -> tuple[list[Lever], np.ndarray]:
        if not items:
            return [], np.zeros((0, 0))
        return [Lever(c) for c in self.lever_classes], self.lever.proba(self.lever_features.transform(list(items)))

    def save(self, path: str | Path = ARTIFACT) -> Path:
        """A zlib-compressed pickle of arrays, dicts and these dataclasses (the C unpickler reads it in a tenth of a
        second; joblib's compressed format went through the pure-Python one)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(zlib.compress(pickle.dumps(self, protocol=5), 6))
        return path


def load_model(path: str | Path = ARTIFACT) -> CompiledModel:
    """The model saved at `path` (a trusted file: the shipped artifact or one an operator trained)."""
    path = Path(path)
    model = pickle.loads(zlib.decompress(path.read_bytes()))
    if not isinstance(model, CompiledModel):
        raise TypeError(f"{path} is not a tenderwatch model: retrain it (tenderwatch train)")
    return model


# --- compiling the trained pipelines (at training time: imports nothing of scikit-learn itself) -------------


def compile_features(features) -> Features:
    words, chars = features.words_, features.chars_
    return Features(
        words={k: int(v) for k, v in words.vocabulary_.items()},
        word_idf=np.asarray(words.idf_, dtype=np.float64),
        chars={k: int(v) for k, v in chars.vocabulary_.items()},
        char_idf=np.asarray(chars.idf_, dtype=np.float64),
        char_range=tuple(chars.ngram_range),
        with_dimension=bool(features.with_dimension),
        tokenizer=features.tokenizer_,
    )


def compile_calibrated(cc) -> _Calibrated:
    classes = np.asarray(cc.classes_)
    coef, intercept, sigmoid, positions = [], [], [], []
    for fold in cc.calibrated_classifiers_:
        if fold.method != "sigmoid":
            raise ValueError(f"only sigmoid calibration compiles, not {fold.method!r}")
        est = fold.estimator
        coef.append(np.ascontiguousarray(est.coef_.T))
        intercept.append(np.asarray(est.intercept_, dtype=np.float64))
        sigmoid.append(np.array([[c.a_, c.b_] for c in fold.calibrators], dtype=np.float64))
        positions.append(np.searchsorted(classes, est.classes_) if len(classes) > 2 else np.array([1]))
    return _Calibrated(coef, intercept, sigmoid, positions, len(classes))


def compile_model(model) -> CompiledModel:
    """A ClauseModel (scikit-learn pipelines) as a CompiledModel."""
    dim_clf = model.dimension.named_steps["clf"]
    lever_clf = model.lever.named_steps["clf"]
    return CompiledModel(
        dimension_features=compile_features(model.dimension.named_steps["features"]),
        dimension=[compile_calibrated(est) for est in dim_clf.estimators_],
        lever_features=compile_features(model.lever.named_steps["features"]),
        lever=compile_calibrated(lever_clf),
        lever_classes=[str(c) for c in lever_clf.classes_],
        version=model.version,
        info=dict(model.info),
    )
