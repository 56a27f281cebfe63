"""`tenderwatch import PATH...`: files of notices in any supported format, or consultation documents."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from models.columns import LIMITS
from models.normalise import InvalidNotice, normalise, validate
from crawler.parsers.errors import ParseError
from crawler.parsers.files import FORMATS, iter_paths, read_file
from storage.notices import NoticeNotFound, check_ref, find_notice
from workflow.ingest import Ingest

console = Console(stderr=True)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Force the format instead of detecting it.")
@click.option("--notice", "notice_ref", metavar="SOURCE:ID", help="Attach the documents (RC, CCAP, CCTP...) to this stored notice.")
@click.option("--source", help="Store imported notices under this source name instead of the parser's.")
@click.option("--no-tag", is_flag=True, help="Do not tag the imported notices now (`tenderwatch classify --pending` later).")
@click.pass_obj
def import_(app, paths, fmt, notice_ref, source, no_tag) -> int:
    """Import files or directories of notices (JSON, eForms, TED, BOAMP, DECP, Atexo pages, PDF/DOCX/ODT/text).

    \b
    Examples:
      tenderwatch import archives/2019/
      tenderwatch import decp-2024.json --format decp
      tenderwatch import RC.pdf CCAP.docx --notice atexo:demat-ampa:a1b-482913
    """
    target = None
    if source is not None and not 0 < len(source) <= LIMITS["source"]:
        raise click.BadParameter(f"a source name has 1 to {LIMITS['source']} characters, not {len(source)}",
                                 param_hint="--source")
    if notice_ref is not None:
        try:
            check_ref(notice_ref)
        except NoticeNotFound as exc:
            raise click.BadParameter(str(exc), param_hint="--notice") from None
    store = app.store()
    if notice_ref is not None:  # before the run is recorded: a bad --notice writes nothing
        with store.session() as session:
            try:
                row = find_notice(session, notice_ref)
            except NoticeNotFound as exc:
                raise click.BadParameter(f"{exc} to attach the documents to", param_hint="--notice") from None
            target = f"{row.source}:{row.source_id}"
    files = list(iter_paths(list(paths)))
    ingest = Ingest(store, "import", {"paths": " ".join(map(str, paths)), "format": fmt or "auto"})
    read = 0
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True, disable=len(files) < 20) as progress:
        task = progress.add_task("importing", total=len(files))
        for path in files:
            for result in read_file(path, fmt):
                if isinstance(result, ParseError):
                    ingest.fail(result.fmt, str(result))
                    continue
                try:
                    if target:
                        ingest.attach(target, normalise(validate(result)))
                        read += 1
                        continue
                    if source:
                        result.source = source
                    ingest.add(normalise(validate(result)))
                    read += 1
                except (InvalidNotice, ValueError) as exc:
                    ingest.fail("invalid", f"{path}: {exc}")
            progress.advance(task)
    summary = ingest.finish(tag=not no_tag)
    c = summary.counts
    click.echo(
        f"{len(files)} file(s): {c['new']} imported, {c['updated']} updated, {c['unchanged']} unchanged, "
        f"{c['failed']} failed" + (f", {c.get('tagged', 0)} tagged" if not no_tag else "")
    )
    for kind, count in sorted(ingest.failures.items()):
        click.echo(f"  failed ({kind}): {count}")
    return 1 if c["failed"] and not read else 0


COMMANDS = [import_]
