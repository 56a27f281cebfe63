"""Every public parse function of crawler.parsers fails with ParseError and nothing else, and says so by its
decorator (crawler.parsers.errors.parser)."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil

import pytest

import crawler.parsers
from crawler.parsers.decp import iter_decp
from crawler.parsers.errors import ParseError, parser
from crawler.parsers.files import read_file

GARBAGE = [b"\x00\xff garbage", b"", b"{}", b"<a/>"]
GARBAGE_IDS = ["binary", "empty", "empty-object", "foreign-element"]
# Arguments some parsers need besides the data.
ARGUMENTS = {
    "url": "https://marches.example.org/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation=1"
}


def public_parsers() -> dict:
    """Every public `parse_*` function defined in a module of crawler.parsers, by "module.function"."""
    found = {}
    for info in pkgutil.iter_modules(crawler.parsers.__path__):
        module = importlib.import_module(f"crawler.parsers.{info.name}")
        for name, function in vars(module).items():
            if (
                name.startswith("parse_")
                and inspect.isfunction(function)
                and function.__module__ == module.__name__
            ):
                found[f"{info.name}.{name}"] = function
    return found


PARSERS = public_parsers()


def test_every_format_has_its_parser():
    assert {
        "aggregator_html.parse_aggregator_page",
        "atexo.parse_atexo_detail",
        "atexo.parse_atexo_listing",
        "atexo_summary.parse_atexo_summary",
        "boamp_dila.parse_dila_legacy",
        "boamp_html.parse_boamp_page",
        "boamp_records.parse_boamp_record",
        "boamp_xml.parse_boamp_xml",
        "decp.parse_decp_record",
        "eforms.parse_eforms",
        "html_pages.parse_html_page",
        "ted_html.parse_ted_page",
        "ted_r209.parse_ted_r209",
    } <= set(PARSERS)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_parser_is_guarded_by_the_decorator(name):
    assert hasattr(PARSERS[name], "__wrapped__"), f"{name} lacks @parser(...)"


@pytest.mark.parametrize("data", GARBAGE, ids=GARBAGE_IDS)
@pytest.mark.parametrize("name", sorted(PARSERS))
def test_garbage_is_a_parse_error(name, data):
    function = PARSERS[name]
    extra = {key: value for key, value in ARGUMENTS.items() if key in inspect.signature(function).parameters}
    with pytest.raises(ParseError):
        function(data, **extra)


@pytest.mark.parametrize("data", GARBAGE, ids=GARBAGE_IDS)
def test_garbage_streams_end_in_a_parse_error(data, tmp_path):
    path = tmp_path / "garbage.json"
    path.write_bytes(data)
    for results in (list(iter_decp(io.BytesIO(data), where="garbage")), list(read_file(path, "decp"))):
        assert results and all(isinstance(result, ParseError) for result in results)


# --- the decorator ------------------------------------------------------------------------------------------


@parser("demo")
def parse_demo(data: bytes, where: str | None = None) -> str:
    if data == b"bug":
        raise KeyError("missing")
    if data == b"refused":
        raise ParseError("demo", "not a demo document")
    return data.decode()


@parser("demo", where="path")
def read_demo(path: str):
    yield "first"
    raise ZeroDivisionError("bug")


def test_an_unexpected_exception_becomes_a_parse_error_naming_format_and_place():
    with pytest.raises(ParseError) as caught:
        parse_demo(b"bug", where="demo.txt")
    assert (caught.value.fmt, caught.value.where) == ("demo", "demo.txt")
    assert caught.value.message == "unexpected KeyError: 'missing'"
    assert isinstance(caught.value.__cause__, KeyError)


def test_a_parse_error_without_place_gets_the_place():
    with pytest.raises(ParseError) as caught:
        parse_demo(b"refused", "demo.txt")
    assert (caught.value.where, caught.value.message) == ("demo.txt", "not a demo document")


def test_a_result_passes_through():
    assert parse_demo(b"fine", where="demo.txt") == "fine"


def test_a_generator_yields_its_failure_as_its_last_item():
    first, failure = list(read_demo("demo.txt"))
    assert first == "first"
    assert (failure.fmt, failure.where, failure.message) == (
        "demo",
        "demo.txt",
        "unexpected ZeroDivisionError: bug",
    )
