"""`tenderwatch classify`: (re)tag stored notices and regenerate their pictograms."""

from __future__ import annotations


import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

console = Console(stderr=True)


@click.command("classify")
@click.option(
    "--pending",
    "mode",
    flag_value="pending",
    default=True,
    help="Notices new or changed since they were tagged (default).",
)
@click.option(
    "--all", "mode", flag_value="all", help="Every notice not tagged by the current classifier version."
)
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
    with Progress(
        TextColumn("tagging"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=total < 200,
    ) as progress:
        task = progress.add_task("tagging", total=total)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            progress.advance(task, n)

        try:
            result = retag(
                store,
                classifier,
                config.detection_threshold(),
                everything=mode == "all",
                jobs=jobs,
                progress=advance,
            )
        except KeyboardInterrupt:
            click.echo(
                f"{done} notice(s) tagged and committed before the interruption; the same command goes on "
                "with the rest",
                err=True,
            )
            raise
    click.echo(
        f"{result.tagged} notice(s) tagged with {classifier.version}: {result.considerations} detected "
        f"consideration(s), {result.pictograms} pictogram(s) regenerated"
    )
    return 0


COMMANDS = [classify]
