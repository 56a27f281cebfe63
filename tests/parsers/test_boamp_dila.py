"""The retired DILA API (JSON): the public sample, its index file, and unreadable documents."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crawler.parsers.boamp_dila import parse_dila_legacy
from crawler.parsers.errors import ParseError
from tests.conftest import samples_path
from tests.parsers.util import sections


# --- DILA API: public samples -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dila():
    path = samples_path("boamp", "dila_legacy_api_json", "20-152081.json")
    return parse_dila_legacy(path.read_bytes(), where=path.name)


def test_dila_identity(dila):
    assert (dila.source, dila.source_id, dila.buyer_name) == (
        "boamp",
        "20-152081",
        "Commune de Berre l'Etang",
    )


def test_dila_epoch_dates_are_paris_dates(dila):
    assert (dila.published, dila.deadline) == (date(2020, 12, 14), datetime(2021, 3, 1, 12, 0))


def test_dila_classification(dila):
    assert (dila.department, dila.procedure, dila.contract_nature, dila.notice_type) == (
        "13",
        "Procédure adaptée",
        "services",
        "contract_notice",
    )


def test_dila_award_criteria(dila):
    assert "valeur technique de la prestation" in sections(dila, "award_criteria")[0].text


def test_dila_index_file_is_refused():
    path = samples_path("boamp", "dila_legacy_api_json", "ad_index.json")
    with pytest.raises(ParseError) as caught:
        parse_dila_legacy(path.read_bytes(), where=path.name)
    assert (caught.value.fmt, caught.value.where) == ("boamp_dila", "ad_index.json")


@pytest.mark.parametrize(
    "data",
    [b'{"gestion": {"reference": ', b"\xff\xfe{\x00}\x00", b'{"gestion": {}, "donnees": {}}'],
    ids=["truncated", "utf-16", "no-idweb"],
)
def test_dila_errors_are_parse_errors(data):
    with pytest.raises(ParseError) as caught:
        parse_dila_legacy(data, where="dila.json")
    assert (caught.value.fmt, caught.value.where) == ("boamp_dila", "dila.json")
