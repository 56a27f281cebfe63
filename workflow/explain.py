"""Why a stored notice has (or has not) its pictograms: the classifier's detections and suppressed candidates
beside what the buyer declared, the operator decided and the pictogram shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from classifier import Document, Explanation, load_classifier
from models.notice import Section
from models.schema import ConsiderationRow, ManualOverrideRow, NoticeRow, PictogramRow
from models.vocabulary import Origin
from storage.notices import find_notice


@dataclass
class NoticeExplanation:
    ref: str
    title: str
    explanation: Explanation
    declared: list[dict]
    override: dict | None
    pictogram: dict | None
    stored_version: str | None


def document_of(row: NoticeRow) -> Document:
    """The classifier's document of a stored notice, as re-tagging builds it."""
    return Document(id=str(row.id), text=row.text or "", title=row.title or "",
                    sections=[Section(**s) for s in (row.sections or [])], cpv_codes=list(row.cpv_codes or []))


def explain_notice(store, ref: str, classifier=None) -> NoticeExplanation:
    """Classify the stored notice `ref` (SOURCE:ID) again, recording every candidate; NoticeNotFound if none."""
    classifier = classifier or load_classifier()
    with store.session() as session:
        row = find_notice(session, ref)
        declared = [
            {"dimension": c.dimension, "lever": c.lever, "evidence": c.evidence}
            for c in session.scalars(select(ConsiderationRow).where(
                ConsiderationRow.notice_id == row.id, ConsiderationRow.origin == Origin.DECLARED.value))
        ]
        o = session.scalar(select(ManualOverrideRow).where(ManualOverrideRow.notice_id == row.id))
        p = session.get(PictogramRow, row.id)
        document = document_of(row)
        result = NoticeExplanation(
            ref=f"{row.source}:{row.source_id}",
            title=row.title or "",
            explanation=classifier.explain(document),
            declared=declared,
            override=None if o is None else {"social": o.social, "environmental": o.environmental,
                                             "levers": list(o.levers or []), "reason": o.reason, "author": o.author},
            pictogram=None if p is None else {"social": p.social, "environmental": p.environmental,
                                              "levers": list(p.levers or [])},
            stored_version=row.tagged_version,
        )
    return result
