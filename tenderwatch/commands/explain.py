"""`tenderwatch explain SOURCE:ID`: why a notice's pictograms are on or off, detection by detection."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.text import Text

from models.safe import printable
from models.text import one_line
from models.vocabulary import DIMENSION_LABELS, LEVER_LABELS, SUPPRESSION_LABELS, Dimension, Lever
from storage.notices import NoticeNotFound
from tenderwatch.terminal import cell


def _cell(value) -> Text:
    """Text from a notice for the terminal: one line, no markup interpreted, no control or escape character
    (tenderwatch/terminal.py, as every table that shows a notice's text)."""
    return cell(one_line(printable(value)))


@click.command("explain")
@click.argument("notice")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def explain(app, notice, fmt) -> int:
    """Why NOTICE (SOURCE:ID) has its pictograms: each detection with its evidence, method and confidence, each
    candidate that was suppressed and why (negation, boilerplate, threshold, zone...), what the buyer declared and
    what an operator decided.

    \b
    Examples:
      tenderwatch explain boamp:26-80978
      tenderwatch explain ted:91489-2019 --format json
    """
    from workflow.explain import explain_notice

    try:
        result = explain_notice(app.store(), notice)
    except NoticeNotFound as exc:
        raise click.BadParameter(str(exc), param_hint="NOTICE") from None
    e = result.explanation
    if fmt == "json":
        from classifier.tagging import explain_dict

        click.echo(json.dumps({
            "notice": result.ref, "title": result.title, "classifier_version": e.version,
            "stored_version": result.stored_version, "pictogram": result.pictogram, "override": result.override,
            "declared": result.declared,
            "detected": [{"dimension": str(d.dimension), "lever": str(d.lever), "confidence": d.confidence,
                          "method": d.method, "evidence": d.evidence, "start": d.start, "end": d.end,
                          "section": d.section} for d in e.detections],
            "suppressed": explain_dict(e),
        }, ensure_ascii=False, indent=1))
        return 0
    console = Console(highlight=False)
    console.print(_cell(f"{result.ref} — {result.title}"), style="bold")
    if result.pictogram is not None:
        p = result.pictogram
        shown = [DIMENSION_LABELS[d] for d in Dimension if p[d.value]]
        console.print(Text("Pictogrammes : " + (", ".join(shown) if shown else "aucun")))
    if result.override is not None:
        o = result.override
        console.print(_cell(f"Décision d'un opérateur ({o['author']}) : {o['reason']}"))
    if result.stored_version and result.stored_version != e.version:
        console.print(Text(f"Étiqueté par le classifieur {result.stored_version}, expliqué avec {e.version} "
                           "(`tenderwatch classify --all` met à jour)."))
    groups = (
        ("Déclarées par l'acheteur", [(d["dimension"], d["lever"], None, "", d["evidence"] or "")
                                      for d in result.declared]),
        ("Détectées", [(d.dimension, d.lever, d.confidence, d.method, d.evidence) for d in e.detections]),
        ("Écartées", [(c.dimension, c.lever, c.score, f"{c.rule} — {SUPPRESSION_LABELS.get(c.reason, c.reason)}",
                       c.evidence) for c in e.suppressed if c.reason != "superseded"]),
    )
    for title, rows in groups:
        console.print()
        console.print(Text(f"{title} ({len(rows)})", style="bold underline"))
        for dimension, lever, score, method, evidence in rows:
            head = [DIMENSION_LABELS[Dimension(dimension)], LEVER_LABELS[Lever(lever)] if lever else "levier non établi"]
            if score is not None:
                head.append(f"{score:.2f}")
            if method:
                head.append(method)
            console.print(Text("• " + " · ".join(head)))
            console.print(_cell(f"« {evidence} »"), style="dim", overflow="fold")
    return 0


COMMANDS = [explain]
