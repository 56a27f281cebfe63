"""Shared pieces of the robustness tests: the parsers under test, what a valid outcome is, and bounds.

Every parser, whatever its input, ends in a valid item or crawler.parsers.errors.ParseError, within a bounded
time and memory. `outcome(name, data)` runs one parser and checks exactly that; `memory_cap` turns a runaway
allocation into a MemoryError of the test (not the machine's OOM killer).
"""

from __future__ import annotations

import io
import resource
import tempfile
import time
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from models.notice import DeclaredConsideration, Lot, Notice, Section
from models.normalise import InvalidNotice, normalise, validate
from crawler.parsers.atexo import ListingPage, parse_atexo_detail, parse_atexo_listing
from crawler.parsers.boamp_dila import parse_dila_legacy
from crawler.parsers.boamp_records import parse_boamp_record
from crawler.parsers.boamp_xml import parse_boamp_xml
from crawler.parsers.decp import iter_decp
from crawler.parsers.eforms import parse_eforms
from crawler.parsers.errors import ParseError
from crawler.parsers.files import read_file
from crawler.parsers.html_pages import parse_html_page as parse_boamp_html
from crawler.parsers.ted_r209 import parse_ted_r209
from storage.upsert import notice_values
from tests.conftest import FILES

DETAIL_URL = "https://marches.example.org/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation=42&orgAcronyme=x"
LISTING_URL = "https://marches.example.org/?page=Entreprise.EntrepriseAdvancedSearch&AllCons"
MIB = 1024 * 1024

#: Each parser as a function of bytes; iter_decp's results are a list of Notice / ParseError values.
PARSERS = {
    "parse_eforms": lambda data: parse_eforms(data, where="prop"),
    "parse_ted_r209": lambda data: parse_ted_r209(data, where="prop"),
    "parse_boamp_record": lambda data: parse_boamp_record(data, where="prop"),
    "parse_boamp_xml": lambda data: parse_boamp_xml(data, where="prop"),
    "parse_boamp_html": lambda data: parse_boamp_html(data, where="prop"),
    "parse_dila_legacy": lambda data: parse_dila_legacy(data, where="prop"),
    "iter_decp": lambda data: list(iter_decp(io.BytesIO(data), where="prop")),
    "parse_atexo_detail": lambda data: parse_atexo_detail(data, DETAIL_URL, "prop", where="prop"),
    "parse_atexo_listing": lambda data: parse_atexo_listing(data, LISTING_URL),
}

#: The project's own fixtures of each parser's format (tests/files), as bytes.
DILA_OWN = (
    b'{"gestion": {"reference": {"idweb": "21-00042", "typeavis": {"nature": {"appeloffre": {"standard": null}}}},'
    b' "indexation": {"resume_objet": "Entretien des espaces verts", "date_publication": "2021-03-01",'
    b' "date_fin_diffusion": "2021-04-01", "departements_publication": ["33"]}},'
    b' "donnees": {"identite": {"denomination": "Commune d\'Exemple", "cp": "33000", "ville": "Bordeaux"},'
    b' "objet": {"objetcomplet": "Entretien des espaces verts de la commune",'
    b' "caracteristiques": {"principales": "Tonte, taille, d\\u00e9sherbage sans produits phytosanitaires."}},'
    b' "conditionsdelais": {"receptoffres": "2021-04-01T12:00:00"}}}'
)


def _read(*parts: str) -> bytes:
    return FILES.joinpath(*parts).read_bytes()


OWN_FIXTURES: dict[str, list[bytes]] = {
    "parse_eforms": [_read("eforms", "cn_fr_lot_strategic.xml"), _read("ted_api", "00101001-2025.xml"),
                     _read("ted_api", "00101004-2025.xml")],
    "parse_ted_r209": [_read("ted", "f02_reserved_fr.xml"), _read("ted_api", "104321-2025.xml")],
    "parse_boamp_record": [_read("boamp", "record_mapa_criteres.json"), _read("boamp", "record_eforms.json")],
    "parse_boamp_xml": [_read("boamp", "v230_reserved.xml")],
    "parse_boamp_html": [_read("boamp", "page_joue.html")],
    "parse_dila_legacy": [DILA_OWN],
    "iter_decp": [_read("decp", "decp_2024_format.json"), _read("decp", "decp_pre2024.json"),
                  _read("decp", "decp_2024_concession.json")],
    "parse_atexo_detail": [_read("atexo", "detail_lots.html")],
    "parse_atexo_listing": [_read("atexo", "listing_page1_of_2.html"), _read("atexo", "listing_page2_of_2.html")],
}

#: Sample folders (under ../shared/samples) and file patterns of each parser's format.
SAMPLE_GLOBS = {
    "parse_eforms": ("eforms", "*.xml"),
    "parse_ted_r209": ("ted/ted_xml_R209", "*.xml"),
    "parse_boamp_record": ("boamp/opendatasoft_api_v2.1", "*.json"),
    "parse_boamp_xml": ("boamp/legacy_xml_boamp_v230", "*.xml"),
    "parse_boamp_html": ("boamp/html_notices_2020", "*.html"),
    "parse_dila_legacy": ("boamp/dila_legacy_api_json", "20-*.json"),
    "iter_decp": ("decp/real_2024_format", "*.json"),
    "parse_atexo_detail": ("atexo/html", "*.html"),
    "parse_atexo_listing": ("atexo/html", "*.html"),
}


# --- what a valid outcome is --------------------------------------------------------------------------------


def check_notice(notice: object) -> None:
    """A Notice that the store either refuses with the errors the pipeline and the import command count
    (InvalidNotice, ValueError), or takes: then its fields have their declared types, it hashes, and it
    converts to the notice table's columns."""
    assert isinstance(notice, Notice), type(notice)
    try:
        normalise(validate(notice))
    except (InvalidNotice, ValueError):
        return
    assert isinstance(notice.source, str) and isinstance(notice.source_id, str)
    assert isinstance(notice.title, str) and isinstance(notice.text, (str, type(None)))
    for name in ("url", "buyer_name", "buyer_siret", "buyer_nuts", "country", "department", "region", "procedure",
                 "contract_nature", "notice_type", "language", "raw_format"):
        assert getattr(notice, name) is None or isinstance(getattr(notice, name), str), name
    assert notice.published is None or isinstance(notice.published, date)
    assert notice.deadline is None or isinstance(notice.deadline, datetime)
    assert notice.amount is None or isinstance(notice.amount, (int, float))
    assert all(isinstance(c, str) for c in notice.cpv_codes)
    assert all(isinstance(s, Section) and isinstance(s.heading, str) and isinstance(s.text, str)
               for s in notice.sections)
    assert all(isinstance(lot, Lot) and isinstance(lot.title, str) for lot in notice.lots)
    assert all(isinstance(d, DeclaredConsideration) and isinstance(d.evidence, str) for d in notice.declared)
    notice_values(notice, notice.content_hash())


def check_listing(page: object) -> None:
    assert isinstance(page, ListingPage), type(page)
    assert all(isinstance(u, str) for u in page.detail_urls)
    assert page.total is None or isinstance(page.total, int)
    if page.next_page is not None:
        assert isinstance(page.next_page.action, str)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in page.next_page.formdata.items())


def outcome(name: str, data: bytes) -> str:
    """Run parser `name` on `data`: "item" or "error" (a ParseError); any other exception propagates."""
    try:
        result = PARSERS[name](data)
    except ParseError as exc:
        assert isinstance(str(exc), str)
        return "error"
    if name == "iter_decp":
        for value in result:
            if not isinstance(value, ParseError):
                check_notice(value)
        return "item" if any(not isinstance(v, ParseError) for v in result) else "error"
    if name == "parse_atexo_listing":
        check_listing(result)
    else:
        check_notice(result)
    return "item"


def read_file_outcome(data: bytes, suffix: str = ".dat", fmt: str | None = None) -> list[str]:
    """read_file on a temporary file holding `data`: each value is a valid Notice or a ParseError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"notice{suffix}"
        path.write_bytes(data)
        kinds = []
        for value in read_file(path, fmt):
            if isinstance(value, ParseError):
                kinds.append("error")
            else:
                check_notice(value)
                kinds.append("item")
        return kinds


# --- bounds -------------------------------------------------------------------------------------------------


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


@contextmanager
def memory_cap(extra: int = 1024 * MIB):
    """Cap this process's address space at its current size + `extra` while the block runs (then restore)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _vm_size() + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


#: A hang detector, not a speed measurement (speed is measured in bench/): an entity bomb or a quadratic blow-up
#: runs for minutes or forever, a sound parser takes milliseconds, whatever the machine's load.
HANG_SECONDS = 120


@contextmanager
def bounded(seconds: float = HANG_SECONDS, memory: int = 512 * MIB):
    """The block must not hang (finish within `seconds`) and must grow the peak resident memory by less than
    `memory`."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    with memory_cap(memory + 512 * MIB):
        yield
    elapsed = time.perf_counter() - started
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert elapsed < seconds, f"took {elapsed:.1f} s (bound {seconds} s)"
    assert grown < memory, f"peak memory grew by {grown / MIB:.0f} MiB (bound {memory / MIB:.0f} MiB)"
