"""Pictograms: derived from a notice's considerations and the operator's override, never edited directly.

The rule, per dimension (social, environmental):
1. an operator's override that decides this dimension wins (origin `manual`), with the levers it names;
2. otherwise the pictogram is on when a consideration of the dimension qualifies (models/pictogram_rule.py:
   declared, manual, or detected at or above the threshold; never stale);
3. the levers shown are those of the considerations that qualified.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from models.pictogram_rule import qualifies
from models.schema import ConsiderationRow, ManualOverrideRow, NoticeRow, PictogramRow, utcnow
from models.vocabulary import Dimension, Origin
from storage.id_filters import in_ids

CHUNK = 5000


@dataclass(frozen=True)
class ConsiderationView:
    dimension: str
    lever: str | None
    origin: str
    confidence: float | None = None
    evidence: str | None = None
    stale: bool = False


@dataclass(frozen=True)
class OverrideView:
    social: bool | None = None
    environmental: bool | None = None
    levers: tuple[str, ...] = ()  # "dimension:lever"


@dataclass
class DimensionDecision:
    on: bool = False
    origin: str | None = None
    confidence: float | None = None
    levers: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)


def decide_dimension(
    dimension: Dimension,
    considerations: Iterable[ConsiderationView],
    override: OverrideView | None,
    threshold: float,
) -> DimensionDecision:
    """Apply the pictogram rule (module docstring) to one dimension."""
    decided = getattr(override, dimension.value) if override else None
    if decided is not None:
        levers = sorted(x.split(":", 1)[1] for x in override.levers if x.startswith(f"{dimension.value}:"))
        return DimensionDecision(on=decided, origin=Origin.MANUAL.value, confidence=1.0, levers=levers if decided else [])
    qualifying = [
        c for c in considerations
        if c.dimension == dimension.value and qualifies(c.origin, c.confidence, c.stale, threshold)
    ]
    if not qualifying:
        return DimensionDecision()
    origins = {c.origin for c in qualifying}
    origin = next(o for o in (Origin.MANUAL.value, Origin.DECLARED.value, Origin.DETECTED.value) if o in origins)
    detected = [c.confidence or 0.0 for c in qualifying if c.origin == Origin.DETECTED.value]
    confidence = 1.0 if origin != Origin.DETECTED.value else max(detected)
    evidence = [
        {"lever": c.lever, "origin": c.origin, "confidence": c.confidence, "evidence": c.evidence}
        for c in sorted(qualifying, key=lambda c: (c.origin, c.lever or "", -(c.confidence or 0)))
    ]
    return DimensionDecision(
        on=True,
        origin=origin,
        confidence=confidence,
        levers=sorted({c.lever for c in qualifying if c.lever}),
        evidence=evidence,
    )


def pictogram_values(
    notice_id: int,
    considerations: Sequence[ConsiderationView],
    override: OverrideView | None,
    threshold: float,
) -> dict:
    """The pictogram row of one notice."""
    social = decide_dimension(Dimension.SOCIAL, considerations, override, threshold)
    env = decide_dimension(Dimension.ENVIRONMENTAL, considerations, override, threshold)
    return {
        "notice_id": notice_id,
        "social": social.on,
        "environmental": env.on,
        "social_origin": social.origin,
        "environmental_origin": env.origin,
        "social_confidence": social.confidence,
        "environmental_confidence": env.confidence,
        "levers": [f"social:{lever}" for lever in social.levers]
        + [f"environmental:{lever}" for lever in env.levers],
        "details": {"social": social.evidence, "environmental": env.evidence},
        "generated_at": utcnow(),
    }


def _regenerate_chunk(session: Session, ids: list[int], threshold: float) -> int:
    """Pictograms of `ids` (sorted, not empty) from their considerations and overrides."""
    considerations: dict[int, list[ConsiderationView]] = defaultdict(list)
    rows = session.execute(
        select(
            ConsiderationRow.notice_id,
            ConsiderationRow.dimension,
            ConsiderationRow.lever,
            ConsiderationRow.origin,
            ConsiderationRow.confidence,
            ConsiderationRow.evidence,
            ConsiderationRow.stale,
        ).where(in_ids(ConsiderationRow.notice_id, ids))
    )
    for r in rows:
        considerations[r.notice_id].append(
            ConsiderationView(r.dimension, r.lever, r.origin, r.confidence, r.evidence, bool(r.stale))
        )
    overrides = {
        r.notice_id: OverrideView(r.social, r.environmental, tuple(r.levers or ()))
        for r in session.execute(
            select(
                ManualOverrideRow.notice_id,
                ManualOverrideRow.social,
                ManualOverrideRow.environmental,
                ManualOverrideRow.levers,
            ).where(in_ids(ManualOverrideRow.notice_id, ids))
        )
    }
    values = [pictogram_values(i, considerations.get(i, []), overrides.get(i), threshold) for i in ids]
    session.execute(delete(PictogramRow).where(in_ids(PictogramRow.notice_id, ids)))
    session.execute(insert(PictogramRow).execution_options(render_nulls=True), values)
    return len(values)


def regenerate_pictograms(session: Session, notice_ids: Iterable[int], threshold: float) -> int:
    """Regenerate the pictograms of the given notices (in chunks); returns how many were written."""
    ids = sorted(set(notice_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        written += _regenerate_chunk(session, ids[start : start + CHUNK], threshold)
    return written


def regenerate_all(store, threshold: float, progress=None) -> int:
    """Regenerate every pictogram, one committed chunk of notice ids at a time (memory stays flat)."""
    with store.session() as session:
        total = session.scalar(select(func.count()).select_from(NoticeRow)) or 0
    written, last_id = 0, 0
    while True:
        with store.session() as session:
            ids = list(
                session.scalars(
                    select(NoticeRow.id).where(NoticeRow.id > last_id).order_by(NoticeRow.id).limit(CHUNK)
                )
            )
            if not ids:
                break
            written += _regenerate_chunk(session, ids, threshold)
        last_id = ids[-1]
        if progress:
            progress(written, total)
    return written
