"""The shipped model artifact: it loads, it is versioned, and its version is on every detection."""

from __future__ import annotations

from classifier import Classifier, Document, load_classifier
from classifier.version import DECLARED_VERSION, effective_version, trained_version
from classifier.model import ARTIFACT, ClauseModel

NOTICE = Document(
    "m1",
    "Objet : rénovation énergétique de l'école.\n"
    "Critères d'attribution : prix 50 % ; valeur technique 40 % ; performance environnementale 10 %.\n"
    "Conditions particulières d'exécution : le marché comporte une clause d'insertion (article L. 2112-2).",
)


def test_the_shipped_artifact_loads_with_a_version():
    model = ClauseModel.load(ARTIFACT)
    assert len(model.version) == 12 and all(ch in "0123456789abcdef" for ch in model.version)


def test_load_classifier_uses_the_shipped_model_and_is_cached(classifier):
    assert classifier.model is not None
    assert classifier.version == effective_version(ClauseModel.load(ARTIFACT).version)
    assert classifier.version.startswith(DECLARED_VERSION)
    assert load_classifier() is classifier


def test_the_version_joins_the_declared_one_to_a_model_trained_before_it():
    assert effective_version(f"{DECLARED_VERSION}+0a1b2c3d") == f"{DECLARED_VERSION}+0a1b2c3d"
    assert effective_version("49abd764b014") == f"{DECLARED_VERSION}+49abd764b014"
    assert effective_version(None) == f"rules-{DECLARED_VERSION}"
    assert trained_version(b"data") == trained_version(b"data") != trained_version(b"other data")
    assert trained_version(b"data").startswith(DECLARED_VERSION + "+")


def test_version_is_recorded_on_every_detection(classifier):
    detections = classifier.classify(NOTICE)
    assert len(detections) == 3
    assert {d.version for d in detections} == {classifier.version}


def test_model_scores_are_probabilities(classifier):
    proba = classifier.model.dimension_proba(
        [
            ("Valeur environnementale / Pondération : 20", "award_criteria"),
            ("Prix / Pondération : 60", "award_criteria"),
        ]
    )
    assert proba.shape == (2, 2) and ((proba >= 0) & (proba <= 1)).all()
    assert proba[0, 1] > proba[1, 1]


def test_rules_only_classifier_without_an_artifact(tmp_path):
    clf = Classifier(None)
    assert clf.version.startswith("rules-")
    assert {d.method for d in clf.classify(NOTICE)} == {"rule"}


def test_load_classifier_refuses_a_missing_explicit_path(tmp_path):
    import pytest

    with pytest.raises(FileNotFoundError):
        load_classifier(tmp_path / "none.joblib")


def test_the_fast_french_import_tokenizes_as_the_real_one(tmp_path):
    """french_nlp skips building spaCy's default French exceptions (the model's tokenizer brings its own): the
    tokens, lemmas and flags of varied French text are the same as with the real import (two fresh processes)."""
    import subprocess
    import sys

    texts = [
        "Aujourd'hui, l'entreprise Saint-Jean-de-Luz réserve 5 % des heures : peut-être 1 250 h à 35,50 €/h.",
        "Clause d'insertion (art. L. 2112-2) ; qu'est-ce que c'est ? www.exemple.fr, achat@ville.fr, M. Dupont.",
        "Les lots n° 1 à 3 sont réservés aux ESAT/EA ; c'est-à-dire dix-huit mois, soixante-dix jours.",
    ]
    script = (
        "import json, sys\n"
        "if sys.argv[1] == 'real':\n    import spacy.lang.fr\n"
        "from classifier.model import french_nlp\n"
        "texts = json.loads(sys.argv[2])\n"
        "print(json.dumps([[(t.text, t.lemma_, t.is_punct, t.like_num, t.like_url, t.like_email) for t in d]"
        " for d in french_nlp().pipe(texts)]))\n"
    )
    import json

    out = {
        mode: subprocess.run([sys.executable, "-c", script, mode, json.dumps(texts)], check=True,
                             capture_output=True, text=True).stdout
        for mode in ("real", "fast")
    }
    assert out["real"] == out["fast"]
    assert "Saint-Jean-de-Luz" in out["fast"]
