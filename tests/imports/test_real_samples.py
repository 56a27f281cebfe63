"""Every file of ../shared/samples, read as `tenderwatch import` reads it: imported, skipped as no notice, or refused
with a reason listed here; nothing else. Skipped when the samples are absent (a fresh clone has no ../shared)."""

from __future__ import annotations

import re

import pytest

from crawler.parsers.detect import NotANotice
from crawler.parsers.errors import ParseError
from crawler.parsers.files import iter_paths
from crawler.parsers.inputs import read_inputs
from models.normalise import InvalidNotice, normalise, validate
from tests.conftest import SAMPLES, samples_path

#: Files that hold no notice, by path: what the import skips (and counts apart).
NO_NOTICE = [
    r"(^|/)(README|SOURCES)\.md$", r"LICEN[CS]E", r"/_index\.md$", r"MANIFEST\.jsonl$", r"\.csv$", r"\.xsd$",
    r"codelists/", r"schema_decp_v2\.0\.3\.json$", r"schema_base_tabular\.json$", r"schemas\.yml$",
    r"translations_fr_en_subset\.txt$", r"ted_api_v3_(request_examples|response_fixture)\.json$",
    r"gpp_criteria(_docs)?\.json$", r"notices_fr_2020/notices\.jsonl$", r"source_datasets_reference\.json$",
    r"dila_legacy_api_json/ad_index\.json$", r"fields_subset_strategic\.json$",
]
#: Files refused as a whole, with the reason the user reads.
REFUSED = {
    "atexo/html/megalisbretagne_atexo_error_page.html": "error page",
}
#: Records refused within files that give notices, with their reasons.
RECORD_ERRORS = {
    "external/decp/format2019_json_zips/data.gouv.fr_aife_json.zip": ("names no buyer", "no title and no text"),
}


def _files() -> list[str]:
    if not SAMPLES.exists():
        return ["<no samples>"]
    return [str(path.relative_to(SAMPLES)) for path in iter_paths([SAMPLES])]


def _outcome(path) -> tuple[int, list[str], list[str]]:
    """(notices read, reasons of skipping, reasons of refusal) of one file as the import reads it."""
    notices, skipped, refused = 0, [], []
    for found in read_inputs(path):
        for result in found.results:
            if isinstance(result, NotANotice):
                skipped.append(result.message)
            elif isinstance(result, ParseError):
                refused.append(result.message)
            else:
                try:
                    validate(normalise(result))
                    notices += 1
                except InvalidNotice as exc:
                    refused.append(str(exc))
    return notices, skipped, refused


@pytest.mark.parametrize("name", _files())
def test_every_sample_file_is_imported_skipped_or_refused_as_expected(name):
    path = samples_path(name) if name != "<no samples>" else samples_path("no-such-folder")
    notices, skipped, refused = _outcome(path)
    for message in skipped + refused:
        assert "unexpected" not in message and "Error:" not in message and "Traceback" not in message, message
    if any(re.search(pattern, name) for pattern in NO_NOTICE):
        assert (notices, refused) == (0, []) and skipped, f"{name} should be skipped as no notice"
    elif name in REFUSED:
        assert notices == 0 and refused and all(REFUSED[name] in m for m in refused), refused
    else:
        assert notices >= 1 and not skipped, f"{name}: {notices} notice(s), skipped {skipped}, refused {refused}"
        allowed = RECORD_ERRORS.get(name, ())
        unexpected = [m for m in refused if not any(reason in m for reason in allowed)]
        assert not unexpected, unexpected


def test_the_external_samples_import_as_the_issue_asks(tmp_path, capsys):
    """`tenderwatch import ../shared/samples/external`: 199 TED R2.0.9, 77 eForms, 10,200+ DECP 2019 contracts and
    the 4 flattened records, nothing from a README, SOURCES, MANIFEST or licence, the 11 reserved TED notices with
    a social pictogram through the reservation lever."""
    from sqlalchemy import Text, cast, create_engine, func, select

    from models.schema import NoticeRow, PictogramRow
    from tenderwatch.cli import main

    folder = samples_path("external")
    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert main(["--db", db, "import", "--no-tag", str(folder)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"files: \d+ read: \d+ with notices, 8 not a notice \(skipped\), 0 refused", out), out
    with create_engine(db).connect() as conn:
        formats = dict(conn.execute(select(NoticeRow.raw_format, func.count()).group_by(NoticeRow.raw_format)).all())
        flat = conn.scalar(select(func.count()).where(NoticeRow.source_id.in_(
            ["21220295600018-2026T06966", "20001492600030-26S"])))
        reserved = conn.scalar(select(func.count()).select_from(NoticeRow).join(PictogramRow).where(
            NoticeRow.raw_format == "ted_r209", PictogramRow.social.is_(True),
            cast(PictogramRow.levers, Text).like('%"social:reservation"%')))
        names = [r[0] for r in conn.execute(select(NoticeRow.title))]
    assert formats["ted_r209"] == 199 and formats["eforms"] == 77
    assert formats["decp"] >= 10_200 + 4 and flat == 2
    assert reserved == 11
    # a README, SOURCES, MANIFEST or licence would have become a text document or a JSON notice
    assert set(formats) == {"ted_r209", "eforms", "decp", "atexo_html", "boamp_ods"}, formats
    assert not [t for t in names if re.fullmatch(r"(README|SOURCES|MANIFEST|LICEN[CS]E)\w*", t or "")]
