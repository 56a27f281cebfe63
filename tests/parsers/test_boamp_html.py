"""boamp.fr notice pages: the project's own saved page (a JOUE form) and the public samples, one small test per
field."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crawler.parsers.boamp_html import parse_boamp_page
from crawler.parsers.errors import ParseError
from models.vocabulary import Dimension
from tests.conftest import FILES
from tests.parsers.util import declared, saved_pages, sections

BOAMP = FILES / "boamp"
SOCIAL, ENVIRONMENTAL = Dimension.SOCIAL, Dimension.ENVIRONMENTAL


# --- own fixture: a boamp.fr page ---------------------------------------------------------------------------

PAGE = parse_boamp_page((BOAMP / "page_joue.html").read_bytes(), where="page_joue.html")


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


def test_a_page_of_another_kind_is_refused():
    with pytest.raises(ParseError) as caught:
        parse_boamp_page(
            b"<html><body><h1>Avis</h1><p>Nettoyage des locaux</p></body></html>", where="page.html"
        )
    assert (caught.value.fmt, caught.value.where) == ("boamp_html", "page.html")
    assert "not a boamp.fr notice page" in caught.value.message


# --- saved pages: public samples ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages() -> dict:
    return saved_pages("boamp_html__*.html", parse_boamp_page)


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
