"""Operators' decisions on pictograms: kept with who, when and why; no re-run changes them; every one audited."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.schema import ManualOverrideRow, NoticeRow, OverrideAuditRow, utcnow
from models.vocabulary import Dimension, Lever
from storage.pictograms import regenerate_pictograms

CHANNELS = ("cli", "web", "api")


class OverrideError(ValueError):
    """An override that cannot be applied (unknown notice, bad lever); the message says which."""


def parse_levers(values: list[str]) -> list[str]:
    """Validate "dimension:lever" strings (e.g. "social:reservation")."""
    out = []
    for value in values:
        dim, _, lever = value.partition(":")
        try:
            Dimension(dim)
            Lever(lever)
        except ValueError:
            raise OverrideError(
                f"{value!r} is not DIMENSION:LEVER (dimensions: {', '.join(Dimension)}; levers: {', '.join(Lever)})"
            ) from None
        if lever == Lever.RESERVATION and dim != Dimension.SOCIAL:
            raise OverrideError("a reservation is always social")
        out.append(f"{dim}:{lever}")
    return sorted(set(out))


def _audit(session: Session, notice_id: int, action: str, row: ManualOverrideRow | None, reason: str, author: str,
           channel: str) -> None:
    session.add(OverrideAuditRow(
        notice_id=notice_id, action=action, social=row.social if row else None,
        environmental=row.environmental if row else None, levers=list(row.levers or []) if row else [],
        reason=reason, author=author, channel=channel, created_at=utcnow(),
    ))


def set_override(session: Session, notice: NoticeRow, social: bool | None, environmental: bool | None,
                 levers: list[str], reason: str, author: str, threshold: float,
                 channel: str = "cli") -> ManualOverrideRow:
    """Record (or replace) the operator's decision for a notice, audit it and regenerate its pictogram. A lever
    must be of a dimension the decision shows (`--social yes --lever social:reservation`): the pictogram rule
    ignores the others, so accepting them would record what no one sees."""
    if social is None and environmental is None:
        raise OverrideError("say --social and/or --environmental")
    if not reason.strip():
        raise OverrideError("--reason is required: say why, for the next operator")
    if not author.strip():
        raise OverrideError("an override needs its author")
    levers = parse_levers(levers)
    shown = {Dimension.SOCIAL.value: social, Dimension.ENVIRONMENTAL.value: environmental}
    for lever in levers:
        dimension = lever.split(":", 1)[0]
        if shown[dimension] is not True:
            decided = "hides" if shown[dimension] is False else "does not decide"
            raise OverrideError(f"--lever {lever}: this decision {decided} the {dimension} pictogram; a lever is "
                                f"shown only with --{dimension} yes")
    row = session.scalar(select(ManualOverrideRow).where(ManualOverrideRow.notice_id == notice.id))
    now = utcnow()
    if row is None:
        row = ManualOverrideRow(notice_id=notice.id, created_at=now)
        session.add(row)
    row.social, row.environmental = social, environmental
    row.levers, row.reason, row.author, row.updated_at = levers, reason.strip(), author, now
    session.flush()
    _audit(session, notice.id, "set", row, row.reason, author, channel)
    regenerate_pictograms(session, [notice.id], threshold)
    return row


def merge_override(session: Session, notice: NoticeRow, decisions: dict[str, bool], levers: list[str],
                   reason: str, author: str, threshold: float, channel: str = "web") -> ManualOverrideRow:
    """Decide the dimensions of `decisions` ({"social": True, ...}) with the `levers` ("dimension:lever") given for
    them, keeping an earlier decision on any other dimension and its levers: what the web face writes."""
    unknown = [d for d in decisions if d not in {x.value for x in Dimension}]
    if unknown or not decisions:
        raise OverrideError(f"decide social and/or environmental (got {', '.join(unknown) or 'nothing'})")
    stray = [x for x in levers if x.partition(":")[0] not in decisions or not decisions[x.partition(":")[0]]]
    if stray:
        raise OverrideError(f"levers {', '.join(stray)} name a dimension that is not turned on by this decision")
    current = session.scalar(select(ManualOverrideRow).where(ManualOverrideRow.notice_id == notice.id))
    decided = {d.value: getattr(current, d.value) if current else None for d in Dimension}
    decided.update(decisions)
    # the levers of the dimensions not decided now, while they show (an older override may hold others)
    kept = [x for x in (current.levers if current else [])
            if x.partition(":")[0] not in decisions and decided.get(x.partition(":")[0]) is True]
    return set_override(session, notice, decided[Dimension.SOCIAL.value], decided[Dimension.ENVIRONMENTAL.value],
                        kept + list(levers), reason, author, threshold, channel)


def clear_override(session: Session, notice: NoticeRow, threshold: float, author: str = "",
                   reason: str = "", channel: str = "cli") -> bool:
    deleted = session.execute(delete(ManualOverrideRow).where(ManualOverrideRow.notice_id == notice.id)).rowcount
    if deleted:
        _audit(session, notice.id, "clear", None, reason, author or "unknown", channel)
    regenerate_pictograms(session, [notice.id], threshold)
    return bool(deleted)


def audit_trail(session: Session, notice_id: int) -> list[OverrideAuditRow]:
    """A notice's decisions, oldest first."""
    return list(session.scalars(select(OverrideAuditRow).where(OverrideAuditRow.notice_id == notice_id)
                                .order_by(OverrideAuditRow.created_at, OverrideAuditRow.id)))
