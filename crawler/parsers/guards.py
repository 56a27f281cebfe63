"""What a file must be before it is read: a regular file, within the size limits, text when read as text.

`tenderwatch import` reads whatever path it is given. Without these checks a FIFO blocks for ever, /dev/zero is
read until memory runs out, a 200 MB "notice" is stored and then tagged for tens of minutes, a DOCX whose
document.xml expands to 1.5 GB is refused only after gigabytes of memory, and binary garbage is stored as the
text of a notice. Each check returns a ParseError with a clear message (the import counts it and goes on), or None.

Limits (models/config.py): TENDERWATCH_MAX_FILE_BYTES for a file read whole (streamed DECP files have none: each
contract is checked as a notice), TENDERWATCH_MAX_EXPANDED_BYTES for what a DOCX / ODT declares it expands to,
TENDERWATCH_MAX_NOTICE_CHARS for a notice's text (models/columns.py).
"""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
from pathlib import Path

from models import config
from crawler.parsers.errors import ParseError

#: Formats read incrementally, whatever their size.
STREAMED = ("decp",)
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


def too_big(path: Path, fmt: str) -> ParseError | None:
    """A ParseError when a file read whole is beyond TENDERWATCH_MAX_FILE_BYTES."""
    if fmt in STREAMED:
        return None
    limit = config.max_file_bytes()
    size = path.stat().st_size
    if size <= limit:
        return None
    return ParseError(fmt, f"file of {_size(size)} is beyond the limit of {_size(limit)} "
                      f"({config.ENV_MAX_FILE_BYTES}); split it or raise the limit", str(path))


def expands_too_much(path: Path, fmt: str) -> ParseError | None:
    """A ParseError when a DOCX / ODT declares members whose total size is beyond TENDERWATCH_MAX_EXPANDED_BYTES
    (read from the zip's directory, before anything is decompressed; a member never yields more than it declares)."""
    if fmt not in ZIPPED:
        return None
    limit = config.max_expanded_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return ParseError(fmt, f"unreadable document: not a zip file ({exc})", str(path))
    if expanded <= limit:
        return None
    return ParseError(fmt, f"document expands to {_size(expanded)}, beyond the limit of {_size(limit)} "
                      f"({config.ENV_MAX_EXPANDED_BYTES}): not read", str(path))


def check_file(path: Path, fmt: str) -> ParseError | None:
    """The size checks of a regular file in format `fmt`."""
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


def document_id(path: Path) -> str:
    """The key of a document imported as a notice of its own: its name and a digest of its resolved path, so that
    two documents of the same name in two folders are two notices, and importing the same file again updates its
    own (`import:RC-3f2a9c0d1e`)."""
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{path.stem[:150]}-{digest}"
