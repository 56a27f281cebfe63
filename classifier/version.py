"""The classifier's declared version: what every detected consideration records, and what a re-tag compares.

Bump DECLARED_VERSION whenever the classifier's behaviour changes (rules, segmentation, features, thresholds):
the golden test (tests/classifier/test_golden.py) fails when the outputs on its fixed notices change while this
string stays the same. A refactor that changes no output keeps it, so a store of a million notices needs no re-tag.
A trained model's version is this string plus a short hash of its training data (`effective_version`).
"""

from __future__ import annotations

import hashlib

#: History: "49abd764b014" (the version of the model shipped before versions were declared, a hash of code and
#: data, 2026-11); "2026.12.1" (rules from the code's and guides' wordings of insertion clauses, award-criterion
#: wordings, organic products, environmental capacities, reservation clauses; TED forms read in full); "2026.12.2"
#: (a stored notice's title read as its title; purpose families of accessibility, energy renovation, clean
#: vehicles, waste recovery and the natural environment; letters lost in bad decodings read back; the model's
#: words from a light stemmer instead of spaCy's lemmas, trained with the development part of the DECP objects,
#: compiled to arrays; the model alone may state a title's purpose at 0.95); "2026.12.3" (purpose families from the
#: code de l'environnement's domains: rivers and wetlands, drinking-water resources, noise, polluted sites, climate,
#: refrigerants, sorted waste streams, environmental assessments, ADEME's energy and mobility programmes; a
#: body's name is recognised by the words names are made of, not by any wording after "Mission de..."; an
#: environmental purpose read from a main CPV code whose official label names one, classifier.cpv).
DECLARED_VERSION = "2026.12.3"


def trained_version(training_data: bytes) -> str:
    """The version a model trained today on `training_data` records."""
    return f"{DECLARED_VERSION}+{hashlib.sha256(training_data).hexdigest()[:8]}"


def effective_version(model_version: str | None) -> str:
    """The version detections record: the model's own when it was trained under the declared version, else the
    declared version joined to it (the behaviour around the model changed since it was trained); rules only
    when there is no model."""
    if model_version is None:
        return f"rules-{DECLARED_VERSION}"
    if model_version == DECLARED_VERSION or model_version.startswith(DECLARED_VERSION + "+"):
        return model_version
    return f"{DECLARED_VERSION}+{model_version}"
