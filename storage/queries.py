"""Read queries of the web face: filtered pages of notices, one notice with its considerations, and the version
(count, last change) of a page of pictograms. The statistics live in storage/stats.py, the exports in
storage/exports.py; these reuse their filters and records."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session

from models.pictogram_rule import qualifies
from models.safe import safe_url
from models.schema import ConsiderationRow, NoticeRow, PictogramRow
from models.vocabulary import Dimension
from storage.exports import dimension_record, filter_pictograms
from storage.patterns import source_matches
from storage.stats import Filters


@dataclass
class NoticeFilters:
    """What a list of notices can be narrowed to; every field is optional and they combine with AND."""

    region: str | None = None
    department: str | None = None
    buyer: str | None = None  # SIRET, or the name where a source publishes none
    cpv: str | None = None  # a CPV division (2 digits) or the start of a code
    source: str | None = None  # wildcard *, e.g. atexo:*
    year: int | None = None
    social: bool | None = None
    environmental: bool | None = None
    q: str | None = None  # words of the title

    def as_query(self) -> dict:
        """The filters that are set, as URL parameters."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and value != "":
                out[f.name] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        return out

    def stats_filters(self, origin: str = "all") -> Filters:
        """The same narrowing for storage/stats.py (the pictogram and title filters have no counterpart there)."""
        cpv_division = self.cpv[:2] if self.cpv else None
        since = date(self.year, 1, 1) if self.year else None
        until = date(self.year, 12, 31) if self.year else None
        return Filters(since=since, until=until, region=self.region, source=self.source, origin=origin,
                       department=self.department, buyer=self.buyer, cpv_division=cpv_division)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query, f: NoticeFilters):
    query = query.where(NoticeRow.quarantined_at.is_(None))  # set aside (`tenderwatch notices`): never listed
    if f.region:
        query = query.where(NoticeRow.region == f.region)
    if f.department:
        query = query.where(NoticeRow.department == f.department)
    if f.buyer:
        query = query.where(or_(NoticeRow.buyer_siret == f.buyer, NoticeRow.buyer_name == f.buyer))
    if f.cpv:  # a division (its index), then any of the notice's codes that starts with a longer prefix
        query = query.where(NoticeRow.cpv_division == f.cpv[:2])
        if len(f.cpv) > 2:
            query = query.where(cast(NoticeRow.cpv_codes, Text).like(f'%"{_escape_like(f.cpv)}%', escape="\\"))
    if f.source:
        query = query.where(source_matches(NoticeRow.source, f.source))
    if f.year:
        query = query.where(NoticeRow.published >= date(f.year, 1, 1), NoticeRow.published <= date(f.year, 12, 31))
    if f.social is not None:
        query = query.where(PictogramRow.social.is_(f.social))
    if f.environmental is not None:
        query = query.where(PictogramRow.environmental.is_(f.environmental))
    if f.q:
        for word in f.q.split()[:8]:
            query = query.where(NoticeRow.title.ilike(f"%{_escape_like(word)}%", escape="\\"))
    return query


def pictograms_of(p: PictogramRow | None, confidences: bool) -> dict:
    """A notice's pictogram as the API gives it: one record per dimension (storage/exports.py's)."""
    if p is None:
        return {d.value: dimension_record(d, False, None, None, []) for d in Dimension}
    return {
        Dimension.SOCIAL.value: dimension_record(Dimension.SOCIAL, p.social, p.social_origin,
                                                 p.social_confidence if confidences else None, p.levers or []),
        Dimension.ENVIRONMENTAL.value: dimension_record(
            Dimension.ENVIRONMENTAL, p.environmental, p.environmental_origin,
            p.environmental_confidence if confidences else None, p.levers or []),
    }


def _summary(n: NoticeRow, p: PictogramRow | None, confidences: bool) -> dict:
    return {
        "source": n.source, "source_id": n.source_id, "title": n.title, "buyer": n.buyer_name,
        "published": n.published.isoformat() if n.published else None, "url": safe_url(n.url),
        "department": n.department, "region": n.region,
        "pictograms": pictograms_of(p, confidences),
    }


#: Matching notices are counted up to this many: an exact count of a million rows costs seconds on every page.
COUNT_CAP = 10_000


def list_notices(session: Session, f: NoticeFilters, page: int = 1, per_page: int = 20,
                 confidences: bool = False) -> tuple[int, bool, list[dict]]:
    """(count of matching notices up to COUNT_CAP, whether that count is exact, one page of them, newest first:
    the order of the index ix_notice_list_order, migration 0008)."""
    base = select(NoticeRow.id)
    if f.social is not None or f.environmental is not None:
        base = base.outerjoin(PictogramRow, PictogramRow.notice_id == NoticeRow.id)
    limited = _filtered(base, f).limit(COUNT_CAP + 1).subquery()
    count = session.scalar(select(func.count()).select_from(limited)) or 0
    query = (select(NoticeRow, PictogramRow).outerjoin(PictogramRow, PictogramRow.notice_id == NoticeRow.id)
             .order_by(NoticeRow.published.desc().nulls_last(), NoticeRow.id.desc())
             .limit(per_page).offset((page - 1) * per_page))
    rows = session.execute(_filtered(query, f)).all()
    return min(count, COUNT_CAP), count <= COUNT_CAP, [_summary(n, p, confidences) for n, p in rows]


def _consideration(c: ConsiderationRow, threshold: float, confidences: bool) -> dict:
    out = {
        "dimension": c.dimension, "lever": c.lever, "origin": c.origin,
        "qualifies": qualifies(c.origin, c.confidence, c.stale, threshold),
        "evidence": c.evidence, "start": c.start, "end": c.end, "section": c.section, "lot": c.lot_id,
    }
    if confidences:
        out.update(confidence=c.confidence, stale=c.stale, classifier_version=c.classifier_version)
    return out


def notice_detail(session: Session, notice: NoticeRow, threshold: float, confidences: bool = False) -> dict:
    """A notice, its pictograms and its considerations. The public is given the considerations that light a
    pictogram (and the manual ones); operators (`confidences`) every one, with its confidence."""
    p = session.get(PictogramRow, notice.id)
    rows = session.scalars(select(ConsiderationRow).where(ConsiderationRow.notice_id == notice.id)
                           .order_by(ConsiderationRow.dimension, ConsiderationRow.start, ConsiderationRow.id))
    considerations = [_consideration(c, threshold, confidences) for c in rows]
    if not confidences:
        considerations = [c for c in considerations if c["qualifies"]]
    return {
        **_summary(notice, p, confidences),
        "buyer_siret": notice.buyer_siret, "cpv_codes": notice.cpv_codes or [], "procedure": notice.procedure,
        "contract_nature": notice.contract_nature, "deadline": notice.deadline.isoformat() if notice.deadline else None,
        "text": notice.text or "", "considerations": considerations,
    }


def pictograms_version(session: Session, since: date | None = None, source: str | None = None,
                       changed_since: datetime | None = None) -> tuple[int, datetime | None]:
    """(how many notices, when the last of their pictograms changed): what the API's ETag and Last-Modified say."""
    query = select(func.count(), func.max(PictogramRow.generated_at)).select_from(NoticeRow).join(
        PictogramRow, PictogramRow.notice_id == NoticeRow.id)
    count, last = session.execute(filter_pictograms(query, since, source, changed_since)).one()
    return int(count or 0), last


def distinct_values(session: Session, column: str, limit: int = 200) -> list[str]:
    """The values a filter can take (regions, departments, sources), for the pages' menus."""
    col = getattr(NoticeRow, column)
    return [v for v in session.scalars(select(col).where(col.is_not(None)).distinct().order_by(col).limit(limit))]
