"""Shared parser helpers: postal codes to departments, country and language codes, dates, text, SIRET."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from crawler.parsers.common import (
    clean_text,
    department_from_postal_code,
    iso2_country,
    iso2_language,
    parse_date,
    parse_datetime,
    siret_from_id,
)


@pytest.mark.parametrize(
    "code, department",
    [
        ("36012", "36"),
        ("01000", "01"),
        ("F-75181", "75"),
        ("97110", "971"),
        ("97600", "976"),
        ("20090", "2A"),
        ("20167", "2A"),
        ("20200", "2B"),
        ("20620", "2B"),
        ("98000", None),
        ("00100", None),
        ("3003", None),
        ("CH 3003", None),
        ("G75 8EA", None),
        ("", None),
        (None, None),
    ],
)
def test_department_from_postal_code(code, department):
    assert department_from_postal_code(code) == department


@pytest.mark.parametrize(
    "code, iso2",
    [("FRA", "FR"), ("fra", "FR"), ("FR", "FR"), ("UK", "GB"), ("EL", "GR"), ("LUX", "LU"), ("XXX", None)],
)
def test_iso2_country(code, iso2):
    assert iso2_country(code) == iso2


@pytest.mark.parametrize(
    "code, iso1", [("FRA", "fr"), ("FIN", "fi"), ("SWE", "sv"), ("FR", "fr"), ("ZZZ", None)]
)
def test_iso2_language(code, iso1):
    assert iso2_language(code) == iso1


@pytest.mark.parametrize(
    "text, day",
    [
        ("2025-03-18+01:00", date(2025, 3, 18)),
        ("2023-09-28Z", date(2023, 9, 28)),
        ("20190226", date(2019, 2, 26)),
        ("2019-02-30", None),
        ("demain", None),
        (None, None),
    ],
)
def test_parse_date(text, day):
    assert parse_date(text) == day


def test_parse_datetime_keeps_a_given_offset():
    assert parse_datetime("2025-04-24T12:00:00+02:00") == datetime(
        2025, 4, 24, 12, tzinfo=timezone(timedelta(hours=2))
    )


@pytest.mark.parametrize(
    "text, moment",
    [
        ("20190322 15:00", datetime(2019, 3, 22, 15)),
        ("2019-03-22 15:00", datetime(2019, 3, 22, 15)),
        ("2020-05-25", datetime(2020, 5, 25)),
    ],
)
def test_parse_datetime_naive_forms(text, moment):
    assert parse_datetime(text) == moment


def test_clean_text_collapses_spaces_and_keeps_paragraphs():
    assert clean_text("  Prix\u00a0 60 %\r\n\n\n\n  Valeur   technique ") == "Prix 60 %\n\nValeur technique"


@pytest.mark.parametrize(
    "value, siret",
    [("243 600 327 00015", "24360032700015"), ("552 049 447", None), ("N/A", None), (None, None)],
)
def test_siret_from_id(value, siret):
    assert siret_from_id(value) == siret
