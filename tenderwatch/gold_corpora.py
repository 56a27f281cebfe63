"""The notices of the annotated gold sets whose texts are files of ../shared/samples (a folder of notices, DECP
zips), read through the project's parsers as `tenderwatch import` reads them; and the training examples of their
development parts."""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["DECP_OBJECTS", "GoldFileError", "dev_examples", "gold_notices"]

#: The `format` of a gold file whose notices are records of DECP zips, keyed `<zip stem>:<index in marches>`.
DECP_OBJECTS = "decp_2019_objects"


class GoldFileError(ValueError):
    """A gold file that cannot be read as one, with what is wrong in it."""


def gold_notices(corpus: Path, ids: list[str], fmt: str | None = None) -> dict:
    """The gold notices of a folder corpus (`<doc_id>.xml`...), parsed as `tenderwatch import` parses them."""
    from crawler.parsers.errors import ParseError
    from crawler.parsers.files import read_file

    if fmt == DECP_OBJECTS:
        return _decp_objects(corpus, ids)
    files: dict[str, Path] = {}  # "<doc_id>.<anything>" -> its first file, as a glob "<doc_id>.*" would find it
    for path in sorted(corpus.iterdir()):  # one listing of the folder, not a glob per notice
        for dot in (i for i, ch in enumerate(path.name) if ch == "."):
            files.setdefault(path.name[:dot], path)
    notices = {}
    for doc_id in ids:
        if doc_id not in files:
            continue
        for result in read_file(files[doc_id]):
            if not isinstance(result, ParseError):
                notices[doc_id] = result
                break
    return notices



def _decp_objects(corpus: Path, ids: list[str]) -> dict:
    """The gold contracts of a folder of DECP zips, keyed `<zip stem>:<index in marches>`: each record is read from
    its archive (within the archive limits) and parsed by the DECP parser as `tenderwatch import` parses it."""
    from crawler.parsers.archives import iter_members
    from crawler.parsers.decp import parse_decp_record
    from crawler.parsers.errors import ParseError
    from crawler.parsers.files import json_text

    wanted: dict[str, list[tuple[str, int]]] = {}
    for doc_id in ids:
        stem, _, index = doc_id.rpartition(":")
        if not stem or not index.isdigit():
            raise GoldFileError(f"gold notice key {doc_id!r}: expected '<zip stem>:<index in marches>'")
        wanted.setdefault(stem, []).append((doc_id, int(index)))
    notices = {}
    for archive in sorted(corpus.glob("*.zip")):
        keys = wanted.get(archive.name.removesuffix(".zip"))
        if not keys:
            continue
        for member in iter_members(archive, "zip"):
            if isinstance(member, ParseError):
                raise FileNotFoundError(f"{archive}: {member}")
            records = json.loads(json_text(member.read_bytes())).get("marches")
            records = records.get("marche", []) if isinstance(records, dict) else records or []
            for doc_id, index in keys:
                if index < len(records):
                    try:
                        notices[doc_id] = parse_decp_record(records[index], f"{archive.name}: marches[{index}]")
                    except ParseError:
                        continue
    return notices


def dev_examples(path: Path) -> list[tuple[str, str, list[dict]]]:
    """(title, "title", labels) of the development part of a DECP-objects gold file, for training: the held-out
    part is never read here. Empty when the file is not of that format or its corpus is absent."""
    from classifier.evaluate import gold_corpus

    corpus, fmt = gold_corpus(path)
    if fmt != DECP_OBJECTS or corpus is None or not corpus.is_dir():
        return []
    notices = json.loads(Path(path).read_text(encoding="utf-8"))["notices"]
    dev = {k: v for k, v in notices.items() if v.get("part") == "dev"}
    parsed = gold_notices(corpus, list(dev), fmt)
    return [
        (parsed[k].title, "title", [{"dimension": x["dimension"], "lever": x["lever"]} for x in v.get("labels") or []])
        for k, v in dev.items()
        if k in parsed and parsed[k].title
    ]
