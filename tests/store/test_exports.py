"""Pictogram exports: the JSON and CSV schemas platforms read, the HTML snippet and the shipped SVG pictograms."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib import resources

import pytest

from models.vocabulary import DIMENSION_LABELS, LEVER_LABELS, PUBLIC_ORIGIN_LABELS, UI_LABELS
from storage.exports import (
    CSV_FIELDS,
    SCHEMA,
    html_snippet,
    pictogram_records,
    write_csv,
    write_html,
    write_json,
)
from tenderwatch.cli import main
from tests.store.test_stats import build_world

RECORD_KEYS = {"source", "source_id", "url", "title", "buyer", "published", "social", "environmental", "procedure",
               "procedure_override"}
DIMENSION_KEYS = {"on", "label", "origin", "origin_label", "confidence", "levers"}


@pytest.fixture
def world(store):
    build_world(store)
    return store


def _records(store) -> list[dict]:
    with store.session() as s:
        return list(pictogram_records(s))


def _by_id(records: list[dict]) -> dict[str, dict]:
    return {r["source_id"]: r for r in records}


def test_json_document_schema(world):
    out = io.StringIO()
    with world.session() as s:
        count = write_json(pictogram_records(s), out)
    document = json.loads(out.getvalue())
    assert set(document) == {"schema", "generated_at", "count", "notices"}
    assert (document["schema"], document["count"], count, len(document["notices"])) == (SCHEMA, 9, 9, 9)
    for record in document["notices"]:
        assert set(record) == RECORD_KEYS
        assert set(record["social"]) == set(record["environmental"]) == DIMENSION_KEYS
    n4 = _by_id(document["notices"])["n4"]["social"]
    assert n4 == {"on": True, "label": DIMENSION_LABELS["social"], "origin": "manual",
                  "origin_label": PUBLIC_ORIGIN_LABELS["manual"], "confidence": 1.0,
                  "levers": [{"code": "execution_condition", "label": LEVER_LABELS["execution_condition"]}]}
    n6 = _by_id(document["notices"])["n6"]["social"]
    assert (n6["on"], n6["origin"], n6["levers"]) == (False, "manual", [])


def test_csv_columns_and_values(world):
    out = io.StringIO()
    with world.session() as s:
        write_csv(pictogram_records(s), out)
    reader = csv.DictReader(io.StringIO(out.getvalue()))
    rows = {r["source_id"]: r for r in reader}
    assert reader.fieldnames == CSV_FIELDS
    assert len(rows) == 9
    assert (rows["n2"]["environmental"], rows["n2"]["environmental_origin"], rows["n2"]["environmental_levers"]) == (
        "yes", "declared", "award_criterion")
    assert (rows["n7"]["social"], rows["n7"]["social_origin"], rows["n7"]["social_levers"]) == ("no", "", "")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.seen: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))
        if tag not in ("br", "meta", "circle", "path"):
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    assert parser.open == []
    return parser


def test_html_snippet_shows_the_pictograms_that_are_on_with_labels_origin_and_levers(world):
    snippet = html_snippet(_by_id(_records(world))["n4"])
    parsed = _parse(snippet)
    text = " ".join(parsed.text)
    assert [a["class"] for t, a in parsed.seen if t == "div" and "tw-pictogram " in a.get("class", "") + " "] == [
        "tw-pictogram tw-social", "tw-pictogram tw-environmental"]
    assert sum(1 for t, _ in parsed.seen if t == "svg") == 2
    for label in (DIMENSION_LABELS["social"], DIMENSION_LABELS["environmental"], PUBLIC_ORIGIN_LABELS["manual"],
                  PUBLIC_ORIGIN_LABELS["declared"], LEVER_LABELS["execution_condition"]):
        assert label in text
    assert 'data-notice="t:n4"' in snippet


def test_html_snippet_tells_the_public_the_origin_but_never_a_confidence(world):
    """A detected pictogram says "Détectée automatiquement"; the classifier's confidence is for operators."""
    record = _by_id(_records(world))["n8"]
    assert record["environmental"]["confidence"] == 0.6
    snippet = html_snippet(record)
    assert PUBLIC_ORIGIN_LABELS["detected"] in snippet
    assert "confiance" not in snippet.lower() and "0,6" not in snippet and "0.6" not in snippet


def test_public_records_carry_no_confidence(world):
    with world.session() as s:
        records = list(pictogram_records(s, confidences=False))
    assert {r[d]["confidence"] for r in records for d in ("social", "environmental")} == {None}


def test_html_snippet_of_a_notice_without_considerations_says_so(world):
    snippet = html_snippet(_by_id(_records(world))["n7"])
    assert UI_LABELS["no_consideration"] in snippet and "<svg" not in snippet


def test_html_snippet_escapes_what_the_source_wrote(world):
    record = _by_id(_records(world))["n1"]
    record["source_id"] = 'x"><script>alert(1)</script>'
    record["social"]["levers"] = [{"code": "reservation", "label": "<b>ESAT</b>"}]
    snippet = html_snippet(record)
    assert "<script>" not in snippet and "<b>" not in snippet
    assert "&lt;b&gt;ESAT&lt;/b&gt;" in snippet
    _parse(snippet)


def test_html_document_has_one_article_per_notice(world):
    out = io.StringIO()
    with world.session() as s:
        assert write_html(pictogram_records(s), out) == 9
    parsed = _parse(out.getvalue())
    articles = [a for t, a in parsed.seen if t == "article"]
    assert [a["data-notice"] for a in articles] == [f"t:n{i}" for i in range(1, 10)]
    assert len({a["id"] for a in articles}) == 9


@pytest.mark.parametrize("dimension", ["social", "environmental"])
def test_shipped_svg_pictograms_are_labelled(dimension):
    svg = resources.files("storage.static").joinpath(f"pictogram_{dimension}.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("viewBox") == "0 0 64 64" and root.get("role") == "img"
    assert root[0].tag == f"{ns}title" and root[0].text == DIMENSION_LABELS[dimension]


@pytest.mark.parametrize("fmt, marker", [("json", '"schema"'), ("csv", "source,source_id"), ("html", "<article")])
def test_export_command_writes_each_format(world, tmp_path, fmt, marker, capsys):
    path = tmp_path / f"pictos.{fmt}"
    assert main(["--db", world.url, "pictograms", "--export", str(path), "--format", fmt]) == 0
    assert marker in path.read_text(encoding="utf-8")
    assert "9 pictogram(s) written" in capsys.readouterr().out
