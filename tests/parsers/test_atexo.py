"""Atexo MPE pages: real PLACE pages (../shared/samples), the project's own fixtures, and the error cases."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from models.notice import SECTION_KINDS
from crawler.parsers.atexo import parse_atexo_detail, parse_atexo_listing
from crawler.parsers.errors import ParseError
from models.sections import label_kind as section_kind
from models.vocabulary import Dimension, Lever
from tests.conftest import FILES, samples_path

PLACE = "https://www.marches-publics.gouv.fr/index.php?page=entreprise.EntrepriseDetailsConsultation"
AMPA = "https://www.demat-ampa.fr"
SEARCH = AMPA + "/?page=Entreprise.EntrepriseAdvancedSearch&AllCons"
FIXTURE_URL = AMPA + "/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation=482913&orgAcronyme=a1b"

# The saved PLACE pages (DCE download pages, which carry the same recap block as the detail page), by file id.
PLACE_PAGES = {
    "35692049": "&refConsultation=625746&orgAcronyme=x7c",
    "35620337": "&refConsultation=624658&orgAcronyme=f5j",
    "35664719": "&refConsultation=624048&orgAcronyme=g7h",
}


@pytest.fixture(scope="module")
def place():
    """The three real PLACE pages, each parsed once."""
    folder = samples_path("atexo", "html")
    return {
        doc_id: parse_atexo_detail(
            (folder / f"place_EntrepriseDemandeTelechargementDce_{doc_id}.html").read_bytes(),
            PLACE + query,
            "place",
        )
        for doc_id, query in PLACE_PAGES.items()
    }


@pytest.fixture(scope="module")
def detail():
    """The project's detail page with lots, criteria, a reserved lot and structured considerations."""
    return parse_atexo_detail((FILES / "atexo" / "detail_lots.html").read_bytes(), FIXTURE_URL, "demat-ampa")


def read(name: str) -> bytes:
    return (FILES / "atexo" / name).read_bytes()


# --- real PLACE pages ---------------------------------------------------------------------------------------


def test_place_key_is_the_platform_consultation_number(place):
    # the buyers' references shown are "2020-141", "2020-44KT-INC" and "DAF_2020_001704"
    assert [n.source_id for n in place.values()] == ["x7c-625746", "f5j-624658", "g7h-624048"]
    assert all(n.source == "atexo:place" and n.raw_format == "atexo_html" for n in place.values())


def test_place_title(place):
    assert place["35692049"].title == (
        "AOO Prestations d'assurance Risques Statutaires pour les 4 Etablissements du GHT de l'Artois"
    )
    assert place["35620337"].title == "Diagnostic des réseaux électriques de la cathédrale de Nantes"


def test_place_object_differing_from_title_is_a_section(place):
    sections = place["35620337"].sections
    assert [(s.heading, s.kind) for s in sections] == [("Objet", "object")]
    assert sections[0].text.startswith("LOIRE-ATLANTIQUE- NANTES- Cathédrale Saint-Pierre et Saint-Paul")
    assert place["35692049"].sections == []


def test_place_buyer(place):
    assert place["35692049"].buyer_name == "Etablissements de Santé et Médico-sociaux"
    assert place["35620337"].buyer_name == "Ministère de la Culture"
    assert place["35664719"].buyer_name == "Ministère des armées"


def test_place_dates(place):
    assert place["35692049"].deadline == datetime(2020, 9, 16, 12, 0)
    assert place["35620337"].deadline == datetime(2020, 9, 15, 12, 0)
    assert place["35664719"].deadline == datetime(2020, 9, 29, 16, 0)
    assert all(n.published is None for n in place.values())  # these pages do not show the date of publication


def test_place_procedure(place):
    assert [n.procedure for n in place.values()] == [
        "Appel d'offres ouvert",
        "Procédure adaptée",
        "Appel d'offres restreint",
    ]
    assert all(n.notice_type == "contract_notice" for n in place.values())


def test_place_category(place):
    assert all(n.contract_nature == "services" for n in place.values())


def test_place_cpv_and_department(place):
    assert place["35692049"].cpv_codes == ["66512000"]
    assert place["35692049"].department == "62"
    assert place["35620337"].department == "44"
    assert place["35664719"].department is None  # "FRANCE"


def test_place_lots_are_only_in_the_popup(place):
    # "4 Lots" links to commun.PopUpDetailLots: the lots themselves are not on the page.
    assert place["35692049"].lots == []


def test_place_pages_declare_no_consideration(place):
    assert all(n.declared == [] for n in place.values())


def test_place_page_chrome_is_not_read(place):
    text = place["35692049"].full_text()
    for chrome in ("Mes coordonnées", "Toutes les consultations", "cookies", "Accueil", "SIREN"):
        assert chrome not in text


def test_megalis_error_page_raises():
    data = samples_path("atexo", "html", "megalisbretagne_atexo_error_page.html").read_bytes()
    with pytest.raises(ParseError, match="error page: The controller must return a response"):
        parse_atexo_detail(
            data, "https://marches.megalisbretagne.org/?page=entreprise.EntrepriseDetailsConsultation"
        )
    with pytest.raises(ParseError, match="not a search-result page"):
        parse_atexo_listing(
            data, "https://marches.megalisbretagne.org/?page=entreprise.EntrepriseAdvancedSearch"
        )


# --- the project's detail fixture ---------------------------------------------------------------------------


def test_reference(detail):
    assert detail.source_id == "a1b-482913"
    assert detail.source == "atexo:demat-ampa"
    assert detail.url == FIXTURE_URL


def test_title(detail):
    assert detail.title == "Entretien des espaces verts et nettoyage des voiries communales"


def test_buyer(detail):
    assert detail.buyer_name == "Commune de Pessac"


def test_dates(detail):
    assert detail.published == date(2024, 5, 6)
    assert detail.deadline == datetime(2024, 6, 14, 12, 0)


def test_procedure(detail):
    assert detail.procedure == "Appel d'offres ouvert"


def test_category(detail):
    assert detail.contract_nature == "services"


def test_cpv_and_place(detail):
    assert detail.cpv_codes == ["77310000", "90610000"]
    assert (detail.department, detail.country, detail.language) == ("33", "FR", "fr")


def test_lots(detail):
    assert [(lot.lot_id, lot.title, lot.cpv_codes) for lot in detail.lots] == [
        ("1", "Entretien des espaces verts", ["77310000", "77312000"]),
        ("2", "Nettoyage des voiries", ["90610000"]),
    ]
    assert detail.lots[0].description == (
        "Tonte, taille des haies et désherbage sans produits phytosanitaires.\n"
        "Gestion différenciée des parcs."
    )


def test_sections_with_headings_and_kinds(detail):
    assert [(s.heading, s.kind, s.lot) for s in detail.sections] == [
        ("Objet", "object", None),
        ("Conditions de participation", "participation", None),
        ("Critères d'attribution", "award_criteria", None),
        ("Marché réservé", "reservation", None),
        ("Renseignements complémentaires", "additional_info", None),
        ("Lot 1 : Entretien des espaces verts", "description", "1"),
        ("Lot 2 : Nettoyage des voiries", "description", "2"),
    ]
    criteria = detail.sections[2].text
    assert criteria.splitlines() == [
        "Prix des prestations : 50 %",
        "Valeur technique : 35 %",
        "Performance en matière de protection de l'environnement : 15 %",
    ]


def test_declared_considerations(detail):
    assert [(d.dimension, d.lever, d.lot) for d in detail.declared] == [
        (Dimension.SOCIAL, Lever.EXECUTION_CONDITION, None),
        (Dimension.ENVIRONMENTAL, Lever.EXECUTION_CONDITION, "1"),
        (Dimension.ENVIRONMENTAL, Lever.AWARD_CRITERION, "1"),
        (Dimension.SOCIAL, Lever.RESERVATION, "2"),
    ]
    assert detail.declared[0].evidence == "Clause sociale : Oui"


def test_negative_structured_field_declares_nothing(detail):
    assert "Clause environnementale : Non" not in [d.evidence for d in detail.declared]
    assert all(d.lot == "1" for d in detail.declared if d.dimension == Dimension.ENVIRONMENTAL)


def test_chrome_is_not_read(detail):
    text = detail.full_text()
    for chrome in (
        "Consultations en cours",
        "Guide",
        "mode d'emploi",
        "Autres consultations",
        "repas biologiques",
        "cookies",
        "Contact Administratif",
        "Assistance",
        "Recherche",
    ):
        assert chrome not in text


def test_windows_1252_page_reads_the_same(detail):
    data = read("detail_lots.html").decode("utf-8").replace("’", "'").encode("cp1252")
    assert parse_atexo_detail(data, FIXTURE_URL, "demat-ampa") == detail


def test_key_comes_from_the_page_when_the_url_has_none(place):
    """A saved page (`tenderwatch import`) keeps its key: the PRADO form posts back to the consultation's URL."""
    folder = samples_path("atexo", "html")
    data = (folder / "place_EntrepriseDemandeTelechargementDce_35692049.html").read_bytes()
    assert parse_atexo_detail(data, "/saved/35692049.html", "import").source_id == "x7c-625746"
    assert parse_atexo_detail(read("detail_lots.html"), "").source_id == "a1b-482913"


def test_same_reference_at_two_buyers_gives_two_notices():
    """Two buyers of one platform may both number a consultation "2024-ST-0042": two keys, not one notice."""
    other = FIXTURE_URL.replace("refConsultation=482913", "refConsultation=482950").replace("a1b", "z9q")
    first = parse_atexo_detail(read("detail_lots.html"), FIXTURE_URL)
    second = parse_atexo_detail(read("detail_lots.html"), other)
    assert (first.source_id, second.source_id) == ("a1b-482913", "z9q-482950")


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (AMPA + "/entreprise/consultation/482913?orgAcronyme=a1b", "a1b-482913"),
        (AMPA + "/?page=Entreprise.EntrepriseDetailsConsultation&id=77&orgAccronyme=b2", "b2-77"),
        (AMPA + "/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation=482913", "482913"),
    ],
)
def test_key_from_the_url_forms_atexo_uses(url, key):
    data = read("detail_lots.html").replace(b"refConsultation=482913", b"")
    assert parse_atexo_detail(data, url).source_id == key


def test_reference_is_the_key_of_a_page_without_any_number():
    data = read("detail_lots.html").replace(b"refConsultation=482913", b"")
    assert parse_atexo_detail(data, "/saved/page.html").source_id == "2024-ST-0042"
    with pytest.raises(ParseError, match="no reference and no consultation number"):
        parse_atexo_detail(data.replace(b">2024-ST-0042<", b"><"), "/saved/page.html")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty page"),
        (b"   \n", "empty page"),
        (b"\x00\xff\xfe garbage \x8b" * 50, "no closing </html>"),
        (None, "expected bytes"),
    ],
)
def test_unreadable_pages_raise(data, message):
    with pytest.raises(ParseError, match=message):
        parse_atexo_detail(data, FIXTURE_URL)


def test_truncated_page_raises():
    data = read("detail_lots.html")
    with pytest.raises(ParseError, match="truncated"):
        parse_atexo_detail(data[: len(data) // 2], FIXTURE_URL)


def test_search_result_page_is_not_a_consultation():
    with pytest.raises(ParseError, match="no consultation details"):
        parse_atexo_detail(read("listing_page1_of_2.html"), SEARCH)


def test_parse_error_names_where():
    with pytest.raises(ParseError) as caught:
        parse_atexo_detail(b"", FIXTURE_URL, where="crawl 12, page 3")
    assert caught.value.where == "crawl 12, page 3" and caught.value.fmt == "atexo_html"


# --- structured considerations: Atexo's labels to (dimension, lever) ----------------------------------------

RECAP = """<html><body><form><div class="main-part"><div id="recap-consultation">
<span id="x_reference">R-1</span><span id="x_intitule">Marché</span>
<div class="line"><div class="intitule-240 bold">{label} : </div><div class="content-bloc">{value}</div></div>
</div></div></form></body></html>"""


@pytest.mark.parametrize(
    ("label", "value", "expected"),
    [
        ("Clause sociale", "Oui", [("social", "execution_condition")]),
        ("Critère social", "Oui", [("social", "award_criterion")]),
        ("Marché réservé", "Oui", [("social", "reservation")]),
        ("Clauses sociales", "Insertion par l'activité économique", [("social", "reservation")]),
        ("Clause environnementale", "Oui", [("environmental", "execution_condition")]),
        ("Critère environnemental", "Oui", [("environmental", "award_criterion")]),
        ("Considérations sociales", "Oui", [("social", None)]),
        (
            "Considérations sociales",
            "Clause sociale, Critère social",
            [("social", "execution_condition"), ("social", "award_criterion")],
        ),
        (
            "Considérations environnementales",
            "Spécifications techniques ; Critères de sélection",
            [("environmental", "technical_specification"), ("environmental", "selection_criterion")],
        ),
        ("Achat responsable", "Clause environnementale", [("environmental", "execution_condition")]),
        (
            "Clauses sociales",
            "Condition d'exécution / Ateliers protégés",
            [("social", "execution_condition"), ("social", "reservation")],
        ),
        ("Considérations environnementales", "Pas de considération environnementale", []),
        ("Clause sociale", "Non", []),
        ("Marché réservé", "Non", []),
    ],
)
def test_structured_labels(label, value, expected):
    notice = parse_atexo_detail(RECAP.format(label=label, value=value).encode(), FIXTURE_URL)
    assert [(str(d.dimension), d.lever and str(d.lever)) for d in notice.declared] == expected
    assert notice.sections == []


def test_a_long_reserved_market_text_is_a_section_not_a_declaration():
    value = "Le présent marché est réservé aux entreprises adaptées (article L2113-12 du code)."
    notice = parse_atexo_detail(RECAP.format(label="Marché réservé", value=value).encode(), FIXTURE_URL)
    assert notice.declared == []
    assert [(s.heading, s.kind, s.text) for s in notice.sections] == [
        ("Marché réservé", "reservation", value)
    ]


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Objet du marché", "object"),
        ("Description des prestations", "description"),
        ("Conditions de participation", "participation"),
        ("Critères de sélection des candidatures", "participation"),
        ("Critères d'attribution", "award_criteria"),
        ("Conditions particulières d'exécution", "execution_conditions"),
        ("Clauses sociales et environnementales", "execution_conditions"),
        ("Marché réservé", "reservation"),
        ("Spécifications techniques", "technical_specification"),
        ("Renseignements complémentaires", "additional_info"),
        ("Allotissement", "lot"),
        ("Variante", "other"),
    ],
)
def test_section_kind(heading, kind):
    assert section_kind(heading) == kind
    assert kind in SECTION_KINDS


# --- listing pages ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page1():
    return parse_atexo_listing(read("listing_page1_of_2.html"), SEARCH)


@pytest.fixture(scope="module")
def page2():
    return parse_atexo_listing(read("listing_page2_of_2.html"), SEARCH)


def test_listing_detail_urls_absolute_and_once(page1):
    assert page1.detail_urls == [
        AMPA + "/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation=482913&orgAcronyme=a1b",
        AMPA + "/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation=482920&orgAcronyme=a1b",
        AMPA + "/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation=482931&orgAcronyme=k9q",
    ]


def test_listing_total(page1, page2):
    assert page1.total == page2.total == 5


def test_listing_next_page_postback(page1):
    next_page = page1.next_page
    assert next_page.action == SEARCH
    assert next_page.formdata["PRADO_PAGESTATE"].startswith("eJzt3V1v2zYUBuC")
    assert next_page.formdata["PRADO_POSTBACK_TARGET"] == "ctl0$CONTENU_PAGE$resultSearch$PagerTop$ctl2"
    assert next_page.formdata["PRADO_POSTBACK_PARAMETER"] == ""
    assert next_page.formdata["ctl0$CONTENU_PAGE$resultSearch$numPageTop"] == "1"
    assert all(isinstance(v, str) for v in next_page.formdata.values())


def test_listing_last_page_has_no_next(page2):
    assert page2.next_page is None
    assert [u.rsplit("refConsultation=", 1)[1] for u in page2.detail_urls] == [
        "482944&orgAcronyme=a1b",
        "482958&orgAcronyme=p2d",
    ]


def test_listing_without_results():
    data = read("listing_page2_of_2.html")
    start, end = (
        data.index(b'<div id="ctl0_CONTENU_PAGE_resultSearch_tableauResultSearch"'),
        data.index(b"</main>"),
    )
    empty = (
        data[:start]
        + b'<div id="ctl0_CONTENU_PAGE_resultSearch_panelNoElementFound">Aucun r\xc3\xa9sultat</div>'
    )
    empty = empty.replace(b'<span id="ctl0_CONTENU_PAGE_resultSearch_nombreElement">5</span>', b"")
    page = parse_atexo_listing(empty + data[end:], SEARCH)
    assert (page.detail_urls, page.total, page.next_page) == ([], None, None)
