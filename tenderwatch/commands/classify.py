"""Classifier commands: `tag` (stateless JSONL), `classify` (the store), `train`, `evaluate`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

console = Console(stderr=True)


@click.command("tag")
@click.argument("input_", metavar="[INPUT]", default="-", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", default="-", type=click.File("w", encoding="utf-8"), help="Output JSONL (default: stdout).")
def tag(input_, output) -> int:
    """Tag notices from JSONL (one {"id", "text", "title"?, "sections"?} per line; `-` = stdin), without a store.

    \b
    Writes one JSON line per input line, in the same order:
    {"id", "social", "environmental", "considerations": [{"dimension", "lever", "confidence",
     "evidence", "start", "end"}], "classifier_version"}; an unreadable line gives {"id", "error"}.
    Example:  tenderwatch tag export.jsonl -o tagged.jsonl
    """
    from classifier import load_classifier
    from classifier.tagging import tag_lines

    errors = 0
    try:
        for result in tag_lines(input_, load_classifier()):
            errors += "error" in result
            output.write(json.dumps(result, ensure_ascii=False) + "\n")
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"{input_.name} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x}: {exc.reason}); re-encode it, "
            "e.g. iconv -f cp1252 -t utf-8"
        ) from None
    output.flush()
    if errors:
        click.echo(f"{errors} line(s) could not be read (see their `error` field)", err=True)
    return 0


@click.command("classify")
@click.option("--pending", "mode", flag_value="pending", default=True, help="Notices new or changed since they were tagged (default).")
@click.option("--all", "mode", flag_value="all", help="Every notice not tagged by the current classifier version.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.pass_obj
def classify(app, mode, jobs) -> int:
    """(Re)tag stored notices in committed batches, then regenerate their pictograms.

    Detected considerations of older classifier versions are replaced; declared and manual ones are never
    touched. Interrupted, it resumes where it stopped.  Example:  tenderwatch classify --all --jobs 2
    """
    from classifier import load_classifier
    from workflow.retag import count_pending, retag
    from models import config

    store = app.store()
    classifier = load_classifier()
    with store.session() as session:
        total = count_pending(session, classifier.version, everything=mode == "all")
    with Progress(TextColumn("tagging"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True, disable=total < 200) as progress:
        task = progress.add_task("tagging", total=total)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            progress.advance(task, n)

        try:
            result = retag(store, classifier, config.detection_threshold(), everything=mode == "all", jobs=jobs,
                           progress=advance)
        except KeyboardInterrupt:
            click.echo(f"{done} notice(s) tagged and committed before the interruption; the same command goes on "
                       "with the rest", err=True)
            raise
    click.echo(
        f"{result.tagged} notice(s) tagged with {classifier.version}: {result.considerations} detected "
        f"consideration(s), {result.pictograms} pictogram(s) regenerated"
    )
    return 0


@click.command("train")
@click.option("--from-store", is_flag=True, help="Add the store's declared and manual labels to the shipped training set.")
@click.option("--force", is_flag=True, help="Replace the shipped model even when the new one evaluates worse.")
@click.pass_obj
def train(app, from_store, force) -> int:
    """Retrain the model, print its evaluation, and keep the shipped one when the new one is worse."""
    from classifier.train import train as run_training

    extra = None
    if from_store:
        from storage.training import store_examples

        extra = list(store_examples(app.store()))
        click.echo(f"{len(extra)} labelled clause(s) from the store")
    result = run_training(extra=extra, force=force)
    click.echo(str(result))
    return 0 if getattr(result, "replaced", True) else 1


@click.command("evaluate")
@click.argument("gold", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def evaluate(gold) -> int:
    """Precision, recall and F1 per dimension and per (dimension, lever) on annotated real notices.

    GOLD (one or more files, read together) defaults to the project's own annotated set; texts are read from
    ../shared/samples. Example:  tenderwatch evaluate classifier/data/holdout*_notices_fr_2020.json
    """
    from classifier.evaluate import evaluate as run_evaluation
    from classifier.evaluate import format_report

    try:
        report = run_evaluation(list(gold) or None)
    except (FileNotFoundError, KeyError) as exc:
        raise click.UsageError(f"cannot evaluate: {exc}") from None
    except (ValueError, TypeError, AttributeError) as exc:  # a GOLD file that is not JSON gold labels
        names = ", ".join(str(g) for g in gold)
        raise click.UsageError(f"cannot evaluate: {names} is not a gold file ({type(exc).__name__}: {exc})") from None
    click.echo(format_report(report))
    return 0


COMMANDS = [tag, classify, train, evaluate]
