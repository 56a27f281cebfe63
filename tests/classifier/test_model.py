"""The shipped model artifact: it loads, it is versioned, and its version is on every detection."""

from __future__ import annotations

from classifier import Classifier, Document, load_classifier
from classifier.version import DECLARED_VERSION, effective_version, trained_version
from classifier.compiled import ARTIFACT, CompiledModel, load_model

NOTICE = Document(
    "m1",
    "Objet : rénovation énergétique de l'école.\n"
    "Critères d'attribution : prix 50 % ; valeur technique 40 % ; performance environnementale 10 %.\n"
    "Conditions particulières d'exécution : le marché comporte une clause d'insertion (article L. 2112-2).",
)


def test_the_shipped_artifact_loads_with_a_version():
    model = load_model(ARTIFACT)
    assert isinstance(model, CompiledModel)
    assert model.version.startswith(DECLARED_VERSION + "+")


def test_load_classifier_uses_the_shipped_model_and_is_cached(classifier):
    assert classifier.model is not None
    assert classifier.version == effective_version(load_model(ARTIFACT).version)
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


def test_word_forms_are_light_stemmed_lower_case_words():
    from classifier.tokens import light_stem, word_forms_of

    assert word_forms_of("L'emploi des personnes ÉLOIGNÉES : 5 % des heures, https://x.fr") == (
        "le emploi des personn éloigné <num> % des heur <url>"
    )
    assert light_stem("sociaux") == light_stem("sociales") == light_stem("social") == "social"
    assert light_stem("environnementaux") == light_stem("environnementale") == "environnemental"
    assert word_forms_of("1 250,50 €") == "<num>"


def test_tagging_imports_no_scikit_learn_scipy_or_spacy():
    """The compiled model scores with numpy: a fresh process that tags a notice never imports scikit-learn (2 s),
    scipy (0.3 s) or spaCy."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from classifier import Document, load_classifier\n"
        "found = load_classifier().classify(Document('x', 'Critères : valeur environnementale 20 %'))\n"
        "assert found, 'nothing detected'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'spacy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
