"""Segmentation (classifier.segment.segment) on any text: clauses in order with exact offsets, in bounded time
and memory, never an exception; also on the texts of damaged real notices and on pathological shapes."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier import Document
from classifier.segment import segment
from models.notice import SECTION_KINDS, Section
from tests.conftest import samples_path
from tests.robustness.hostile import HANG_SECONDS, MIB, bounded, memory_cap

SETTINGS = settings(
    max_examples=60,
    deadline=None,  # no timing in tests: a hang is caught by HANG_SECONDS
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces real notices are made of, to be shuffled with arbitrary text.
PIECES = [
    "II.2.5) Critères d'attribution", "III.1.5) Informations sur les marchés réservés", "Section III : ",
    "Article 8 - Conditions d'exécution", "Critères d'attribution :", "Prix : 60 %", "Valeur technique : 40 %",
    "- clause d'insertion sociale de 5 % des heures", "1. ", "a) ", "•", "Lot 2 : ", ";", ":", ".", "\n", "\n\n",
    "\t", "  ", "e\u0301", "\u00e9", "\u2019", "\u00a0", "\u200b", "\ufeff", "\r\n", "(", ")", "«", "»", "...",
    "Marché réservé.", "VI.3) Informations complémentaires :", "ESAT", "développement durable",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=60).map("".join)
sections = st.lists(
    st.builds(Section, heading=st.one_of(st.just(""), st.sampled_from(PIECES), st.text(max_size=30)),
              text=texts, kind=st.sampled_from(SECTION_KINDS), lot=st.one_of(st.none(), st.just("1"))),
    max_size=6,
)
documents = st.builds(Document, id=st.just("prop"), text=st.one_of(st.just(""), texts),
                      title=st.one_of(st.just(""), st.text(max_size=60)), sections=sections)


def check(doc: Document) -> None:
    text, clauses = segment(doc)
    assert isinstance(text, str)
    previous = 0
    for clause in clauses:
        assert 0 <= clause.start <= clause.end <= len(text)
        assert text[clause.start : clause.end] == clause.text
        assert clause.start >= previous, "clauses out of order or overlapping"
        assert clause.kind in SECTION_KINDS
        previous = clause.end


@SETTINGS
@given(doc=documents)
def test_any_document(doc):
    with memory_cap():
        check(doc)


@SETTINGS
@given(text=st.text(max_size=3000))
def test_any_text(text):
    check(Document(id="prop", text=text))


@settings(SETTINGS, max_examples=20)
@given(data=st.data())
def test_damaged_real_notice_texts(data):
    import json

    path = samples_path("corpora", "notices_fr_2020", "notices.jsonl")
    with path.open(encoding="utf-8") as fh:
        notices = [json.loads(line)["text"] for _, line in zip(range(40), fh)]
    text = data.draw(st.sampled_from(notices), label="notice")
    cut = data.draw(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), label="cut")
    form = data.draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]), label="normal form")
    check(Document(id="prop", text=unicodedata.normalize(form, text[min(cut) : max(cut)])))


PATHOLOGICAL = {
    "one huge line": "mot " * 500_000,
    "huge text without spaces": "x" * 2_000_000,
    "only newlines": "\n" * 500_000,
    "only headings": "II.2.5) Critères d'attribution\n" * 20_000,
    "only list markers": "- \n" * 200_000,
    "decomposed accents": unicodedata.normalize("NFD", "Clause d'insertion sociale à exécuter. " * 20_000),
    "colons everywhere": ":" * 500_000,
    "periods everywhere": ". " * 500_000,
    "control characters": "".join(chr(c) for c in range(32)) * 20_000,
    "surrogate-free astral": "\U0001f600 " * 200_000,
    "nested parentheses": "(" * 100_000 + ")" * 100_000,
    "numbered lines": "".join(f"{i}. Article {i} : clause sociale.\n" for i in range(30_000)),
}


@pytest.mark.parametrize("shape", sorted(PATHOLOGICAL))
def test_pathological_texts(shape):
    with bounded(seconds=HANG_SECONDS, memory=600 * MIB):
        check(Document(id="prop", text=PATHOLOGICAL[shape]))


def test_many_sections():
    doc = Document(id="prop", title="Avis", sections=[
        Section(f"Section {i}", f"Texte {i}. Clause sociale.", "other") for i in range(20_000)
    ])
    with bounded(seconds=HANG_SECONDS, memory=600 * MIB):
        check(doc)
