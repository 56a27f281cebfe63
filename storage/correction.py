"""Shares corrected for the classifier's measured error (Rogan-Gladen), with intervals that carry the uncertainty
of the error rates as well as the sampling of the share.

A detected share p (notices whose classifier detections light a dimension, over the notices) estimates the true
prevalence π only when the classifier makes no error. With sensitivity Se and specificity Sp measured on held-out
real notices, E[p] = Se·π + (1 − Sp)·(1 − π), hence the Rogan-Gladen estimator

    π̂ = (p + Sp − 1) / (Se + Sp − 1), clipped to [0, 1].

Interval: a seeded parametric bootstrap (deterministic). Each draw takes Se* ~ Beta(TP + ½, FN + ½),
Sp* ~ Beta(TN + ½, FP + ½) (the Jeffreys distributions of the held-out counts) and p* ~ Beta(x + ½, n − x + ½)
(the sampling of the share over the n notices), computes π* by the formula above, clipped; the 2.5 and 97.5
percentiles of π* bound the 95 % interval. Beta draws rather than binomial resampling keep the interval informative
when a count is 0 or n (a binomial resample of 0 detections out of 5 never varies).

Assumptions, stated where the figures are shown: the held-out notices are like the counted ones (same kind of
notices, same sources), the error rates do not depend on the year, region or buyer, and notices are independent.
The error rates are those of one classifier version at one threshold: any other is not corrected.

Declared shares need no correction (the buyer's own structured data); `all` (the pictogram) mixes declared and
detected considerations, whose joint errors were not measured: only the detected share is corrected.

The error rates are read as data (the file `classifier/data/error_rates.json`, passed in by the caller): storage
does not import the classifier.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema import ConsiderationRow, NoticeRow
from models.vocabulary import Dimension, Origin

SEED = 20_160_101
DRAWS = 4000

#: Why a dimension was, or was not, corrected.
CORRECTED = "corrected"
NO_RATES = "no_rates"
VERSION_MISMATCH = "version_mismatch"
THRESHOLD_MISMATCH = "threshold_mismatch"
UNMEASURED = "unmeasured"
UNINFORMATIVE = "uninformative"


def rogan_gladen(p: float, sensitivity: float, specificity: float) -> float | None:
    """The prevalence given an observed share `p` and the classifier's sensitivity and specificity, clipped to [0, 1];
    None when Se + Sp ≤ 1 (the classifier is no better than chance: nothing can be inferred)."""
    youden = sensitivity + specificity - 1
    if youden <= 0:
        return None
    return min(1.0, max(0.0, (p + specificity - 1) / youden))


@dataclass(frozen=True)
class DimensionRates:
    tp: int
    fn: int
    fp: int
    tn: int

    @property
    def sensitivity(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None


@dataclass(frozen=True)
class ErrorRates:
    """The classifier's measured errors for one version and threshold (the file written by
    `tenderwatch evaluate --write-error-rates`)."""

    version: str
    threshold: float
    dimensions: dict[str, DimensionRates]
    notices: int = 0
    sets: tuple[str, ...] = ()

    @classmethod
    def from_document(cls, doc: dict) -> ErrorRates:
        dims = {d: DimensionRates(*(int(c[k]) for k in ("tp", "fn", "fp", "tn"))) for d, c in doc["dimensions"].items()}
        sets = tuple(s["gold"] + (f" ({s['part']})" if s.get("part") else "") for s in doc.get("sets", []))
        return cls(doc["classifier_version"], float(doc["threshold"]), dims,
                   sum(int(s.get("notices", 0)) for s in doc.get("sets", [])), sets)


@dataclass(frozen=True)
class Applicability:
    """Whether the rates apply to the detections counted, per dimension, and why not."""

    status: dict[str, str]
    versions: tuple[str, ...]  # the classifier versions of the detections counted
    rates: ErrorRates | None

    def applies(self, dimension: str) -> bool:
        return self.status.get(dimension) == CORRECTED

    def as_dict(self) -> dict:
        rates = self.rates
        return {
            "method": "rogan-gladen",
            "interval": f"parametric bootstrap, {DRAWS} Jeffreys-beta draws of sensitivity, specificity and share, "
                        f"seed {SEED}, 2.5-97.5 percentiles",
            "status": dict(self.status),
            "store_versions": list(self.versions),
            "rates_version": rates.version if rates else None,
            "rates_threshold": rates.threshold if rates else None,
            "rates": {d: {**asdict(r), "sensitivity": r.sensitivity, "specificity": r.specificity}
                      for d, r in rates.dimensions.items()} if rates else None,
        }


def detected_versions(session: Session, notice_filter=None) -> tuple[str, ...]:
    """The classifier versions of the store's (non-stale) detected considerations, optionally only on the notices
    a `select(NoticeRow.id)` query keeps."""
    c = ConsiderationRow
    query = select(c.classifier_version).where(c.origin == Origin.DETECTED.value, c.stale.is_(False)).distinct()
    if notice_filter is not None:
        query = query.where(c.notice_id.in_(notice_filter))
    return tuple(sorted(v or "" for v in session.scalars(query)))


def applicability(rates: ErrorRates | None, versions: tuple[str, ...], threshold: float) -> Applicability:
    """Per dimension: corrected only when the rates were measured for the version of every counted detection, at
    the threshold in use, with both sensitivity and specificity measured and Se + Sp > 1."""
    status = {}
    for d in Dimension:
        if rates is None:
            status[d.value] = NO_RATES
        elif any(v != rates.version for v in versions):
            status[d.value] = VERSION_MISMATCH
        elif not math.isclose(rates.threshold, threshold):
            status[d.value] = THRESHOLD_MISMATCH
        elif d.value not in rates.dimensions or None in (rates.dimensions[d.value].sensitivity,
                                                          rates.dimensions[d.value].specificity):
            status[d.value] = UNMEASURED
        elif rogan_gladen(0.5, rates.dimensions[d.value].sensitivity, rates.dimensions[d.value].specificity) is None:
            status[d.value] = UNINFORMATIVE
        else:
            status[d.value] = CORRECTED
    return Applicability(status, versions, rates)


def corrected_share(detected: int, notices: int, rates: DimensionRates, draws: int = DRAWS,
                    seed: int = SEED) -> tuple[float | None, float | None, float | None]:
    """(estimate, low, high): the Rogan-Gladen prevalence and its 95 % bootstrap interval (see the module)."""
    import numpy as np

    if notices <= 0 or rates.sensitivity is None or rates.specificity is None:
        return None, None, None
    estimate = rogan_gladen(detected / notices, rates.sensitivity, rates.specificity)
    if estimate is None:
        return None, None, None
    rng = np.random.default_rng(seed)
    se = rng.beta(rates.tp + 0.5, rates.fn + 0.5, draws)
    sp = rng.beta(rates.tn + 0.5, rates.fp + 0.5, draws)
    p = rng.beta(detected + 0.5, notices - detected + 0.5, draws)
    youden = se + sp - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.clip((p + sp - 1) / youden, 0.0, 1.0)
    values = values[youden > 0]
    if values.size == 0:
        return estimate, None, None
    low, high = (float(x) for x in np.percentile(values, [2.5, 97.5]))
    return estimate, min(low, estimate), max(high, estimate)


@dataclass
class CorrectedRow:
    """One group: the detected share of each dimension (Wilson bounds) beside its corrected prevalence."""

    group: dict
    notices: int
    values: dict[str, dict] = field(default_factory=dict)  # dimension -> {detected, share, low, high, corrected...}

    def as_dict(self) -> dict:
        out = {**self.group, "notices": self.notices}
        for d in Dimension:
            v = self.values[d.value]
            out.update({f"{d.value}_detected": v["detected"], f"{d.value}_share": v["share"],
                        f"{d.value}_low": v["low"], f"{d.value}_high": v["high"],
                        f"{d.value}_corrected": v["corrected"], f"{d.value}_corrected_low": v["corrected_low"],
                        f"{d.value}_corrected_high": v["corrected_high"]})
        return out


def correct_rows(rows: list, applicable: Applicability) -> list[CorrectedRow]:
    """Detected shares (storage.stats.ShareRow computed with origin "detected") with their corrected prevalence
    where the rates apply (None elsewhere). Works on counts alone, so any unit of count can be corrected."""
    out = []
    for r in rows:
        values = {}
        for d in Dimension:
            count = getattr(r, d.value)
            estimate = low = high = None
            if applicable.applies(d.value):
                estimate, low, high = corrected_share(count, r.notices, applicable.rates.dimensions[d.value])
            values[d.value] = {"detected": count, "share": getattr(r, f"{d.value}_share"),
                               "low": getattr(r, f"{d.value}_low"), "high": getattr(r, f"{d.value}_high"),
                               "corrected": estimate, "corrected_low": low, "corrected_high": high}
        out.append(CorrectedRow(dict(r.group), r.notices, values))
    return out


def corrected_shares(session: Session, by: list[str], filters, rates: ErrorRates | None,
                     threshold: float | None = None) -> tuple[list[CorrectedRow], Applicability]:
    """What the API and the CLI call: detected shares grouped by `by` within `filters` (origin forced to
    "detected"), corrected where the rates apply to the detections counted."""
    from dataclasses import replace

    from storage import stats

    threshold = stats.threshold_or_default(threshold)
    filters = replace(filters or stats.Filters(), origin=Origin.DETECTED.value)
    rows = stats.shares(session, by, filters, threshold)
    scoped = stats.counted(session, stats.apply_filters(select(NoticeRow.id), filters))
    applicable = applicability(rates, detected_versions(session, scoped), threshold)
    return correct_rows(rows, applicable), applicable
