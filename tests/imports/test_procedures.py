"""Procedure identity: the notices of one procedure linked by the keys they share, counted once by `stats`."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models.links import buyer_ref_key, self_key, text_keys
from models.schema import NoticeRow
from storage.exports import pictogram_records
from storage.overrides import set_override
from storage.procedures import relink, summary
from storage.stats import Filters, shares
from tenderwatch.cli import main
from tests.imports.helpers import decp_2019, decp_contract, own_notice, ted_r209


def test_keys_have_one_spelling_whatever_the_padding():
    assert self_key("ted", "091489-2019") == self_key("ted", "91489-2019") == "ted:91489-2019"
    assert self_key("ted", "00175200-2025") == "ted:175200-2025"
    assert self_key("boamp", "20-131182") == "boamp:20-131182"
    assert text_keys("JOUE, annonce 2020/s 244-603534; avis nº 17-76229 au BOAMP") == [
        "ted:603534-2020", "boamp:17-76229"]
    assert text_keys("Référence de l'avis initial sur le site BOAMP, annonce no 20-131182") == ["boamp:20-131182"]


@pytest.mark.parametrize("reference", ["2019", "1", "AAAAAA", "2018123456789100", "", None])
def test_references_that_identify_nothing_give_no_key(reference):
    assert buyer_ref_key("21200033300019", reference) is None


def test_a_reference_needs_a_siret():
    assert buyer_ref_key(None, "EV-2020-014") is None
    assert buyer_ref_key("21200033300019", "ev 2020/014") == "ref:21200033300019:EV2020014"


@pytest.fixture
def procedure_files(tmp_path):
    """A contract notice, its award notice (REF_NOTICE), the BOAMP notice quoting the TED number, the DECP
    contract (buyer SIRET + the buyer's reference) and an unrelated notice of the same buyer."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cn.xml").write_bytes(ted_r209("012345-2020", reserved=True))
    (folder / "can.xml").write_bytes(ted_r209("023456-2020", form="F03", ref_notice="012345-2020",
                                              published="20200420", reference=None))
    (folder / "boamp.json").write_text(json.dumps(own_notice(
        "boamp", "20-004512", "Avis envoyé au JOUE le 10/01/2020 : 2020/S 010-012345.", published="2020-01-12")),
        encoding="utf-8")
    (folder / "decp.json").write_bytes(decp_2019([decp_contract("EV-2020-014")]))
    (folder / "other.xml").write_bytes(ted_r209("034567-2020", reference="VOIRIE-2020-3", title="Voirie"))
    return folder


def _import(db_url, *paths):
    return main(["--db", db_url, "import", "--no-tag", *map(str, paths)])


def test_the_notices_of_one_procedure_share_a_procedure(store, db_url, procedure_files):
    assert _import(db_url, procedure_files) == 0
    with store.session() as session:
        rows = {(r.source, r.source_id): r for r in session.scalars(select(NoticeRow))}
        cn = rows[("ted", "012345-2020")]
        linked = [rows[k] for k in [("ted", "023456-2020"), ("boamp", "20-004512")]]
        decp = next(r for (source, _), r in rows.items() if source == "decp")
        other = rows[("ted", "034567-2020")]
        assert {r.procedure_key for r in [cn, decp, *linked]} == {"boamp:20-004512"}  # the smallest own key
        assert {r.procedure_notice_id for r in [cn, decp, *linked]} == {linked[1].id}  # the first published
        assert other.procedure_key == "ted:34567-2020" and other.procedure_notice_id == other.id
        s = summary(session)
        assert (s.notices, s.procedures, s.linked_procedures, s.linked_notices) == (5, 2, 1, 4)
        # the contract notice's number is shared by three notices (its own, the award's REF_NOTICE, the BOAMP text):
        # three pairs; the buyer's reference by the contract notice and the DECP contract: one
        assert s.links_by_kind == {"ted": 3, "ref": 1}
        assert s.links_by_sources == {"ted-ted": 1, "boamp-ted": 2, "decp-ted": 1}
        assert relink(session) == 0  # the links made at import are those of a full pass


def test_links_do_not_depend_on_the_order_of_the_imports(store, db_url, procedure_files):
    """The award notice first, its contract notice later: the second import relinks the first one's notice."""
    for name in ["decp.json", "can.xml", "other.xml", "boamp.json", "cn.xml"]:
        assert _import(db_url, procedure_files / name) == 0
    with store.session() as session:
        keys = {r.source: r.procedure_key for r in session.scalars(select(NoticeRow)) if r.source_id != "034567-2020"}
        assert set(keys.values()) == {"boamp:20-004512"}
        assert relink(session) == 0


def test_stats_count_a_procedure_once(store, db_url, procedure_files, capsys):
    assert _import(db_url, procedure_files) == 0
    with store.session() as session:
        by_procedure = shares(session, [], Filters(origin="declared", unit="procedure"), 0.5)
        by_notice = shares(session, [], Filters(origin="declared", unit="notice"), 0.5)
        by_year = shares(session, ["year"], Filters(origin="declared", unit="procedure"), 0.5)
    assert (by_notice[0].notices, by_notice[0].social) == (5, 1)  # the reserved contract notice
    assert (by_procedure[0].notices, by_procedure[0].social) == (2, 1)  # its procedure, once
    assert [(r.group["year"], r.notices) for r in by_year] == [(2020, 2)]
    capsys.readouterr()
    assert main(["--db", db_url, "stats", "--by", "source", "--origin", "declared", "--format", "json"]) == 0
    rows = {r["source"]: (r["notices"], r["social"]) for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows == {"boamp": (1, 1), "ted": (1, 0)}  # placed by the notice that stands for each procedure
    assert main(["--db", db_url, "stats", "--by", "source", "--origin", "declared", "--unit", "notice",
                 "--format", "json"]) == 0
    rows = {r["source"]: r["notices"] for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows == {"boamp": 1, "decp": 1, "ted": 3}


def test_an_override_on_one_notice_shows_on_its_siblings(store, db_url, procedure_files):
    assert _import(db_url, procedure_files) == 0
    with store.session() as session:
        cn = session.scalar(select(NoticeRow).where(NoticeRow.source_id == "012345-2020"))
        set_override(session, cn, False, None, [], "réservation annulée par avis rectificatif", "op", 0.5)
    with store.session() as session:
        records = {f"{r['source']}:{r['source_id']}": r for r in pictogram_records(session)}
    cn_record = records["ted:012345-2020"]
    assert cn_record["social"]["on"] is False and cn_record["procedure_override"] is None  # its own decision
    sibling = records["ted:023456-2020"]["procedure_override"]
    assert sibling == {"notice": "ted:012345-2020", "social": False, "environmental": None, "levers": [],
                       "reason": "réservation annulée par avis rectificatif"}
    assert records["boamp:20-004512"]["procedure_override"]["notice"] == "ted:012345-2020"
    assert records["ted:034567-2020"]["procedure_override"] is None  # another procedure
    assert records["ted:023456-2020"]["procedure"] == "boamp:20-004512"


def test_a_procedure_whose_first_notice_is_set_aside_still_counts_once(store, db_url, procedure_files):
    """Quarantining the notice a procedure stands as hands the procedure to its next notice; releasing it gives
    the procedure back: the procedure is counted once throughout."""
    from storage.quarantine import quarantine, release

    assert _import(db_url, procedure_files) == 0

    def procedures() -> int:
        with store.session() as session:
            return shares(session, [], Filters(unit="procedure"), 0.5)[0].notices

    assert procedures() == 2
    with store.session() as session:
        head = session.scalar(select(NoticeRow).where(NoticeRow.source == "boamp"))
        assert head.procedure_notice_id == head.id
        quarantine(session, head, "test")
    assert procedures() == 2
    with store.session() as session:
        others = session.scalars(select(NoticeRow).where(NoticeRow.procedure_key == "boamp:20-004512",
                                                         NoticeRow.source != "boamp")).all()
        assert {r.procedure_notice_id for r in others} != {head.id}
        release(session, session.get(NoticeRow, head.id))
    assert procedures() == 2
    with store.session() as session:
        assert session.get(NoticeRow, head.id).procedure_notice_id == head.id
