"""The pictogram rule for one consideration, in one place: the Python path and the SQL path both come from here.

A consideration *qualifies* (lights its dimension's pictogram and counts in the statistics) when it is not stale
(its notice changed and awaits re-tagging) and it was declared by the buyer, set by an operator, or detected by
the classifier with a confidence at or above the detection threshold. An operator's override that decides a
dimension wins over every consideration of it (storage/pictograms.py applies that part).
"""

from __future__ import annotations

from models.vocabulary import Origin

#: Origins that qualify whatever their confidence.
ALWAYS_QUALIFYING = (Origin.DECLARED.value, Origin.MANUAL.value)
#: The origin that qualifies from the threshold on.
THRESHOLDED = Origin.DETECTED.value


def qualifies(origin: str, confidence: float | None, stale: bool, threshold: float) -> bool:
    """The rule for one consideration, in Python."""
    if stale:
        return False
    if origin in ALWAYS_QUALIFYING:
        return True
    return origin == THRESHOLDED and (confidence or 0.0) >= threshold


def qualifies_sql(row, threshold: float):
    """The same rule as a SQL condition on a consideration table (or alias) `row` with origin, confidence, stale.

    A NULL confidence compares as unknown in SQL, i.e. false: as `confidence or 0.0` does above for any threshold
    above 0; a threshold of 0 is the one case where they would differ, so it is written out.
    """
    from sqlalchemy import and_, or_  # here: `tenderwatch tag` uses the Python rule and starts without SQLAlchemy

    detected = row.origin == THRESHOLDED
    if threshold <= 0:
        at_threshold = detected
    else:
        at_threshold = and_(detected, row.confidence >= threshold)
    return and_(row.stale.is_(False), or_(row.origin.in_(ALWAYS_QUALIFYING), at_threshold))
