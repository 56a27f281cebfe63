"""A notice whose considerations change gets its pictogram regenerated, and the statistics follow it."""

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from models.notice import DeclaredConsideration, Notice
from models.normalise import normalise
from models.schema import NoticeRow, PictogramRow
from models.vocabulary import Dimension, Lever
from workflow.ingest import Ingest
from storage.pictograms import regenerate_pictograms
from storage.detections import write_detections
from storage.stats import Filters, shares


def _notice(declared: list[DeclaredConsideration], title: str = "Nettoyage des locaux") -> Notice:
    return normalise(Notice(source="t", source_id="1", title=title, department="33",
                            published=date(2025, 4, 1), declared=declared))


def _import(store, notice: Notice) -> None:
    ingest = Ingest(store, "test-import")
    ingest.add(notice)
    ingest.finish(tag=False)


def _pictogram(store) -> PictogramRow:
    with store.session() as s:
        return s.scalar(select(PictogramRow))


def _social(store) -> int:
    with store.session() as s:
        return shares(s, [], Filters(), 0.5)[0].social


def test_a_reimported_notice_that_drops_its_declaration_loses_its_pictogram(store):
    _import(store, _notice([DeclaredConsideration(Dimension.SOCIAL, Lever.RESERVATION, "BT-71 res-ws")]))
    assert (_pictogram(store).social, _pictogram(store).levers, _social(store)) == (True, ["social:reservation"], 1)
    _import(store, _notice([], title="Nettoyage des locaux (rectificatif)"))
    assert (_pictogram(store).social, _social(store)) == (False, 0)


def test_a_new_detection_turns_the_pictogram_on_and_a_stale_one_off(store):
    _import(store, _notice([]))
    with store.session() as s:
        notice_id = s.scalar(select(NoticeRow.id))
        found = SimpleNamespace(dimension=Dimension.ENVIRONMENTAL, lever=Lever.AWARD_CRITERION, confidence=0.8,
                                evidence="critère environnemental 20 %", start=0, end=10, section="Critères")
        write_detections(s, [notice_id], [[found]], "test-1")
        regenerate_pictograms(s, [notice_id], 0.5)
    picto = _pictogram(store)
    assert (picto.environmental, picto.environmental_origin, picto.levers) == (
        True, "detected", ["environmental:award_criterion"])
    _import(store, _notice([], title="Nettoyage des locaux, lot 2"))  # changed: detections go stale
    assert _pictogram(store).environmental is False
    with store.session() as s:
        assert shares(s, [], Filters(origin="detected"), 0.5)[0].environmental == 0
