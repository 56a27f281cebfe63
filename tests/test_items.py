"""The notice item's dict form and content hash: stores keep the hash, so it must not drift between versions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from models.notice import DeclaredConsideration, Lot, Notice, Section
from models.vocabulary import Dimension, Lever


def reference_dict(notice: Notice) -> dict:
    """The dict form as the first release wrote it (dataclasses.asdict), against which stored hashes were made."""
    d = asdict(notice)
    d["published"] = notice.published.isoformat() if notice.published else None
    d["deadline"] = notice.deadline.isoformat() if notice.deadline else None
    d["declared"] = [
        {**x, "dimension": str(x["dimension"]), "lever": str(x["lever"]) if x["lever"] else None}
        for x in d["declared"]
    ]
    if not d["links"]:  # procedure links came later: a notice without any has the dict (and hash) of before
        del d["links"]
    return d


def reference_hash(notice: Notice) -> str:
    d = reference_dict(notice)
    d.pop("region", None)
    return hashlib.sha256(json.dumps(d, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


FULL = Notice(
    source="atexo:demat-ampa",
    source_id="2024-117",
    title="Nettoyage des locaux",
    url="https://example.org/c/117",
    buyer_name="Commune d'Exemple",
    buyer_siret="21000000000017",
    buyer_nuts="FRL04",
    country="FR",
    department="13",
    region="Provence-Alpes-Côte d'Azur",
    cpv_codes=["90910000", "90911200"],
    procedure="open",
    contract_nature="services",
    notice_type="contract_notice",
    published=date(2024, 3, 1),
    deadline=datetime(2024, 4, 2, 12, 0),
    language="fr",
    amount=120000.5,
    text="",
    sections=[Section("Objet", "Nettoyage", "object"), Section("Lot 2", "Vitrerie", "lot", lot="2")],
    lots=[Lot("1", "Bureaux", "Nettoyage des bureaux", ["90911200"]), Lot("2", "Vitres")],
    declared=[
        DeclaredConsideration(Dimension.SOCIAL, Lever.EXECUTION_CONDITION, "clause d'insertion", lot="1"),
        DeclaredConsideration(Dimension.ENVIRONMENTAL, None, "écolabel"),
    ],
    raw_format="atexo_html",
)


def test_dict_form_is_the_reference_one():
    assert FULL.to_dict() == reference_dict(FULL)
    assert FULL.content_hash() == reference_hash(FULL)


def test_dict_form_is_a_copy():
    d = FULL.to_dict()
    d["cpv_codes"].append("x")
    d["sections"][0]["text"] = "changed"
    d["lots"][0]["cpv_codes"].clear()
    assert FULL.cpv_codes == ["90910000", "90911200"]
    assert FULL.sections[0].text == "Nettoyage"
    assert FULL.lots[0].cpv_codes == ["90911200"]


def test_hash_ignores_region_but_not_content():
    same = Notice.from_dict({**FULL.to_dict(), "region": None})
    changed = Notice.from_dict({**FULL.to_dict(), "title": "Nettoyage des locaux (modifié)"})
    assert same.content_hash() == FULL.content_hash()
    assert changed.content_hash() != FULL.content_hash()


texts = st.text(max_size=30)
sections = st.builds(Section, texts, texts, st.sampled_from(["object", "lot", "other"]), st.none() | texts)
lots = st.builds(Lot, texts, texts, texts, st.lists(texts, max_size=3))
declared = st.builds(
    DeclaredConsideration, st.sampled_from(list(Dimension)), st.none() | st.sampled_from(list(Lever)), texts
)
notices = st.builds(
    Notice,
    source=texts,
    source_id=texts,
    title=texts,
    cpv_codes=st.lists(texts, max_size=3),
    published=st.none() | st.dates(),
    deadline=st.none() | st.datetimes(),
    amount=st.none() | st.floats(allow_nan=False),
    sections=st.lists(sections, max_size=3),
    lots=st.lists(lots, max_size=2),
    declared=st.lists(declared, max_size=2),
)


@given(notices)
def test_any_notice_hashes_as_the_reference(notice):
    assert notice.to_dict() == reference_dict(notice)
    assert notice.content_hash() == reference_hash(notice)
