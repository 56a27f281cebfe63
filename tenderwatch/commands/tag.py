"""`tenderwatch tag`: stateless tagging of JSONL notices (operators' exports), no store."""

from __future__ import annotations

import json

import click


@click.command("tag")
@click.argument("input_", metavar="[INPUT]", default="-", type=click.File("rb"))
@click.option(
    "-o",
    "--output",
    default="-",
    type=click.File("w", encoding="utf-8"),
    help="Output JSONL (default: stdout).",
)
@click.option("--explain", is_flag=True, help="Also list each suppressed candidate and why (`suppressed`).")
def tag(input_, output, explain) -> int:
    """Tag notices from JSONL, without a store: one {"id", "text", "title"?, "sections"?, "cpv_codes"?} per
    line (`-` = stdin; the main CPV code first).

    \b
    Writes one JSON line per input line, in the same order:
    {"id", "social", "environmental", "considerations": [{"dimension", "lever", "confidence",
     "evidence", "start", "end", "section", "method"}], "classifier_version"}; an unreadable line gives
    {"id", "error"}.
    With --explain, "suppressed" lists the candidates that were not kept: [{"dimension", "lever", "rule",
    "score", "evidence", "start", "end", "section", "reason"}] (negation, boilerplate, threshold, zone,
    a CPV code alone...).
    Example:  tenderwatch tag export.jsonl -o tagged.jsonl
    """
    from classifier import load_classifier
    from classifier.tagging import tag_lines

    errors = 0
    # bytes: a line that is not UTF-8 is one error line
    for result in tag_lines(input_, load_classifier(), explain=explain):
        errors += "error" in result
        output.write(json.dumps(result, ensure_ascii=False) + "\n")
    output.flush()
    if errors:
        click.echo(f"{errors} line(s) could not be read (see their `error` field)", err=True)
    return 0


COMMANDS = [tag]
