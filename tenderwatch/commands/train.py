"""`tenderwatch train`: retrain the model; keeps the shipped one if the new one is worse."""

from __future__ import annotations


import click
from rich.console import Console

console = Console(stderr=True)


@click.command("train")
@click.option(
    "--from-store",
    is_flag=True,
    help="Add the store's declared and manual labels to the shipped training set.",
)
@click.option(
    "--gold-dev/--no-gold-dev",
    default=True,
    show_default=True,
    help="Add the development parts of the annotated gold sets read from ../shared/samples (DECP objects); their "
    "held-out parts are never trained on. Skipped with a note when the samples are absent.",
)
@click.option(
    "--force", is_flag=True, help="Replace the shipped model even when the new one evaluates worse."
)
@click.pass_obj
def train(app, from_store, gold_dev, force) -> int:
    """Retrain the model, print its evaluation, and keep the shipped one when the new one is worse."""
    from classifier.evaluate import DATA
    from tenderwatch.gold_corpora import dev_examples
    from workflow.training import train_model

    examples = []
    if gold_dev:
        for path in sorted(DATA.glob("*.json")):
            examples += dev_examples(path)
        if not examples:
            click.echo("no gold development part could be read (../shared/samples absent): shipped clauses only")
    result = train_model(app.store() if from_store else None, gold_dev=examples, force=force, say=click.echo)
    click.echo(str(result))
    return 0 if getattr(result, "replaced", True) else 1


COMMANDS = [train]
