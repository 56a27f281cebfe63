"""`tenderwatch evaluate`: precision / recall / F1 on the annotated real notices."""

from __future__ import annotations

from pathlib import Path

import click


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
        raise click.UsageError(
            f"cannot evaluate: {names} is not a gold file ({type(exc).__name__}: {exc})"
        ) from None
    click.echo(format_report(report))
    return 0


COMMANDS = [evaluate]
