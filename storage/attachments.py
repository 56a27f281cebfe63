"""Documents attached to a stored notice (RC, CCAP, CCTP...), kept apart from what its source publishes.

A notice row holds the source's sections (`sections`) and content hash, and the operators' documents in
`attachments` (sections of their own, one per document, keyed by the document's name). Its `text` is the
source's text followed by each attachment ("name\\ntext"), so that the classifier's evidence offsets and every
reader see one text. An unchanged re-crawl of the notice compares the source's hash only and writes nothing; a
changed one replaces the source's sections and text and keeps the attachments (storage/upsert.py).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.notice import Section
from models.schema import ConsiderationRow, NoticeRow, utcnow
from models.vocabulary import Origin


def section_dict(section: Section) -> dict:
    return {"heading": section.heading, "text": section.text, "kind": section.kind, "lot": section.lot}


def attachments_suffix(attachments: list[dict] | None) -> str:
    """What the attachments add to the notice's text."""
    return "".join(f"\n\n{a['heading']}\n{a['text']}" for a in attachments or [])


def merged_text(source_text: str, attachments: list[dict] | None) -> str:
    """The notice's text: the source's, then its attached documents."""
    return (source_text or "") + attachments_suffix(attachments)


def source_text(text: str, attachments: list[dict] | None) -> str:
    """The source's part of a stored text (the attachments' suffix removed)."""
    suffix = attachments_suffix(attachments)
    return text[: len(text) - len(suffix)] if suffix and text.endswith(suffix) else text


def reading_sections(sections: list[dict] | None, attachments: list[dict] | None) -> list[Section]:
    """The sections the classifier reads: the source's, then the attached documents."""
    return [Section(**s) for s in (sections or [])] + [Section(**a) for a in (attachments or [])]


def stored_attachments(session: Session, notice_ids: list[int]) -> dict[int, list[dict]]:
    """The attachments of these notices (only those that have some)."""
    if not notice_ids:
        return {}
    rows = session.execute(
        select(NoticeRow.id, NoticeRow.attachments)
        .where(NoticeRow.id.in_(notice_ids), NoticeRow.attachments.isnot(None))
    )
    return {r.id: list(r.attachments) for r in rows if r.attachments}


def attach_document(session: Session, notice: NoticeRow, document: Section) -> bool:
    """Attach `document` to the stored `notice` (replacing an attachment of the same name); whether anything
    changed. A change queues the notice for re-tagging (its detected considerations marked stale)."""
    old = list(notice.attachments or [])
    added = section_dict(document)
    names = [a["heading"] for a in old]
    new = [added if a["heading"] == document.heading else a for a in old] if document.heading in names else old + [added]
    if new == old:
        return False
    text = merged_text(source_text(notice.text or "", old), new)
    now = utcnow()
    session.execute(
        update(NoticeRow).where(NoticeRow.id == notice.id)
        .values(attachments=new, text=text, updated_at=now, last_seen=now, needs_tagging=True)
    )
    session.execute(
        update(ConsiderationRow)
        .where(ConsiderationRow.notice_id == notice.id, ConsiderationRow.origin == Origin.DETECTED.value)
        .values(stale=True)
    )
    return True
