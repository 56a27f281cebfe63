"""DECP files: streamed 2024 and pre-2024 formats, one Notice per contract, ParseError for unreadable ones.

The project's own fixtures (tests/files/decp) are read once per module; the public samples (../shared/samples)
through module fixtures that skip when the samples are absent. Then one small test per field.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from models.notice import Notice
from crawler.parsers.decp import iter_decp, parse_decp_record
from crawler.parsers.errors import ParseError
from models.vocabulary import Dimension, Lever
from tests.conftest import FILES, SAMPLES, samples_path

DECP = FILES / "decp"
SOCIAL, ENVIRONMENTAL = Dimension.SOCIAL, Dimension.ENVIRONMENTAL
EXECUTION, AWARD, RESERVATION = Lever.EXECUTION_CONDITION, Lever.AWARD_CRITERION, Lever.RESERVATION


def read(path, where: str | None = None) -> list:
    """Everything iter_decp yields for a file."""
    with open(path, "rb") as stream:
        return list(iter_decp(stream, where=where or path.name))


def read_bytes(data: bytes, where: str = "stream.json") -> list:
    """Everything iter_decp yields for some bytes."""
    return list(iter_decp(io.BytesIO(data), where=where))


def notices(items: list) -> list[Notice]:
    """The Notices among iter_decp's items."""
    return [i for i in items if isinstance(i, Notice)]


def errors(items: list) -> list[ParseError]:
    """The ParseErrors among iter_decp's items."""
    return [i for i in items if isinstance(i, ParseError)]


def declared(notice: Notice) -> set[tuple]:
    """The (dimension, lever) pairs a notice declares."""
    return {(d.dimension, d.lever) for d in notice.declared}


# --- own fixture: a 2024-format file with three contracts, one of them malformed ----------------------------

THREE_BYTES = (DECP / "decp_2024_three.json").read_bytes()
THREE = read(DECP / "decp_2024_three.json")
FIRST, MALFORMED, THIRD = THREE


def test_three_contracts_give_two_notices_and_one_error_in_order():
    assert [type(item) for item in THREE] == [Notice, ParseError, Notice]


def test_malformed_contract_error_names_format_and_place():
    assert (MALFORMED.fmt, MALFORMED.where) == ("decp", "decp_2024_three.json: marches.marche[1]")


def test_source_and_id_prefixed_by_the_buyer():
    assert (FIRST.source, FIRST.source_id) == ("decp", "21350999900017-2024-EV-01")


def test_title():
    assert FIRST.title == "Entretien des espaces verts - lot 1 parcs"


def test_buyer_siret():
    assert FIRST.buyer_siret == "21350999900017"


def test_cpv_without_check_digit():
    assert FIRST.cpv_codes == ["77310000"]


def test_procedure():
    assert FIRST.procedure == "Procédure adaptée"


def test_contract_nature_from_the_cpv_division():
    assert FIRST.contract_nature == "services"


def test_department_from_a_postal_code():
    assert FIRST.department == "35"


def test_department_from_a_commune_code():
    assert THIRD.department == "35"


def test_amount():
    assert FIRST.amount == 90000.5


def test_published_is_the_data_publication_date():
    assert FIRST.published == date(2024, 3, 15)


def test_published_falls_back_to_the_notification_date():
    assert THIRD.published == date(2024, 3, 2)


def test_notice_type_language_country():
    assert (FIRST.notice_type, FIRST.language, FIRST.country) == ("contract", "fr", "FR")


def test_declared_social_clause_reservation_and_environmental_criterion():
    assert declared(FIRST) == {(SOCIAL, EXECUTION), (SOCIAL, RESERVATION), (ENVIRONMENTAL, AWARD)}


def test_declared_evidence_names_field_and_value():
    assert "considerationsSociales=Marché réservé" in {d.evidence for d in FIRST.declared}


def test_plain_string_and_list_forms_of_considerations():
    assert declared(THIRD) == {(ENVIRONMENTAL, EXECUTION), (ENVIRONMENTAL, AWARD)}


def test_raw_format():
    assert FIRST.raw_format == "decp"


# --- own fixture: a 2024-format concession ------------------------------------------------------------------

(CONCESSION,) = read(DECP / "decp_2024_concession.json")


def test_concession_id_prefixed_by_the_conceding_authority():
    assert CONCESSION.source_id == "21350999900017-DSP-2024-01"


def test_concession_amount_is_the_global_value():
    assert CONCESSION.amount == 1200000.0


def test_concession_nature():
    assert CONCESSION.contract_nature == "services"


def test_concession_reserved_is_a_social_reservation():
    assert declared(CONCESSION) == {(SOCIAL, RESERVATION)}


def test_concession_published():
    assert CONCESSION.published == date(2024, 3, 10)


# --- own fixture: a pre-2024 file ---------------------------------------------------------------------------

OLD = read(DECP / "decp_pre2024.json")
SCHOOL_ROOF, GYM_ROOF, POOL, FURNITURE = OLD


def test_pre2024_every_contract_is_a_notice():
    assert len(notices(OLD)) == 4 and not errors(OLD)


def test_pre2024_buyer_name():
    assert SCHOOL_ROOF.buyer_name == "Commune de Saint-Exemple"


def test_pre2024_amount_written_as_french_text():
    assert SCHOOL_ROOF.amount == 48500.0


def test_pre2024_date_with_offset():
    assert SCHOOL_ROOF.published == date(2019, 6, 20)


def test_pre2024_postal_code_type_in_old_spelling():
    assert SCHOOL_ROOF.department == "35"


def test_pre2024_repeated_id_keeps_both_lots_apart():
    assert SCHOOL_ROOF.source_id == "21350999900017-2019-017"
    assert GYM_ROOF.source_id.startswith("21350999900017-2019-017~") and GYM_ROOF.title.endswith("gymnase")


def test_pre2024_repeated_id_suffix_is_stable():
    assert read(DECP / "decp_pre2024.json")[1].source_id == GYM_ROOF.source_id


def test_pre2024_department_code():
    assert GYM_ROOF.department == "35"


def test_pre2024_concession_by_type():
    assert (POOL.source_id, POOL.amount, POOL.contract_nature) == (
        "21350999900017-2020-C-01",
        850000.0,
        "services",
    )


def test_pre2024_flattened_buyer_id():
    assert FURNITURE.buyer_siret == "21350999900017"


def test_pre2024_nan_amount_is_none():
    assert FURNITURE.amount is None


def test_pre2024_cpv_with_check_digit_and_space():
    assert (FURNITURE.cpv_codes, FURNITURE.contract_nature) == (["39160000"], "supplies")


def test_pre2024_empty_place_gives_no_department():
    assert FURNITURE.department is None


def test_pre2024_declares_nothing():
    assert not any(n.declared for n in OLD)


# --- errors: never another exception, iteration goes on where it can ----------------------------------------


def test_truncated_file_yields_the_contracts_read_then_an_error():
    items = read_bytes(THREE_BYTES[: THREE_BYTES.rindex(b'"id": "2024-EV-03"') + 30], where="cut.json")
    assert [type(i) for i in items] == [Notice, ParseError, ParseError]
    assert (items[-1].fmt, items[-1].where) == ("decp", "cut.json") and "malformed JSON" in items[-1].message


def test_wrong_encoding_is_a_parse_error():
    items = read_bytes((DECP / "decp_pre2024.json").read_text("utf-8").encode("latin-1"), where="latin1.json")
    assert isinstance(items[-1], ParseError) and items[-1].where == "latin1.json"


def test_utf8_bom_is_accepted():
    assert len(notices(read_bytes(b"\xef\xbb\xbf" + THREE_BYTES))) == 2


@pytest.mark.parametrize(
    "data, message",
    [
        (b'{"fields": [{"name": "id"}]}', "no 'marches'"),
        (b'[{"id": "x", "acheteur": {"id": "21350999900017"}}]', "not a JSON object with 'marches'"),
        (b"", "malformed JSON"),
        ("{}".encode("utf-16"), "malformed JSON"),
    ],
    ids=["foreign-object", "top-level-list", "empty", "utf-16"],
)
def test_foreign_documents_give_one_parse_error(data, message):
    (item,) = read_bytes(data, where="other.json")
    assert isinstance(item, ParseError) and (item.fmt, item.where) == ("decp", "other.json")
    assert message in item.message


@pytest.mark.parametrize(
    "record",
    [
        [1, 2],
        "a string",
        {"id": {"x": 1}, "acheteur": {"id": ["21350999900017"]}},
        {
            "id": "1",
            "acheteur": {"id": "21350999900017"},
            "montant": {"a": 1},
            "lieuExecution": [1],
            "considerationsSociales": {"considerationSociale": [{"x": 1}, None, 3]},
            "codeCPV": 45000000,
            "datePublicationDonnees": "2024-02-31",
            "objet": ["liste"],
        },
    ],
    ids=["list", "string", "nested-ids", "odd-fields"],
)
def test_odd_records_give_a_notice_or_a_parse_error(record):
    try:
        notice = parse_decp_record(record, where="odd")
    except ParseError as exc:
        assert (exc.fmt, exc.where) == ("decp", "odd")
    else:
        assert notice.source_id.startswith("21350999900017-")


def test_bare_nan_and_infinity_are_read_as_null():
    data = (
        b'{"marches": [{"id": "1", "acheteur": {"id": "21350999900017"}, "montant": NaN,'
        b' "dureeMois": -Infinity}]}'
    )
    (notice,) = read_bytes(data)
    assert notice.amount is None


def test_stray_scalar_in_the_list_is_one_error_among_notices():
    data = b'{"marches": [7, {"id": "1", "acheteur": {"id": "21350999900017"}, "objet": "x"}]}'
    assert [type(i) for i in read_bytes(data)] == [ParseError, Notice]


# --- streaming: a big file is never loaded at once ----------------------------------------------------------


class CountingStream(io.BytesIO):
    """A byte stream that remembers how much was read from it."""

    consumed = 0

    def read(self, size: int = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


def test_first_contract_comes_before_the_file_is_read():
    contract = {
        "id": "X",
        "acheteur": {"id": "21350999900017"},
        "objet": "Lot " * 50,
        "montant": float("nan"),
    }
    big = json.dumps({"marches": {"marche": [dict(contract, id=str(i)) for i in range(20000)]}}).encode()
    stream = CountingStream(big)
    first = next(iter_decp(stream, where="big.json"))
    assert first.source_id == "21350999900017-0" and stream.consumed < len(big) / 10


def test_nan_split_across_reads_is_rewritten():
    contract = {"id": "X", "acheteur": {"id": "21350999900017"}, "montant": float("nan")}
    big = json.dumps({"marches": [dict(contract, id=str(i)) for i in range(5000)]}).encode()
    items = read_bytes(big)
    assert len(notices(items)) == 5000 and not errors(items)


# --- public samples -----------------------------------------------------------------------------------------

DECP_FILES = ["real_2024_format", "real_pre2024_format", "fixtures_decp_processing", "schema_v2.0.3"]
NOT_DECP = {"schema_base_tabular.json", "source_datasets_reference.json", "schema_decp_v2.0.3.json"}


def sample_decp_names() -> list[str]:
    """folder/name of every JSON sample, for parametrization (one placeholder that skips when absent)."""
    root = SAMPLES / "decp"
    if not root.exists():
        return ["<samples absent>/-"]
    return [f"{folder}/{p.name}" for folder in DECP_FILES for p in sorted((root / folder).glob("*.json"))]


@pytest.mark.parametrize("name", sample_decp_names())
def test_every_sample_file_reads(name):
    folder, file_name = name.split("/")
    items = read(samples_path("decp", folder, file_name))
    if file_name in NOT_DECP:
        assert len(items) == 1 and "not a DECP file" in items[0].message
    else:
        assert notices(items) and not errors(items)


@pytest.fixture(scope="module")
def real_2024() -> list[Notice]:
    return notices(read(samples_path("decp", "real_2024_format", "decp-59920013600241-2024-07-09-01.json")))


@pytest.fixture(scope="module")
def real_pre2024() -> list[Notice]:
    path = samples_path("decp", "real_pre2024_format", "decp_21590163800019_2019-01-01_2021-12-31.json")
    return notices(read(path))


@pytest.fixture(scope="module")
def processing_2022() -> dict[str, Notice]:
    items = read(samples_path("decp", "fixtures_decp_processing", "decp_test_2022.json"))
    return {n.source_id: n for n in notices(items)}


@pytest.fixture(scope="module")
def schema_examples() -> list[Notice]:
    return notices(read(samples_path("decp", "schema_v2.0.3", "marches_concessions.json")))


def test_real_2024_five_contracts(real_2024):
    assert len(real_2024) == 5


def test_real_2024_ids(real_2024):
    assert real_2024[0].source_id == "59920013600241-H9O2024T0000256"


def test_real_2024_fields(real_2024):
    notice = real_2024[0]
    assert (notice.department, notice.cpv_codes, notice.contract_nature) == ("22", ["45111100"], "works")
    assert (notice.amount, notice.published) == (32122.0, date(2024, 7, 9))


def test_real_2024_considerations_say_none(real_2024):
    assert not any(n.declared for n in real_2024)


def test_real_pre2024_every_contract_is_kept(real_pre2024):
    assert len(real_pre2024) == 159


def test_real_pre2024_ids_are_unique_but_for_an_identical_duplicate(real_pre2024):
    assert len({n.source_id for n in real_pre2024}) == 158


def test_real_pre2024_empty_ids_get_a_content_id(real_pre2024):
    assert sum(n.source_id.startswith("21590163800019-~") for n in real_pre2024) == 33


def test_real_pre2024_buyer_and_amount(real_pre2024):
    notice = real_pre2024[0]
    assert (notice.buyer_name, notice.amount, notice.department) == ("Ville de Croix (59)", 30000.0, "59")


def test_processing_fixture_social_considerations(processing_2022):
    assert declared(processing_2022["21500222100012-202207LOT03"]) == {(SOCIAL, AWARD), (SOCIAL, EXECUTION)}


def test_processing_fixture_placeholder_amount_is_dropped(processing_2022):
    assert processing_2022["22130001500247-2020F00075"].amount is None


def test_processing_fixture_record_with_nan_and_empty_concession_fields_is_a_contract(processing_2022):
    notice = processing_2022["21030042200016-202401L04"]
    assert (notice.amount, notice.department) == (127835.12, "03")


def test_schema_examples_concessions_and_contracts(schema_examples):
    assert [n.source_id for n in schema_examples][:2] == [
        "12345678901234-0612202306122024",
        "12345678901250-0612202306122023",
    ]
    assert declared(schema_examples[0]) == {
        (SOCIAL, EXECUTION),
        (SOCIAL, AWARD),
        (ENVIRONMENTAL, EXECUTION),
        (ENVIRONMENTAL, AWARD),
    }


def test_schema_example_postal_code_75000(schema_examples):
    assert schema_examples[2].department == "75"
