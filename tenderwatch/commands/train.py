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
    "--force", is_flag=True, help="Replace the shipped model even when the new one evaluates worse."
)
@click.pass_obj
def train(app, from_store, force) -> int:
    """Retrain the model, print its evaluation, and keep the shipped one when the new one is worse."""
    from workflow.training import train_model

    result = train_model(app.store() if from_store else None, force=force, say=click.echo)
    click.echo(str(result))
    return 0 if getattr(result, "replaced", True) else 1


COMMANDS = [train]
