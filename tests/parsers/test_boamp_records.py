"""BOAMP open-data records (opendatasoft dataset `boamp`): the record's fields, its MAPA / v110 / v230 or eForms
`donnees` payload.

The project's own fixtures (tests/files/boamp) are parsed once per module; the public samples (../shared/samples)
once per module too, through fixtures that skip when the samples are absent. Then one small test per field.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from crawler.parsers.boamp_records import parse_boamp_record
from crawler.parsers.errors import ParseError
from models.notice import SECTION_KINDS
from models.vocabulary import Dimension
from tests.conftest import FILES, samples_path
from tests.parsers.util import declared, sections

BOAMP = FILES / "boamp"
SOCIAL, ENVIRONMENTAL = Dimension.SOCIAL, Dimension.ENVIRONMENTAL


# --- own fixture: an open-data record with `criteres` and a MAPA payload ------------------------------------

RECORD_BYTES = (BOAMP / "record_mapa_criteres.json").read_bytes()
RECORD = parse_boamp_record(RECORD_BYTES, where="record_mapa_criteres.json")


def test_record_source_and_id():
    assert (RECORD.source, RECORD.source_id) == ("boamp", "25-10001")


def test_record_title():
    assert RECORD.title == "Entretien des espaces verts communaux"


def test_record_buyer_name():
    assert RECORD.buyer_name == "Commune de Saint-Exemple"


def test_record_buyer_siret_comes_from_donnees():
    assert RECORD.buyer_siret == "21350999900017"


def test_record_department_is_the_first_code_departement():
    assert RECORD.department == "35"


def test_record_published():
    assert RECORD.published == date(2025, 3, 4)


def test_record_deadline_is_paris_wall_clock_time():
    assert RECORD.deadline == datetime(2025, 4, 4, 12, 0)


def test_record_procedure():
    assert RECORD.procedure == "Procédure Adaptée"


def test_record_contract_nature():
    assert RECORD.contract_nature == "services"


def test_record_notice_type():
    assert RECORD.notice_type == "contract_notice"


def test_record_url():
    assert RECORD.url == "https://www.boamp.fr/pages/avis/?q=idweb:25-10001"


def test_record_cpv_comes_from_donnees():
    assert RECORD.cpv_codes == ["77310000"]


def test_record_criteres_declare_dimensions_without_lever():
    assert declared(RECORD) == {(SOCIAL, None, None), (ENVIRONMENTAL, None, None)}
    assert {d.evidence for d in RECORD.declared} == {"criteres=sociaux", "criteres=environnementaux"}


def test_record_execution_conditions_section():
    (section,) = sections(RECORD, "execution_conditions")
    assert "Clause d'insertion" in section.text


def test_record_reservation_section():
    (section,) = sections(RECORD, "reservation")
    assert "insertion par l'activité économique" in section.text


def test_record_award_criteria_keep_their_weights():
    (section,) = sections(RECORD, "award_criteria")
    assert (
        "Performance en matière de protection de l'environnement (gestion différenciée) : 20 %"
        in section.text
    )


def test_record_participation_section():
    assert "prestations similaires" in sections(RECORD, "participation")[0].text


def test_record_lots():
    assert [(lot.lot_id, lot.title) for lot in RECORD.lots] == [
        ("1", "Parcs et jardins"),
        ("2", "Cimetières"),
    ]


def test_record_lot_sections_carry_their_lot():
    assert [s.lot for s in sections(RECORD, "lot")] == ["1", "2"]


def test_record_contacts_are_not_sections():
    assert "marches@saint-exemple.test" not in RECORD.full_text()


def test_record_section_kinds_are_known():
    assert {s.kind for s in RECORD.sections} <= set(SECTION_KINDS)


def test_record_raw_format():
    assert RECORD.raw_format == "boamp_ods"


def test_record_as_dict_gives_the_same_notice():
    assert parse_boamp_record(json.loads(RECORD_BYTES)) == RECORD


def test_record_without_donnees_keeps_the_record_fields():
    record = {k: v for k, v in json.loads(RECORD_BYTES).items() if k != "donnees"}
    notice = parse_boamp_record(record)
    assert (notice.source_id, notice.department, notice.sections) == ("25-10001", "35", [])


def test_record_with_unreadable_donnees_keeps_the_record_fields():
    record = dict(json.loads(RECORD_BYTES), donnees='{"MAPA": {"initial": ')
    assert parse_boamp_record(record).title == "Entretien des espaces verts communaux"


# --- own fixture: an open-data record whose donnees is an eForms payload ------------------------------------

EFORMS_RECORD = parse_boamp_record((BOAMP / "record_eforms.json").read_bytes(), where="record_eforms.json")


def test_eforms_record_keeps_the_boamp_identity():
    assert (EFORMS_RECORD.source, EFORMS_RECORD.source_id) == ("boamp", "25-20002")


def test_eforms_record_buyer_siret_is_the_buyer_not_the_review_body():
    assert EFORMS_RECORD.buyer_siret == "25449999900015"


def test_eforms_record_cpv():
    assert EFORMS_RECORD.cpv_codes == ["15894210"]


def test_eforms_record_lot():
    assert [lot.lot_id for lot in EFORMS_RECORD.lots] == ["LOT-0001"]


def test_eforms_record_execution_conditions_section():
    (section,) = sections(EFORMS_RECORD, "execution_conditions")
    assert (section.text, section.lot) == (
        "Au moins 30 % des denrées issues de l'agriculture biologique.",
        "LOT-0001",
    )


def test_eforms_record_award_criteria_sections():
    assert "Part de produits locaux et de saison" in [
        s.text for s in sections(EFORMS_RECORD, "award_criteria")
    ]


def test_eforms_record_declares_criteres_and_eforms_codes():
    assert {(ENVIRONMENTAL, None, None), (ENVIRONMENTAL, None, "LOT-0001")} <= declared(EFORMS_RECORD)


def test_eforms_record_deadline_from_the_record():
    assert EFORMS_RECORD.deadline == datetime(2025, 6, 16, 12, 0)


# --- open-data records: errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        (RECORD_BYTES[: len(RECORD_BYTES) // 2], "malformed JSON"),
        (RECORD_BYTES.decode("utf-8").encode("latin-1"), "not UTF-8"),
        (b'{"fields": [{"name": "objet"}]}', "no 'idweb'"),
        (b'{"total_count": 1, "results": [{"idweb": "25-1"}]}', "API page"),
        (b"[1, 2, 3]", "JSON object"),
    ],
    ids=["truncated", "latin-1", "foreign", "api-page", "list"],
)
def test_record_errors_are_parse_errors_naming_format_and_place(data, message):
    with pytest.raises(ParseError) as caught:
        parse_boamp_record(data, where="bad.json")
    assert (caught.value.fmt, caught.value.where) == ("boamp_ods", "bad.json")
    assert message in caught.value.message


@pytest.mark.parametrize(
    "record",
    [
        {
            "idweb": "25-1",
            "objet": {"a": 1},
            "code_departement": 5,
            "criteres": 3,
            "dateparution": ["x"],
            "donnees": {"MAPA": [1, {"lots": 7}]},
        },
        {
            "idweb": ["25-1"],
            "gestion": "[",
            "donnees": {"EFORMS": {"ContractNotice": {"cbc:ID": {"#text": 1}}}},
        },
        {"idweb": "25-1", "donnees": {"EFORMS": {"ContractNotice": {"bad key": {"@x y": "1"}}}}},
        {"idweb": "25-1", "type_marche": [None, 3], "datelimitereponse": "2025-13-45T99:00", "url_avis": 7},
    ],
    ids=["odd-types", "id-list", "bad-eforms-names", "bad-dates"],
)
def test_record_of_unexpected_shapes_gives_a_notice_or_a_parse_error(record):
    try:
        notice = parse_boamp_record(record, where="odd")
    except ParseError as exc:
        assert exc.fmt == "boamp_ods"
    else:
        assert notice.source_id == "25-1"


# --- open-data records: public samples ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def records_2006() -> dict:
    data = json.loads(
        samples_path("boamp", "opendatasoft_api_v2.1", "boamp_records_2006_sample20.json").read_text()
    )
    return {r["idweb"]: parse_boamp_record(r, where=r["idweb"]) for r in data["results"]}


@pytest.fixture(scope="module")
def records_2026() -> dict:
    path = samples_path("boamp", "opendatasoft_api_v2.1", "boamp_records_2026_excerpt_kivou.json")
    return {
        r["idweb"]: parse_boamp_record(r, where=r["idweb"]) for r in json.loads(path.read_text())["records"]
    }


def test_every_2006_record_parses(records_2006):
    assert len(records_2006) == 20 and all(n.source_id and n.title for n in records_2006.values())


def test_2006_record_fields(records_2006):
    notice = records_2006["BXP06181020621O"]
    assert (notice.department, notice.contract_nature, notice.notice_type) == (
        "21",
        "works",
        "contract_notice",
    )
    assert notice.published == date(2006, 7, 4)


def test_2006_record_award_criteria_from_donnees(records_2006):
    (section,) = sections(records_2006["BXP06181020621O"], "award_criteria")
    assert "prix des prestations : 40 %" in section.text


def test_2006_record_participation_from_donnees(records_2006):
    assert "Critères de sélection" in sections(records_2006["BXP06181020621O"], "participation")[0].text


def test_2006_record_v110_lots(records_2006):
    notice = records_2006["BWP06181100013U"]
    assert len(notice.lots) == 18 and notice.lots[0].cpv_codes == ["45112500"]


def test_2006_record_cpv_main_code_first(records_2006):
    assert records_2006["BWP06181100013U"].cpv_codes[0] == "45454000"


def test_2006_record_cancellation(records_2006):
    assert records_2006["BWP06181000031P"].notice_type == "cancellation"


def test_2026_record_criteres_sociaux_et_environnementaux(records_2026):
    assert declared(records_2026["26-80922"]) == {(SOCIAL, None, None), (ENVIRONMENTAL, None, None)}


def test_2026_record_criteres_environnementaux_only(records_2026):
    assert declared(records_2026["26-80978"]) == {(ENVIRONMENTAL, None, None)}


def test_2026_eforms_record_without_payload_keeps_record_fields(records_2026):
    notice = records_2026["26-80978"]
    assert (notice.notice_type, notice.department, notice.sections) == ("award_notice", "31", [])


def test_2026_fnsimple_record_siret_and_nature(records_2026):
    notice = records_2026["26-81190"]
    assert (notice.buyer_siret, notice.contract_nature, notice.declared) == ("22520001300012", "works", [])


def test_2026_mapa_record_award_criteria(records_2026):
    (section,) = sections(records_2026["26-80528"], "award_criteria")
    assert "propositions environnementales" in section.text
