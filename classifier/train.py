"""Train the classifier's model from the shipped training clauses (plus optional operator-labelled clauses), print
its evaluation, and replace the shipped artifact only when it is not worse on the gold set.

    python -m classifier.train            # train, evaluate, replace the artifact when not worse
    python -m classifier.train --force    # replace it anyway

This entry point trains on the shipped clauses alone; `tenderwatch train` (what the shipped model was trained
with) adds the development parts of the gold sets read from ../shared/samples, and the store's labels on request.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from models.vocabulary import Dimension, Lever

from .compiled import load_model
from .model import (
    ARTIFACT,
    DIMENSIONS,
    ClauseModel,
    make_dimension_pipeline,
    make_lever_pipeline,
)
from .segment import heading_kind
from .version import trained_version

__all__ = ["NEGATIVE_CLAUSES", "TRAIN_CLAUSES", "TrainResult", "load_training", "train"]

PACKAGE = Path(__file__).resolve().parent
TRAIN_CLAUSES = PACKAGE / "data" / "train_clauses.jsonl"
# Hand-written negatives modelled on the boilerplate of real notices (code du travail references, logements sociaux,
# "Activité principale : Environnement", insurance of environmental risks...), the same JSONL shape.
NEGATIVE_CLAUSES = PACKAGE / "lexicons" / "negative_clauses.jsonl"

# (text, section kind, [(dimension, lever)])
Example = tuple[str, str, list[tuple[Dimension, Lever]]]


@dataclass
class TrainResult:
    replaced: bool
    reason: str
    version: str
    path: Path | None
    examples: int
    cross_validation: dict = field(default_factory=dict)
    gold: object | None = None  # EvalReport of the new model
    previous_gold: object | None = None  # EvalReport of the shipped model

    def __str__(self) -> str:
        scores = ""
        if self.gold is not None:
            scores = f"; gold score {self.gold.score()}"
            if self.previous_gold is not None:
                scores += f" (shipped model: {self.previous_gold.score()})"
        return f"model {self.version} trained on {self.examples} clauses{scores}: {self.reason}"


def load_training(path: Path | str = TRAIN_CLAUSES) -> list[Example]:
    """The shipped clauses: {"text", "section" (a heading), "labels": [{"dimension", "lever"}]} per line."""
    examples = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            labels = [(Dimension(x["dimension"]), Lever(x["lever"])) for x in row.get("labels") or []]
            examples.append((row["text"], heading_kind(row.get("section") or ""), labels))
    return examples


def _normalise_extra(extra: Iterable) -> list[Example]:
    out = []
    for text, kind, labels in extra:
        pairs = []
        for lab in labels:
            if isinstance(lab, dict):
                dim, lever = lab["dimension"], lab["lever"]
            else:
                dim, lever = lab
            if lever is None:
                continue  # a dimension-only declaration says nothing about the clause's lever
            pairs.append((Dimension(dim), Lever(lever)))
        out.append((text, kind or "other", pairs))
    return out


def _fit(examples: list[Example], cv: int = 5):
    items = [(t, k) for t, k, _ in examples]
    y = np.array([[int(any(d is dim for d, _ in labels)) for dim in DIMENSIONS] for _, _, labels in examples])
    dimension = make_dimension_pipeline(cv=cv).fit(items, y)
    lever_items = [(t, k, d.value) for t, k, labels in examples for d, _ in labels]
    lever_y = [lv.value for _, _, labels in examples for _, lv in labels]
    lever = make_lever_pipeline(cv=3).fit(lever_items, lever_y)
    return dimension, lever, items, y


def _cross_validate(items, y) -> dict:
    """Clause-level cross-validated precision / recall per dimension at 0.5 and at the model-only threshold."""
    from . import MODEL_ONLY_THRESHOLD

    out = {}
    for j, dim in enumerate(DIMENSIONS):
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        pipe = make_dimension_pipeline(cv=3)
        pipe.set_params(clf=pipe.named_steps["clf"].estimator)
        proba = cross_val_predict(pipe, items, y[:, j], cv=folds, method="predict_proba")[:, 1]
        for t in (0.5, MODEL_ONLY_THRESHOLD):
            pred = proba >= t
            tp = int((pred & (y[:, j] == 1)).sum())
            out[f"{dim.value}@{t}"] = {
                "precision": round(tp / max(1, int(pred.sum())), 3),
                "recall": round(tp / max(1, int(y[:, j].sum())), 3),
            }
    return out


def train(
    extra: Iterable | None = None,
    training_path: Path | str = TRAIN_CLAUSES,
    negatives_path: Path | str | None = NEGATIVE_CLAUSES,
    artifact: Path | str = ARTIFACT,
    gold_paths=None,
    force: bool = False,
    cross_validate: bool = True,
    verbose: bool = True,
) -> TrainResult:
    """Train on the shipped clauses plus `extra` ((text, section_kind, labels) with labels as (dimension, lever)
    pairs or {"dimension", "lever"} dicts), evaluate on the gold set, and save to `artifact` unless the new model
    is worse there than the artifact already at that path (`force` saves anyway)."""
    from . import Classifier
    from .evaluate import CORPUS, default_gold_paths, evaluate, format_report

    say = print if verbose else (lambda *a, **k: None)
    examples = load_training(training_path)
    if negatives_path is not None and Path(negatives_path).exists():
        examples += load_training(negatives_path)
    extra_examples = _normalise_extra(extra or [])
    examples += extra_examples
    data = json.dumps(
        [(t, k, [(d.value, lv.value) for d, lv in labels]) for t, k, labels in examples], ensure_ascii=False
    ).encode("utf-8")
    version = trained_version(data)
    say(f"training on {len(examples)} clauses ({len(extra_examples)} extra), version {version}")
    dimension, lever, items, y = _fit(examples)
    model = ClauseModel(dimension, lever, version, {"examples": len(examples), "extra": len(extra_examples)})
    cv = _cross_validate(items, y) if cross_validate else {}
    for k, v in cv.items():
        say(f"  clause-level cross-validation {k}: precision {v['precision']:.3f} recall {v['recall']:.3f}")
    model.info["cross_validation"] = cv

    artifact = Path(artifact)
    gold_paths = gold_paths if gold_paths is not None else default_gold_paths()
    new_report = old_report = None
    if gold_paths and Path(CORPUS).exists():
        new_report = evaluate(gold_paths, Classifier(model))
        say(format_report(new_report))
        model.info["gold"] = {
            "score": new_report.score(),
            "micro_f1": new_report.micro.f1,
            "dimensions": {k: vars(v) for k, v in new_report.dimensions.items()},
        }
        try:
            old_report = evaluate(gold_paths, Classifier(load_model(artifact))) if artifact.exists() else None
        except TypeError as exc:  # a model of another tokenizer: nothing to compare with
            say(f"the shipped model cannot be compared: {exc}")
        if old_report is not None:
            say(
                f"shipped model {old_report.classifier_version}: score {old_report.score()}, "
                f"new model: score {new_report.score()}"
            )
    else:
        say("no gold set or corpus available: the new model cannot be compared with the shipped one")

    if (
        old_report is not None
        and new_report is not None
        and new_report.score() < old_report.score()
        and not force
    ):
        reason = (
            f"not replaced: the new model scores {new_report.score()} on the gold set, "
            f"the shipped one {old_report.score()}"
        )
        say(reason)
        return TrainResult(False, reason, version, None, len(examples), cv, new_report, old_report)
    path = model.save(artifact)
    reason = f"saved to {path}" + (" (forced)" if force and old_report is not None else "")
    say(reason)
    from . import _CACHE

    _CACHE.pop(str(path), None)
    return TrainResult(True, reason, version, path, len(examples), cv, new_report, old_report)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Train the tenderwatch classifier model.")
    parser.add_argument(
        "--force", action="store_true", help="replace the shipped model even if worse on gold"
    )
    parser.add_argument("--no-cv", action="store_true", help="skip the clause-level cross-validation")
    parser.add_argument("--artifact", type=Path, default=ARTIFACT)
    args = parser.parse_args(argv)
    result = train(artifact=args.artifact, force=args.force, cross_validate=not args.no_cv)
    return 0 if result.replaced or not args.force else 1


if __name__ == "__main__":
    raise SystemExit(main())
