"""Department -> region (current 18 and former regions)."""

import pytest

from models.regions import DEPARTMENTS, FORMER_REGIONS, REGIONS, former_region_of, normalise_department, region_of


@pytest.mark.parametrize(
    "value, code",
    [("33", "33"), (33, "33"), ("033", "33"), ("2a", "2A"), ("(64) Pyrénées-Atlantiques", "64"), ("971", "971"),
     ("5", "05"), ("75 - Paris", "75"), ("99", None), ("", None), (None, None), ("abc", None)],
)
def test_normalise_department(value, code):
    assert normalise_department(value) == code


def test_every_metropolitan_and_overseas_department_is_mapped():
    assert len(DEPARTMENTS) == 101
    assert len(REGIONS) == 18
    assert len(FORMER_REGIONS) == 27


@pytest.mark.parametrize(
    "department, region, former",
    [("33", "Nouvelle-Aquitaine", "Aquitaine"), ("86", "Nouvelle-Aquitaine", "Poitou-Charentes"),
     ("87", "Nouvelle-Aquitaine", "Limousin"), ("67", "Grand Est", "Alsace"), ("2B", "Corse", "Corse"),
     ("976", "Mayotte", "Mayotte"), ("80", "Hauts-de-France", "Picardie")],
)
def test_region_and_former_region(department, region, former):
    assert region_of(department) == region
    assert former_region_of(department) == former


def test_unknown_department_has_no_region():
    assert region_of("00") is None
