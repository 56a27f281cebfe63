"""eForms parser: the project's own fixtures, then real notices from ../shared/samples (skipped if absent)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from models.notice import SECTION_KINDS, Notice
from crawler.parsers.eforms import parse_eforms
from crawler.parsers.errors import ParseError
from models.vocabulary import Dimension, Lever
from tests.conftest import FILES, SAMPLES, samples_path

SOCIAL, ENVIRONMENTAL = Dimension.SOCIAL, Dimension.ENVIRONMENTAL
OWN_PATH = FILES / "eforms" / "cn_fr_lot_strategic.xml"
OWN = parse_eforms(OWN_PATH.read_bytes(), str(OWN_PATH))


def declared(notice: Notice) -> set[tuple]:
    """The declared considerations as comparable tuples."""
    return {(d.dimension, d.lever, d.evidence, d.lot) for d in notice.declared}


def sections(notice: Notice, kind: str, lot: str | None = None) -> list:
    """The sections of one kind, for one lot when `lot` is given."""
    return [s for s in notice.sections if s.kind == kind and (lot is None or s.lot == lot)]


def xml_files(*parts: str) -> list[Path]:
    """Every .xml file under a samples folder (none when the samples are absent)."""
    folder = SAMPLES.joinpath(*parts)
    return sorted(folder.rglob("*.xml")) if folder.is_dir() else []


def parse_sample(*parts: str) -> Notice:
    """Parse one public sample; skips the calling test when the samples are absent."""
    path = samples_path(*parts)
    return parse_eforms(path.read_bytes(), str(path))


# --- the project's own fixture: a French contract notice with lot- and procedure-level codes ----------------


def test_source_is_ted_and_format_eforms():
    assert (OWN.source, OWN.raw_format) == ("ted", "eforms")


def test_source_id_is_the_publication_number():
    assert OWN.source_id == "00123456-2025"


def test_title_prefers_french():
    assert OWN.title == "Nettoyage des bâtiments communautaires"


def test_buyer_name_prefers_french():
    assert OWN.buyer_name == "Communauté d'agglomération du Pays Ajaccien"


def test_buyer_siret_loses_its_spaces():
    assert OWN.buyer_siret == "20006679300011"


def test_buyer_nuts():
    assert OWN.buyer_nuts == "FRM01"


def test_country_is_iso2():
    assert OWN.country == "FR"


def test_department_of_a_corsican_postal_code():
    assert OWN.department == "2A"


def test_cpv_codes_main_first_without_repeats():
    assert OWN.cpv_codes == ["90910000", "90911200", "90911300"]


def test_procedure_code():
    assert OWN.procedure == "open"


def test_contract_nature():
    assert OWN.contract_nature == "services"


def test_notice_type():
    assert OWN.notice_type == "contract_notice"


def test_published_is_the_publication_date():
    assert OWN.published == date(2025, 3, 26)


def test_deadline_is_the_earliest_lot_deadline_in_wall_clock_time():
    assert OWN.deadline == datetime(2025, 4, 28, 12, 0)


def test_language_is_french():
    assert OWN.language == "fr"


def test_amount_is_the_estimated_value():
    assert OWN.amount == 480000.0


def test_lots():
    assert [(lot.lot_id, lot.title, lot.cpv_codes) for lot in OWN.lots] == [
        ("LOT-0001", "Bâtiments administratifs", ["90911200"]),
        ("LOT-0002", "Équipements sportifs", ["90911300"]),
    ]


def test_bt06_env_imp_at_lot_level_declares_environmental_for_that_lot():
    assert (ENVIRONMENTAL, None, "BT-06 env-imp", "LOT-0001") in declared(OWN)


def test_bt774_declares_environmental():
    assert (ENVIRONMENTAL, None, "BT-774 pollu-prev", "LOT-0001") in declared(OWN)


def test_bt775_at_procedure_level_declares_social_without_lot():
    assert (SOCIAL, None, "BT-775 opp", None) in declared(OWN)


def test_bt71_res_ws_declares_a_social_reservation():
    assert (SOCIAL, Lever.RESERVATION, "BT-71 res-ws", "LOT-0002") in declared(OWN)


def test_codes_that_reserve_or_commit_nothing_declare_nothing():
    evidence = {d.evidence for d in OWN.declared}
    assert not evidence & {"BT-805 none", "BT-71 none", "BT-736 no"}


def test_no_declared_repeats():
    assert len(OWN.declared) == len(declared(OWN)) == 4


def test_title_section():
    assert sections(OWN, "title")[0].text == OWN.title


def test_object_section_text_is_cleaned():
    assert sections(OWN, "object")[0].text == (
        "Prestations de nettoyage des locaux administratifs\net des équipements sportifs."
    )


def test_lot_description_section_names_the_lot():
    (section,) = sections(OWN, "description", "LOT-0001")
    assert section.heading == "Lot LOT-0001 : Bâtiments administratifs"


def test_award_criterion_section_heading_text_and_weight():
    section = sections(OWN, "award_criteria", "LOT-0001")[0]
    assert section.heading == "Critère d'attribution : Qualité – Performance environnementale"
    assert section.text.startswith("Performance environnementale\nAppréciée au vu du plan")
    assert section.text.endswith("Pondération : 20 %")


def test_one_award_criteria_section_per_criterion():
    assert [s.heading for s in sections(OWN, "award_criteria")] == [
        "Critère d'attribution : Qualité – Performance environnementale",
        "Critère d'attribution : Prix – Prix des prestations",
        "Critère d'attribution : Prix",
    ]


def test_execution_conditions_section_from_bt70():
    (section,) = sections(OWN, "execution_conditions")
    assert (section.lot, section.text) == (
        "LOT-0001",
        "Le titulaire utilise des produits d'entretien porteurs de l'Ecolabel européen ou équivalent.",
    )


def test_selection_criteria_are_a_participation_section():
    assert sections(OWN, "participation", "LOT-0001")[0].text.startswith("Références de prestations")


def test_reservation_section_only_on_the_reserved_lot():
    assert [s.lot for s in sections(OWN, "reservation")] == ["LOT-0002"]


def test_additional_info_section():
    assert sections(OWN, "additional_info")[0].text == "Visite des sites conseillée."


def test_section_kinds_are_known():
    assert {s.kind for s in OWN.sections} <= set(SECTION_KINDS)


def test_text_left_for_full_text_to_build():
    assert OWN.text == "" and "Performance environnementale" in OWN.full_text()


def test_notice_round_trips_through_dict():
    assert Notice.from_dict(OWN.to_dict()) == OWN


# --- unsafe, broken and foreign input: always a ParseError --------------------------------------------------


@pytest.mark.parametrize(
    "name", ["billion_laughs.xml", "xxe_passwd.xml", "xxe_late_doctype.xml", "cn_truncated.xml"]
)
def test_unsafe_or_broken_xml_raises_parse_error(name):
    path = FILES / "eforms" / name
    with pytest.raises(ParseError) as raised:
        parse_eforms(path.read_bytes(), str(path))
    assert (raised.value.fmt, raised.value.where) == ("eforms", str(path))


def test_latin1_mislabelled_as_utf8_gives_parse_error_or_notice():
    path = FILES / "eforms" / "cn_latin1_declared_utf8.xml"
    try:
        notice = parse_eforms(path.read_bytes(), str(path))
    except ParseError:
        return
    assert notice.source_id == "00123456-2025"


@pytest.mark.parametrize(
    "data", [b"", b"%PDF-1.4 not a notice", "<ContractNotice/>"], ids=["empty", "pdf", "str"]
)
def test_non_xml_raises_parse_error(data):
    with pytest.raises(ParseError):
        parse_eforms(data, "input")


def test_ted_r209_export_is_refused_with_a_hint():
    with pytest.raises(ParseError, match="parse_ted_r209"):
        parse_eforms((FILES / "ted" / "f02_reserved_fr.xml").read_bytes())


@pytest.mark.parametrize(
    "data",
    [
        b'<rss version="2.0"><channel/></rss>',
        b'<ContractNotice xmlns="urn:example:not-ubl"/>',
        (
            b'<BusinessRegistrationInformationNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
            b'BusinessRegistrationInformationNotice-2"/>'
        ),
    ],
    ids=["rss", "wrong-namespace", "other-ubl-document"],
)
def test_schema_foreign_xml_raises_parse_error(data):
    with pytest.raises(ParseError, match="not an eForms notice"):
        parse_eforms(data, "foreign.xml")


def test_notice_without_any_identifier_raises_parse_error():
    empty = b'<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"/>'
    with pytest.raises(ParseError, match="identifier") as raised:
        parse_eforms(empty, "empty.xml")
    assert raised.value.where == "empty.xml"


# --- every public eForms sample parses ----------------------------------------------------------------------

EFORMS_SAMPLES = xml_files("eforms") + xml_files("ted", "converted_eforms")


@pytest.mark.parametrize(
    "path", EFORMS_SAMPLES or [None], ids=lambda p: str(p.relative_to(SAMPLES)) if p else "no-samples"
)
def test_every_public_eforms_sample_parses(path):
    if path is None:
        samples_path("eforms")
    notice = parse_eforms(path.read_bytes(), str(path))
    assert notice.source_id and notice.title and notice.cpv_codes
    assert notice.notice_type in ("contract_notice", "award_notice", "prior_information", "other")
    assert {s.kind for s in notice.sections} <= set(SECTION_KINDS)


# --- Châteauroux Métropole, a real French notice (TED 00175200-2025) ----------------------------------------


@pytest.fixture(scope="module")
def chateauroux() -> Notice:
    return parse_sample(
        "eforms", "real_published_ted", "00175200-2025_FRA_ChateaurouxMetropole_furniture.xml"
    )


def test_chateauroux_source_id(chateauroux):
    assert chateauroux.source_id == "00175200-2025"


def test_chateauroux_buyer(chateauroux):
    assert (chateauroux.buyer_name, chateauroux.buyer_siret, chateauroux.buyer_nuts) == (
        "CHATEAUROUX METROPOLE",
        "24360032700015",
        "FRB03",
    )


def test_chateauroux_department_and_country(chateauroux):
    assert (chateauroux.department, chateauroux.country) == ("36", "FR")


def test_chateauroux_title(chateauroux):
    assert chateauroux.title.startswith(
        "Marché public de travaux concernant la réhabilitation des bâtiments 5, 6"
    )


def test_chateauroux_cpv(chateauroux):
    assert chateauroux.cpv_codes[:4] == ["45223220", "45262660", "45262511", "42416100"]


def test_chateauroux_dates(chateauroux):
    assert (chateauroux.published, chateauroux.deadline) == (date(2025, 3, 18), datetime(2025, 4, 24, 12, 0))


def test_chateauroux_procedure_nature_language(chateauroux):
    assert (chateauroux.procedure, chateauroux.contract_nature, chateauroux.language) == (
        "open",
        "works",
        "fr",
    )


def test_chateauroux_lots(chateauroux):
    assert len(chateauroux.lots) == 22
    assert (chateauroux.lots[0].lot_id, chateauroux.lots[0].title) == (
        "LOT-0001",
        "Désamiantage - Déplombage",
    )


def test_chateauroux_award_criteria_per_lot(chateauroux):
    price, quality = sections(chateauroux, "award_criteria", "LOT-0001")
    assert price.heading == "Critère d'attribution : Prix"
    assert "note = 55 x Prix le plus bas recevable" in price.text
    assert quality.heading == "Critère d'attribution : Qualité"
    assert "Adéquation des moyens humains" in quality.text


def test_chateauroux_every_lot_has_award_criteria(chateauroux):
    assert {s.lot for s in sections(chateauroux, "award_criteria")} == {
        lot.lot_id for lot in chateauroux.lots
    }


def test_chateauroux_insertion_hours_reach_the_text(chateauroux):
    assert "heures d'insertion obligatoires" in chateauroux.full_text()


def test_chateauroux_declares_nothing(chateauroux):
    assert chateauroux.declared == []


# --- social-objective codes in real Finnish and Italian notices ---------------------------------------------


@pytest.mark.parametrize(
    "name, codes",
    [
        ("eforms_sdk_v1.7__eform_subtype_17__536143-2023.xml", {"hum-right"}),
        ("eforms_sdk_v1.7__eform_subtype_20__544961-2023.xml", {"work-cond"}),
        ("eforms_sdk_v1.7__eform_subtype_21__583624-2023.xml", {"opp", "work-cond"}),
        ("eforms_sdk_v1.7__eform_subtype_23__553370-2023.xml", {"hum-right"}),
    ],
)
def test_finnish_notices_declare_their_bt775_codes(name, codes):
    notice = parse_sample("eforms", "real_published_ted", name)
    assert notice.country == "FI"
    assert {d.evidence for d in notice.declared} == {f"BT-775 {code}" for code in codes}
    assert {(d.dimension, d.lever) for d in notice.declared} == {(SOCIAL, None)}


def test_finnish_lot_level_codes_carry_their_lot():
    notice = parse_sample(
        "eforms", "real_published_ted", "eforms_sdk_v1.7__eform_subtype_21__583624-2023.xml"
    )
    assert (SOCIAL, None, "BT-775 opp", "LOT-0001") in declared(notice)
    assert {d.lot for d in notice.declared} == {lot.lot_id for lot in notice.lots}


def test_finnish_notice_language_is_finnish():
    notice = parse_sample(
        "eforms", "real_published_ted", "eforms_sdk_v1.7__eform_subtype_20__544961-2023.xml"
    )
    assert notice.language == "fi"


def test_social_objectives_are_read_without_bt06_soc_obj():
    notice = parse_sample(
        "eforms", "real_published_ted", "eforms_sdk_v1.9__eform_subtype_20__650276-2023.xml"
    )
    assert {d.evidence for d in notice.declared} == {
        "BT-775 acc-all",
        "BT-775 gen-eq",
        "BT-775 opp",
        "BT-775 work-cond",
    }


def test_bt06_and_bt774_in_a_real_estonian_notice():
    notice = parse_sample(
        "eforms", "real_published_ted", "eforms_sdk_v1.3__eform_subtype_24__650472-2023.xml"
    )
    assert declared(notice) == {
        (ENVIRONMENTAL, None, "BT-06 env-imp", "LOT-0000"),
        (ENVIRONMENTAL, None, "BT-774 biodiv-eco", "LOT-0000"),
    }


# --- SDK examples and TED conversions -----------------------------------------------------------------------


def test_bt70_gives_an_execution_conditions_section():
    notice = parse_sample("ted", "converted_eforms", "19-090974-001-EXP.eforms.xml")
    (section,) = sections(notice, "execution_conditions")
    assert section.lot == "LOT-0000" and "ordonnance nº 2015-899" in section.text


def test_converted_reserved_notice_declares_reservations():
    notice = parse_sample("ted", "converted_eforms", "19-090974-001-EXP.eforms.xml")
    assert declared(notice) == {
        (SOCIAL, Lever.RESERVATION, "BT-71 res-ws", "LOT-0000"),
        (SOCIAL, Lever.RESERVATION, "BT-71 res-pub-ser", "LOT-0000"),
        (SOCIAL, Lever.RESERVATION, "BT-736 yes", "LOT-0000"),
    }


def test_maximal_notice_declares_codes_per_lot():
    notice = parse_sample("eforms", "cn_24_maximal.xml")
    assert {
        (SOCIAL, Lever.RESERVATION, "BT-71 res-pub-ser", "LOT-0001"),
        (SOCIAL, Lever.RESERVATION, "BT-736 yes", "LOT-0002"),
        (ENVIRONMENTAL, None, "BT-06 env-imp", "LOT-0001"),
        (ENVIRONMENTAL, None, "BT-774 clim-mitig", "LOT-0002"),
    } <= declared(notice)


def test_lots_group_award_criteria_keep_their_weight():
    notice = parse_sample("eforms", "cn_24_maximal.xml")
    cost = sections(notice, "award_criteria", "GLO-0001")[0]
    assert cost.heading == "Critère d'attribution : Coût – name of AC ---"
    assert cost.text.endswith("Pondération : 60 %")


def test_multilingual_notice_keeps_french():
    notice = parse_sample("eforms", "cn_24_multilingual.xml")
    assert notice.title.startswith("Fourniture de services informatiques")
    assert notice.buyer_name == "Office des publications de l'Union européenne"
    assert notice.language == "fr"


def test_prior_information_notice_parts_are_lots():
    notice = parse_sample("eforms", "pin-only_24_maximal.xml")
    assert notice.notice_type == "prior_information"
    assert [lot.lot_id for lot in notice.lots] == ["PAR-0000"]


def test_award_notice_type():
    assert parse_sample("eforms", "can_24_minimal.xml").notice_type == "award_notice"


def test_notice_not_yet_published_falls_back_on_its_identifier_and_dispatch_date():
    notice = parse_sample("eforms", "cn_24_maximal.xml")
    assert (notice.source_id, notice.published) == ("14549263-b47b-4e59-96a1-2d0d13e19343", date(2023, 3, 23))
