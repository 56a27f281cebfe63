"""The CPV codes whose official label names an environmental purpose (classifier.cpv)."""

from __future__ import annotations

import pytest

from classifier.cpv import environmental_purpose


@pytest.mark.parametrize(
    "codes, expected",
    [
        (["90721000-4"], ("90721000", "services relatifs à l'environnement")),
        (["45321000"], ("45321000", "travaux d'isolation thermique")),
        (["09331200-0", "45000000"], ("09331200", "énergie solaire")),
        (["34144910"], ("34144910", "bus électriques")),
        (["90514000-3"], ("90514000", "services de recyclage des déchets")),
    ],
)
def test_codes_naming_an_environmental_purpose(codes, expected):
    assert environmental_purpose(codes) == expected


@pytest.mark.parametrize(
    "codes",
    [
        [],
        None,
        ["90511000-2"],  # refuse collection: plain disposal is no consideration
        ["90400000-1"],  # sewage services
        ["09310000-5"],  # electricity
        ["42511110-2"],  # heat pumps
        ["45000000-7", "90700000-4"],  # an environmental additional code: a part of the work, not its purpose
        ["not a code"],
    ],
)
def test_codes_that_name_no_environmental_purpose(codes):
    assert environmental_purpose(codes) is None
