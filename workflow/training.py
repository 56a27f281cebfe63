"""Training from the store: the buyers' declarations and the operators' decisions added to the shipped clauses."""

from __future__ import annotations

from collections.abc import Callable

from classifier.train import TrainResult, train
from storage.training import store_examples


def train_model(store=None, *, gold_dev: list | None = None, force: bool = False,
                say: Callable[[str], None] = print) -> TrainResult:
    """Retrain on the shipped clauses, plus the store's labelled sections when `store` is given and the development
    parts of the gold sets (`gold_dev`: (text, kind, labels)); the new model replaces the shipped one only when it
    evaluates at least as well (or `force`)."""
    extra = list(gold_dev or [])
    if gold_dev:
        say(f"{len(gold_dev)} annotated clause(s) from the gold sets' development parts")
    if store is not None:
        from_store = list(store_examples(store))
        say(f"{len(from_store)} labelled clause(s) from the store")
        extra += from_store
    return train(extra=extra or None, force=force)
