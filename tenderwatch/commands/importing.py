"""`tenderwatch import PATH...`: files of notices in any supported format, or consultation documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from models.columns import LIMITS
from models.normalise import InvalidNotice, normalise, validate
from crawler.parsers.errors import ParseError
from crawler.parsers.archives import ArchiveLimits, ArchiveRefused
from crawler.parsers.detect import NotANotice
from crawler.parsers.files import FORMATS, iter_paths
from crawler.parsers.inputs import read_inputs
from storage.notices import NoticeNotFound, check_ref, find_notice
from workflow.ingest import Ingest

console = Console(stderr=True)


_LABELS = {
    "json": "a tenderwatch JSON notice", "eforms": "an eForms notice", "ted_r209": "a TED R2.0.9 notice",
    "boamp_record": "a BOAMP open-data record", "boamp_xml": "a BOAMP XML notice", "boamp_html": "a saved notice page",
    "dila_json": "a DILA BOAMP notice", "decp": "DECP data", "atexo_html": "an Atexo consultation page",
    "pdf": "a PDF document", "docx": "a DOCX document", "odt": "an ODT document", "text": "a text document",
}


def error_line(error: ParseError) -> str:
    """One line a user can act on: where (the file, and the record in it) and why; no exception internals."""
    message = " ".join(str(error.message).split())
    label = _LABELS.get(error.fmt, error.fmt)
    if message.startswith("unexpected "):  # an exception the parser did not foresee: say what was tried
        message = f"could not be read as {label} (content the parser does not know); check the file or force --format"
    elif message.startswith("unreadable document:"):
        message = f"damaged, or not {label}"
    message = re.sub(r" \(<string>, line \d+\)$", "", message)
    return f"{error.where or '-'}: {message[:300]}"


@dataclass
class FileCounts:
    """What became of the files of one import (an archive counts as its members)."""

    read: int = 0
    with_notices: int = 0
    not_a_notice: int = 0
    refused: int = 0
    notices_read: int = 0
    notices_refused: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"files": self.read, "files_with_notices": self.with_notices, "files_not_a_notice": self.not_a_notice,
                "files_refused": self.refused, "notices_refused": self.notices_refused}


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Force the format instead of detecting it.")
@click.option("--notice", "notice_ref", metavar="SOURCE:ID", help="Attach the documents (RC, CCAP, CCTP...) to this stored notice.")
@click.option("--source", help="Store imported notices under this source name instead of the parser's.")
@click.option("--no-tag", is_flag=True, help="Do not tag the imported notices now (`tenderwatch classify --pending` later).")
@click.option("--max-errors", type=click.IntRange(0), default=100, show_default=True,
              help="Error lines printed (all are counted, and recorded with the run).")
@click.pass_obj
def import_(app, paths, fmt, notice_ref, source, no_tag, max_errors) -> int:
    """Import files, directories or archives (.zip, .gz, .tar.gz) of notices: JSON, eForms, TED, BOAMP, DECP
    (nested, flattened JSON or CSV, XML), Atexo and saved notice pages, PDF/DOCX/ODT/text documents.

    The format is detected by content; files that hold no notice (README, licences, codelists, images...) are
    skipped and counted apart. An archive expands within TENDERWATCH_ARCHIVE_MAX_BYTES (default 4 GiB) and
    TENDERWATCH_ARCHIVE_MAX_MEMBERS (default 10,000); a file read whole within TENDERWATCH_MAX_FILE_BYTES, a
    DOCX / ODT within TENDERWATCH_MAX_EXPANDED_BYTES, a notice's text within TENDERWATCH_MAX_NOTICE_CHARS. Documents
    attached with --notice are kept apart from what the notice's source publishes: its next import or crawl keeps
    them.

    \b
    Examples:
      tenderwatch import archives/2019/
      tenderwatch import decp-2019.zip
      tenderwatch import decp-2024.csv --format decp_csv
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
    try:
        limits = ArchiveLimits.from_env()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
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
    counts = FileCounts()
    first_errors: list[str] = []
    shown = 0

    def report(error: ParseError, kind: str) -> None:
        nonlocal shown
        ingest.failures[kind] += 1  # counted with the run, without a log line of its own
        line = error_line(error)
        if len(first_errors) < 20:
            first_errors.append(line)
        if shown < max_errors:
            click.echo(line, err=True)
        shown += 1

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True, disable=len(files) < 20) as progress:
        task = progress.add_task("importing", total=len(files))
        for path in files:
            for found in read_inputs(path, fmt, limits):
                notices = errors = skipped = 0
                for result in found.results:
                    if isinstance(result, NotANotice):
                        skipped += 1
                        continue
                    if isinstance(result, ParseError):
                        errors += 1
                        if result.where and result.where != found.name and not isinstance(result, ArchiveRefused):
                            counts.notices_refused += 1
                        report(result, result.fmt)
                        continue
                    try:
                        if target:  # kept apart from what the source publishes (storage/attachments.py)
                            ingest.attach(target, normalise(validate(result)))
                        else:
                            if source:
                                result.source = source
                            ingest.add(normalise(validate(result)))
                        notices += 1
                    except (InvalidNotice, ValueError) as exc:
                        errors += 1
                        counts.notices_refused += 1
                        report(ParseError("invalid", str(exc), found.name), "invalid")
                counts.read += 1
                counts.notices_read += notices
                if notices:
                    counts.with_notices += 1
                elif errors:
                    counts.refused += 1
                elif skipped:
                    counts.not_a_notice += 1
            progress.advance(task)
    if shown > max_errors:
        click.echo(f"... and {shown - max_errors} more error(s), not shown (--max-errors)", err=True)
    ingest.flush()  # the last batch: the notices the database refused (written row by row) are counted now
    by_store = ingest.failures["store"]
    counts.notices_read -= by_store
    counts.notices_refused += by_store
    every_file_failed = counts.refused > 0 and counts.with_notices == 0
    errors = {"first": first_errors} if first_errors else {}
    summary = ingest.finish(succeeded=not every_file_failed, tag=not no_tag, extra_counts=counts.as_dict(),
                            errors=errors)
    c = summary.counts
    click.echo(
        f"files: {counts.read} read: {counts.with_notices} with notices, {counts.not_a_notice} not a notice"
        f" (skipped), {counts.refused} refused"
    )
    click.echo(
        f"notices: {counts.notices_read} read: {c['new']} imported, {c['updated']} updated, {c['unchanged']} unchanged,"
        + (f" {c['repeated']} repeated (read twice: the last kept)," if c.get("repeated") else "")
        + f" {counts.notices_refused} refused" + (f"; {c.get('tagged', 0)} tagged" if not no_tag else "")
    )
    if summary.run_id is not None:
        click.echo(f"run {summary.run_id}: {summary.status} (tenderwatch runs --spider import)")
    return 1 if every_file_failed else 0


COMMANDS = [import_]
