"""TED notices of French buyers: the TED search API v3, then each notice's XML (eForms or TED R2.0.9).

    scrapy crawl ted -a since=2025-01-01 -a until=2025-01-31
    scrapy crawl ted -a nuts=FRI12                               # narrowed to a place of performance (NUTS)
    scrapy crawl ted -a base_url=http://127.0.0.1:8000           # a mirror

The search (POST, expert query `buyer-country=FRA AND publication-date>=... AND publication-date<=...`) is read in
iteration mode, page after page by `iterationNextToken`. Each notice's XML is fetched from the link the API
returns (`links.xml.MUL`), else from the documented `https://ted.europa.eu/en/notice/{number}/xml`, and parsed as
eForms or as TED R2.0.9 by its root element. There is no department argument: tenderwatch holds no reviewed
department -> NUTS-3 table, so narrow by NUTS code.
"""

from __future__ import annotations

import re

import scrapy
from scrapy.http import JsonRequest

from crawler.parsers.eforms import parse_eforms
from crawler.parsers.ted_r209 import parse_ted_r209
from crawler.spiders.base import SpiderArgumentError
from crawler.spiders.bases import ApiPagingSpider, Window

_NUTS = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
_TED_EXPORT = re.compile(rb"<(?:[\w.-]+:)?TED_EXPORT[\s>/]")


class TedSpider(ApiPagingSpider):
    name = "ted"
    source = "ted"
    source_root = "https://api.ted.europa.eu"
    search_path = "/v3/notices/search"
    notice_xml_url = "https://ted.europa.eu/en/notice/{}/xml"
    notice_page_url = "https://ted.europa.eu/en/notice/-/detail/{}"
    buyer_country = "FRA"

    # ApiPagingSpider
    paging = "token"
    page_size = 250  # the API's largest page

    def __init__(self, *args, nuts=None, department=None, **kwargs):
        super().__init__(*args, nuts=nuts, **kwargs)
        if department:
            raise SpiderArgumentError(
                f"department={department!r}: tenderwatch has no department -> NUTS table; "
                "narrow by NUTS code instead, e.g. -a nuts=FRI12 (Gironde)"
            )
        self.nuts = [code.strip().upper() for code in (nuts or "").split(",") if code.strip()]
        bad = [code for code in self.nuts if not _NUTS.match(code)]
        if bad:
            raise SpiderArgumentError(f"nuts={nuts!r}: {', '.join(bad)} is not a NUTS code (e.g. FRI12)")

    @property
    def run_name(self) -> str:
        return f"{self.name}:nuts={','.join(self.nuts)}" if self.nuts else self.name

    def query(self, window: Window) -> str:
        query = (f"buyer-country={self.buyer_country} AND publication-date>={window.start:%Y%m%d} "
                 f"AND publication-date<={window.end:%Y%m%d}")
        if self.nuts:
            query += f" AND place-of-performance IN ({' '.join(self.nuts)})"
        return query

    def page_request(self, window: Window, cursor: str | None, limit: int) -> scrapy.Request:
        body = {
            "query": self.query(window),
            "fields": ["publication-number", "publication-date"],
            "limit": limit,
            "scope": "ALL",
            "paginationMode": "ITERATION",
            "checkQuerySyntax": False,
        }
        if cursor:
            body["iterationNextToken"] = cursor
        return JsonRequest(self.url(self.search_path), data=body)

    def page_records(self, data: dict) -> list:
        return data["notices"]

    def page_total(self, data: dict) -> int | None:
        return data.get("totalNoticeCount")

    def next_token(self, data: dict) -> str | None:
        return data.get("iterationNextToken")

    def parse_record(self, record, response):
        number = record.get("publication-number") if isinstance(record, dict) else None
        if not number:
            self.crawler.stats.inc_value("tenderwatch/errors/listing")
            self.logger.warning("a search result without publication-number on %s: %r", response.url, record)
            return
        link = ((record.get("links") or {}).get("xml") or {}).get("MUL")
        url = link or self.url(self.notice_xml_url.format(number))
        yield scrapy.Request(url, callback=self.parse_notice, cb_kwargs={"number": number})

    def parse_notice(self, response, number: str):
        parse = parse_ted_r209 if _TED_EXPORT.search(response.body[:4096]) else parse_eforms
        notice = self.notice(parse, response.body, response.url, where=response.url)
        if notice is not None:
            notice.url = notice.url or self.notice_page_url.format(number)
            yield notice
