"""BOAMP notices from DILA's open data: the `boamp` dataset of the opendatasoft Explore API v2.1.

    scrapy crawl boamp -a since=2025-01-01 -a until=2025-01-31
    scrapy crawl boamp -a base_url=http://127.0.0.1:8000        # a mirror

Records whose `dateparution` is between since and until, oldest first, 100 a page by offset. The records endpoint
serves the first 10,000 records of a query only, so a window holding more is cut in halves until each fits. Each
record (its `donnees` payload included) is one notice.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urlencode

import scrapy

from crawler.parsers.boamp_records import parse_boamp_record
from crawler.spiders.bases import ApiPagingSpider, Window


class BoampSpider(ApiPagingSpider):
    name = "boamp"
    source = "boamp"
    source_root = "https://boamp-datadila.opendatasoft.com"
    records_path = "/api/explore/v2.1/catalog/datasets/boamp/records"

    # ApiPagingSpider
    paging = "offset"
    page_size = 100
    max_offset = 10_000

    def page_request(self, window: Window, cursor: int, limit: int) -> scrapy.Request:
        query = {
            "where": f"dateparution >= date'{window.start}' AND dateparution <= date'{window.end}'",
            "order_by": "dateparution, idweb",
            "limit": limit,
            "offset": cursor,
        }
        return scrapy.Request(f"{self.url(self.records_path)}?{urlencode(query)}")

    def page_records(self, data: dict) -> list:
        return data["results"]

    def page_total(self, data: dict) -> int | None:
        return data.get("total_count")

    def parse_record(self, record, response):
        idweb = record.get("idweb") if isinstance(record, dict) else None
        where = f"{unquote_plus(response.url)}#idweb={idweb}"
        notice = self.notice(parse_boamp_record, record, where, where=where)
        if notice is not None:
            yield notice
