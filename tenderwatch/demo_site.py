"""A fake Atexo MPE platform served locally, for the demo, the spider tests and the benchmark.

Pages have the shape of the real ones (one PRADO form per page; the "Détails de la consultation" recap with
ids ending in `_reference`, `_intitule`...; result rows with a "next" link paged by POST postbacks carrying
PRADO_PAGESTATE), so `crawler.parsers.atexo` reads them as it reads PLACE or demat-ampa:

    with serve(records, page_size=10) as site:
        site.search_url     # the listing: GET for page 1, then POST postbacks
        site.detail_url(0)  # ...?page=Entreprise.EntrepriseDetailsConsultation&refConsultation=1001&...

A record is a dict with the Notice field names (source_id, title, buyer_name, department, cpv_codes,
procedure, contract_nature, published, deadline, lots, sections, declared). `buyer_siret` is not rendered:
Atexo pages do not show it. Tests plug an `AnswerHook` into it (`faults=`) to make chosen requests fail: the
FaultPlan of tests/doubles.py (never shipped), keyed by request path, by a record's source_id or consultation
number, or by "listing:<page>".
"""

from __future__ import annotations

import base64
import json
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol, Self
from urllib.parse import parse_qsl, urlsplit

from models.notice import Notice
from crawler.parsers.atexo import PANEL_KINDS

DEFAULT_PLATFORM = {
    "name": "Démo AMPA",
    "org_acronyme": "d4m",
    "search_path": "/?page=Entreprise.EntrepriseAdvancedSearch&AllCons",
}
FIRST_NUMBER = 1001
PAGE_SIZES = (10, 20, 50, 100, 500)

_PREFIX = "ctl0_CONTENU_PAGE_idEntrepriseConsultationSummary_"
_RESULTS = "ctl0_CONTENU_PAGE_resultSearch_"
_RESULTS_NAME = "ctl0$CONTENU_PAGE$resultSearch$"
_NEXT_TARGET = _RESULTS_NAME + "PagerTop$ctl2"
_SIZE_TARGET = _RESULTS_NAME + "listePageSizeTop"
_JUMP_TARGET = _RESULTS_NAME + "DefaultButtonTop"
_LABEL = '<label class="col-md-4 col-xs-12 spacing-helper-m">'
_VALUE = '<span class="col-md-8 col-xs-12">'

_NATURE_LABELS = {"works": "Travaux", "supplies": "Fournitures", "services": "Services"}
_NOTICE_TYPES = {"prior_information": "Annonce d'information", "award_notice": "Annonce d'attribution"}
_PANEL_TOKENS = {kind: token for token, kind in PANEL_KINDS.items()}
_DECLARED_LINES = {
    "social": ("Considérations sociales", "ConsiderationsSociales"),
    "environmental": ("Considérations environnementales", "ConsiderationsEnvironnementales"),
}
_DECLARED_PHRASES = {
    "social": {
        "execution_condition": "Clause sociale",
        "award_criterion": "Critère social",
        "reservation": "Marché réservé",
        "technical_specification": "Spécification technique sociale",
        "selection_criterion": "Critère de sélection social",
        "contract_subject": "Objet du marché",
        None: "Oui",
    },
    "environmental": {
        "execution_condition": "Clause environnementale",
        "award_criterion": "Critère environnemental",
        "technical_specification": "Spécification technique environnementale",
        "selection_criterion": "Critère de sélection environnemental",
        "contract_subject": "Objet du marché",
        None: "Oui",
    },
}
_MONTHS = ("Janv.", "Févr.", "Mars", "Avr.", "Mai", "Juin", "Juil.", "Août", "Sept.", "Oct.", "Nov.", "Déc.")

_DEPARTMENT_NAMES = """01 Ain|02 Aisne|03 Allier|04 Alpes-de-Haute-Provence|05 Hautes-Alpes
|06 Alpes-Maritimes|07 Ardèche|08 Ardennes|09 Ariège|10 Aube|11 Aude|12 Aveyron|13 Bouches-du-Rhône
|14 Calvados|15 Cantal|16 Charente|17 Charente-Maritime|18 Cher|19 Corrèze|2A Corse-du-Sud|2B Haute-Corse
|21 Côte-d'Or|22 Côtes-d'Armor|23 Creuse|24 Dordogne|25 Doubs|26 Drôme|27 Eure|28 Eure-et-Loir
|29 Finistère|30 Gard|31 Haute-Garonne|32 Gers|33 Gironde|34 Hérault|35 Ille-et-Vilaine|36 Indre
|37 Indre-et-Loire|38 Isère|39 Jura|40 Landes|41 Loir-et-Cher|42 Loire|43 Haute-Loire|44 Loire-Atlantique
|45 Loiret|46 Lot|47 Lot-et-Garonne|48 Lozère|49 Maine-et-Loire|50 Manche|51 Marne|52 Haute-Marne
|53 Mayenne|54 Meurthe-et-Moselle|55 Meuse|56 Morbihan|57 Moselle|58 Nièvre|59 Nord|60 Oise|61 Orne
|62 Pas-de-Calais|63 Puy-de-Dôme|64 Pyrénées-Atlantiques|65 Hautes-Pyrénées|66 Pyrénées-Orientales
|67 Bas-Rhin|68 Haut-Rhin|69 Rhône|70 Haute-Saône|71 Saône-et-Loire|72 Sarthe|73 Savoie|74 Haute-Savoie
|75 Paris|76 Seine-Maritime|77 Seine-et-Marne|78 Yvelines|79 Deux-Sèvres|80 Somme|81 Tarn
|82 Tarn-et-Garonne|83 Var|84 Vaucluse|85 Vendée|86 Vienne|87 Haute-Vienne|88 Vosges|89 Yonne
|90 Territoire de Belfort|91 Essonne|92 Hauts-de-Seine|93 Seine-Saint-Denis|94 Val-de-Marne|95 Val-d'Oise
|971 Guadeloupe|972 Martinique|973 Guyane|974 La Réunion|976 Mayotte"""
DEPARTMENTS = dict(item.strip().split(" ", 1) for item in _DEPARTMENT_NAMES.split("|"))


# --- test seam ----------------------------------------------------------------------------------------------


class AnswerHook(Protocol):
    """What a test plugs into a served platform to change chosen answers (tests/doubles.py's FaultPlan)."""

    def answer(self, keys: list[str], path: str, status: int, body: bytes, headers: dict,
               platform_name: str) -> tuple[int, bytes]:
        """The status and body to send instead of (status, body); `headers` may be updated in place."""


# --- records and values -------------------------------------------------------------------------------------


def _record(record: dict | Notice) -> dict:
    """A consultation record as a dict with every list the pages use."""
    data = record.to_dict() if isinstance(record, Notice) else dict(record)
    for key in ("lots", "sections", "declared", "cpv_codes"):
        data[key] = list(data.get(key) or [])
    return data


def _when(value, with_time: bool) -> str:
    """dd/mm/yyyy (HH:MM) from a date, a datetime or an ISO string; "" when absent."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    if with_time and isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def _lines(text: str) -> str:
    """Escaped text with its line breaks as <br/>."""
    return "<br/>".join(escape(line) for line in str(text or "").split("\n"))


def _place(department: str | None) -> str:
    """ "(33) Gironde" as Atexo writes a lieu d'exécution."""
    if not department:
        return "FRANCE"
    return f"({department}) {DEPARTMENTS.get(department, '')}".strip()


def _nature(record: dict) -> str:
    """Travaux, Fournitures or Services."""
    return _NATURE_LABELS.get(record.get("contract_nature") or "", "")


def _cpv(codes: list[str], main_id: str | None = None) -> str:
    """CPV codes as the Atexo referential shows them: the main one marked, the others one per line."""
    if not codes:
        return "-"
    main = f'<span id="{main_id}">{escape(codes[0])}</span>' if main_id else escape(codes[0])
    return main + " (Code principal)" + "".join(f"<br/>{escape(code)}" for code in codes[1:])


def _lots_popup(org: str, number: int) -> str:
    """The javascript link to the "Détail des lots" pop-up."""
    return (
        "javascript:popUp('index.php?page=commun.PopUpDetailLots"
        f"&amp;orgAccronyme={org}&amp;refConsultation={number}&amp;lang=fr','yes')"
    )


# --- page skeleton ------------------------------------------------------------------------------------------


def _page(title: str, action: str, state: str, content: str, platform_name: str) -> bytes:
    """The Atexo layout around a page's content: head, PRADO form, bandeau, footer, cookie banner."""
    search = "/?page=Entreprise.EntrepriseAdvancedSearch&amp;"
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta http-equiv="X-UA-Compatible" content="IE=edge"/>
<title>{escape(platform_name)} - {escape(title)}</title>
<link rel="stylesheet" type="text/css" href="/themes/css/ng-style.css?k=demo" media="all"/>
<script src="/themes/js/jquery.min.js?k=demo"></script>
</head>
<body class=" ">
<form id="ctl0_ctl2" method="post" action="{escape(action)}" name="main_form">
<div style="visibility:hidden;">
<input type="hidden" name="PRADO_PAGESTATE" id="PRADO_PAGESTATE" value="{state}" />
<input type="hidden" name="PRADO_POSTBACK_TARGET" id="PRADO_POSTBACK_TARGET" value="" />
<input type="hidden" name="PRADO_POSTBACK_PARAMETER" id="PRADO_POSTBACK_PARAMETER" value="" />
</div>
<!--Debut Bandeau-->
<header id="header" class="bandeau-entreprise">
  <a class="sr-only" href="#middle">Aller au contenu</a>
  <div class="navbar-brand">{escape(platform_name)}</div>
  <input name="ctl0$bandeauEntrepriseWithoutMenuSf$quickSearch" type="text" value="Recherche rapide"
         id="ctl0_bandeauEntrepriseWithoutMenuSf_quickSearch" title="Recherche rapide" />
  <ul class="nav navbar-nav">
    <li><a href="{search}AllCons">Consultations en cours</a></li>
    <li><a href="{search}AvisAttribution">Toutes les annonces d'attribution</a></li>
    <li><a href="{search}searchAnnCons">Recherche avancée</a></li>
    <li><a href="/?page=Entreprise.EntrepriseGuide&amp;Aide">Guide : intégrer une clause sociale</a></li>
    <li><a href="/?page=Entreprise.EntrepriseAide">Aide - Critères environnementaux</a></li>
  </ul>
</header>
<!--Fin Bandeau-->
<main id="middle" class="clear-top atx-middle" role="main">
<div class="container"><div class="clearfix">
<div id="ctl0_CONTENU_PAGE_mainPart" class="main-part">
  <div class="clearfix"><ul class="breadcrumb">
    <li><a href="?page=Entreprise.AccueilEntreprise">Accueil</a></li>
    <li>Consultations</li>
    <li>{escape(title)}</li>
  </ul></div>
  <div id="divValidationSummary" style="display:none"
       class="bloc-message form-bloc-conf msg-erreur erreur-danger">
    <div class="alert alert-danger" role="alert">Erreur de saisie.</div>
  </div>
{content}
</div>
<aside class="bloc-actualites">
  <h2 class="h4">À la une</h2>
  <p>Webinaire : répondre à un marché comportant des clauses sociales et environnementales.</p>
  <p>Nouveau : le marché réservé aux structures d'insertion expliqué aux entreprises.</p>
</aside>
</div></div>
</main>
<footer id="footer">
  <a href="/?page=Entreprise.ConditionsUtilisation&amp;calledFrom=entreprise">Conditions d'utilisation</a>
  <a href="/?page=Entreprise.InfoSite">InfoSite</a> Assistance téléphonique 0 000 00 00 00
</footer>
<div id="cookie-banner" class="cookie-banner" role="dialog">
  Ce site utilise des cookies pour mesurer son audience. <button type="button">Accepter</button>
</div>
</form>
</body>
</html>
""".encode()


def _state(**values) -> str:
    """A PRADO_PAGESTATE-like value (zlib + base64, as the real ones) holding the listing's position."""
    return base64.b64encode(zlib.compress(json.dumps(values).encode())).decode("ascii")


def _read_state(value: str) -> dict:
    """The position a PRADO_PAGESTATE value holds; ValueError when it is not one of ours."""
    try:
        state = json.loads(zlib.decompress(base64.b64decode(value.encode("ascii"), validate=True)))
        page = state["page"]
    except (ValueError, TypeError, KeyError, zlib.error) as exc:
        raise ValueError(f"invalid PRADO_PAGESTATE: {exc!r}") from None
    if type(page) is not int:
        raise ValueError("invalid PRADO_PAGESTATE: no page number")
    return state


def error_page(message: str, platform_name: str = DEFAULT_PLATFORM["name"]) -> bytes:
    """An Atexo error page (the layout with its `form-bloc-erreur` message), as the Mégalis sample."""
    content = f"""<div class="repondre-consultation detailConsultaion"><div class="container">
<div class="form-bloc-erreur"><div class="content"><div class="message bloc-700">
<img src="/themes/images/picto-erreur.gif" class="picto-erreur" alt="Erreur" />
<span id="labelMessage" style="color:red"> {escape(message)}</span>
</div></div></div></div></div>"""
    return _page("Erreur", "/?page=Entreprise.EntrepriseAccueil", _state(page=0), content, platform_name)


# --- detail page --------------------------------------------------------------------------------------------


def detail_path(number: int, org: str = DEFAULT_PLATFORM["org_acronyme"]) -> str:
    """The path of a consultation's detail page."""
    return f"/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation={number}&orgAcronyme={org}"


def render_detail(
    record: dict | Notice,
    number: int = FIRST_NUMBER,
    org: str = DEFAULT_PLATFORM["org_acronyme"],
    platform_name: str = DEFAULT_PLATFORM["name"],
) -> bytes:
    """A consultation's EntrepriseDetailsConsultation page."""
    record = _record(record)
    content = _recap(record, number, org) + _lots_panel(record)
    state = _state(page=0, consultation=number)
    return _page("Détail de la consultation", detail_path(number, org), state, content, platform_name)


def _field(label: str, span_id: str, value: str) -> str:
    """A "label : value" field of the recap's head (reference, title, object)."""
    return f"""<div class="col-md-10 text-justify">{_LABEL}{escape(label)} :</label>
{_VALUE}<span id="{_PREFIX}{span_id}">{escape(value)}</span></span></div>
"""


def _item(label: str, span_id: str, value_html: str) -> str:
    """A "label : value" item of the recap's list."""
    return f"""<li class="clearfix">{_LABEL}{escape(label)} :</label>
{_VALUE}<span id="{_PREFIX}{span_id}">{value_html}</span></span></li>
"""


def _line(line_id: str, heading: str, body_html: str) -> str:
    """A `div.line` of the detail panel ("intitule" label, "content-bloc" value)."""
    return f"""<div id="{line_id}" class="line">
<div class="intitule-240 bold">{escape(heading)} : </div>
<div class="content-bloc bloc-500">{body_html}</div>
</div>
"""


def _section_lines(sections: list[dict], prefix: str) -> str:
    """Sections as detail lines whose ids name their kind (`..._panelCriteresAttribution2`)."""
    return "".join(
        _line(
            f"{prefix}panel{_PANEL_TOKENS.get(s.get('kind') or 'other', 'AutresInformations')}{i}",
            s["heading"],
            _lines(s["text"]),
        )
        for i, s in enumerate(sections)
    )


def _declared_lines(declared: list[dict], prefix: str) -> str:
    """Declared considerations as "Considérations sociales : Clause sociale, Critère social" lines."""
    lines = []
    for dimension, (label, token) in _DECLARED_LINES.items():
        phrases = [
            _DECLARED_PHRASES[dimension].get(d.get("lever"))
            for d in declared
            if str(d.get("dimension")) == dimension
        ]
        phrases = list(dict.fromkeys(p for p in phrases if p))
        if phrases:
            value = f'<span id="{prefix}{token[0].lower()}{token[1:]}">{escape(", ".join(phrases))}</span>'
            lines.append(_line(f"{prefix}panel{token}", label, value))
    return "".join(lines)


def _object_text(record: dict) -> str:
    """The recap's "Objet": the record's object section, else its title."""
    found = [s["text"] for s in record["sections"] if s.get("kind") == "object" and not s.get("lot")]
    return " ".join(found[0].split()) if found else record.get("title", "")


def _recap(record: dict, number: int, org: str) -> str:
    """The "Détails de la consultation" block (recap-consultation), with its detail lines."""
    lots = record["lots"]
    lots_item = (
        f"""<li class="clearfix">{_LABEL}Allotissement :</label>
{_VALUE}<a id="{_PREFIX}linkDetailLots" href="{_lots_popup(org, number)}">
<span id="{_PREFIX}nbrLots">{len(lots)} Lots</span></a></span></li>
"""
        if lots
        else ""
    )
    deadline = f'<span class="text-success"><strong>{_when(record.get("deadline"), True)}</strong></span>'
    place = escape(_place(record.get("department")))
    notice_type = _NOTICE_TYPES.get(record.get("notice_type") or "", "Annonce de consultation")
    sections = [s for s in record["sections"] if not s.get("lot")]
    declared = [d for d in record["declared"] if not d.get("lot")]
    return f"""<!--BEGIN RECAP CONSULTATION-->
<div class="form-bloc form-horizontal recap-infos-consultation" id="recap-consultation">
<div class="panel panel-default" id="collapseHeading">
<div class="panel-heading clearfix" role="button">
<h1 class="h4 panel-title">Détails de la consultation</h1></div>
<div id="collapseBodyInfo" class="panel-collapse recap-body panel-body clearfix collapse in">
<div class="recap-bloc">
<div class="clearfix item_consultation">
<div class="col-md-10"><span class="col-md-8 col-xs-12"><div id="{_PREFIX}panelDateLimiteRemisePlis">
<label class="control-label">Date et heure limite de remise des plis :</label>
<span id="{_PREFIX}dateHeureLimiteRemisePlis">{deadline}</span>
<span class="small"><span id="{_PREFIX}libelleHeureLocalisation">(heure de Paris)</span></span>
<img src="/themes/images/reponse-elec-oblig-avec-signature.gif" alt="" id="{_PREFIX}pictCertificat"
     title="Réponse électronique obligatoire pour cette consultation." />
</div></span></div>
{_field("Référence", "reference", record.get("source_id", ""))}\
{_field("Intitulé", "intitule", record.get("title", ""))}\
{_field("Objet", "objet", _object_text(record))}\
</div>
<ul id="collapseInfo" class="panel-collapse collapseBody list-unstyled clearfix collapse in">
<li><hr /></li>
<li class="col-md-6"><ul class="list-unstyled">
{_item("Entité publique", "entitePublique", escape(record.get("buyer_name") or ""))}\
{_item("Entité d'Achat", "entiteAchat", escape(record.get("buyer_name") or ""))}\
{_item("Type d'annonce", "annonce", escape(notice_type))}\
{_item("Procédure", "typeProcedure", escape(record.get("procedure") or ""))}\
{_item("Date de mise en ligne", "dateMiseEnLigne", _when(record.get("published"), False))}\
</ul></li>
<li class="col-md-6"><ul class="list-unstyled">
{_item("Catégorie principale", "categoriePrincipale", _nature(record))}\
{lots_item}<li class="clearfix"><div>{_LABEL}Code CPV :</label>
{_VALUE}<input type="hidden" name="ctl0$CONTENU_PAGE$idEntrepriseConsultationSummary$idAtexoRef$casRef"
       id="{_PREFIX}idAtexoRef_casRef" value="cas4" />
{_cpv(record["cpv_codes"], _PREFIX + "idAtexoRef_scriptRef")}</span></div></li>
<li class="clearfix"><div class="line">{_LABEL}Lieu d'exécution :</label>
{_VALUE}<span id="{_PREFIX}lieuxExecutions">{place}</span></span></div></li>
</ul></li>
</ul>
</div>
<div id="{_PREFIX}infosPrincipales">
<div id="{_PREFIX}panelVariante" class="line" style="display:none;">
<div class="intitule-240 bold">Variante : </div>
<div class="content-bloc bloc-500"><span id="{_PREFIX}varianteValeur"></span></div>
</div>
{_section_lines(sections, _PREFIX)}{_declared_lines(declared, _PREFIX)}\
{_line(_PREFIX + "panelContcatAdministratif", "Contact Administratif", "Service de la commande publique")}\
</div>
</div></div></div>
<!--END RECAP CONSULTATION-->
"""


def _lots_panel(record: dict) -> str:
    """The lots, in the shape of the "Détail des lots" pop-up (repeaterLots_ctlN blocks)."""
    if not record["lots"]:
        return ""
    blocks = []
    for i, lot in enumerate(record["lots"]):
        prefix = f"ctl0_CONTENU_PAGE_repeaterLots_ctl{i}_"
        lot_id = str(lot.get("lot_id", i + 1))
        description = f'<span id="{prefix}descriptionLot">{_lines(lot.get("description", ""))}</span>'
        cpv = f'<span id="{prefix}cpvLot">{_cpv(lot.get("cpv_codes") or [])}</span>'
        sections = [s for s in record["sections"] if str(s.get("lot") or "") == lot_id]
        declared = [d for d in record["declared"] if str(d.get("lot") or "") == lot_id]
        blocks.append(f"""<div id="{prefix}panelLot" class="lot-bloc panel-body">
<h3 class="h5"><span id="{prefix}numLot">Lot {escape(lot_id)}</span> -
<span id="{prefix}intituleLot">{escape(lot.get("title", ""))}</span></h3>
{_line(prefix + "panelDescription", "Description", description)}\
{_line(prefix + "panelCpv", "Code CPV", cpv)}\
{_section_lines(sections, prefix)}{_declared_lines(declared, prefix)}</div>
""")
    return f"""<div id="ctl0_CONTENU_PAGE_panelDetailLots" class="panel panel-default">
<div class="panel-heading"><h2 class="h4 panel-title">Détail des lots</h2></div>
{"".join(blocks)}</div>
"""


# --- listing page -------------------------------------------------------------------------------------------


def _row(position: int, record: dict, number: int, org: str) -> str:
    """One consultation of the result list (div.item_consultation)."""
    prefix = f"{_RESULTS}tableauResultSearch_ctl{position}_"
    name = f"{_RESULTS_NAME}tableauResultSearch$ctl{position}$"
    published = _when(record.get("published"), False)
    day, month, year = published.split("/") if published else ("", "", "")
    month = _MONTHS[int(month) - 1] if month else ""
    return f"""<div class="item_consultation clearfix" id="{prefix}panelItem">
<input type="hidden" name="{name}refCons" id="{prefix}refCons" value="{number}" />
<input type="hidden" name="{name}orgCons" id="{prefix}orgCons" value="{org}" />
<div class="date"><span class="day">{day}</span> <span class="month">{month}</span>
<span class="year">{year}</span></div>
<div class="cons_categorie"><span>{escape(_nature(record))}</span></div>
<div class="cons_procedure"><span>{escape(record.get("procedure") or "")}</span></div>
<div class="objet-line">
<span id="{prefix}reference" class="ref">{escape(record.get("source_id", ""))}</span></div>
<div id="{prefix}panelBlocObjet" class="objet-line">
<strong>Objet : </strong>{escape(record.get("title", ""))}</div>
<div id="{prefix}panelBlocDenomination" class="objet-line">
<strong>Acheteur public : </strong>{escape(record.get("buyer_name") or "")}</div>
<div id="{prefix}panelBlocLieuxExec">{escape(_place(record.get("department")))}</div>
<div class="cons_dateEnd"><span>{escape(_when(record.get("deadline"), True))}</span></div>
<div class="actions">
<a href="{escape(detail_path(number, org))}" title="Accéder à la consultation">Accéder à la consultation</a>
<a href="{_lots_popup(org, number)}">Lots</a>
</div>
</div>
"""


def _pager_control(n: int, label: str, active: bool) -> str:
    """First (0), previous (1), next (2) or last (3) page: a PRADO link button, an image when inactive."""
    control = f"{_RESULTS}PagerTop_ctl{n}"
    if not active:
        return f'<img src="/themes/images/pager-{n}-off.gif" alt="{label}" />'
    return (
        f'<a id="{control}" href="javascript:;//{control}">{label}</a>\n'
        f"<script>new Prado.WebUI.TLinkButton({{'ID':\"{control}\","
        f"'EventTarget':\"{_RESULTS_NAME}PagerTop$ctl{n}\"}});</script>\n"
    )


def _pager(page: int, pages: int, total: int, size: int) -> str:
    """The result counter, page size, page number and first/previous/next/last controls."""
    options = "".join(
        f'<option value="{s}"{" selected" if s == size else ""}>{s}</option>'
        for s in sorted({size, *PAGE_SIZES})
    )
    return f"""<div class="pagination clearfix" id="{_RESULTS}panelPagerTop">
<span id="{_RESULTS}nombreElement">{total}</span> résultats
<select name="{_SIZE_TARGET}" id="{_RESULTS}listePageSizeTop">{options}</select>
<input name="{_RESULTS_NAME}numPageTop" type="text" value="{page}" id="{_RESULTS}numPageTop" />
/ <span id="{_RESULTS}nombrePageTop">{pages}</span>
{_pager_control(0, "Première page", page > 1)}{_pager_control(1, "Page précédente", page > 1)}\
{_pager_control(2, "Page suivante", page < pages)}{_pager_control(3, "Dernière page", page < pages)}
</div>
"""


# --- the platform -------------------------------------------------------------------------------------------


class DemoPlatform:
    """The pages of a fake Atexo platform holding `records`, `page_size` results per listing page."""

    def __init__(self, records: Iterable[dict | Notice], page_size: int = 10, platform: dict | None = None):
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        settings = {**DEFAULT_PLATFORM, **(platform or {})}
        self.name: str = settings["name"]
        self.org: str = settings.get("org_acronyme") or DEFAULT_PLATFORM["org_acronyme"]
        self.search_path: str = settings.get("search_path") or DEFAULT_PLATFORM["search_path"]
        self.page_size = page_size
        self.records = [_record(r) for r in records]
        self._details: dict[int, bytes] = {}
        self._lock = threading.Lock()

    def number(self, index: int) -> int:
        """The consultation number (refConsultation) of the record at `index`."""
        return FIRST_NUMBER + index

    def index(self, number: int) -> int | None:
        """The record index of a consultation number, None when there is no such consultation."""
        index = number - FIRST_NUMBER
        return index if 0 <= index < len(self.records) else None

    def key(self, index: int) -> str:
        """The record's key once crawled (its notice's source_id): "<orgAcronyme>-<refConsultation>"."""
        return f"{self.org}-{self.number(index)}"

    def keys(self) -> dict[str, str]:
        """Each record's reference (the "Référence" its page shows, its `source_id` in the corpus) -> its key."""
        return {str(r.get("source_id", "")): self.key(i) for i, r in enumerate(self.records)}

    def detail_path(self, index: int) -> str:
        """The detail page path of the record at `index`."""
        return detail_path(self.number(index), self.org)

    def detail(self, index: int) -> bytes:
        """The detail page of the record at `index` (rendered once)."""
        with self._lock:
            if index not in self._details:
                record = self.records[index]
                self._details[index] = render_detail(record, self.number(index), self.org, self.name)
            return self._details[index]

    def pages(self, size: int | None = None) -> int:
        """How many listing pages there are."""
        return max(1, -(-len(self.records) // (size or self.page_size)))

    def listing(self, page: int, size: int | None = None) -> bytes:
        """Listing page `page` (from 1): the result rows, the pager and the PRADO form posting to itself."""
        size = size or self.page_size
        start = (page - 1) * size
        indexes = range(start, min(start + size, len(self.records)))
        rows = "".join(
            _row(position, self.records[i], self.number(i), self.org) for position, i in enumerate(indexes, 1)
        )
        empty = (
            f'<div id="{_RESULTS}panelNoElementFound">Aucun résultat ne correspond à votre recherche.</div>'
        )
        content = f"""<div id="ctl0_CONTENU_PAGE_panelResult"><div id="{_RESULTS}panelElementsFound">
<h1 class="h4">Résultats de la recherche</h1>
{_pager(page, self.pages(size), len(self.records), size)}
<div id="{_RESULTS}tableauResultSearch" class="table-results">
{rows or empty}
</div>
</div></div>
"""
        return _page("Recherche avancée", self.search_path, _state(page=page, size=size), content, self.name)

    def postback(self, form: dict[str, str]) -> tuple[int, int]:
        """The listing page and page size a PRADO postback asks for; ValueError when there is none."""
        state = _read_state(form.get("PRADO_PAGESTATE", ""))
        target = form.get("PRADO_POSTBACK_TARGET", "")
        page, size = state["page"], int(state.get("size") or self.page_size)
        if target == _NEXT_TARGET:
            page += 1
        elif target == _SIZE_TARGET:
            page, size = 1, int(form.get(_SIZE_TARGET, size))
        elif target == _JUMP_TARGET:
            page = int(form.get(_RESULTS_NAME + "numPageTop", page))
        if size not in (*PAGE_SIZES, self.page_size) or not 1 <= page <= self.pages(size):
            raise ValueError(f"no page {page} of {size} results")
        return page, size


# --- HTTP ---------------------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """Serves one request of the demo platform (GET pages, POST postbacks, robots.txt), faults first."""

    server_version = "Apache"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:
        """Quiet: requests are recorded in `DemoServer.requests`."""

    def do_GET(self) -> None:
        self._answer({})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self._answer(dict(parse_qsl(body, keep_blank_values=True)))

    def _answer(self, form: dict[str, str]) -> None:
        site: DemoServer = self.server.site  # type: ignore[attr-defined]
        status, body, keys = site.route(self.command, self.path, form)
        headers = {
            "Content-Type": "text/plain; charset=utf-8"
            if self.path == "/robots.txt"
            else "text/html; charset=utf-8"
        }
        if site.faults is not None:
            status, body = site.faults.answer([self.path, *keys], self.path, status, body, headers,
                                              site.platform.name)
        site.log(self.command, self.path, status)
        self.send_response(status)
        headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    # A crawl opens many connections at once: with the default listen backlog (5) the kernel drops the extra
    # connection attempts, which the client retries a second later (a stall, or a timeout under a low
    # DOWNLOAD_TIMEOUT).
    request_queue_size = 128


@dataclass
class DemoServer:
    """A running demo platform: `base_url`, `search_url`, `detail_url(i)`; a context manager that stops it."""

    platform: DemoPlatform
    host: str = "127.0.0.1"
    port: int = 0
    faults: AnswerHook | None = None
    requests: list[tuple[str, str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.site = self  # type: ignore[attr-defined]
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._log_lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def search_url(self) -> str:
        return self.base_url + self.platform.search_path

    def detail_url(self, index: int) -> str:
        """The absolute URL of the record at `index`."""
        return self.base_url + self.platform.detail_path(index)

    def start(self) -> Self:
        """Serve in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def log(self, method: str, path: str, status: int) -> None:
        """Record a request (method, path, status) in `requests`."""
        with self._log_lock:
            self.requests.append((method, path, status))

    def route(self, method: str, path: str, form: dict[str, str]) -> tuple[int, bytes, list[str]]:
        """Status, body and fault keys of a request."""
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", ["robots"]
        parts = urlsplit(path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        page = query.get("page", "").lower() if parts.path in ("/", "/index.php") else ""
        if page == "entreprise.entrepriseadvancedsearch":
            return self._listing(method, form)
        if page == "entreprise.entreprisedetailsconsultation":
            return self._detail(query)
        return 404, error_page("La page demandée n'existe pas.", self.platform.name), []

    def _listing(self, method: str, form: dict[str, str]) -> tuple[int, bytes, list[str]]:
        """Page 1 on GET; the page a PRADO postback asks for on POST (500 when there is none, as Atexo)."""
        if method != "POST" or "PRADO_PAGESTATE" not in form:
            return 200, self.platform.listing(1), ["listing", "listing:1"]
        try:
            page, size = self.platform.postback(form)
        except ValueError as exc:
            return 500, error_page(f"Erreur technique : {exc}", self.platform.name), ["listing"]
        return 200, self.platform.listing(page, size), ["listing", f"listing:{page}"]

    def _detail(self, query: dict[str, str]) -> tuple[int, bytes, list[str]]:
        """A consultation's page by refConsultation (or id) and orgAcronyme; 404 for an unknown one."""
        number = query.get("refConsultation") or query.get("id") or ""
        index = self.platform.index(int(number)) if number.isdigit() else None
        if index is None or query.get("orgAcronyme") != self.platform.org:
            message = "La consultation n'existe pas ou n'est plus en ligne."
            return 404, error_page(message, self.platform.name), [number]
        record = self.platform.records[index]
        return 200, self.platform.detail(index), [str(record.get("source_id", "")), number]


def serve(
    records: Iterable[dict | Notice],
    host: str = "127.0.0.1",
    port: int = 0,
    page_size: int = 10,
    faults: AnswerHook | None = None,
    platform: dict | None = None,
) -> DemoServer:
    """Start a demo Atexo platform in a daemon thread (port 0: any free port); use it as a context manager."""
    return DemoServer(DemoPlatform(records, page_size, platform), host, port, faults).start()
