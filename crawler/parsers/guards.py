"""What a file must be before it is read: a regular file, within the size limits, text when read as text.

`tenderwatch import` reads whatever path it is given. Without these checks a FIFO blocks for ever, /dev/zero is
read until memory runs out, a 200 MB "notice" is stored and then tagged for tens of minutes, a DOCX whose
document.xml expands to 1.5 GB is refused only after gigabytes of memory, and binary garbage is stored as the
text of a notice. Each check returns a ParseError with a clear message (the import counts it and goes on), or None.

Limits (models/config.py): TENDERWATCH_MAX_FILE_BYTES for a file read whole (streamed DECP files have none: each
contract is checked as a notice), TENDERWATCH_MAX_EXPANDED_BYTES for what a DOCX / ODT declares it expands to,
TENDERWATCH_MAX_NOTICE_CHARS for a notice's text (models/columns.py). The member of an archive (.zip, .gz, .tar.gz;
crawler/parsers/archives.py) is checked like a file, with the size the archive declares for it; archives themselves
are bounded by TENDERWATCH_ARCHIVE_MAX_BYTES / TENDERWATCH_ARCHIVE_MAX_MEMBERS.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import stat
import zipfile
from pathlib import Path

from models import config
from crawler.parsers.errors import ParseError

#: Formats read incrementally, whatever their size.
STREAMED = ("decp", "decp_flat", "decp_csv")
#: Formats that are zip containers.
ZIPPED = ("docx", "odt")

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def not_regular(path: Path) -> ParseError | None:
    """A ParseError when `path` is not a regular file (checked before anything opens it: a FIFO would block)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return ParseError("file", f"cannot read file: {exc.strerror or exc}", str(path))
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return ParseError("file", f"not a regular file ({kind}): nothing read", str(path))


def _declared_size(source) -> int | None:
    """The size of a file, or the size an archive declares for its member (None when it declares none: a .gz)."""
    if isinstance(source, Path):
        return source.stat().st_size
    return getattr(source, "size", None)


def too_big(path, fmt: str) -> ParseError | None:
    """A ParseError when a file (or an archive member) read whole is beyond TENDERWATCH_MAX_FILE_BYTES."""
    if fmt in STREAMED:
        return None
    limit = config.max_file_bytes()
    size = _declared_size(path)
    if size is None or size <= limit:
        return None
    return ParseError(fmt, f"file of {_size(size)} is beyond the limit of {_size(limit)} "
                      f"({config.ENV_MAX_FILE_BYTES}); split it or raise the limit", str(path))


def expands_too_much(path, fmt: str) -> ParseError | None:
    """A ParseError when a DOCX / ODT (a file or an archive member) declares members whose total size is beyond
    TENDERWATCH_MAX_EXPANDED_BYTES (read from the zip's directory, before anything is decompressed; a member never
    yields more than it declares)."""
    if fmt not in ZIPPED:
        return None
    limit = config.max_expanded_bytes()
    try:
        with contextlib.ExitStack() as stack:
            handle = stack.enter_context(path.open("rb"))
            if not handle.seekable():  # a member of a tar stream (within the archive's limits)
                handle = io.BytesIO(handle.read())
            archive = stack.enter_context(zipfile.ZipFile(handle))
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return ParseError(fmt, f"unreadable document: not a zip file ({exc})", str(path))
    if expanded <= limit:
        return None
    return ParseError(fmt, f"document expands to {_size(expanded)}, beyond the limit of {_size(limit)} "
                      f"({config.ENV_MAX_EXPANDED_BYTES}): not read", str(path))


def check_file(path, fmt: str) -> ParseError | None:
    """The size checks of a regular file (or an archive member) in format `fmt`."""
    return too_big(path, fmt) or expands_too_much(path, fmt)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
#: Share of control characters above which decoded "text" is binary data (text has none but tabs, line and page
#: breaks; latin-1 decoded random bytes have about a quarter).
BINARY_SHARE = 0.02


def binary(text: str) -> bool:
    """Whether decoded text is in fact binary data: a NUL character, or control characters beyond BINARY_SHARE."""
    if "\x00" in text:
        return True
    sample = text[:65536]
    return bool(sample) and len(_CONTROL.findall(sample)) > BINARY_SHARE * len(sample)


def document_id(path) -> str:
    """The key of a document imported as a notice of its own: its name and a digest of its resolved path (an
    archive member: the archive's resolved path and the member's name), so that two documents of the same name in
    two folders are two notices, and importing the same file again updates its own (`import:RC-3f2a9c0d1e`)."""
    archive = getattr(path, "archive", None)
    where = f"{Path(archive).resolve()}!{path.member}" if archive is not None else str(path.resolve())
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{path.stem[:150]}-{digest}"
