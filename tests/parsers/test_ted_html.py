"""TED "Data" tab pages saved from the old TED site: the public samples, one small test per field."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.parsers.errors import ParseError
from crawler.parsers.ted_html import parse_ted_page
from tests.parsers.util import saved_pages, sections


@pytest.fixture(scope="module")
def pages() -> dict:
    return saved_pages("ted_html_data_tab__*.html", parse_ted_page)


def test_ted_page_identity_and_language(pages):
    notice = pages["375115-2020"]
    assert (notice.source, notice.source_id, notice.language, notice.department) == (
        "ted",
        "375115-2020",
        "fr",
        "59",
    )


def test_ted_page_reads_the_original_language(pages):
    assert sections(pages["375115-2020"], "object")[0].heading == "II.1.1) Intitulé"


def test_ted_page_lots_and_conditions(pages):
    notice = pages["375115-2020"]
    assert len(notice.lots) == 5 and sections(notice, "execution_conditions")
    assert notice.deadline == datetime(2020, 9, 15, 17, 0)


def test_ted_page_in_english(pages):
    notice = pages["384335-2020"]
    assert (notice.language, notice.buyer_name) == ("en", "EDF Renouvelables")
    assert [s.lot for s in sections(notice, "award_criteria")] == ["1", "2"]


def test_ted_prior_information_page(pages):
    assert pages["376108-2020"].notice_type == "prior_information"


def test_a_page_of_another_kind_is_refused():
    with pytest.raises(ParseError) as caught:
        parse_ted_page(
            b"<html><body><h1>Avis</h1><p>Nettoyage des locaux</p></body></html>", where="page.html"
        )
    assert (caught.value.fmt, caught.value.where) == ("ted_html", "page.html")
    assert "not a TED data page" in caught.value.message
