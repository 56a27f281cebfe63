"""Atexo / Local Trust MPE pages (demat-ampa, PLACE, Mégalis, Maximilien...): consultations, search results.

Atexo MPE is a PRADO application: every page is one big form (`PRADO_PAGESTATE`) and each field of a
consultation sits in an element whose id ends with the field's name, under a prefix that depends on the page
(`ctl0_CONTENU_PAGE_idEntrepriseConsultationSummary_reference` on EntrepriseDetailsConsultation,
`ctl0_CONTENU_PAGE_ctl7_reference` on the DCE download page). The parser therefore matches id *suffixes*
inside the "Détails de la consultation" block (`#recap-consultation`), with the visible French labels as a
fallback, and never reads the page chrome (menus, search box, other consultations, cookie banner).

`source_id` is the platform's own key of the consultation, "<orgAcronyme>-<refConsultation>", read from the
page's URL or else from the page itself (its PRADO form posts back to the consultation's URL). The buyer's
"Référence" shown on the page is not unique on a platform (two buyers of PLACE both have a "2020-141"), so it is
the key only of a page that carries no consultation number at all. The deadline is the wall-clock time shown
(heure de Paris), without a timezone, as for the other sources.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from crawler.parsers.common import unique_declared
from crawler.parsers.errors import ParseError, parser
from models.dates import read_date, read_datetime
from models.notice import DeclaredConsideration as Declared
from models.notice import Lot, Notice, Section
from models.sections import label_kind
from models.text import fold, one_line
from models.vocabulary import Dimension, Lever

FMT = "atexo_html"
MAX_PAGE_BYTES = 20 * 1024 * 1024

# --- page recognition ---------------------------------------------------------------------------------------

_DETAIL_HREF = re.compile(
    r"[?&]page=entreprise\.EntrepriseDetails?Consultation\b|/entreprise/consultation/\d+", re.IGNORECASE
)
_DETAIL_PARAMS = ("page", "refConsultation", "id", "orgAcronyme")
_HIDDEN = "ancestor-or-self::*[contains(translate(@style, ' ', ''), 'display:none')]"

# Each field of the recap block: the id suffixes Atexo uses, then the labels shown in front of it.
_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "reference": (("_reference",), ("reference",)),
    "title": (("_intitule",), ("intitule",)),
    "object": (("_objet",), ("objet",)),
    "buyer": (("_entitePublique", "_organisme"), ("entite publique", "organisme", "acheteur public")),
    "purchasing_entity": (("_entiteAchat",), ("entite d'achat", "service")),
    "notice_type": (("_annonce", "_typeAnnonce"), ("type d'annonce",)),
    "procedure": (("_typeProcedure",), ("procedure", "type de procedure")),
    "category": (("_categoriePrincipale", "_categorie"), ("categorie principale", "categorie")),
    "cpv": (("_idAtexoRef_scriptRef", "_codesCpv"), ("code cpv", "codes cpv")),
    "place": (("_lieuxExecutions", "_lieuxExecution"), ("lieu d'execution", "lieux d'execution")),
    "deadline": (
        ("_dateHeureLimiteRemisePlis", "_dateLimiteRemisePlis"),
        ("date et heure limite de remise des plis", "date limite de remise des plis"),
    ),
    "published": (("_dateMiseEnLigne", "_datePublication"), ("date de mise en ligne", "date de publication")),
}

_NATURES = {"travaux": "works", "fourniture": "supplies", "service": "services"}
_NOTICE_TYPES = {
    "attribution": "award_notice",
    "information": "prior_information",
    "consultation": "contract_notice",
}

# --- sections -----------------------------------------------------------------------------------------------

# The kind of a detail line from the end of its id (`..._panelCriteresAttribution`), as Atexo names panels.
PANEL_KINDS: dict[str, str] = {
    "Titre": "title",
    "Objet": "object",
    "Description": "description",
    "Allotissement": "lot",
    "ConditionsParticipation": "participation",
    "CriteresAttribution": "award_criteria",
    "ConditionsExecution": "execution_conditions",
    "MarcheReserve": "reservation",
    "SpecificationsTechniques": "technical_specification",
    "RenseignementsComplementaires": "additional_info",
    "AutresInformations": "other",
}
_PANEL_ID = re.compile(r"_panel([A-Za-z]+?)\d*$")

# Detail lines that are about how to answer, not about the contract.
_SKIPPED_HEADINGS = re.compile(r"contact|adresse|prix d.acquisition|caution|lieu d.ouverture|date et heure")

# --- declared considerations --------------------------------------------------------------------------------

_STRUCTURED_LABEL = re.compile(
    r"^(clauses? sociales?|clauses? environnementales?|considerations? sociales?"
    r"|considerations? environnementales?"
    r"|achats? responsables?|criteres? soci(al|aux)|criteres? environnementa(l|ux)|marches? reserves?"
    r"|dispositions? (sociales?|environnementales?)|clauses? sociales? (et|/) environnementales?)$"
)
# Words per item: "Clause sociale, Critère social" is a structured field, a sentence is a section.
_MAX_DECLARED_WORDS = 6
_NEGATIVE = re.compile(r"^(non|aucune?s?|sans|-|n/?a|nc|pas de\b.*|aucune?\b.*|non\b.*)$")
_RESERVED = re.compile(
    r"reserv|ateliers? proteges?|esat\b|entreprises? adaptees?|insertion par l.activite economique|siae\b"
    r"|economie sociale"
)
_SOCIAL = re.compile(r"soci|insertion|handicap|reserv|ateliers? proteges?|esat\b")
_ENVIRONMENTAL = re.compile(r"environnement|ecolog|durable")
_ITEMS = re.compile(r"[,;/\n]|\s[-–]\s")
_PICTOGRAM = re.compile(
    r"(clauses?|criteres?|considerations?|dispositions?) (sociales?|soci(al|aux)|environnementa\w*)"
    r"|marches? reserves?"
)


@dataclass
class NextPage:
    """The PRADO postback to the next result page: `FormRequest(url=action, formdata=formdata)`."""

    action: str
    formdata: dict[str, str]


@dataclass
class ListingPage:
    """A search-result page: its consultations' detail URLs, the total shown, and the way to the next page."""

    detail_urls: list[str] = field(default_factory=list)
    total: int | None = None
    next_page: NextPage | None = None


# --- public functions ---------------------------------------------------------------------------------------


@parser(FMT, where=("where", "url"))
def parse_atexo_detail(data: bytes, url: str, platform: str = "atexo", where: str | None = None) -> Notice:
    """One consultation page (EntrepriseDetailsConsultation, or any page with its recap block) -> Notice."""
    where = where or url
    doc = _document(data, where)
    recap = _recap(doc)
    fields = {name: _field(recap, name) for name in _FIELDS} if recap is not None else {}
    if not (fields.get("reference") or fields.get("title") or fields.get("object")):
        raise ParseError(FMT, _not_a_consultation(doc), where)
    title = fields["title"] or fields["object"]
    lots = _lots(doc)
    sections, declared = _detail_lines(recap)
    if fields["object"] and fields["object"] != title and all(s.text != fields["object"] for s in sections):
        sections.insert(0, Section("Objet", fields["object"], "object"))
    sections += _lot_sections(doc, lots)
    declared += _pictograms(recap) + _lot_declared(doc, lots)
    department = _department(fields["place"])
    return Notice(
        source=f"atexo:{platform}",
        source_id=consultation_key(url, doc) or fields["reference"] or _no_key(where),
        title=title,
        url=url,
        buyer_name=fields["buyer"] or fields["purchasing_entity"] or None,
        country="FR" if department else None,
        department=department,
        cpv_codes=_cpv_codes(recap),
        procedure=fields["procedure"] or None,
        contract_nature=_lookup(_NATURES, fields["category"]),
        notice_type=_lookup(_NOTICE_TYPES, fields["notice_type"]),
        published=read_date(fields["published"]),
        deadline=read_datetime(fields["deadline"]),
        language="fr",
        sections=sections,
        lots=lots,
        declared=unique_declared(declared),
        raw_format=FMT,
    )


@parser(FMT, where="url")
def parse_atexo_listing(data: bytes, url: str) -> ListingPage:
    """A page of search results (EntrepriseAdvancedSearch) -> detail URLs, total count, next-page postback."""
    doc = _document(data, url)
    urls = _detail_urls(doc, url)
    total = _int(_first_text(doc, "_resultSearch_nombreElement"))
    if not urls and total is None and not _suffix_elements(doc, "_panelNoElementFound"):
        raise ParseError(FMT, f"not a search-result page: {_not_a_consultation(doc, 'no result list')}", url)
    return ListingPage(detail_urls=urls, total=total, next_page=_next_page(doc, url))


# --- document -----------------------------------------------------------------------------------------------


def _document(data: bytes, where: str) -> lxml.html.HtmlElement:
    """Parse HTML bytes (UTF-8, else the declared charset, else Windows-1252); refuse empty or cut pages."""
    if not isinstance(data, (bytes, bytearray)):
        raise ParseError(FMT, f"expected bytes, got {type(data).__name__}", where)
    data = bytes(data)
    if not data.strip():
        raise ParseError(FMT, "empty page", where)
    if len(data) > MAX_PAGE_BYTES:
        raise ParseError(FMT, f"page too large ({len(data)} bytes)", where)
    if b"</html>" not in data[-4096:].lower():
        raise ParseError(FMT, "truncated or not an HTML page (no closing </html>)", where)
    parser = lxml.html.HTMLParser(encoding=_encoding(data), remove_comments=True, remove_pis=True)
    try:
        doc = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(FMT, f"unreadable HTML: {exc}", where) from None
    for junk in doc.xpath("//script | //style | //noscript"):
        junk.drop_tree()
    return doc


def _encoding(data: bytes) -> str:
    """UTF-8 when the bytes decode as such, else the charset the page declares, else Windows-1252."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    return declared.group(1).decode("ascii").lower() if declared else "cp1252"


def _recap(doc: lxml.html.HtmlElement):
    """The "Détails de la consultation" block, else the main part of a page that is not a result list."""
    found = doc.xpath("//*[@id='recap-consultation']") or _suffix_elements(
        doc, "EntrepriseConsultationSummary"
    )
    if found:
        return found[0]
    if doc.xpath("//*[contains(@id, '_resultSearch_')]"):
        return None
    found = doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' main-part ')] | //main")
    return found[0] if found else None


def _not_a_consultation(doc: lxml.html.HtmlElement, what: str = "no consultation details on the page") -> str:
    """Why a page is not what was expected: the platform's own error message when it shows one."""
    for element in doc.xpath("//*[contains(@class, 'form-bloc-erreur') or contains(@class, 'msg-erreur')]"):
        message = one_line(element.text_content())
        if message and not element.xpath(_HIDDEN):
            return f"error page: {message[:300]}"
    title = one_line(" ".join(doc.xpath("//title//text()")))
    return f"{what} (page title: {title[:120]!r})" if title else what


# --- fields -------------------------------------------------------------------------------------------------


def _suffix_elements(root, suffix: str) -> list:
    """Elements whose id ends with `suffix`."""
    return root.xpath(f".//*[substring(@id, string-length(@id) - {len(suffix) - 1}) = '{suffix}']")


def _first_text(root, suffix: str, lines: bool = False) -> str:
    """The text of the first visible element whose id ends with `suffix` (on one line unless `lines`)."""
    for element in _suffix_elements(root, suffix):
        if not element.xpath(_HIDDEN):
            return _text(element) if lines else one_line(_text(element))
    return ""


def _field(recap, name: str) -> str:
    """A recap field by its id suffix, else by the label in front of it."""
    suffixes, labels = _FIELDS[name]
    for suffix in suffixes:
        text = _first_text(recap, suffix)
        if text:
            return text
    return _labelled(recap, labels)


def _labelled(root, labels: tuple[str, ...]) -> str:
    """The value next to a visible label ("Référence :" followed by its value)."""
    for label in root.xpath(".//label | .//*[contains(@class, 'intitule')]"):
        if fold(one_line(label.text_content()).rstrip(" :")) in labels and not label.xpath(_HIDDEN):
            value = label.getnext()
            if value is not None:
                return one_line(_text(value))
    return ""


def _cpv_codes(recap) -> list[str]:
    """The CPV codes shown in the recap, main one first."""
    holders = _suffix_elements(recap, "_idAtexoRef_scriptRef")
    text = _text(holders[0].getparent()) if holders else _field(recap, "cpv")
    codes: list[str] = []
    for code in re.findall(r"\b(\d{8})(?:-\d)?\b", text):
        if code not in codes:
            codes.append(code)
    return codes


def _department(place: str) -> str | None:
    """The first French department code of "(33) Gironde, (47) Lot-et-Garonne"."""
    for code in re.findall(r"\((\d{2,3}|2[AaBb])\)", place):
        code = code.upper()
        if code in ("2A", "2B") or (len(code) == 2 and 1 <= int(code) <= 95 and code != "20"):
            return code
        if len(code) == 3 and 971 <= int(code) <= 976:
            return code
    return None


def _lookup(table: dict[str, str], text: str) -> str | None:
    """The value of the first key found in the normalised text."""
    norm = fold(text)
    return next((value for key, value in table.items() if key in norm), None) if norm else None


_CONSULTATION_PATH = re.compile(r"/consultation/(\d+)")


def consultation_key(url: str, doc=None) -> str | None:
    """"<orgAcronyme>-<refConsultation or id>" of a consultation: from its URL, else from the page's links to
    itself (the PRADO form's action, the lots pop-up; never other links, which may lead to other consultations);
    None when none carries a consultation number."""
    candidates = [url] if url else []
    if doc is not None:
        candidates += doc.xpath("//form/@action") + doc.xpath("//a[contains(@id, 'linkDetailLots')]/@href")
    for candidate in candidates:
        key = _url_key(candidate)
        if key is not None:
            return key
    return None


def _url_key(url: str) -> str | None:
    parts = urlsplit(url.replace("&amp;", "&"))
    query = dict(parse_qsl(parts.query))
    found = _CONSULTATION_PATH.search(parts.path)
    number = query.get("refConsultation") or (found.group(1) if found else None)
    if number is None and "consultation" in query.get("page", "").lower():
        number = query.get("id")
    if not number or not number.strip().isalnum():
        return None
    org = query.get("orgAcronyme") or query.get("orgAccronyme")
    return f"{org}-{number.strip()}" if org else number.strip()


def _no_key(where: str) -> str:
    raise ParseError(FMT, "the page shows no reference and no consultation number", where)


# --- detail lines: sections and declared considerations -----------------------------------------------------


def _detail_lines(container) -> tuple[list[Section], list[Declared]]:
    """The visible "label : value" lines outside the lots: structured considerations, else sections."""
    sections: list[Section] = []
    declared: list[Declared] = []
    for line in _lines(container, lot_blocks=False):
        _read_line(line, None, sections, declared)
    return sections, declared


def _lines(container, lot_blocks: bool) -> list:
    """Visible `div.line` elements with a label and a value, inside or outside lot blocks."""
    inside = "ancestor::*[contains(@id, 'repeaterLots_')]"
    where = inside if lot_blocks else f"not({inside})"
    lines = container.xpath(f".//div[contains(concat(' ', normalize-space(@class), ' '), ' line ')][{where}]")
    return [line for line in lines if not line.xpath(_HIDDEN)]


def _read_line(line, lot: str | None, sections: list[Section], declared: list[Declared]) -> None:
    """A detail line as a section, or as declared considerations when a short structured field."""
    label = line.xpath("./*[contains(@class, 'intitule')]")
    value = line.xpath("./*[contains(@class, 'content-bloc')]")
    if not label or not value:
        return
    heading = one_line(label[0].text_content()).rstrip(" :").strip()
    text = _text(value[0])
    if not heading or not text:
        return
    kind = _panel_kind(line)
    if kind is None:
        if _STRUCTURED_LABEL.match(fold(heading)) and _is_structured(text):
            declared += _declared(heading, text, lot)
            return
        if _SKIPPED_HEADINGS.search(fold(heading)):
            return
        kind = label_kind(heading)
    sections.append(Section(heading, text, kind, lot))


def _is_structured(value: str) -> bool:
    """A short enumeration ("Oui", "Clause sociale, Critère social"), not a sentence."""
    return all(len(part.split()) <= _MAX_DECLARED_WORDS for part in _ITEMS.split(value))


def _panel_kind(line) -> str | None:
    """The kind a line's id gives (`..._panelCriteresAttribution2` -> award_criteria)."""
    found = _PANEL_ID.search(line.get("id") or "")
    return PANEL_KINDS.get(found.group(1)) if found else None


def _declared(label: str, value: str, lot: str | None) -> list[Declared]:
    """A structured field ("Clause sociale : Oui", "Considérations sociales : Critère social")."""
    label_norm = fold(label)
    found = []
    for part in _ITEMS.split(value):
        part_norm = fold(part)
        if not part_norm or _NEGATIVE.match(part_norm):
            continue
        lever = _lever(part_norm) or _lever(label_norm, from_label=True)
        dimension = _dimension(part_norm) or _dimension(label_norm)
        if lever == Lever.RESERVATION:  # a reserved market is always social
            dimension = Dimension.SOCIAL
        if dimension is not None:
            found.append(Declared(dimension, lever, f"{label} : {one_line(part)}", lot))
    return found


def _lever(text: str, from_label: bool = False) -> Lever | None:
    """The lever a structured label or value names; a bare "clause" label means an execution condition."""
    if _RESERVED.search(text):
        return Lever.RESERVATION
    if "selection" in text:
        return Lever.SELECTION_CRITERION
    if "critere" in text or "attribution" in text:
        return Lever.AWARD_CRITERION
    if "specification" in text:
        return Lever.TECHNICAL_SPECIFICATION
    if re.search(r"clause|condition|execution|insertion", text):
        return Lever.EXECUTION_CONDITION
    if not from_label and text.startswith("objet"):
        return Lever.CONTRACT_SUBJECT
    return None


def _dimension(text: str) -> Dimension | None:
    """Social or environmental, from the words of a label or value."""
    if _ENVIRONMENTAL.search(text):
        return Dimension.ENVIRONMENTAL
    if _SOCIAL.search(text):
        return Dimension.SOCIAL
    return None


def _pictograms(recap) -> list[Declared]:
    """Considerations shown as pictograms (an image titled "Clause sociale", "Dispositions sociales"...)."""
    found = []
    for image in recap.xpath(".//img[@title or @alt]"):
        label = one_line(image.get("title") or image.get("alt") or "")
        norm = fold(label)
        if _PICTOGRAM.search(norm) and not image.xpath(_HIDDEN):
            found += _declared("Pictogramme", label, None)
    return found


# --- lots ---------------------------------------------------------------------------------------------------


_LOT_FIELDS = ("_numLot", "_intituleLot", "_descriptionLot", "_cpvLot")


def _lot_blocks(doc) -> list:
    """The lot blocks of the page (`..._repeaterLots_ctlN_panelLot`), as on the "Détail des lots" pop-up."""
    return [b for b in _suffix_elements(doc, "_panelLot") if "repeaterLots_" in b.get("id", "")]


def _lots(doc) -> list[Lot]:
    """Lot number, title, description and CPV codes of each lot block."""
    lots = []
    for block in _lot_blocks(doc):
        number = re.sub(r"^lot\s*(n[°o]\s*)?", "", _first_text(block, "_numLot"), flags=re.IGNORECASE)
        lot_id = number.strip(" :") or str(len(lots) + 1)
        cpv = _first_text(block, "_cpvLot")
        lots.append(
            Lot(
                lot_id=lot_id,
                title=_first_text(block, "_intituleLot"),
                description=_first_text(block, "_descriptionLot", lines=True),
                cpv_codes=list(dict.fromkeys(re.findall(r"\b(\d{8})(?:-\d)?\b", cpv))),
            )
        )
    return lots


def _lot_sections(doc, lots: list[Lot]) -> list[Section]:
    """Each lot's description, then the lot's own detail lines, as sections of that lot."""
    sections = []
    for block, lot in zip(_lot_blocks(doc), lots):
        if lot.description:
            heading = f"Lot {lot.lot_id} : {lot.title}" if lot.title else f"Lot {lot.lot_id}"
            sections.append(Section(heading, lot.description, "description", lot.lot_id))
        for line in _lines(block, lot_blocks=True):
            if not _holds_lot_field(line):
                _read_line(line, lot.lot_id, sections, [])
    return sections


def _holds_lot_field(line) -> bool:
    """Whether a line of a lot block shows the lot's own description or CPV codes (read into the Lot)."""
    return any(_suffix_elements(line, suffix) for suffix in _LOT_FIELDS)


def _lot_declared(doc, lots: list[Lot]) -> list[Declared]:
    """The structured considerations declared in each lot block."""
    declared: list[Declared] = []
    for block, lot in zip(_lot_blocks(doc), lots):
        for line in _lines(block, lot_blocks=True):
            _read_line(line, lot.lot_id, [], declared)
    return declared


# --- listing ------------------------------------------------------------------------------------------------


def _detail_urls(doc, url: str) -> list[str]:
    """Absolute, de-duplicated detail URLs, reduced to the parameters naming the consultation."""
    urls: list[str] = []
    for href in doc.xpath("//a/@href"):
        if not _DETAIL_HREF.search(href) or href.lower().startswith("javascript"):
            continue
        parts = urlsplit(urljoin(url, href.strip()))
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k in _DETAIL_PARAMS]
        canonical = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
        if canonical not in urls:
            urls.append(canonical)
    return urls


def _next_page(doc, url: str) -> NextPage | None:
    """The postback to the next page, or None on the last page (no active "next" link)."""
    current = _int(_input_value(doc, "_resultSearch_numPageTop"))
    pages = _int(_first_text(doc, "_resultSearch_nombrePageTop"))
    if current is not None and pages is not None and current >= pages:
        return None
    links = [a for a in doc.xpath("//a[@id]") if re.search(r"_Pager(Top|Bottom)_ctl2$", a.get("id"))]
    if not links:
        return None
    forms = links[0].xpath("ancestor::form") or doc.xpath("//form[.//input[@name='PRADO_PAGESTATE']]")
    form = forms[0] if forms else None
    if form is None or "PRADO_PAGESTATE" not in form.fields:
        raise ParseError(FMT, "a next-page link but no form with PRADO_PAGESTATE", url)
    formdata = {name: value or "" for name, value in form.form_values()}
    formdata["PRADO_POSTBACK_TARGET"] = _event_target(links[0].get("id"))
    formdata["PRADO_POSTBACK_PARAMETER"] = ""
    return NextPage(action=urljoin(url, form.get("action") or url), formdata=formdata)


def _event_target(control_id: str) -> str:
    """The PRADO event target (`ctl0$CONTENU_PAGE$resultSearch$PagerTop$ctl2`) of a control id."""
    prefix = "ctl0_CONTENU_PAGE_"
    if control_id.startswith(prefix):
        return "ctl0$CONTENU_PAGE$" + control_id[len(prefix) :].replace("_", "$")
    return control_id.replace("_", "$")


def _input_value(doc, suffix: str) -> str:
    """The value of the first input whose id ends with `suffix`."""
    found = [e for e in _suffix_elements(doc, suffix) if e.tag == "input"]
    return (found[0].get("value") or "") if found else ""


# --- text ---------------------------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "dl"}


def _text(element) -> str:
    """Readable text of an element: hidden parts dropped, one line per block or <br>, spaces collapsed."""
    element = copy.deepcopy(element)
    for hidden in element.xpath(".//*[contains(translate(@style, ' ', ''), 'display:none')]"):
        hidden.drop_tree()
    for child in element.iter():
        if child is element or not isinstance(child.tag, str):
            continue
        if child.tag == "br" or child.tag in _BLOCKS:
            child.tail = "\n" + (child.tail or "")
        if child.tag in _BLOCKS:
            child.text = "\n" + (child.text or "")
    lines = (one_line(line) for line in element.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _int(text: str) -> int | None:
    """An integer written with or without thousands separators, else None."""
    digits = re.sub(r"[\s\xa0.]", "", text or "")
    return int(digits) if digits.isdigit() else None
