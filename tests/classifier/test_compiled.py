"""The compiled model computes what the scikit-learn pipelines compute, without scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from classifier.compiled import load_model
from classifier.model import ClauseModel, make_dimension_pipeline, make_lever_pipeline

TRAIN = [
    ("Clause d'insertion : 5 % des heures de travail réservées aux personnes éloignées de l'emploi", "execution_conditions", ["social"]),
    ("Le titulaire favorise l'insertion professionnelle des publics en difficulté", "execution_conditions", ["social"]),
    ("Marché réservé aux ESAT et entreprises adaptées", "reservation", ["social"]),
    ("Les lots sont réservés aux structures d'insertion par l'activité économique", "reservation", ["social"]),
    ("Performance en matière de protection de l'environnement : 10 %", "award_criteria", ["environmental"]),
    ("Valeur environnementale de l'offre (bilan carbone) : 15 points", "award_criteria", ["environmental"]),
    ("Produits écolabellisés ou équivalent exigés", "technical_specification", ["environmental"]),
    ("Papier recyclé à 100 % conforme à l'Ecolabel européen ou équivalent", "technical_specification",
     ["environmental"]),
    ("Rénovation énergétique de l'école", "title", ["environmental"]),
    ("Tri et valorisation des déchets de chantier par le titulaire", "execution_conditions", ["environmental"]),
    ("Véhicules électriques pour la flotte", "title", ["environmental"]),
    ("Prix : 60 %", "award_criteria", []),
    ("Valeur technique : 40 %", "award_criteria", []),
    ("Délai de livraison : 10 points", "award_criteria", []),
    ("Fourniture de papier pour photocopieurs", "title", []),
    ("Travaux de voirie rue de la Gare", "title", []),
    ("Assurance des risques statutaires", "title", []),
    ("Les candidats produisent un extrait Kbis", "participation", []),
    ("Entretien des ascenseurs de la mairie", "title", []),
]
LEVER = {"execution_conditions": "execution_condition", "reservation": "reservation",
         "award_criteria": "award_criterion", "technical_specification": "technical_specification",
         "title": "contract_subject"}
QUERIES = [
    ("Clause sociale d'insertion : heures réservées", "execution_conditions"),
    ("PRIX 60 % ; VALEUR TECHNIQUE 40 %", "award_criteria"),
    ("", "other"),
    ("a", "title"),
    ("Mise en accessibilité des bâtiments communaux", "title"),
    ("Réf. 12 345,50 € https://exemple.fr achat@ville.fr", "description"),
    ("Les véhicules ÉLECTRIQUES, l'emploi, les déchets — R\ufffdnovation", "lot"),
    ("kind unknown to the model", "no-such-kind"),
]


@pytest.fixture(scope="module")
def trained():
    items = [(t, k) for t, k, _ in TRAIN]
    y = np.array([[int("social" in d), int("environmental" in d)] for _, _, d in TRAIN])
    dimension = make_dimension_pipeline(cv=2).fit(items, y)
    lever_items = [(t, k, d) for t, k, dims in TRAIN for d in dims]
    lever = make_lever_pipeline(cv=2).fit(lever_items, [LEVER[k] for t, k, dims in TRAIN for d in dims])
    return ClauseModel(dimension, lever, "test")


def test_compiled_dimension_probabilities_equal_the_pipelines(trained):
    compiled = trained.compile()
    assert np.allclose(compiled.dimension_proba(QUERIES), trained.dimension_proba(QUERIES), atol=1e-12)


def test_compiled_lever_probabilities_equal_the_pipelines(trained):
    items = [(t, k, d) for t, k in QUERIES for d in ("social", "environmental")]
    compiled = trained.compile()
    classes, proba = compiled.lever_proba(items)
    expected_classes, expected = trained.lever_proba(items)
    assert classes == expected_classes
    assert np.allclose(proba, expected, atol=1e-12)


def test_a_saved_model_loads_compiled_and_scores_the_same(trained, tmp_path):
    path = trained.save(tmp_path / "model.pkl.z")
    loaded = load_model(path)
    assert loaded.version == "test"
    assert np.allclose(loaded.dimension_proba(QUERIES), trained.dimension_proba(QUERIES), atol=1e-12)


def test_a_file_that_is_no_model_is_refused(tmp_path):
    import pickle
    import zlib

    path = tmp_path / "other.pkl.z"
    path.write_bytes(zlib.compress(pickle.dumps({"not": "a model"})))
    with pytest.raises(TypeError, match="not a tenderwatch model"):
        load_model(path)
