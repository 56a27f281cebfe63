"""Archives of notice files (.zip, .gz, .tar, .tar.gz), expanded member by member within limits.

Nothing is extracted to the working directory and no archive is loaded whole: a ZIP member is read through
zipfile's stream (bounded by the size its directory declares), a .gz through gzip's stream, a tar's members one
after the other (each spooled to a temporary file that stays in memory up to 8 MiB). Two limits guard against
archive bombs, both from the environment:

- TENDERWATCH_ARCHIVE_MAX_BYTES (default 4 GiB): the expanded size of one archive, all members together;
- TENDERWATCH_ARCHIVE_MAX_MEMBERS (default 10,000): its number of members.

A ZIP is checked against both before anything is read (its directory gives the sizes); a .gz or a tar stream
is counted as it expands and stops at the limit. An archive over a limit is refused with one ArchiveRefused
naming the limit (the members read before the limit of a streamed archive stay read); an archive inside an
archive is read once more (one level), within the same budget.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from crawler.parsers.errors import ParseError
from models import config

SPOOL_IN_MEMORY = 8 * 1024**2
CHUNK = 1024**2


class ArchiveRefused(ParseError):
    """An archive (or the rest of one) that is not read: over a limit, damaged, encrypted."""

    def __init__(self, message: str, where: str | None = None):
        super().__init__("archive", message, where)


@dataclass(frozen=True)
class ArchiveLimits:
    max_bytes: int = config.DEFAULT_ARCHIVE_MAX_BYTES
    max_members: int = config.DEFAULT_ARCHIVE_MAX_MEMBERS

    @classmethod
    def from_env(cls) -> ArchiveLimits:
        """TENDERWATCH_ARCHIVE_MAX_BYTES and TENDERWATCH_ARCHIVE_MAX_MEMBERS (models/config.py)."""
        return cls(config.archive_max_bytes(), config.archive_max_members())


def human_size(size: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:.3g} {unit}"
        size /= 1024
    return str(size)


class Budget:
    """The bytes and members left to one archive (shared with the archives inside it)."""

    def __init__(self, limits: ArchiveLimits):
        self.limits = limits
        self.bytes_left = limits.max_bytes
        self.members_left = limits.max_members

    def member(self, where: str) -> None:
        self.members_left -= 1
        if self.members_left < 0:
            raise ArchiveRefused(
                f"more than {self.limits.max_members:,} members (the limit, {config.ENV_ARCHIVE_MAX_MEMBERS}): the rest is not read",
                where,
            )

    def spend(self, size: int, where: str) -> None:
        self.bytes_left -= size
        if self.bytes_left < 0:
            raise ArchiveRefused(
                f"expands to more than {human_size(self.limits.max_bytes)} (the limit, {config.ENV_ARCHIVE_MAX_BYTES}):"
                " the rest is not read",
                where,
            )


class _Counted(io.RawIOBase):
    """A read-only stream that charges what it yields to a budget (a .gz expands while it is read)."""

    def __init__(self, raw: BinaryIO, budget: Budget, where: str, also_close: BinaryIO | None = None):
        self._raw, self._budget, self._where, self._also_close = raw, budget, where, also_close

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        self._budget.spend(len(data), self._where)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        if self._also_close is not None:
            self._also_close.close()
        super().close()


class Member:
    """One file of an archive, used where readers take a Path: open('rb'), read_bytes(), name, stem, str()."""

    def __init__(self, archive: str, name: str, opener: Callable[[], BinaryIO], size: int | None = None):
        self.archive = archive
        self.member = name
        self._opener = opener
        self.size = size
        pure = PurePosixPath(name)
        self.name, self.stem, self.suffix = pure.name, pure.stem, pure.suffix

    def open(self, mode: str = "rb") -> BinaryIO:
        if mode != "rb":
            raise ValueError("archive members are read-only")
        return self._opener()

    def read_bytes(self) -> bytes:
        with self.open() as fh:
            return fh.read()

    def head(self, size: int) -> bytes:
        with self.open() as fh:
            return fh.read(size)

    def __str__(self) -> str:
        return f"{self.archive}!{self.member}"

    def __fspath__(self) -> str:  # a member has no path of its own
        raise TypeError(f"{self} is an archive member, not a file")


def _hidden(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def iter_members(source, kind: str, limits: ArchiveLimits | None = None,
                 budget: Budget | None = None) -> Iterator[Member | ParseError]:
    """The members of an archive `source` (a Path or a Member) of `kind` zip/gzip/tar, or an ArchiveRefused."""
    budget = budget or Budget(limits or ArchiveLimits.from_env())
    where = str(source)
    try:
        if kind == "zip":
            yield from _zip_members(source, budget, where)
        elif kind == "gzip":
            yield from _gzip_members(source, budget, where)
        elif kind == "tar":
            yield from _tar_members(source, budget, where, "r|")
        else:
            raise ValueError(f"not an archive kind: {kind}")
    except ArchiveRefused as exc:
        yield exc
    except (zipfile.BadZipFile, tarfile.TarError, gzip.BadGzipFile, EOFError, zlib_error()) as exc:
        yield ArchiveRefused(f"damaged or truncated archive ({_first_line(exc)})", where)
    except OSError as exc:
        yield ArchiveRefused(f"cannot read the archive: {exc.strerror or _first_line(exc)}", where)


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _zip_members(source, budget: Budget, where: str) -> Iterator[Member | ParseError]:
    with contextlib.ExitStack() as stack:
        handle = stack.enter_context(source.open("rb"))
        if not handle.seekable():  # a ZIP inside a tar stream: spooled first
            handle = stack.enter_context(_spool(handle, budget, where))
        archive = stack.enter_context(zipfile.ZipFile(handle))
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > budget.members_left:
            raise ArchiveRefused(
                f"{len(infos):,} members, more than the limit of {budget.limits.max_members:,} ({config.ENV_ARCHIVE_MAX_MEMBERS})",
                where,
            )
        declared = sum(info.file_size for info in infos)
        if declared > budget.bytes_left:
            raise ArchiveRefused(
                f"expands to {human_size(declared)}, more than the limit of {human_size(budget.limits.max_bytes)}"
                f" ({config.ENV_ARCHIVE_MAX_BYTES})",
                where,
            )
        budget.members_left -= len(infos)
        budget.bytes_left -= declared  # zipfile never yields more than a member's declared size
        for info in infos:
            if _hidden(info.filename):
                continue
            if info.flag_bits & 0x1:
                yield ArchiveRefused("encrypted member: decrypt the archive first", f"{where}!{info.filename}")
                continue
            yield Member(where, info.filename, lambda info=info: archive.open(info), info.file_size)


def _gzip_members(source, budget: Budget, where: str) -> Iterator[Member | ParseError]:
    name = PurePosixPath(str(getattr(source, "member", None) or getattr(source, "name", "") or where)).name
    inner = name[:-3] if name.lower().endswith(".gz") else (name[:-4] + ".tar" if name.lower().endswith(".tgz")
                                                            else name + ".out")
    with source.open("rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as probe:
        start = probe.read(512)
    if len(start) > 262 and start[257:262] == b"ustar":  # a .tar.gz
        yield from _tar_members(source, budget, where, "r|gz")
        return
    budget.member(where)

    def opener() -> BinaryIO:
        raw = source.open("rb")
        return io.BufferedReader(_Counted(gzip.GzipFile(fileobj=raw, mode="rb"), budget, where, also_close=raw),
                                 CHUNK)

    yield Member(where, inner, opener)


def _spool(stream: BinaryIO, budget: Budget, where: str, size: int | None = None) -> BinaryIO:
    """A member's bytes in a temporary file (in memory up to SPOOL_IN_MEMORY), charged to the budget."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (the caller closes it)
    if size is not None:
        budget.spend(size, where)
        shutil.copyfileobj(stream, spool, CHUNK)
    else:
        while chunk := stream.read(CHUNK):
            budget.spend(len(chunk), where)
            spool.write(chunk)
    spool.seek(0)
    return spool


class _Reopenable:
    """Opens a spooled member again and again (each open a view from the start; closed with the archive)."""

    def __init__(self, spool):
        self._spool = spool

    def __call__(self) -> BinaryIO:
        self._spool.seek(0)
        return _Unclosed(self._spool)


class _Unclosed(io.RawIOBase):
    def __init__(self, raw):
        self._raw = raw

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _tar_members(source, budget: Budget, where: str, mode: str) -> Iterator[Member | ParseError]:
    with source.open("rb") as raw, tarfile.open(fileobj=raw, mode=mode) as archive:
        for info in archive:
            budget.member(where)
            if not info.isfile() or _hidden(info.name):
                continue
            extracted = archive.extractfile(info)
            if extracted is None:
                continue
            spool = _spool(extracted, budget, where, info.size)
            try:
                yield Member(where, info.name, _Reopenable(spool), info.size)
            finally:
                spool.close()
