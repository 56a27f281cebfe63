"""The files an import reads, one at a time: plain files, and the members of the archives among them.

`read_inputs(path, fmt)` yields one Input per file (an archive yields one per member, and one for itself when it
is refused): its name as the user reads it ("decp.zip!marches.json"), and its results, Notice items and
ParseErrors, among which a NotANotice for a file that holds no notice and an ArchiveRefused for an archive over
its limits. The format is detected by content (crawler.parsers.detect) unless forced. A path that is not a
regular file (a FIFO, a device) is refused before anything opens it, and a file or member beyond the size limits
before it is read (crawler.parsers.guards).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crawler.parsers import guards
from crawler.parsers.archives import ArchiveLimits, ArchiveRefused, Member, iter_members
from crawler.parsers.detect import HEAD, Detected, NotANotice, sniff
from crawler.parsers.errors import ParseError
from models.notice import Notice


@dataclass
class Input:
    name: str
    results: Iterator[Notice | ParseError]
    archive: bool = False  # the archive itself (only when it is refused as a whole)


def _head(source) -> bytes:
    if isinstance(source, Member):
        return source.head(HEAD)
    with source.open("rb") as fh:
        return fh.read(HEAD)


def _zip_kind(source) -> Detected:
    """A ZIP container: a DOCX, an ODT, another office file (no notice), or an archive of files."""
    try:
        with source.open("rb") as fh, zipfile.ZipFile(fh if fh.seekable() else _buffer(fh)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError):
        return Detected("zip")  # its reading says what is wrong
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return Detected("docx")
        return Detected(None, "an office file that is not a text document (spreadsheet, presentation)")
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return Detected("odt")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return Detected(None, "an OpenDocument file that is not a text document (spreadsheet, presentation)")
    return Detected("zip")


def _buffer(fh):
    import io

    return io.BytesIO(fh.read())


def detect(source) -> Detected:
    """What `source` (a Path or an archive Member) is."""
    head = _head(source)
    found = sniff(head, source.name)
    if found.fmt == "zip":
        return _zip_kind(source)
    return found


def read_inputs(path: Path, fmt: str | None = None, limits: ArchiveLimits | None = None) -> Iterator[Input]:
    """The files of `path` (itself, or the members of the archive it is) with their results."""
    yield from _inputs(path, fmt, limits, depth=0, budget=None)


def _inputs(source, fmt, limits, depth, budget) -> Iterator[Input]:
    from crawler.parsers.files import reader

    name = str(source)
    if not isinstance(source, Member):  # before anything opens it: a FIFO would block, /dev/zero never end
        refused = guards.not_regular(source)
        if refused is not None:
            yield Input(name, iter([refused]))
            return
    try:
        found = detect(source)
        if fmt and not (found.archive and fmt not in ("docx", "odt")):
            found = Detected(fmt)  # forced, except that an archive's members are read in the forced format
    except OSError as exc:
        yield Input(name, iter([ParseError("file", f"cannot read the file: {exc.strerror or exc}", name)]))
        return
    if found.fmt is None:
        yield Input(name, iter([NotANotice(found.reason, name)]))
        return
    if not found.archive:
        try:
            refused = guards.check_file(source, found.fmt)
        except OSError as exc:
            refused = ParseError("file", f"cannot read the file: {exc.strerror or exc}", name)
        yield Input(name, reader(found.fmt)(source) if refused is None else iter([refused]))
        return
    if depth >= 2:
        yield Input(name, iter([ArchiveRefused("an archive inside an archive inside an archive: extract it first",
                                               name)]), archive=True)
        return
    from crawler.parsers.archives import Budget

    budget = budget or Budget(limits or ArchiveLimits.from_env())
    for item in iter_members(source, found.fmt, budget=budget):
        if isinstance(item, ParseError):
            yield Input(item.where or name, iter([item]), archive=item.where == name)
            continue
        yield from _inputs(item, fmt, limits, depth + 1, budget)
