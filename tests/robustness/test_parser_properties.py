"""Every parser on hostile input ends in a valid item or a ParseError, never another exception, in bounded time
and memory: arbitrary bytes, truncated and damaged real notices (the project's fixtures, and the public samples
when ../shared/samples is there), wrong encodings, huge fields, deep nesting, entity bombs."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FILES, samples_path
from tests.robustness.hostile import (
    HANG_SECONDS,
    MIB,
    OWN_FIXTURES,
    PARSERS,
    SAMPLE_GLOBS,
    bounded,
    memory_cap,
    outcome,
    read_file_outcome,
)

NAMES = sorted(PARSERS)
FAST = settings(
    max_examples=20,
    deadline=None,  # no timing in tests: a hang is caught by HANG_SECONDS
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

# --- mutations of a real document ---------------------------------------------------------------------------


def truncations(data: bytes) -> st.SearchStrategy[bytes]:
    """A cut transfer: the first k bytes, or a middle slice."""
    n = len(data)
    return st.one_of(
        st.integers(0, n).map(lambda k: data[:k]),
        st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda ab: data[min(ab) : max(ab)]),
    )


def damages(data: bytes) -> st.SearchStrategy[bytes]:
    """A few bytes overwritten, inserted or removed at random places."""

    def apply(edits: list[tuple[int, int, bytes]]) -> bytes:
        out = bytearray(data)
        for op, position, chunk in edits:
            position = position % (len(out) + 1)
            if op == 0:
                out[position : position + len(chunk)] = chunk
            elif op == 1:
                out[position:position] = chunk
            else:
                del out[position : position + len(chunk)]
        return bytes(out)

    edit = st.tuples(st.integers(0, 2), st.integers(0, max(0, len(data))), st.binary(min_size=1, max_size=16))
    return st.lists(edit, min_size=1, max_size=6).map(apply)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


ENCODINGS = {
    "latin-1": lambda d: _text(d).encode("latin-1", errors="replace"),
    "cp1252": lambda d: _text(d).encode("cp1252", errors="replace"),
    "utf-8 BOM": lambda d: b"\xef\xbb\xbf" + d,
    "utf-16": lambda d: _text(d).encode("utf-16"),
    "utf-16-le no BOM": lambda d: _text(d).encode("utf-16-le"),
    "BOM then latin-1": lambda d: b"\xef\xbb\xbf" + _text(d).encode("latin-1", errors="replace"),
    "double-encoded utf-8": lambda d: _text(d).encode("utf-8").decode("latin-1").encode("utf-8"),
}


def reencodings(data: bytes) -> st.SearchStrategy[bytes]:
    return st.sampled_from(sorted(ENCODINGS)).map(lambda name: ENCODINGS[name](data))


_TEXT_RUN = re.compile(rb">([^<>]{12,})<|\"([^\"\\\\]{12,})\"")


def huge_fields(data: bytes) -> st.SearchStrategy[bytes]:
    """One text of the document (an element's text, a JSON string) made 1 to 4 MB long."""
    runs = [m.span(1) if m.group(1) else m.span(2) for m in _TEXT_RUN.finditer(data)]
    if not runs:
        return st.just(data + b"x" * (1 * MIB))

    def grow(choice: tuple[int, int, bool]) -> bytes:
        index, megabytes, words = choice
        start, end = runs[index % len(runs)]
        unit = data[start:end] + b" " if words else b"A"
        filler = unit * (megabytes * MIB // len(unit) + 1)
        return data[:start] + filler[: megabytes * MIB] + data[end:]

    return st.tuples(st.integers(0, len(runs) - 1), st.integers(1, 4), st.booleans()).map(grow)


def mutated(name: str, documents: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.sampled_from(documents).flatmap(
        lambda d: st.one_of(truncations(d), damages(d), reencodings(d), huge_fields(d))
    )


# --- arbitrary bytes ----------------------------------------------------------------------------------------

PREFIXES = [b"", b"<", b"<?xml version='1.0'?>", b"<html>", b"{", b"[", b'{"marches": ', b"\xef\xbb\xbf",
            b"%PDF-1.4\n", b"PK\x03\x04", b"\xff\xfe", b'{"records": [']
arbitrary = st.tuples(st.sampled_from(PREFIXES), st.binary(max_size=2048)).map(lambda t: t[0] + t[1])


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=arbitrary)
def test_arbitrary_bytes(name, data):
    with memory_cap():
        outcome(name, data)


@pytest.mark.parametrize("name", NAMES)
@settings(FAST, max_examples=30)
@given(data=st.data())
def test_damaged_own_fixtures(name, data):
    document = data.draw(mutated(name, OWN_FIXTURES[name]), label="document")
    with memory_cap():
        outcome(name, document)


@pytest.mark.parametrize("name", NAMES)
@settings(FAST, max_examples=10)
@given(data=st.data())
def test_damaged_public_samples(name, data):
    folder, pattern = SAMPLE_GLOBS[name]
    files = sorted(samples_path(*folder.split("/")).glob(pattern))[:12]
    if not files:
        pytest.skip(f"no {pattern} in the samples' {folder}")
    path = data.draw(st.sampled_from(files), label="sample")
    raw = path.read_bytes()
    document = data.draw(st.one_of(truncations(raw), damages(raw), reencodings(raw)), label="document")
    with memory_cap():
        outcome(name, document)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_every_fixture_in_every_wrong_encoding(name, encoding):
    for document in OWN_FIXTURES[name]:
        outcome(name, ENCODINGS[encoding](document))


# --- hostile documents, for every parser --------------------------------------------------------------------

DEPTH = 100_000
BOMB = (FILES / "eforms" / "billion_laughs.xml").read_bytes()
HOSTILE = {
    "billion laughs": BOMB,
    "billion laughs after 8 KB of comment": b"<?xml version='1.0'?>\n<!--" + b"x" * 8192 + b"-->\n"
    + BOMB.split(b"?>", 1)[-1],
    "quadratic blowup": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + b"A" * 50_000 + b'">]><r>'
    + b"&a;" * 20_000 + b"</r>",
    "external entity": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    "late external entity": (FILES / "eforms" / "xxe_late_doctype.xml").read_bytes(),
    "parameter entities": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd">%p;]>'
    b"<r/>",
    "xinclude": b'<ANNONCE xmlns:xi="http://www.w3.org/2001/XInclude"><GESTION><xi:include href="/etc/passwd" '
    b'parse="text"/></GESTION></ANNONCE>',
    "deep XML": b"<?xml version='1.0'?><ANNONCE><GESTION/>" + b"<a>" * DEPTH + b"</a>" * DEPTH + b"</ANNONCE>",
    "deep HTML": b"<html><body><div id='recap-consultation'>" + b"<div>" * DEPTH + b"</div>" * DEPTH
    + b"</div></body></html>",
    "deep JSON arrays": b"[" * DEPTH + b"]" * DEPTH,
    "deep JSON objects": b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
    "deep JSON under marches": b'{"marches": ' + b"[" * DEPTH + b"]" * DEPTH + b"}",
    "deep JSON in a record": b'{"idweb": "25-1", "donnees": ' + b'{"a":' * DEPTH + b"1" + b"}" * DEPTH + b"}",
    "huge integer": b'{"idweb": ' + b"9" * 5000 + b', "marches": [{"id": "1", "montant": ' + b"9" * 5000 + b"}]}",
    "NaN and Infinity": b'{"idweb": NaN, "marches": [{"id": "1", "montant": Infinity}]}',
    "JSON scalars": b'"a string"',
    "null bytes": b"\x00" * 4096,
    "huge text node": b"<?xml version='1.0'?><ANNONCE><GESTION>" + b"x" * (8 * MIB) + b"</GESTION></ANNONCE>",
    "huge HTML page": b"<html><body><p>" + "é".encode() * (4 * MIB) + b"</p></body></html>",
    "empty": b"",
}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("hostile", sorted(HOSTILE))
def test_hostile_documents(name, hostile):
    with bounded(seconds=HANG_SECONDS, memory=400 * MIB):
        outcome(name, HOSTILE[hostile])


@pytest.mark.parametrize("suffix", [".json", ".xml", ".html", ".txt"])
@pytest.mark.parametrize("hostile", sorted(HOSTILE))
def test_read_file_on_hostile_files(hostile, suffix):
    with bounded(seconds=HANG_SECONDS, memory=400 * MIB):
        read_file_outcome(HOSTILE[hostile], suffix)


# --- read_file: detection and every reader ------------------------------------------------------------------

ALL_FIXTURES = [p for p in sorted(FILES.rglob("*")) if p.is_file()]


@settings(FAST, max_examples=40)
@given(data=st.data())
def test_read_file_on_damaged_fixtures(data):
    path = data.draw(st.sampled_from(ALL_FIXTURES), label="fixture")
    raw = path.read_bytes()
    document = data.draw(st.one_of(truncations(raw), damages(raw), reencodings(raw), huge_fields(raw)),
                         label="document")
    with memory_cap():
        read_file_outcome(document, path.suffix)


@FAST
@given(data=arbitrary, suffix=st.sampled_from([".json", ".xml", ".html", ".pdf", ".docx", ".txt", ""]))
def test_read_file_on_arbitrary_bytes(data, suffix):
    with memory_cap():
        read_file_outcome(data, suffix)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
NOTICE_KEYS = ["source", "source_id", "title", "url", "buyer_name", "department", "cpv_codes", "published",
               "deadline", "amount", "text", "sections", "lots", "declared", "language", "procedure"]


@FAST
@given(record=st.dictionaries(st.sampled_from(NOTICE_KEYS), JSON_VALUES, max_size=8),
       base=st.sampled_from([{}, {"source": "archive", "source_id": "A-1", "title": "Avis"}]))
def test_own_json_with_fields_of_any_type(record, base):
    """The project's own JSON format with each field holding any JSON value: a Notice the store can take or
    refuse, or a ParseError, never a crash of the import."""
    read_file_outcome(json.dumps({**base, **record}).encode(), ".json")


@pytest.mark.parametrize("fmt", ["json", "eforms", "ted_r209", "boamp_record", "boamp_xml", "boamp_html",
                                 "dila_json", "decp", "atexo_html", "pdf", "docx", "odt", "text"])
def test_read_file_forced_format_on_every_fixture(fmt):
    """`import --format X` on a file of another format: errors, never a crash."""
    for path in ALL_FIXTURES:
        read_file_outcome(path.read_bytes(), path.suffix, fmt)
