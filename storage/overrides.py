"""Operators' decisions on pictograms: kept with who, when and why; no re-run changes them."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.schema import ManualOverrideRow, NoticeRow, utcnow
from models.vocabulary import Dimension, Lever
from storage.pictograms import regenerate_pictograms


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


def set_override(session: Session, notice: NoticeRow, social: bool | None, environmental: bool | None,
                 levers: list[str], reason: str, author: str, threshold: float) -> ManualOverrideRow:
    """Record (or replace) the operator's decision for a notice and regenerate its pictogram. A lever must be of a
    dimension the decision shows (`--social yes --lever social:reservation`): the pictogram rule ignores the others,
    so accepting them would record what no one sees."""
    if social is None and environmental is None:
        raise OverrideError("say --social and/or --environmental")
    if not reason.strip():
        raise OverrideError("--reason is required: say why, for the next operator")
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
    regenerate_pictograms(session, [notice.id], threshold)
    return row


def clear_override(session: Session, notice: NoticeRow, threshold: float) -> bool:
    deleted = session.execute(delete(ManualOverrideRow).where(ManualOverrideRow.notice_id == notice.id)).rowcount
    regenerate_pictograms(session, [notice.id], threshold)
    return bool(deleted)
