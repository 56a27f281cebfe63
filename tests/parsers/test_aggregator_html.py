"""Other saved notice pages (aggregators, buyers' sites): the public sample, and pages without a notice."""

from __future__ import annotations

import pytest

from crawler.parsers.aggregator_html import parse_aggregator_page
from crawler.parsers.errors import ParseError
from tests.parsers.util import saved_pages


@pytest.fixture(scope="module")
def pages() -> dict:
    return saved_pages("other_aggregator_html__35708451__*.html", parse_aggregator_page)


def test_other_aggregator_page_has_a_derived_id(pages):
    notice = pages["35708451"]
    assert (notice.source, notice.buyer_name) == ("web", "ALIMA") and notice.source_id.startswith("h")


def test_a_page_without_notice_is_refused():
    with pytest.raises(ParseError) as caught:
        parse_aggregator_page(b"<html><body><div></div></body></html>", where="page.html")
    assert (caught.value.fmt, caught.value.where) == ("aggregator_html", "page.html")
    assert "no notice" in caught.value.message
