"""`tenderwatch import PATH...`: files of notices in any supported format, or consultation documents."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import select

from models.notice import Notice, Section
from models.normalise import InvalidNotice, normalise, validate
from crawler.parsers.errors import ParseError
from crawler.parsers.files import FORMATS, iter_paths, read_file
from models.schema import NoticeRow
from workflow.ingest import Ingest

console = Console(stderr=True)


def _attach(store, target: tuple[str, str], document: Notice) -> Notice:
    """The stored notice `target` with the document's text appended as a section of its own."""
    source, source_id = target
    with store.session() as session:
        row = session.scalar(select(NoticeRow).where(NoticeRow.source == source, NoticeRow.source_id == source_id))
        if row is None:
            raise click.UsageError(f"no stored notice {source}:{source_id} to attach documents to")
        sections = [Section(**s) for s in row.sections or []]
        sections = [s for s in sections if s.heading != document.sections[0].heading] + document.sections
        return Notice(
            source=row.source, source_id=row.source_id, title=row.title, url=row.url, buyer_name=row.buyer_name,
            buyer_siret=row.buyer_siret, buyer_nuts=row.buyer_nuts, country=row.country, department=row.department,
            region=row.region, cpv_codes=list(row.cpv_codes or []), procedure=row.procedure,
            contract_nature=row.contract_nature, notice_type=row.notice_type, published=row.published,
            deadline=row.deadline, language=row.language, amount=row.amount, sections=sections,
            raw_format=row.raw_format,
        )


def _notice_ref(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    source, sep, source_id = value.rpartition(":")
    if not sep or not source or not source_id:
        raise click.BadParameter(f"{value!r} is not SOURCE:ID", param_hint="--notice")
    return source, source_id


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
    target = _notice_ref(notice_ref)
    store = app.store()
    if target:  # before the run is recorded: a bad --notice writes nothing
        with store.session() as session:
            if session.scalar(select(NoticeRow.id).where(NoticeRow.source == target[0],
                                                         NoticeRow.source_id == target[1])) is None:
                raise click.UsageError(f"no stored notice {target[0]}:{target[1]} to attach documents to")
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
                    notice = _attach(store, target, result) if target else result
                    if source and not target:
                        notice.source = source
                    ingest.add(normalise(validate(notice)))
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
