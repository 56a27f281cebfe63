"""BOAMP parsers: open-data records, XML v230, saved web pages and the DILA API.

The project's own fixtures (tests/files/boamp) are parsed once per module; the public samples
(../shared/samples) once per module too, through fixtures that skip when the samples are absent. Then one
small test per field.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from models.notice import SECTION_KINDS
from crawler.parsers.boamp import parse_boamp_html, parse_boamp_record, parse_boamp_xml, parse_dila_legacy
from crawler.parsers.errors import ParseError
from models.vocabulary import Dimension, Lever
from tests.conftest import FILES, SAMPLES, samples_path

BOAMP = FILES / "boamp"
SOCIAL, ENVIRONMENTAL = Dimension.SOCIAL, Dimension.ENVIRONMENTAL


def declared(notice) -> set[tuple]:
    """The (dimension, lever, lot) triples a notice declares."""
    return {(d.dimension, d.lever, d.lot) for d in notice.declared}


def sections(notice, kind: str, lot: str | None = "any") -> list:
    """The sections of a kind (of one lot when `lot` is given)."""
    return [s for s in notice.sections if s.kind == kind and (lot == "any" or s.lot == lot)]


def sample_names(*parts: str, pattern: str) -> list[str]:
    """Names of the sample files of a folder, for parametrization (one placeholder that skips when absent)."""
    folder = SAMPLES.joinpath(*parts)
    return sorted(p.name for p in folder.glob(pattern)) if folder.exists() else ["<samples absent>"]


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


# --- own fixture: a boamp.fr page ---------------------------------------------------------------------------

PAGE = parse_boamp_html((BOAMP / "page_joue.html").read_bytes(), where="page_joue.html")


def test_page_notice_number():
    assert (PAGE.source, PAGE.source_id) == ("boamp", "21-55501")


def test_page_title():
    assert PAGE.title == "Nettoyage des locaux communautaires"


def test_page_buyer_from_the_notice_body():
    assert PAGE.buyer_name == "Communauté de communes d'Exemple"


def test_page_siret():
    assert PAGE.buyer_siret == "24299999900013"


def test_page_department():
    assert PAGE.department == "29"


def test_page_dates():
    assert (PAGE.published, PAGE.deadline) == (date(2021, 5, 3), datetime(2021, 6, 7, 12, 0))


def test_page_cpv_nature_type_procedure():
    assert (PAGE.cpv_codes, PAGE.contract_nature) == (["90919200"], "services")
    assert (PAGE.notice_type, PAGE.procedure) == ("contract_notice", "Procédure Ouverte")


def test_page_pictogram_declares_the_dimension():
    assert declared(PAGE) == {(SOCIAL, None, None)}


def test_page_lots():
    assert [(lot.lot_id, lot.title) for lot in PAGE.lots] == [
        ("1", "Sièges et antennes"),
        ("2", "Équipements sportifs"),
    ]


def test_page_award_criteria_belong_to_lot_1():
    (section,) = sections(PAGE, "award_criteria")
    assert (section.heading, section.lot) == ("II.2.5) Critères d'attribution", "1")
    assert "insertion professionnelle" in section.text


def test_page_reservation_section():
    (section,) = sections(PAGE, "reservation")
    assert section.heading == "III.1.5) Informations sur les marchés réservés" and section.lot is None


def test_page_execution_conditions_section():
    assert sections(PAGE, "execution_conditions")[0].text == "Utilisation de produits écolabellisés."


def test_page_additional_info_section():
    assert sections(PAGE, "additional_info")[0].text == "Visite obligatoire des sites."


def test_page_email_placeholder_is_restored():
    assert "marches@cc-exemple.test" in PAGE.text


@pytest.mark.parametrize("chrome", ["cookies", "Mon compte", "Avis précédent", "Mentions légales"])
def test_page_chrome_is_not_in_the_notice(chrome):
    assert chrome not in PAGE.text and chrome not in PAGE.full_text()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty page"),
        (b"<html><body><div></div></body></html>", "no notice"),
        ("<html></html>", "expected bytes"),
    ],
    ids=["empty", "no-notice", "str"],
)
def test_page_errors_are_parse_errors(data, message):
    with pytest.raises(ParseError) as caught:
        parse_boamp_html(data, where="page.html")
    assert (caught.value.fmt, caught.value.where) == ("boamp_html", "page.html")
    assert message in caught.value.message


# --- saved pages: public samples ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages() -> dict:
    folder = samples_path("boamp", "html_notices_2020")
    return {
        p.stem.split("__")[-1] if "noref" not in p.stem else p.stem.split("__")[1]: parse_boamp_html(
            p.read_bytes(), where=p.name
        )
        for p in sorted(folder.glob("*.html"))
    }


@pytest.mark.parametrize("name", sample_names("boamp", "html_notices_2020", pattern="*.html"))
def test_every_saved_page_parses(name):
    notice = parse_boamp_html(samples_path("boamp", "html_notices_2020", name).read_bytes(), where=name)
    assert notice.source_id and notice.title and notice.text


def test_boamp_page_identity(pages):
    notice = pages["20-102352"]
    assert (notice.source, notice.source_id, notice.buyer_name) == (
        "boamp",
        "20-102352",
        "Eurométropole de Strasbourg",
    )


def test_boamp_page_dates_and_department(pages):
    notice = pages["20-102352"]
    assert (notice.published, notice.deadline, notice.department) == (
        date(2020, 8, 16),
        datetime(2020, 9, 22, 12, 0),
        "67",
    )


def test_boamp_page_cpv_and_lots(pages):
    notice = pages["20-102352"]
    assert notice.cpv_codes[0] == "90511100" and [lot.lot_id for lot in notice.lots] == ["1", "2"]


def test_boamp_page_execution_conditions(pages):
    (section,) = sections(pages["20-102352"], "execution_conditions")
    assert "conditions d'exécution à caractère social" in section.text


def test_boamp_page_lot_award_criteria(pages):
    (section,) = sections(pages["20-102352"], "award_criteria", lot="2")
    assert "insertion professionnelle des publics en difficulté" in section.text


def test_boamp_page_text_is_the_notice_only(pages):
    text = pages["20-102352"].text
    assert text.startswith("Département(s) de publication : 67") and "googleTranslate" not in text


def test_boamp_page_environmental_pictogram(pages):
    assert declared(pages["20-102213"]) == {(ENVIRONMENTAL, None, None)}


def test_boamp_page_publication_department_is_the_buyers(pages):
    assert pages["20-102213"].department == "92"


def test_boamp_page_overseas_department_and_siret(pages):
    notice = pages["20-102445"]
    assert (notice.department, notice.buyer_siret, len(notice.lots)) == ("974", "21974005700019", 64)


def test_boamp_national_form_sections(pages):
    notice = pages["20-102576"]
    assert sections(notice, "reservation")[0].text == "non."
    assert notice.deadline == datetime(2020, 9, 18, 12, 0) and notice.contract_nature == "supplies"


def test_boamp_national_form_profession_is_participation(pages):
    notice = pages["20-102404"]
    assert any("réservée à une profession particulière" in s.text for s in sections(notice, "participation"))
    assert not sections(notice, "reservation")


def test_ted_page_identity_and_language(pages):
    notice = pages["375115-2020"]
    assert (notice.source, notice.source_id, notice.language, notice.department) == (
        "ted",
        "375115-2020",
        "fr",
        "59",
    )


def test_ted_page_reads_the_original_language(pages):
    assert sections(pages["375115-2020"], "object")[0].heading == "II.1.1) Intitulé"


def test_ted_page_lots_and_conditions(pages):
    notice = pages["375115-2020"]
    assert len(notice.lots) == 5 and sections(notice, "execution_conditions")
    assert notice.deadline == datetime(2020, 9, 15, 17, 0)


def test_ted_page_in_english(pages):
    notice = pages["384335-2020"]
    assert (notice.language, notice.buyer_name) == ("en", "EDF Renouvelables")
    assert [s.lot for s in sections(notice, "award_criteria")] == ["1", "2"]


def test_ted_prior_information_page(pages):
    assert pages["376108-2020"].notice_type == "prior_information"


def test_atexo_like_page(pages):
    notice = pages["35710265"]
    assert (notice.source_id, notice.department, notice.deadline) == (
        "CP20-018",
        "59",
        datetime(2020, 9, 15, 12),
    )
    assert notice.cpv_codes == ["71356100", "71356200", "71356300", "90720000"]


def test_atexo_like_page_overseas_department(pages):
    assert (pages["35697101"].department, pages["35697101"].contract_nature) == ("972", "services")


def test_other_aggregator_page_has_a_derived_id(pages):
    notice = pages["35708451"]
    assert (notice.source, notice.buyer_name) == ("web", "ALIMA") and notice.source_id.startswith("h")


# --- DILA API: public samples -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dila():
    path = samples_path("boamp", "dila_legacy_api_json", "20-152081.json")
    return parse_dila_legacy(path.read_bytes(), where=path.name)


def test_dila_identity(dila):
    assert (dila.source, dila.source_id, dila.buyer_name) == (
        "boamp",
        "20-152081",
        "Commune de Berre l'Etang",
    )


def test_dila_epoch_dates_are_paris_dates(dila):
    assert (dila.published, dila.deadline) == (date(2020, 12, 14), datetime(2021, 3, 1, 12, 0))


def test_dila_classification(dila):
    assert (dila.department, dila.procedure, dila.contract_nature, dila.notice_type) == (
        "13",
        "Procédure adaptée",
        "services",
        "contract_notice",
    )


def test_dila_award_criteria(dila):
    assert "valeur technique de la prestation" in sections(dila, "award_criteria")[0].text


def test_dila_index_file_is_refused():
    path = samples_path("boamp", "dila_legacy_api_json", "ad_index.json")
    with pytest.raises(ParseError) as caught:
        parse_dila_legacy(path.read_bytes(), where=path.name)
    assert (caught.value.fmt, caught.value.where) == ("boamp_dila", "ad_index.json")


@pytest.mark.parametrize(
    "data",
    [b'{"gestion": {"reference": ', b"\xff\xfe{\x00}\x00", b'{"gestion": {}, "donnees": {}}'],
    ids=["truncated", "utf-16", "no-idweb"],
)
def test_dila_errors_are_parse_errors(data):
    with pytest.raises(ParseError) as caught:
        parse_dila_legacy(data, where="dila.json")
    assert (caught.value.fmt, caught.value.where) == ("boamp_dila", "dila.json")
