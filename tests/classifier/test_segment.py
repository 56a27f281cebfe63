"""Segmentation: headings and section kinds on real notices, exact offsets, parser sections."""

from __future__ import annotations

import json
import unicodedata

from classifier import Document, document_from_notice, load_classifier
from classifier.segment import heading_kind, sections_at, segment, segment_normalized, split_sections
from models.notice import Notice, Section
from tests.conftest import SAMPLES

from .conftest import real_notice

BOAMP_FORM = "35590039"  # boamp.fr page, numbered form (Pôle emploi)
TED_DATA_TAB = "35594643"  # TED "Data" tab page, English and French forms
HARD_WRAPPED = "35600025"  # aggregator page, lines cut in the middle of sentences, decomposed accents
DECOMPOSED = "35614916"  # accents written as combining characters ("e" + U+0301)


def test_numbered_form_headings_are_found():
    text = real_notice(BOAMP_FORM)
    headings = {s.heading: s.kind for s in split_sections(text) if s.heading}
    assert headings["II.1.1) Intitulé"] == "title"
    assert headings["III.1.5) Informations sur les marchés réservés"] == "reservation"
    assert headings["III.2.2) Conditions particulières d'exécution"] == "execution_conditions"


def test_ted_award_criteria_heading_runs_on_into_its_text():
    text = real_notice(TED_DATA_TAB)
    spans = [s for s in split_sections(text) if s.heading == "II.2.5) Award criteria"]
    assert spans and spans[0].kind == "award_criteria"
    assert text[spans[0].start :].startswith("Price is not the only award criterion")


def test_empty_reserved_contracts_heading_has_no_clause():
    _text, clauses = segment(Document("x", real_notice(TED_DATA_TAB)))
    assert not [c for c in clauses if c.kind == "reservation"]


def test_clause_offsets_are_exact_on_real_notices():
    for doc_id in (BOAMP_FORM, TED_DATA_TAB, HARD_WRAPPED, DECOMPOSED):
        text, clauses = segment(Document(doc_id, real_notice(doc_id)))
        assert clauses
        assert all(text[c.start : c.end] == c.text for c in clauses)


def test_offsets_are_into_the_original_text_when_accents_are_decomposed():
    original = real_notice(DECOMPOSED)
    text, clauses = segment(Document("x", original))
    assert text == original
    assert any("\u0301" in c.text for c in clauses)


def test_hard_wrapped_lines_are_joined_into_one_clause():
    _text, clauses = segment(Document("x", real_notice(HARD_WRAPPED)))
    award = [c for c in clauses if c.kind == "award_criteria"]
    assert any(
        "Sous-critère 1 : Méthodologie\nd'intervention" in unicodedata.normalize("NFC", c.text) for c in award
    )


def test_unnumbered_headings_and_inline_colon():
    text = "Objet : Fourniture de papier\nCritères d'attribution : prix 60 %, valeur technique 40 %\n"
    _, clauses = segment(Document("x", text))
    assert [(c.kind, c.text) for c in clauses] == [
        ("object", "Fourniture de papier"),
        ("award_criteria", "prix 60 %, valeur technique 40 %"),
    ]


def test_ccap_article_heading():
    assert heading_kind("Article 8 - Conditions particulières d'exécution") == "execution_conditions"
    assert heading_kind("ARTICLE 5 : JUGEMENT DES OFFRES") == "award_criteria"


def test_sentence_that_mentions_a_heading_is_not_a_heading():
    text = "Le marché est soumis aux critères d'attribution du règlement de la consultation.\nPrix : 60 %\n"
    assert all(s.heading is None for s in split_sections(text))


def test_sections_at_positions_are_those_of_split_sections_that_contain_them():
    """sections_at reads only the lines around each position (the classifier's trigger words): it finds the same
    sections as split_sections, on real forms and on texts cut by every line separator of str.splitlines."""
    written = ("Avis\x0cII.2.5) Critères d'attribution\u2028Prix 60 %\rIII.1.5) Marchés réservés : non\r\n"
               "Conditions d'exécution :\x85clause d'insertion\x1eArticle 8 - Variantes\nnon")
    texts = [written, "Objet : papier", "pas de titre"]
    if SAMPLES.joinpath("corpora", "notices_fr_2020", "notices.jsonl").exists():  # the real forms when present
        texts += [real_notice(BOAMP_FORM), real_notice(TED_DATA_TAB)]
    for text in texts:
        every = split_sections(text)
        for step in (1, 7, 97, 1000):
            positions = range(0, len(text) + 2, step)
            expected = [s for s in every if any(s.start <= p < s.end for p in positions)]
            assert sections_at(text, positions) == expected, (text[:40], step)


def test_text_is_built_from_sections_like_notice_full_text():
    sections = [
        Section("Objet du marché", "Collecte des biodéchets", kind="object"),
        Section("Critères d'attribution", "Prix 60 %", kind="award_criteria"),
    ]
    notice = Notice(source="demo", source_id="1", title="Biodéchets", sections=sections)
    text, clauses = segment(Document("1", title="Biodéchets", sections=sections))
    assert text == notice.full_text()
    assert [(c.kind, c.heading) for c in clauses] == [
        ("title", "Titre"),
        ("object", "Objet du marché"),
        ("award_criteria", "Critères d'attribution"),
    ]
    assert all(text[c.start : c.end] == c.text for c in clauses)


def test_parser_sections_are_located_in_a_given_text():
    text = "AVIS\nQuelque chose : Le titulaire s'engage à trier ses déchets.\nFin"
    sections = [
        Section("Quelque chose", "Le titulaire s'engage à trier ses déchets.", kind="execution_conditions")
    ]
    _, clauses = segment(Document("1", text=text, sections=sections))
    located = [c for c in clauses if "Le titulaire" in c.text]
    assert located[0].kind == "execution_conditions"


def test_a_notices_title_is_a_title_clause_even_when_its_text_is_given():
    """Notice.full_text() starts with the title: a stored notice's title is read as its title (where the purpose
    of the purchase is stated), and "Lot 8 - ..." in a title is not taken for a lot heading."""
    title = "LOT 8 - COLLEGE DE VERZY - MISE EN ACCESSIBILITE"
    notice = Notice(source="decp", source_id="1", title=title)
    doc = document_from_notice(notice)
    assert doc.text == title
    _, clauses = segment(doc)
    assert [(c.kind, c.text) for c in clauses] == [("title", title)]
    detected = {(d.dimension.value, d.lever.value) for d in load_classifier().classify(doc)}
    assert ("social", "contract_subject") in detected


def test_letters_lost_in_a_bad_decoding_are_read_back_for_matching_only():
    """U+FFFD is read as "e" (as "à" when alone), so that "R\ufffdnovation \ufffdnerg\ufffdtique" is found; the evidence
    keeps the original characters and offsets."""
    text = "R\ufffdnovation \ufffdnerg\ufffdtique de l'\ufffdcole \ufffd Tours"
    seg = segment_normalized(Document("x", text, title=text))
    assert seg.text == "Renovation energetique de l'ecole à Tours"
    found = load_classifier().classify(Document("x", text, title=text))
    assert [(d.dimension.value, d.lever.value) for d in found] == [("environmental", "contract_subject")]
    assert found[0].evidence == text[found[0].start : found[0].end] and "\ufffd" in found[0].evidence


def test_a_lost_letter_alone_between_spaces_or_at_the_ends_of_the_text_is_read_as_a():
    from classifier.segment import _lost_letters

    assert _lost_letters("\ufffd x\u00a0\ufffd\n\ufffd\ufffd a\ufffd \ufffd") == "à x\u00a0à\nee ae à"


def test_the_lower_case_twins_of_the_heading_patterns_find_what_they_find():
    """_classify_title searches lower-cased titles with twins of the heading patterns compiled without IGNORECASE
    (twice as fast); on every line of real notices and on upper-case literals (CCTP) they agree."""
    from classifier import segment as S

    lines = {"Se référer au CCAP et au CCTP", "CRITÈRES D'ATTRIBUTION :", "II.2.5) Critères d’attribution",
             "Nom et adresses", "Procédure de recours", "Section III : Renseignements d'ordre juridique"}
    corpus = SAMPLES / "corpora" / "notices_fr_2020" / "notices.jsonl"
    if corpus.exists():  # the real lines when the samples are there; the written ones always
        for row in corpus.read_text(encoding="utf-8").splitlines()[:200]:
            lines.update(line.strip()[:170] for line in json.loads(row)["text"].splitlines() if line.strip())
    for line in lines:
        for original, twin in ((S._KIND_RE, S._KIND_LOWER), (S._ZONE_RE, S._ZONE_LOWER)):
            a, b = original.search(line), twin.search(line.lower())
            assert (a and (a.lastgroup, a.start())) == (b and (b.lastgroup, b.start())), line
