"""Training from the store: the buyers' declarations and the operators' decisions added to the shipped clauses."""

from __future__ import annotations

from collections.abc import Callable

from classifier.train import TrainResult, train
from storage.training import store_examples


def train_model(store=None, *, force: bool = False, say: Callable[[str], None] = print) -> TrainResult:
    """Retrain on the shipped clauses, plus the store's labelled sections when `store` is given; the new model
    replaces the shipped one only when it evaluates at least as well (or `force`)."""
    extra = None
    if store is not None:
        extra = list(store_examples(store))
        say(f"{len(extra)} labelled clause(s) from the store")
    return train(extra=extra, force=force)
