"""Shared parser helpers: postal codes to departments, country and language codes, dates, text, SIRET; the
dates and text helpers live in models.dates and models.text, shared with the classifier."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from crawler.parsers.common import department_from_postal_code, iso2_country, iso2_language, siret_from_id
from crawler.parsers.webpage import section_kind
from models.dates import parse_date, parse_datetime, read_date, read_datetime
from models.notice import SECTION_KINDS
from models.sections import FORM_LABEL_KINDS, HEADING_KINDS, LABEL_KINDS
from models.text import clean_text, fold


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


def test_clean_text_may_drop_blank_lines():
    assert clean_text("Prix\n\n  \nValeur technique", blank_lines=False) == "Prix\nValeur technique"


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Critères  d’attribution", "criteres d'attribution"),
        ("MARCHÉ RÉSERVÉ", "marche reserve"),
        ("Maîtrise d'œuvre", "maitrise d'œuvre"),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_may_write_the_oe_ligature():
    assert fold("Maîtrise d'Œuvre", ligatures=True) == "maitrise d'oeuvre"


@pytest.mark.parametrize(
    "value, moment",
    [
        ("2025-04-24T10:00:00Z", datetime(2025, 4, 24, 12, 0)),  # an offset is read as Paris wall-clock time
        ("2025-04-24T12:00", datetime(2025, 4, 24, 12, 0)),
        ("15/09/2020 à 12h00", datetime(2020, 9, 15, 12, 0)),
        ("Date limite : 14 août 2020 à 16 heures", datetime(2020, 8, 14, 16, 0)),
        ("15/09/2020", datetime(2020, 9, 15)),
        (1614596400000, datetime(2021, 3, 1, 12, 0)),  # epoch milliseconds (DILA)
        ("demain", None),
        (None, None),
    ],
)
def test_read_datetime(value, moment):
    assert read_datetime(value) == moment


@pytest.mark.parametrize(
    "value, day",
    [
        ("2006-07-4", date(2006, 7, 4)),
        ("Publié le : 13 Août 2020", date(2020, 8, 13)),
        (datetime(2020, 12, 13, 23, 30, tzinfo=UTC), date(2020, 12, 14)),
        ("31/02/2020", None),
    ],
)
def test_read_date(value, day):
    assert read_date(value) == day


@pytest.mark.parametrize(
    "value, siret",
    [("243 600 327 00015", "24360032700015"), ("552 049 447", None), ("N/A", None), (None, None)],
)
def test_siret_from_id(value, siret):
    assert siret_from_id(value) == siret


@pytest.mark.parametrize(
    "table", [HEADING_KINDS, LABEL_KINDS, FORM_LABEL_KINDS], ids=["heading", "label", "form"]
)
def test_the_heading_vocabulary_names_only_known_kinds(table):
    assert {kind for kind, _ in table} <= set(SECTION_KINDS)


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("II.2.5) Award criteria", "award_criteria"),
        ("III.1.1) Habilitation à exercer l'activité professionnelle", "participation"),
        ("IV.2.2) Date limite de réception des offres", "other"),
        ("Section II : Objet", "object"),
    ],
)
def test_a_form_page_heading_reads_the_form_labels_first(heading, kind):
    assert section_kind(heading) == kind
