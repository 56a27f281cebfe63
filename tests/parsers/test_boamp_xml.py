"""BOAMP XML schema v230: the project's own fixture (a reserved market) and the public samples, one small test per
field."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crawler.parsers.boamp_xml import parse_boamp_xml
from crawler.parsers.errors import ParseError
from models.vocabulary import Dimension, Lever
from tests.conftest import FILES, samples_path
from tests.parsers.util import declared, sample_names, sections

BOAMP = FILES / "boamp"
SOCIAL, ENVIRONMENTAL = Dimension.SOCIAL, Dimension.ENVIRONMENTAL


# --- own fixture: XML v230 with a reserved market -----------------------------------------------------------

XML_BYTES = (BOAMP / "v230_reserved.xml").read_bytes()
XML = parse_boamp_xml(XML_BYTES, where="v230_reserved.xml")


def test_xml_source_id():
    assert (XML.source, XML.source_id) == ("boamp", "18-99001")


def test_xml_title_is_the_indexed_summary():
    assert XML.title == "Blanchisserie du linge des résidences autonomie"


def test_xml_buyer():
    assert XML.buyer_name == "Centre communal d'action sociale d'Exemple"


def test_xml_buyer_siret_without_spaces():
    assert XML.buyer_siret == "26990000100018"


def test_xml_department_is_padded():
    assert XML.department == "09"


def test_xml_dates():
    assert (XML.published, XML.deadline) == (date(2018, 2, 5), datetime(2018, 3, 9, 12, 0))


def test_xml_procedure_and_nature():
    assert (XML.procedure, XML.contract_nature, XML.notice_type) == (
        "Procédure adaptée",
        "services",
        "contract_notice",
    )


def test_xml_cpv_main_first():
    assert XML.cpv_codes == ["98311000", "98311100"]


def test_xml_lots():
    assert [(lot.lot_id, lot.title) for lot in XML.lots] == [
        ("1", "Linge plat"),
        ("2", "Linge des résidents"),
    ]


def test_xml_reserved_market_is_declared_for_the_notice_and_the_lot():
    assert {(SOCIAL, Lever.RESERVATION, None), (SOCIAL, Lever.RESERVATION, "2")} <= declared(XML)


def test_xml_criteres_sociaux_env_declares_the_dimension():
    assert (SOCIAL, None, None) in declared(XML)


def test_xml_reservation_sections_name_the_protected_workshops():
    assert all("ateliers protégés" in s.text for s in sections(XML, "reservation"))


def test_xml_execution_conditions_section():
    assert "travailleurs handicapés" in sections(XML, "execution_conditions")[0].text


def test_xml_lot_award_criteria_with_weights():
    (section,) = sections(XML, "award_criteria", lot="1")
    assert section.text == "Valeur technique : 40 %\nPrix : 60 %"


def test_xml_additional_info_without_review_body_address():
    (section,) = sections(XML, "additional_info")
    assert "aide par le travail" in section.text and "Tribunal" not in section.text


def test_xml_raw_format():
    assert XML.raw_format == "boamp_xml"


@pytest.mark.parametrize(
    "data, message",
    [
        (XML_BYTES[:-300], "malformed XML"),
        (XML_BYTES.decode("utf-8").encode("latin-1"), "malformed XML"),
        (b"<?xml version='1.0'?><TED_EXPORT><CODED_DATA_SECTION/></TED_EXPORT>", "not a BOAMP v230 notice"),
        (b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x 'y'>]><ANNONCE>&x;</ANNONCE>", "entity"),
        (b"<ANNONCE><GESTION><REFERENCE/></GESTION></ANNONCE>", "IDWEB"),
    ],
    ids=["truncated", "latin-1", "foreign", "entities", "no-idweb"],
)
def test_xml_errors_are_parse_errors_naming_format_and_place(data, message):
    with pytest.raises(ParseError) as caught:
        parse_boamp_xml(data, where="bad.xml")
    assert (caught.value.fmt, caught.value.where) == ("boamp_xml", "bad.xml")
    assert message in caught.value.message


# --- XML v230: public samples -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xml_samples() -> dict:
    folder = samples_path("boamp", "legacy_xml_boamp_v230")
    return {p.stem: parse_boamp_xml(p.read_bytes(), where=p.name) for p in sorted(folder.glob("*.xml"))}


@pytest.mark.parametrize("name", sample_names("boamp", "legacy_xml_boamp_v230", pattern="*.xml"))
def test_every_v230_sample_parses(name):
    notice = parse_boamp_xml(samples_path("boamp", "legacy_xml_boamp_v230", name).read_bytes(), where=name)
    assert notice.source_id and notice.title and notice.department and notice.published


def test_v230_sample_ville_de_paris(xml_samples):
    notice = xml_samples["test-pub"]
    assert (notice.source_id, notice.buyer_name, notice.department) == ("16-186394", "Ville de Paris", "75")


def test_v230_sample_declares_environmental_criteres(xml_samples):
    assert declared(xml_samples["test-pub"]) == {(ENVIRONMENTAL, None, None)}


def test_v230_sample_deadline(xml_samples):
    assert xml_samples["test-pub"].deadline == datetime(2017, 2, 7, 12, 0)


def test_v230_sample_execution_conditions(xml_samples):
    assert "caractère environnementale" in sections(xml_samples["test-pub"], "execution_conditions")[0].text


def test_v230_sample_lots_and_cpv(xml_samples):
    notice = xml_samples["test-pub"]
    assert (len(notice.lots), notice.cpv_codes) == (2, ["50118110"])


def test_v230_sample_award_notice_amount_and_weights(xml_samples):
    notice = xml_samples["test-attribution-2"]
    assert (notice.notice_type, notice.amount) == ("award_notice", 38820.0)
    assert "prix : 30 %" in sections(notice, "award_criteria")[0].text


def test_v230_sample_profession_reserved_is_not_a_reservation(xml_samples):
    notice = xml_samples["test-pub-3"]
    assert not any(d.lever == Lever.RESERVATION for d in notice.declared)
    assert "profession particulière : Architecte" in sections(notice, "participation")[0].text


def test_v230_sample_one_digit_department(xml_samples):
    assert xml_samples["test-attribution-6"].department == "05"


def test_v230_samples_never_read_winners_as_buyers(xml_samples):
    assert "SARL ENVIRONNEMENT" not in xml_samples["test-attribution-2"].full_text()
