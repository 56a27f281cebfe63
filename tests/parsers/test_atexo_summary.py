"""Atexo consultation summaries saved by aggregators: the public samples, one small test per field."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.parsers.atexo_summary import parse_atexo_summary
from crawler.parsers.errors import ParseError
from tests.parsers.util import saved_pages


# The aggregator's numbers of the saved pages that show an Atexo consultation summary.
SUMMARIES = ("35697101", "35710265")


@pytest.fixture(scope="module")
def pages() -> dict:
    found: dict = {}
    for number in SUMMARIES:
        found.update(saved_pages(f"other_aggregator_html__{number}__*.html", parse_atexo_summary))
    return found


def test_atexo_like_page(pages):
    notice = pages["35710265"]
    assert (notice.source_id, notice.department, notice.deadline) == (
        "CP20-018",
        "59",
        datetime(2020, 9, 15, 12),
    )
    assert notice.cpv_codes == ["71356100", "71356200", "71356300", "90720000"]


def test_atexo_like_page_overseas_department(pages):
    assert (pages["35697101"].department, pages["35697101"].contract_nature) == ("972", "services")


def test_a_page_of_another_kind_is_refused():
    with pytest.raises(ParseError) as caught:
        parse_atexo_summary(
            b"<html><body><h1>Avis</h1><p>Nettoyage des locaux</p></body></html>", where="page.html"
        )
    assert (caught.value.fmt, caught.value.where) == ("atexo_html", "page.html")
    assert "not an Atexo consultation summary" in caught.value.message
