"""Saved notice pages of any kind, read by the parser of their shape; errors are reported as "boamp_html"."""

from __future__ import annotations

import pytest

from crawler.parsers.errors import ParseError
from crawler.parsers.html_pages import parse_html_page
from tests.conftest import samples_path
from tests.parsers.util import sample_names

# The parser (raw_format) each kind of saved page goes to, by the prefix of the sample's file name.
KINDS = {
    "boamp_html": "boamp_html",
    "ted_html_data_tab": "ted_html",
    "other_aggregator_html__35697101": "atexo_html",
    "other_aggregator_html__35710265": "atexo_html",
    "other_aggregator_html__35708451": "aggregator_html",
}


@pytest.mark.parametrize("name", sample_names("boamp", "html_notices_2020", pattern="*.html"))
def test_every_saved_page_parses(name):
    notice = parse_html_page(samples_path("boamp", "html_notices_2020", name).read_bytes(), where=name)
    assert notice.source_id and notice.title and notice.text


@pytest.mark.parametrize("name", sample_names("boamp", "html_notices_2020", pattern="*.html"))
def test_each_saved_page_goes_to_the_parser_of_its_kind(name):
    notice = parse_html_page(samples_path("boamp", "html_notices_2020", name).read_bytes(), where=name)
    assert notice.raw_format == next(kind for prefix, kind in KINDS.items() if name.startswith(prefix))


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty page"),
        (b"<html><body><div></div></body></html>", "no notice"),
        ("<html></html>", "expected bytes"),
    ],
    ids=["empty", "no-notice", "str"],
)
def test_page_errors_are_parse_errors(data, message):
    with pytest.raises(ParseError) as caught:
        parse_html_page(data, where="page.html")
    assert (caught.value.fmt, caught.value.where) == ("boamp_html", "page.html")
    assert message in caught.value.message
