"""Labelled clauses from the store for `tenderwatch train --from-store`: the buyers' declarations and the operators'
decisions, paired with the section of the notice that carries that lever."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select

from models.schema import ConsiderationRow, ManualOverrideRow, NoticeRow
from models.vocabulary import Lever, Origin

#: The section kind (models.notice.SECTION_KINDS) where each lever is written.
LEVER_SECTION = {
    Lever.EXECUTION_CONDITION: "execution_conditions",
    Lever.AWARD_CRITERION: "award_criteria",
    Lever.RESERVATION: "reservation",
    Lever.SELECTION_CRITERION: "participation",
    Lever.TECHNICAL_SPECIFICATION: "technical_specification",
    Lever.CONTRACT_SUBJECT: "object",
}


def store_examples(store, batch: int = 1000) -> Iterator[tuple[str, str, list[dict]]]:
    """(text, section kind, labels) for every section whose kind matches a declared or manual lever."""
    with store.session() as session:
        labels: dict[int, set[tuple[str, str]]] = defaultdict(set)
        declared = select(ConsiderationRow.notice_id, ConsiderationRow.dimension, ConsiderationRow.lever).where(
            ConsiderationRow.origin.in_([Origin.DECLARED.value, Origin.MANUAL.value]),
            ConsiderationRow.lever.is_not(None),
        )
        for r in session.execute(declared):
            labels[r.notice_id].add((r.dimension, r.lever))
        for r in session.execute(select(ManualOverrideRow.notice_id, ManualOverrideRow.levers)):
            for pair in r.levers or []:
                dimension, _, lever = pair.partition(":")
                labels[r.notice_id].add((dimension, lever))
        ids = sorted(labels)
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            for row in session.execute(select(NoticeRow.id, NoticeRow.sections).where(NoticeRow.id.in_(chunk))):
                for section in row.sections or []:
                    pairs = [
                        {"dimension": d, "lever": lever}
                        for d, lever in sorted(labels[row.id])
                        if LEVER_SECTION.get(Lever(lever)) == section.get("kind")
                    ]
                    if pairs and section.get("text", "").strip():
                        yield section["text"], section["kind"], pairs
