"""`tenderwatch evaluate`: precision / recall / F1 on the annotated real notices."""

from __future__ import annotations

from pathlib import Path

import click


def _notices(corpus: Path, ids: list[str]) -> dict:
    """The gold notices of a folder corpus (`<doc_id>.xml`...), parsed as `tenderwatch import` parses them."""
    from crawler.parsers.errors import ParseError
    from crawler.parsers.files import read_file

    notices = {}
    for doc_id in ids:
        matches = sorted(corpus.glob(f"{doc_id}.*"))
        if not matches:
            continue
        for result in read_file(matches[0]):
            if not isinstance(result, ParseError):
                notices[doc_id] = result
                break
    return notices


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
    return evaluate_notices(path, _notices(corpus, list(gold)), threshold=threshold)


@click.command("evaluate")
@click.argument("gold", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--part", type=click.Choice(["dev", "holdout"]), help="Only the notices of this part of the gold set.")
@click.option("--errors", "show_errors", is_flag=True, help="List each notice with missed or spurious pairs.")
def evaluate(gold, part, show_errors) -> int:
    """Precision, recall and F1 per dimension and per (dimension, lever) on annotated real notices.

    GOLD (one or more files, read together) defaults to the project's own annotated set; texts are read from
    ../shared/samples (a gold file whose corpus is a folder of notices, such as ted_r209_fr.json, is read
    through the parsers and scored on what the pictogram shows: declared plus detected).

    \b
    Examples:
      tenderwatch evaluate classifier/data/holdout*_notices_fr_2020.json
      tenderwatch evaluate classifier/data/ted_r209_fr.json --part holdout
    """
    import json
    import tempfile

    from classifier.evaluate import evaluate as run_evaluation
    from classifier.evaluate import format_report, gold_corpus
    from models import config

    paths = list(gold)
    try:
        if part:
            paths = [_part(path, part, Path(tempfile.mkdtemp())) for path in paths]
        folder = [p for p in paths if gold_corpus(p)[1] is not None]
        if folder and len(paths) > 1:
            raise click.UsageError("a gold file whose corpus is a folder of notices is evaluated alone")
        if folder:
            report = _report(paths[0], config.detection_threshold())
        else:
            report = run_evaluation(paths or None)
    except (FileNotFoundError, KeyError) as exc:
        raise click.UsageError(f"cannot evaluate: {exc}") from None
    except (ValueError, TypeError, AttributeError, RecursionError, json.JSONDecodeError) as exc:
        names = ", ".join(str(g) for g in gold)
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
    out = folder / path.name
    out.write_text(json.dumps({**data, "corpus": str(corpus) if corpus else data.get("corpus"), "notices": notices},
                              ensure_ascii=False), encoding="utf-8")
    return out


COMMANDS = [evaluate]
