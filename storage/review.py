"""The operators' review queue: what deserves a human look, most-read first.

Three kinds of items, each one (notice, dimension) that no operator has decided yet:
- `low_confidence`: a detected consideration whose confidence sits in a band around the threshold;
- `declared_not_detected`: the buyer declared the dimension, the classifier found nothing of it (tagged notices);
- `detected_not_declared`: the classifier lit the dimension on a notice whose buyer declared something else
  (the population of `stats --agreement`: a notice that fills the structured fields and left this one empty).

Readers: tenderwatch does not count page views, so the queue puts first the notices that companies are reading
now, those still open for bids (nearest deadline first), then the others, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from models.pictogram_rule import qualifies_sql
from models.schema import ConsiderationRow, ManualOverrideRow, NoticeRow, OverrideAuditRow, utcnow
from models.vocabulary import Dimension, Origin

KINDS = ("low_confidence", "declared_not_detected", "detected_not_declared")
DEFAULT_BAND = (0.2, 0.8)


@dataclass
class ReviewItem:
    kind: str
    notice_id: int
    source: str
    source_id: str
    title: str
    buyer: str | None
    published: date | None
    deadline: datetime | None
    open_for_bids: bool
    dimension: str
    lever: str | None
    confidence: float | None
    evidence: str | None


def _undecided(c):
    """No override decides `c`'s dimension of its notice yet."""
    o = ManualOverrideRow
    decided = case((c.dimension == Dimension.SOCIAL.value, o.social), else_=o.environmental)
    return ~exists().where(o.notice_id == c.notice_id, decided.is_not(None))


def _same(c, origin: str, alias, *conditions):
    return exists().where(alias.notice_id == c.notice_id, alias.dimension == c.dimension, alias.origin == origin,
                          alias.stale.is_(False), *conditions)


def _candidates(kind: str, threshold: float, band: tuple[float, float]):
    """(notice_id, dimension, lever, confidence, evidence) per item of `kind`, one row per (notice, dimension)."""
    c, other = ConsiderationRow, aliased(ConsiderationRow)
    if kind == "low_confidence":
        where = [c.origin == Origin.DETECTED.value, c.stale.is_(False), c.confidence >= band[0],
                 c.confidence < band[1]]
    elif kind == "declared_not_detected":
        where = [c.origin == Origin.DECLARED.value, c.stale.is_(False),
                 ~_same(c, Origin.DETECTED.value, other, qualifies_sql(other, threshold)),
                 exists().where(NoticeRow.id == c.notice_id, NoticeRow.needs_tagging.is_(False))]
    elif kind == "detected_not_declared":
        declaring = aliased(ConsiderationRow)
        where = [c.origin == Origin.DETECTED.value, qualifies_sql(c, threshold),
                 ~_same(c, Origin.DECLARED.value, other),
                 exists().where(declaring.notice_id == c.notice_id, declaring.origin == Origin.DECLARED.value)]
    else:
        raise ValueError(f"unknown review kind {kind!r}; choose among {', '.join(KINDS)}")
    # a quarantined notice (`tenderwatch notices`) is set aside: nothing of it to review until it is released
    where.append(~exists().where(NoticeRow.id == c.notice_id, NoticeRow.quarantined_at.is_not(None)))
    # one row per (notice, dimension): the consideration with the highest id stands for it
    return (select(func.max(c.id).label("id")).where(*where, _undecided(c))
            .group_by(c.notice_id, c.dimension).subquery("items"))


def review_items(session: Session, kind: str, threshold: float, band: tuple[float, float] = DEFAULT_BAND,
                 limit: int = 50, offset: int = 0, now: datetime | None = None) -> tuple[int, list[ReviewItem]]:
    """(how many items of `kind`, one page of them, most-read first)."""
    items = _candidates(kind, threshold, band)
    count = session.scalar(select(func.count()).select_from(items)) or 0
    c, n = ConsiderationRow, NoticeRow
    now = now or utcnow()
    open_ = and_(n.deadline.is_not(None), n.deadline >= now)
    query = (select(c, n).join(items, items.c.id == c.id).join(n, n.id == c.notice_id)
             .order_by(case((open_, 0), else_=1), case((open_, n.deadline)), n.published.desc().nulls_last(),
                       c.id).limit(limit).offset(offset))
    out = []
    for row_c, row_n in session.execute(query):
        out.append(ReviewItem(
            kind, row_n.id, row_n.source, row_n.source_id, row_n.title, row_n.buyer_name, row_n.published,
            row_n.deadline, bool(row_n.deadline and row_n.deadline >= now), row_c.dimension, row_c.lever,
            row_c.confidence, row_c.evidence,
        ))
    return count, out


def recent_decisions(session: Session, limit: int = 20) -> list[tuple[OverrideAuditRow, str, str]]:
    """The last operators' decisions (the audit), newest first, with their notice's source and id."""
    query = (select(OverrideAuditRow, NoticeRow.source, NoticeRow.source_id)
             .join(NoticeRow, NoticeRow.id == OverrideAuditRow.notice_id)
             .order_by(OverrideAuditRow.created_at.desc(), OverrideAuditRow.id.desc()).limit(limit))
    return [(a, source, source_id) for a, source, source_id in session.execute(query)]
