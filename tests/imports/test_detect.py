"""Detection by content: real pages' openings, encodings, and files that hold no notice."""

from __future__ import annotations

import pytest

from crawler.parsers.detect import sniff

PAGE = "<html><head><title>Avis</title></head><body><h1>Avis d'appel public</h1></body></html>"
STYLE = "<style type=\"text/css\"> body {background-image: url('data:image/png;base64,iVBORw0KGgo');}</style>"


@pytest.mark.parametrize("head, name, fmt", [
    (b"%PDF-1.7\n", "rc.pdf", "pdf"),
    ((STYLE + "<div id='google_translate_element'></div>" + "<div>Avis</div>").encode(), "a.html", "boamp_html"),
    (b"\xef\xbb\xbf<!DOCTYPE html>" + PAGE.encode(), "a.htm", "boamp_html"),
    (b"\xff\xfe" + (STYLE + "<div class='content'>D\u00e9tail de la consultation</div>").encode("utf-16-le"),
     "block.html", "boamp_html"),
    (("<!DOCTYPE html><html><input name='PRADO_PAGESTATE'/>" + "x" * 50 + "</html>").encode(), "p.php", "atexo_html"),
    (b'<?xml version="1.0"?>\n<!-- a comment -->\n<TED_EXPORT xmlns="http://formex.publications.europa.eu/ted/'
     b'schema/export/R2.0.9.S01.E01">', "n.xml", "ted_r209"),
    (b'<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2">', "x", "eforms"),
    (b"<ANNONCE><GESTION/></ANNONCE>", "x.xml", "boamp_xml"),
    (b"<marches><marche><id>1</id></marche></marches>", "x.xml", "decp_xml"),
    (b'{"marches": {"marche": []}}', "x.json", "decp"),
    (b'{"total_count": 1, "results": [{"id": "26S", "acheteur_id": "20001492600030", "objet": "x"}]}', "x", "decp_flat"),
    (b'[{"uid": "2000149260003026S", "acheteur_id": 20001492600030, "codeCPV": "79410000-1"}]', "x", "decp_flat"),
    (b"id;acheteur_id;objet;montant\n26S;20001492600030;Accompagnement;120000\n", "export.csv", "decp_csv"),
    (b'{"gestion": {"reference": {"idweb": "20-152081"}}, "donnees": {}}', "x.json", "dila_json"),
    (b'{"results": [{"idweb": "26-80978", "donnees": "{}", "gestion": "{}"}]}', "x.json", "boamp_record"),
    (b'[{"source": "archive", "source_id": "A-1", "title": "Avis"}]', "x.json", "json"),
    (b"Clause d'insertion : 5 % des heures.", "notes.txt", "text"),
    (b"PK\x03\x04", "x.zip", "zip"),
    (b"\x1f\x8b\x08\x00", "x.json.gz", "gzip"),
])
def test_formats_are_told_by_content(head, name, fmt):
    assert sniff(head, name).fmt == fmt


@pytest.mark.parametrize("head, name, reason", [
    (b"# tenderwatch\n\nSome words.", "README.md", "readme"),
    (b"Sources of the files\n", "SOURCES.md", "sources"),
    (b"# Notes\n\nText.", "notes.md", "Markdown"),
    (b"MIT License\n\nCopyright (c) 2025", "LICENSE_MIT.txt", "licen"),
    (b"                                 Apache License\n", "apache.txt", "licence"),
    (b"name,url,status\nplace,https://x,ok\nmegalis,https://y,ok\n", "platforms.csv", "not a DECP export"),
    (b'<?xml version="1.0"?><gc:CodeList xmlns:gc="x">', "a.gc", "codelist"),
    (b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">', "a.xsd", "XML Schema"),
    (b'{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"marches": {}}}', "s.json", "schema"),
    (b'{"fields": [{"type": "string", "name": "uid"}]}', "tabular.json", "schema"),
    (b'{"format": "ted", "file": "a.xml", "sha256": "00"}\n{"format": "ted", "file": "b.xml"}', "MANIFEST.jsonl",
     "JSON without a notice"),
    (b'{"doc_id": "1", "text": "Avis"}\n', "corpus.jsonl", "JSON without a notice"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "logo.png", "PNG"),
    (b"\xff\xd8\xff\xe0", "photo.jpg", "JPEG"),
    (b"title: x\nschemas:\n", "schemas.yml", "configuration"),
    (b"", "empty.json", "empty"),
])
def test_files_that_hold_no_notice_are_named(head, name, reason):
    found = sniff(head, name)
    assert found.fmt is None and reason.lower() in found.reason.lower()
