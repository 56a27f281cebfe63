"""TED R2.0.9 parser: the project's own fixture, then real notices from ../shared/samples (if present)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from models.notice import SECTION_KINDS, Notice
from crawler.parsers.eforms import parse_eforms
from crawler.parsers.errors import ParseError
from crawler.parsers.ted_r209 import parse_ted_r209
from models.vocabulary import Dimension, Lever
from tests.conftest import FILES, SAMPLES, samples_path

RESERVED = (Dimension.SOCIAL, Lever.RESERVATION)
OWN_PATH = FILES / "ted" / "f02_reserved_fr.xml"
OWN = parse_ted_r209(OWN_PATH.read_bytes(), str(OWN_PATH))


def sections(notice: Notice, kind: str, lot: str | None = None) -> list:
    """The sections of one kind, for one lot when `lot` is given."""
    return [s for s in notice.sections if s.kind == kind and (lot is None or s.lot == lot)]


def parse_sample(name: str) -> Notice:
    """Parse one public R2.0.9 sample; skips the calling test when the samples are absent."""
    path = samples_path("ted", "ted_xml_R209", name)
    return parse_ted_r209(path.read_bytes(), str(path))


# --- the project's own fixture: a French F02 reserved to sheltered workshops, English version first ---------


def test_source_is_ted_and_format_ted_r209():
    assert (OWN.source, OWN.raw_format) == ("ted", "ted_r209")


def test_source_id_is_the_doc_id():
    assert OWN.source_id == "012345-2020"


def test_french_form_is_read_even_when_not_first():
    assert OWN.title == "Entretien des parcs et jardins de la ville"


def test_language_is_the_form_language():
    assert OWN.language == "fr"


def test_url_is_the_french_page():
    assert OWN.url == "https://ted.europa.eu/udl?uri=TED:NOTICE:012345-2020:TEXT:FR:HTML"


def test_buyer_name():
    assert OWN.buyer_name == "Commune de Bastia"


def test_buyer_siret_from_nationalid():
    assert OWN.buyer_siret == "21200033300019"


def test_buyer_nuts():
    assert OWN.buyer_nuts == "FRM02"


def test_country():
    assert OWN.country == "FR"


def test_department_of_haute_corse():
    assert OWN.department == "2B"


def test_cpv_codes_main_first():
    assert OWN.cpv_codes == ["77310000", "77313000", "77311000"]


def test_procedure_code():
    assert OWN.procedure == "open"


def test_contract_nature():
    assert OWN.contract_nature == "services"


def test_notice_type():
    assert OWN.notice_type == "contract_notice"


def test_published():
    assert OWN.published == date(2020, 1, 15)


def test_deadline():
    assert OWN.deadline == datetime(2020, 2, 17, 12, 0)


def test_lots():
    assert [(lot.lot_id, lot.title, lot.cpv_codes) for lot in OWN.lots] == [
        ("1", "Parcs urbains", ["77313000"]),
        ("2", "Jardins familiaux", ["77311000"]),
    ]


def test_inline_markup_is_kept_as_text():
    assert OWN.lots[1].description == "Entretien des jardins familiaux du 1er arrondissement."


def test_sheltered_workshop_declares_a_social_reservation():
    assert [(d.dimension, d.lever, d.evidence, d.lot) for d in OWN.declared] == [
        (*RESERVED, "RESTRICTED_SHELTERED_WORKSHOP", None)
    ]


def test_object_section_joins_paragraphs():
    assert (
        sections(OWN, "object")[0].text
        == "Entretien des espaces verts communaux.\nLe marché est divisé en deux lots."
    )


def test_award_criteria_sections_per_lot():
    assert [(s.heading, s.text) for s in sections(OWN, "award_criteria", "1")] == [
        ("Critère d'attribution : Qualité – Valeur technique", "Valeur technique\nPondération : 60"),
        ("Critère d'attribution : Prix", "Prix\nPondération : 40"),
    ]


def test_criteria_in_procurement_documents():
    (section,) = sections(OWN, "award_criteria", "2")
    assert "énoncés uniquement dans les documents du marché" in section.text


def test_performance_conditions_are_execution_conditions():
    (section,) = sections(OWN, "execution_conditions")
    assert "L. 2113-12" in section.text


def test_participation_section():
    (section,) = sections(OWN, "participation")
    assert section.heading == "Capacité technique et professionnelle"


def test_reservation_section():
    (section,) = sections(OWN, "reservation")
    assert "ateliers protégés" in section.text


def test_additional_info_section():
    assert sections(OWN, "additional_info")[-1].text == "Visite des sites facultative."


def test_section_kinds_are_known():
    assert {s.kind for s in OWN.sections} <= set(SECTION_KINDS)


# --- unsafe, broken and foreign input: always a ParseError --------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        FILES / "eforms" / "billion_laughs.xml",
        FILES / "eforms" / "xxe_passwd.xml",
        FILES / "eforms" / "xxe_late_doctype.xml",
        FILES / "ted" / "f02_truncated.xml",
    ],
    ids=lambda p: p.name,
)
def test_unsafe_or_broken_xml_raises_parse_error(path):
    with pytest.raises(ParseError) as raised:
        parse_ted_r209(path.read_bytes(), str(path))
    assert (raised.value.fmt, raised.value.where) == ("ted_r209", str(path))


def test_latin1_mislabelled_as_utf8_gives_parse_error_or_notice():
    path = FILES / "ted" / "f02_latin1_declared_utf8.xml"
    try:
        notice = parse_ted_r209(path.read_bytes(), str(path))
    except ParseError:
        return
    assert notice.source_id == "012345-2020"


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 zip bytes", "<TED_EXPORT/>"], ids=["empty", "zip", "str"])
def test_non_xml_raises_parse_error(data):
    with pytest.raises(ParseError):
        parse_ted_r209(data, "input")


def test_eforms_notice_is_refused_with_a_hint():
    with pytest.raises(ParseError, match="parse_eforms"):
        parse_ted_r209((FILES / "eforms" / "cn_fr_lot_strategic.xml").read_bytes())


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body/></html>",
        b'<TED_EXPORT xmlns="http://publications.europa.eu/resource/schema/ted/R2.0.8"/>',
    ],
    ids=["html", "other-ted-schema"],
)
def test_schema_foreign_xml_raises_parse_error(data):
    with pytest.raises(ParseError, match=r"not a TED R2\.0\.9 export"):
        parse_ted_r209(data, "foreign.xml")


def test_export_without_identifier_raises_parse_error():
    empty = b'<TED_EXPORT xmlns="http://publications.europa.eu/resource/schema/ted/R2.0.9/publication"/>'
    with pytest.raises(ParseError, match="identify"):
        parse_ted_r209(empty, "empty.xml")


# --- every public R2.0.9 sample parses, and agrees with its eForms conversion -------------------------------

R209_FOLDER = SAMPLES / "ted" / "ted_xml_R209"
R209_SAMPLES = sorted(R209_FOLDER.glob("*.xml")) if R209_FOLDER.is_dir() else []
CONVERTED = [
    p for p in R209_SAMPLES if (SAMPLES / "ted" / "converted_eforms" / f"{p.stem}.eforms.xml").exists()
]


@pytest.mark.parametrize("path", R209_SAMPLES or [None], ids=lambda p: p.name if p else "no-samples")
def test_every_public_r209_sample_parses(path):
    if path is None:
        samples_path("ted", "ted_xml_R209")
    notice = parse_ted_r209(path.read_bytes(), str(path))
    assert notice.source_id and notice.title and notice.cpv_codes and notice.published
    assert {s.kind for s in notice.sections} <= set(SECTION_KINDS)


@pytest.mark.parametrize("path", CONVERTED or [None], ids=lambda p: p.stem if p else "no-samples")
def test_r209_and_its_eforms_conversion_agree(path):
    if path is None:
        samples_path("ted", "converted_eforms")
    original = parse_ted_r209(path.read_bytes(), str(path))
    converted_path = SAMPLES / "ted" / "converted_eforms" / f"{path.stem}.eforms.xml"
    converted = parse_eforms(converted_path.read_bytes(), str(converted_path))
    fields = (
        "source_id",
        "title",
        "notice_type",
        "procedure",
        "country",
        "department",
        "published",
        "language",
    )
    assert {f: getattr(original, f) for f in fields} == {f: getattr(converted, f) for f in fields}
    assert original.cpv_codes[0] == converted.cpv_codes[0]


# --- 19-090974: the French notice reserved to EA/ESAT -------------------------------------------------------


@pytest.fixture(scope="module")
def reserved() -> Notice:
    return parse_sample("19-090974-001-EXP.xml")


def test_reserved_source_id_is_the_publication_number(reserved):
    assert reserved.source_id == "091489-2019"


def test_reserved_declares_the_three_reservation_flags(reserved):
    assert [(d.dimension, d.lever, d.evidence, d.lot) for d in reserved.declared] == [
        (*RESERVED, "RESTRICTED_SHELTERED_WORKSHOP", None),
        (*RESERVED, "RESTRICTED_SHELTERED_PROGRAM", None),
        (*RESERVED, "RESERVED_ORGANISATIONS_SERVICE_MISSION", None),
    ]


def test_reserved_buyer(reserved):
    assert (reserved.buyer_name, reserved.buyer_nuts, reserved.country, reserved.department) == (
        "EPS Paul Guiraud",
        "FR107",
        "FR",
        "94",
    )


def test_reserved_title(reserved):
    assert reserved.title.startswith(
        "Marché de service pour l'élaboration, la fabrication et la livraison de repas"
    )


def test_reserved_cpv(reserved):
    assert reserved.cpv_codes == ["55321000"]


def test_reserved_metadata(reserved):
    assert (reserved.notice_type, reserved.procedure, reserved.contract_nature, reserved.language) == (
        "contract_notice",
        "open",
        "services",
        "fr",
    )


def test_reserved_dates(reserved):
    assert (reserved.published, reserved.deadline) == (date(2019, 2, 26), datetime(2019, 3, 22, 15, 0))


def test_reserved_performance_conditions_quote_the_ordinance(reserved):
    (section,) = sections(reserved, "execution_conditions")
    assert "ordonnance nº 2015-899" in section.text


def test_reserved_has_a_reservation_section(reserved):
    assert len(sections(reserved, "reservation")) == 1


# --- other real notices -------------------------------------------------------------------------------------


def test_multilingual_notice_reads_the_french_form():
    notice = parse_sample("20-162034-001-EXP.xml")
    assert notice.title == "Testeur de radiocommunication LTE pour 3.9G et 4.xG"
    assert notice.language == "fr"


def test_foreign_buyer_has_no_department():
    notice = parse_sample("20-162034-001-EXP.xml")
    assert (notice.country, notice.department, notice.buyer_siret) == ("CH", None, None)


def test_date_without_time_is_an_end_of_day_deadline():
    assert parse_sample("20-162034-001-EXP.xml").deadline == datetime(2020, 5, 25, 23, 59)


def test_cost_criteria_with_weighting():
    notice = parse_sample("20-162034-001-EXP.xml")
    assert [(s.heading, s.text) for s in sections(notice, "award_criteria")] == [
        ("Critère d'attribution : Coût – Performance", "Performance\nPondération : 70 %"),
        ("Critère d'attribution : Coût – Prix", "Prix\nPondération : 30 %"),
    ]


def test_award_notice_with_lots():
    notice = parse_sample("18-412273-001-EXP.xml")
    assert notice.notice_type == "award_notice"
    assert [lot.lot_id for lot in notice.lots] == ["1", "2", "3", "4", "5"]
    assert {s.lot for s in sections(notice, "award_criteria")} == {"1", "2", "3", "4", "5"}


def test_concession_award_criteria_without_weighting():
    notice = parse_sample("19-318420-001-EXP.xml")
    assert notice.notice_type == "award_notice"
    assert sections(notice, "award_criteria")[0].heading == "Critère d'attribution : La qualité du service"
    assert notice.buyer_siret == "21790131700013"


def test_english_performance_conditions():
    notice = parse_sample("20-259392-001-EXP.xml")
    assert "etenders.gov.ie" in sections(notice, "execution_conditions")[0].text


def test_swedish_notice_language():
    notice = parse_sample("21-364240-001-EXP.xml")
    assert (notice.language, notice.country, notice.buyer_nuts) == ("sv", "SE", "SE121")


def test_notices_without_reservation_declare_nothing():
    assert parse_sample("20-162034-001-EXP.xml").declared == []


# --- every namespace TED published R2.0.9 under ---------------------------------------------------------------

CANONICAL = b'xmlns="http://publications.europa.eu/resource/schema/ted/R2.0.9/publication"'
VARIANTS = [
    b'xmlns="http://formex.publications.europa.eu/ted/schema/export/R2.0.9.S01.E01"',
    b'xmlns="ted/R2.0.9.S02/publication"',
    b'xmlns="ted/R2.0.9.S03/publication"',
    b'xmlns="http://publications.europa.eu/resource/schema/ted/R2.0.9.S05/publication"',
]


@pytest.mark.parametrize("variant", VARIANTS, ids=["S01.E01", "S02", "S03", "S05"])
def test_a_notice_in_a_variant_namespace_reads_as_the_canonical_one(variant):
    data = OWN_PATH.read_bytes()
    assert CANONICAL in data
    canonical, renamed = parse_ted_r209(data), parse_ted_r209(data.replace(CANONICAL, variant))
    assert renamed.to_dict() == canonical.to_dict()
    assert any(d.lever is Lever.RESERVATION for d in renamed.declared)


def test_an_unknown_namespace_is_still_refused():
    with pytest.raises(ParseError, match=r"not a TED R2\.0\.9 export"):
        parse_ted_r209(OWN_PATH.read_bytes().replace(CANONICAL, b'xmlns="urn:example:other"'))


def test_every_external_r209_notice_is_read_with_its_reserved_boxes():
    folder = samples_path("external", "ted_r209_fr")
    notices = [parse_ted_r209(path.read_bytes(), str(path)) for path in sorted(folder.glob("*.xml"))]
    assert len(notices) == 199
    reserved = [n for n in notices if any(d.lever is Lever.RESERVATION for d in n.declared)]
    assert len(reserved) == 11


# --- text the forms hold outside the usual places (older forms, concessions, award notices, restricted procedures)


def variant_of_own(*replacements: tuple[bytes, bytes]) -> Notice:
    data = OWN_PATH.read_bytes()
    for old, new in replacements:
        assert old in data
        data = data.replace(old, new)
    return parse_ted_r209(data)


def test_criteria_directly_in_object_descr_are_award_criteria():
    """Older forms (2016-2017 F03) and concessions put AC_QUALITY / AC_CRITERION in OBJECT_DESCR, with no AC."""
    notice = variant_of_own((b"<AC><AC_PROCUREMENT_DOC/></AC>",
                             b"<AC_QUALITY><AC_CRITERION>Qualit\xc3\xa9 des engagements environnementaux</AC_CRITERION>"
                             b"<AC_WEIGHTING>20</AC_WEIGHTING></AC_QUALITY><AC_CRITERION>D\xc3\xa9lais</AC_CRITERION>"))
    texts = [s.text for s in sections(notice, "award_criteria", "2")]
    assert texts == ["Qualité des engagements environnementaux\nPondération : 20", "Délais"]


def test_rules_criteria_and_limits_on_candidates_are_participation_sections():
    notice = variant_of_own(
        (b"<LEFTI>\n        <RESTRICTED",
         b"<LEFTI>\n        <RULES_CRITERIA><P>Certification ISO 14001 ou \xc3\xa9quivalent.</P></RULES_CRITERIA><RESTRICTED"),
        (b"<AC><AC_PROCUREMENT_DOC/></AC>",
         b"<AC><AC_PROCUREMENT_DOC/></AC><CRITERIA_CANDIDATE><P>Le lot est r\xc3\xa9serv\xc3\xa9 aux ESAT.</P></CRITERIA_CANDIDATE>"),
    )
    texts = [s.text for s in notice.sections if s.kind == "participation"]
    assert "Certification ISO 14001 ou équivalent." in texts
    assert "Le lot est réservé aux ESAT." in texts


def test_a_lot_title_without_description_and_awarded_contract_titles_are_read():
    notice = variant_of_own(
        (b"<SHORT_DESCR><P>Entretien des jardins familiaux du 1<FT TYPE=\"SUP\">er</FT> arrondissement.</P></SHORT_DESCR>", b""),
        (b"</OBJECT_CONTRACT>",
         b"</OBJECT_CONTRACT><AWARD_CONTRACT><LOT_NO>2</LOT_NO><TITLE><P>V\xc3\xa9hicules \xc3\xa9lectriques</P></TITLE>"
         b"</AWARD_CONTRACT>"),
    )
    lots = [(s.heading, s.text) for s in notice.sections if s.kind == "title"]
    assert ("Lot 2", "Jardins familiaux") in lots
    assert ("Marché attribué (lot 2)", "Véhicules électriques") in lots
