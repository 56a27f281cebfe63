"""Evaluation on a gold set of real annotated notices: notice-level precision / recall / F1 per dimension, per
(dimension, lever) pair, micro-F1 over pairs, and the confusion between levers.

Gold shapes accepted: JSONL files of {"doc_id", "labels": [{"dimension", "lever", "evidence"}], ...} (the two
annotators' parts) and the merged JSON {"guidelines": "...", "notices": {doc_id: {...}}}. Texts come from the real
corpus (../shared/samples/corpora/notices_fr_2020/notices.jsonl from the project root). Never train on this set.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from models.vocabulary import Dimension, Lever
import itertools

__all__ = [
    "CORPUS",
    "PRF",
    "TARGETS",
    "EvalReport",
    "calibration",
    "default_gold_paths",
    "evaluate",
    "evaluate_notices",
    "evaluate_predictions",
    "format_report",
    "gold_corpus",
    "load_corpus",
    "load_gold",
]

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
DATA = PACKAGE / "data"
CORPUS = ROOT.parent / "shared" / "samples" / "corpora" / "notices_fr_2020" / "notices.jsonl"
TARGETS = {"precision": 0.95, "recall": 0.85, "micro_f1": 0.80}

Pair = tuple[Dimension, Lever]


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int  # gold positives
    predicted: int = 0
    true_positives: int = 0

    @classmethod
    def of(cls, tp: int, predicted: int, support: int) -> PRF:
        p = tp / predicted if predicted else (1.0 if support == 0 else 0.0)
        r = tp / support if support else (1.0 if predicted == 0 else 0.0)
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(round(p, 4), round(r, 4), round(f, 4), support, predicted, tp)


@dataclass
class EvalReport:
    notices: int
    dimensions: dict[str, PRF]
    pairs: dict[str, PRF]  # "social/award_criterion" -> PRF
    micro: PRF
    lever_confusion: dict[str, int]  # "social: execution_condition -> award_criterion" -> count
    classifier_version: str = ""
    errors: list[dict] = field(default_factory=list)  # per notice: missed and spurious pairs, with evidence
    calibration: dict = field(default_factory=dict)  # expected calibration error and the reliability table

    def meets_targets(self) -> bool:
        return (
            all(
                d.precision >= TARGETS["precision"] and d.recall >= TARGETS["recall"]
                for d in self.dimensions.values()
            )
            and self.micro.f1 >= TARGETS["micro_f1"]
        )

    def score(self) -> float:
        """One number to compare two models on the same gold set (higher is better; precision weighs double)."""
        dims = list(self.dimensions.values())
        precision = sum(d.precision for d in dims) / len(dims)
        recall = sum(d.recall for d in dims) / len(dims)
        return round((2 * precision + recall + self.micro.f1) / 4, 4)

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def default_gold_paths() -> list[Path]:
    merged = DATA / "gold_notices_fr_2020.json"
    if merged.exists():
        return [merged]
    return sorted((DATA / "gold").glob("*.jsonl"))


def load_gold(paths: Path | str | Iterable[Path | str] | None = None) -> dict[str, set[Pair]]:
    """doc_id -> the set of gold (dimension, lever) pairs, from the merged JSON or JSONL parts."""
    if paths is None:
        paths = default_gold_paths()
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    gold: dict[str, set[Pair]] = {}
    for path in map(Path, paths):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            data = json.loads(text)
            notices = data.get("notices", data)
            items = notices.items() if isinstance(notices, dict) else ((n["doc_id"], n) for n in notices)
        else:
            items = ((row["doc_id"], row) for row in map(json.loads, filter(str.strip, text.splitlines())))
        for doc_id, row in items:
            gold[str(doc_id)] = {
                (Dimension(lab["dimension"]), Lever(lab["lever"])) for lab in row.get("labels") or []
            }
    return gold


def load_corpus(path: Path | str = CORPUS) -> dict[str, dict]:
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                rows[str(row["doc_id"])] = row
    return rows


def calibration(scored: list[tuple[float, bool]], bins: int = 5) -> dict:
    """Expected calibration error of detections' confidences (one (confidence, correct) per detected pair) and
    the reliability table: per confidence bin, how many, their mean confidence and the share that was right."""
    edges = [i / bins for i in range(bins + 1)]
    table = []
    for low, high in itertools.pairwise(edges):
        inside = [(c, ok) for c, ok in scored if low <= c < high or (high == 1.0 and c == 1.0)]
        if inside:
            confidence = sum(c for c, _ in inside) / len(inside)
            accuracy = sum(ok for _, ok in inside) / len(inside)
            table.append({"bin": f"{low:.1f}-{high:.1f}", "n": len(inside), "confidence": round(confidence, 3),
                          "accuracy": round(accuracy, 3)})
    n = len(scored)
    ece = sum(row["n"] / n * abs(row["accuracy"] - row["confidence"]) for row in table) if n else None
    return {"ece": None if ece is None else round(ece, 4), "detections": n, "bins": table}


def _with_evidence(report: EvalReport, gold_evidence: dict, detected: dict) -> EvalReport:
    """Each error's missed pairs with the gold quote, its spurious pairs with the detection's evidence."""
    for error in report.errors:
        doc = error["doc_id"]
        error["missed_evidence"] = {m: gold_evidence.get(doc, {}).get(m, "") for m in error["missed"]}
        error["spurious_evidence"] = {x: detected.get(doc, {}).get(x, "") for x in error["spurious"]}
    return report


def load_gold_evidence(paths) -> dict[str, dict[str, str]]:
    """doc_id -> {"dimension/lever": the gold evidence quote}."""
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths or default_gold_paths())
    out: dict[str, dict[str, str]] = {}
    for path in map(Path, paths):
        data = json.loads(Path(path).read_text(encoding="utf-8")) if Path(path).suffix == ".json" else {}
        notices = data.get("notices", {}) if isinstance(data, dict) else {}
        for doc_id, row in (notices.items() if isinstance(notices, dict) else []):
            out[str(doc_id)] = {f"{lab['dimension']}/{lab['lever']}": lab.get("evidence", "")
                                for lab in row.get("labels") or []}
    return out


def evaluate_predictions(
    gold: dict[str, set[Pair]], predicted: dict[str, set[Pair]], version: str = ""
) -> EvalReport:
    dims: dict[str, list[int]] = {d.value: [0, 0, 0] for d in Dimension}  # tp, predicted, support
    pair_counts: dict[str, list[int]] = {
        f"{d.value}/{lv.value}": [0, 0, 0] for d in Dimension for lv in Lever
    }
    confusion: Counter[str] = Counter()
    errors: list[dict] = []
    tp_all = pred_all = gold_all = 0
    for doc_id, g in gold.items():
        p = predicted.get(doc_id, set())
        for d in Dimension:
            gd, pd = any(x[0] is d for x in g), any(x[0] is d for x in p)
            dims[d.value][0] += gd and pd
            dims[d.value][1] += pd
            dims[d.value][2] += gd
        for pair in g | p:
            key = f"{pair[0].value}/{pair[1].value}"
            pair_counts[key][0] += pair in g and pair in p
            pair_counts[key][1] += pair in p
            pair_counts[key][2] += pair in g
        tp_all += len(g & p)
        pred_all += len(p)
        gold_all += len(g)
        missed, spurious = g - p, p - g
        for dim, lever in missed:
            for dim2, lever2 in spurious:
                if dim2 is dim:
                    confusion[f"{dim.value}: {lever.value} -> {lever2.value}"] += 1
        if missed or spurious:
            errors.append(
                {
                    "doc_id": doc_id,
                    "missed": sorted(f"{d.value}/{lv.value}" for d, lv in missed),
                    "spurious": sorted(f"{d.value}/{lv.value}" for d, lv in spurious),
                }
            )
    return EvalReport(
        notices=len(gold),
        dimensions={k: PRF.of(*v) for k, v in dims.items()},
        pairs={k: PRF.of(*v) for k, v in pair_counts.items() if v[1] or v[2]},
        micro=PRF.of(tp_all, pred_all, gold_all),
        lever_confusion=dict(confusion.most_common()),
        classifier_version=version,
        errors=errors,
    )


def evaluate(gold_paths=None, classifier=None, corpus: Path | str = CORPUS) -> EvalReport:
    """Classify the gold notices' texts (read from the corpus) and compare with the gold labels. `gold_paths`: a
    file or files (default: the shipped gold set); `classifier`: default the shipped one."""
    from . import Document, load_classifier

    classifier = classifier or load_classifier()
    gold = load_gold(gold_paths)
    texts = load_corpus(corpus)
    ids = [i for i in gold if i in texts]
    missing = [i for i in gold if i not in texts]
    if missing:
        raise KeyError(f"{len(missing)} gold notices are not in the corpus, e.g. {missing[:3]}")
    docs = (Document(id=i, text=texts[i]["text"]) for i in ids)
    predicted, scored, detected = {}, [], {}
    for i, dets in zip(ids, classifier.classify_many(docs)):
        predicted[i] = {(d.dimension, d.lever) for d in dets}
        scored += [(d.confidence, (d.dimension, d.lever) in gold[i]) for d in dets]
        detected[i] = {f"{d.dimension.value}/{d.lever.value}": d.evidence for d in dets}
    report = evaluate_predictions({i: gold[i] for i in ids}, predicted, classifier.version)
    report.calibration = calibration(scored)
    return _with_evidence(report, load_gold_evidence(gold_paths), detected)


def evaluate_notices(gold_paths, notices: dict, classifier=None, threshold: float = 0.5) -> EvalReport:
    """Compare gold labels with what a notice's pictogram shows: the pairs the buyer declared with a lever (a ticked
    reserved box, eForms codes...) plus the classifier's detections at or above `threshold`. `notices`: doc_id ->
    `models.notice.Notice`, parsed by the caller from the gold set's corpus (the classifier reads no files)."""
    from . import document_from_notice, load_classifier

    classifier = classifier or load_classifier()
    gold = load_gold(gold_paths)
    missing = [i for i in gold if i not in notices]
    if missing:
        raise KeyError(f"{len(missing)} gold notices could not be read from the corpus, e.g. {missing[:3]}")
    ids = list(gold)
    docs = (document_from_notice(notices[i]) for i in ids)
    predicted: dict[str, set[Pair]] = {}
    scored, detected = [], {}
    for i, detections in zip(ids, classifier.classify_many(docs)):
        declared = {(Dimension(x.dimension), Lever(x.lever)) for x in notices[i].declared if x.lever}
        kept = [d for d in detections if d.confidence >= threshold]
        predicted[i] = {(d.dimension, d.lever) for d in kept} | declared
        scored += [(d.confidence, (d.dimension, d.lever) in gold[i]) for d in detections
                   if (d.dimension, d.lever) not in declared]
        detected[i] = {f"{d.dimension.value}/{d.lever.value}": d.evidence for d in kept}
        detected[i].update({f"{d.value}/{lv.value}": "(declared)" for d, lv in declared})
    report = evaluate_predictions(gold, predicted, classifier.version)
    report.calibration = calibration(scored)
    return _with_evidence(report, load_gold_evidence(gold_paths), detected)


def gold_corpus(path: Path | str) -> tuple[Path | None, str | None]:
    """The corpus a merged gold file names (resolved from the project root) and its format, when it says."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "corpus" not in data:
        return None, None
    corpus = Path(data["corpus"])
    return (corpus if corpus.is_absolute() else (ROOT / corpus)).resolve(), data.get("format")


def _scores(m: PRF) -> str:
    """P, R and F1 columns; "-" where a ratio has nothing to divide (no prediction, no gold positive)."""
    p = f"{m.precision:>7.3f}" if m.predicted else f"{'-':>7}"
    r = f"{m.recall:>7.3f}" if m.support else f"{'-':>7}"
    f = f"{m.f1:>7.3f}" if m.predicted or m.support else f"{'-':>7}"
    return p + r + f


def format_report(report: EvalReport) -> str:
    """Plain-text tables (notice-level), with the targets."""
    lines = [
        f"Gold notices: {report.notices}    classifier: {report.classifier_version}",
        "",
        (
            "Notice level, per dimension"
            f"   (targets: precision >= {TARGETS['precision']:.2f}, recall >= {TARGETS['recall']:.2f})"
        ),
        f"  {'dimension':<16}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}{'pred':>6}  target",
    ]
    for name, m in report.dimensions.items():
        ok = m.precision >= TARGETS["precision"] and m.recall >= TARGETS["recall"]
        if m.support == 0 and ok:
            verdict = "no gold positive: recall unmeasured"
        else:
            verdict = "met" if ok else "NOT met"
        lines.append(f"  {name:<16}{_scores(m)}{m.support:>9}{m.predicted:>6}  {verdict}")
    lines += [
        "",
        "Per (dimension, lever) pair",
        f"  {'pair':<38}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}{'pred':>6}",
    ]
    for name, m in sorted(report.pairs.items()):
        lines.append(f"  {name:<38}{_scores(m)}{m.support:>9}{m.predicted:>6}")
    m = report.micro
    ok = m.f1 >= TARGETS["micro_f1"]
    lines += [
        "",
        (
            f"Micro over (dimension, lever) pairs: P {m.precision:.3f}  R {m.recall:.3f}  F1 {m.f1:.3f}"
            f"   (target F1 >= {TARGETS['micro_f1']:.2f}: {'met' if ok else 'NOT met'})"
        ),
        "",
        "Lever confusion (gold lever -> predicted lever, same dimension)",
    ]
    lines += [f"  {k:<60}{v:>4}" for k, v in report.lever_confusion.items()] or ["  none"]
    cal = report.calibration
    if cal and cal.get("detections"):
        lines += ["", f"Calibration of the detections' confidences: expected calibration error {cal['ece']:.3f} "
                      f"over {cal['detections']} detected pairs",
                  f"  {'confidence':<12}{'n':>5}{'mean conf.':>12}{'right':>8}"]
        lines += [f"  {row['bin']:<12}{row['n']:>5}{row['confidence']:>12.3f}{row['accuracy']:>8.3f}"
                  for row in cal["bins"]]
    lines += ["", f"All targets met: {'yes' if report.meets_targets() else 'no'}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Evaluate the classifier on the gold notices.")
    parser.add_argument("--gold", nargs="*", type=Path, help="gold files (default: the shipped gold set)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--model", type=Path, help="artifact to evaluate (default: the shipped one)")
    parser.add_argument(
        "--errors", action="store_true", help="list the notices with missed or spurious pairs"
    )
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found at {args.corpus}: nothing to evaluate")
        return 0
    from . import load_classifier

    report = evaluate(args.gold or None, load_classifier(args.model), args.corpus)
    print(format_report(report))
    if args.errors:
        for e in report.errors:
            print(f"  {e['doc_id']}: missed {e['missed']} spurious {e['spurious']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
