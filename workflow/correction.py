"""The classifier's measured error rates (shipped with it) as the statistics' correction reads them."""

from __future__ import annotations

from classifier import error_rates
from storage.correction import ErrorRates


def shipped_error_rates() -> ErrorRates | None:
    """The error rates of classifier/data/error_rates.json, None when the file is absent."""
    document = error_rates.load()
    return ErrorRates.from_document(document) if document else None
