"""`tenderwatch evaluate`: precision / recall / F1 on the annotated real notices."""

from __future__ import annotations

from pathlib import Path

import click

from tenderwatch.gold_corpora import GoldFileError, gold_notices


def _report(path: Path, threshold: float):
    """One gold file's report: texts from its JSONL corpus, or, when the gold file names a `format`, notices parsed
    from its folder of files (scored on what the pictogram shows: declared + detected at the threshold)."""
    from classifier.evaluate import evaluate as run_evaluation
    from classifier.evaluate import evaluate_notices, gold_corpus, load_gold

    corpus, fmt = gold_corpus(path)
    if fmt is None:
        return run_evaluation([path])
    if not corpus.is_dir():
        raise FileNotFoundError(f"the notices of {path} are not at {corpus} (../shared/samples beside the clone)")
    gold = load_gold(path)
    return evaluate_notices(path, gold_notices(corpus, list(gold), fmt), threshold=threshold)


@click.command("evaluate")
@click.argument("gold", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--part", type=click.Choice(["dev", "holdout"]), help="Only the notices of this part of the gold set.")
@click.option("--errors", "show_errors", is_flag=True, help="List each notice with missed or spurious pairs.")
@click.option("--write-error-rates", "write_rates", is_flag=True,
              help="Measure the detected pictogram's errors per dimension on the held-out sets (TED R2.0.9 holdout "
                   "part and the two 2020 held-out files) and write them for the corrected statistics.")
@click.option("--error-rates-out", type=click.Path(dir_okay=False, path_type=Path),
              help="With --write-error-rates: the file to write (default: classifier/data/error_rates.json).")
def evaluate(gold, part, show_errors, write_rates, error_rates_out) -> int:
    """Precision, recall and F1 per dimension and per (dimension, lever) on annotated real notices.

    GOLD (one or more files, read together) defaults to the project's own annotated set; texts are read from
    ../shared/samples (a gold file whose corpus is a folder of notices, such as ted_r209_fr.json, is read
    through the parsers and scored on what the pictogram shows: declared plus detected).

    \b
    Examples:
      tenderwatch evaluate classifier/data/holdout*_notices_fr_2020.json
      tenderwatch evaluate classifier/data/ted_r209_fr.json --part holdout
      tenderwatch evaluate --write-error-rates
    """
    import json
    import tempfile

    from classifier.evaluate import evaluate as run_evaluation
    from classifier.evaluate import format_report, gold_corpus
    from models import config

    if write_rates:
        if gold or part or show_errors:
            raise click.UsageError("--write-error-rates reads the held-out sets itself: give no GOLD, --part or --errors")
        return _write_error_rates(config.detection_threshold(), error_rates_out)
    if error_rates_out:
        raise click.UsageError("--error-rates-out goes with --write-error-rates")
    paths = list(gold)
    names = ", ".join(str(g) for g in gold)
    try:
        with tempfile.TemporaryDirectory() as scratch:  # the --part copies of the gold files, removed after
            if part:
                paths = [_part(path, part, Path(scratch)) for path in paths]
            folder = [p for p in paths if gold_corpus(p)[1] is not None]
            if folder and len(paths) > 1:
                raise click.UsageError("a gold file whose corpus is a folder of notices is evaluated alone")
            if folder:
                report = _report(paths[0], config.detection_threshold())
            else:
                report = run_evaluation(paths or None)
    except (FileNotFoundError, KeyError) as exc:
        raise click.UsageError(f"cannot evaluate: {exc}") from None
    except GoldFileError as exc:
        raise click.UsageError(f"cannot evaluate {names}: {exc}") from None
    except (ValueError, TypeError, AttributeError, RecursionError, json.JSONDecodeError) as exc:
        raise click.UsageError(f"cannot evaluate: {names} is not a gold file ({type(exc).__name__})") from None
    click.echo(format_report(report))
    if show_errors:
        click.echo("\nErrors (missed and spurious pairs per notice)")
        for e in report.errors:
            click.echo(f"  {e['doc_id']}: missed {e['missed']} spurious {e['spurious']}")
            for pair, quote in {**e.get("missed_evidence", {}), **e.get("spurious_evidence", {})}.items():
                kind = "missed" if pair in e["missed"] else "spurious"
                click.echo(f"      {kind} {pair}: « {' '.join(str(quote).split())[:200]} »")
    return 0


def _part(path: Path, part: str, folder: Path) -> Path:
    """A copy of a merged gold file keeping only the notices of `part` (its corpus path made absolute)."""
    import json

    from classifier.evaluate import gold_corpus

    data = json.loads(path.read_text(encoding="utf-8"))
    notices = {k: v for k, v in data["notices"].items() if v.get("part") == part}
    if not notices:
        raise click.UsageError(f"{path} has no notice of part {part!r}")
    corpus, _ = gold_corpus(path)
    out = folder / f"{len(list(folder.iterdir()))}-{path.name}"  # two gold files may share a name
    out.write_text(json.dumps({**data, "corpus": str(corpus) if corpus else data.get("corpus"), "notices": notices},
                              ensure_ascii=False), encoding="utf-8")
    return out


def _write_error_rates(threshold: float, out: Path | None) -> int:
    """TP / FN / FP / TN of the detected pictogram per dimension on each held-out set, written with the version."""
    import json

    from classifier import Document, document_from_notice, load_classifier
    from classifier import error_rates
    from classifier.evaluate import DATA, gold_corpus, load_corpus, load_gold

    classifier = load_classifier()
    sets = []
    for name, part in error_rates.HOLDOUT_SETS:
        path = DATA / name
        notices = json.loads(path.read_text(encoding="utf-8"))["notices"]
        ids = [k for k, v in notices.items() if part is None or v.get("part") == part]
        gold = load_gold(path)
        corpus, fmt = gold_corpus(path)
        if corpus is None or not corpus.exists():
            raise click.UsageError(f"cannot measure: the notices of {name} are not at {corpus} (../shared/samples)")
        if fmt is None:
            texts = load_corpus(corpus)
            missing = [i for i in ids if i not in texts]
            docs = [Document(id=i, text=texts[i]["text"]) for i in ids if i in texts]
        else:
            parsed = gold_notices(corpus, ids, fmt)
            missing = [i for i in ids if i not in parsed]
            docs = [document_from_notice(parsed[i]) for i in ids if i in parsed]
        if missing:
            raise click.UsageError(f"cannot measure: {len(missing)} notices of {name} could not be read, "
                                   f"e.g. {missing[:3]}")
        detected = {
            i: {(d.dimension, d.lever) for d in found if d.confidence >= threshold}
            for i, found in zip(ids, classifier.classify_many(docs))
        }
        counts = error_rates.confusion({i: gold[i] for i in ids}, detected)
        sets.append({"gold": name, "part": part, "notices": len(ids), "counts": counts})
    document = error_rates.document(classifier.version, threshold, sets)
    written = error_rates.write(document, out or error_rates.PATH)
    click.echo(f"classifier {document['classifier_version']}, threshold {threshold:g}: error rates written to {written}")
    for dim, c in document["dimensions"].items():
        se = "unmeasured" if c["sensitivity"] is None else f"{c['sensitivity']:.3f}"
        sp = "unmeasured" if c["specificity"] is None else f"{c['specificity']:.3f}"
        click.echo(f"  {dim:<14} TP {c['tp']:>3}  FN {c['fn']:>3}  FP {c['fp']:>3}  TN {c['tn']:>3}  "
                   f"sensitivity {se}  specificity {sp}")
    return 0


COMMANDS = [evaluate]
