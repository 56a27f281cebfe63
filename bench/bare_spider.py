"""The ceiling of crawl_speed: the same pages, the same parser calls, nothing stored, no item pipelines.

    python -m bench.bare_spider BASE_URL [-s NAME=VALUE ...]

Walks the Atexo listing by PRADO postbacks (parse_atexo_listing) and parses every consultation page with
parse_atexo_detail, counting them (stat bench/parsed) and yielding nothing. It runs with the project's Scrapy
settings (same downloader middlewares, retries, timeouts) but ITEM_PIPELINES empty; `-s` overrides as for
`tenderwatch crawl`.
"""

from __future__ import annotations

import os
import sys

import scrapy

from crawler.parsers.atexo import parse_atexo_detail, parse_atexo_listing
from crawler.parsers.errors import ParseError
from crawler.platforms import Platform


class BareAtexoSpider(scrapy.Spider):
    name = "bare_atexo"

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    async def start(self):
        yield scrapy.Request(self.base_url + Platform.DEFAULT_SEARCH_PATH, callback=self.parse_listing)

    def parse_listing(self, response):
        try:
            page = parse_atexo_listing(response.body, response.url)
        except ParseError:
            self.crawler.stats.inc_value("bench/errors/listing")
            return
        for url in page.detail_urls:
            yield response.follow(url, callback=self.parse_detail)
        if page.next_page is not None:
            yield scrapy.FormRequest(page.next_page.action, formdata=page.next_page.formdata,
                                     callback=self.parse_listing, dont_filter=True)

    def parse_detail(self, response):
        try:
            parse_atexo_detail(response.body, response.url, "bench", where=response.url)
        except ParseError:
            self.crawler.stats.inc_value("bench/errors/parse")
            return
        self.crawler.stats.inc_value("bench/parsed")
        return


def main(argv: list[str]) -> int:
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    if not argv or argv[0].startswith("-"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    base_url, rest = argv[0], argv[1:]
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag != "-s" or "=" not in value:
            print(f"bare_spider: expected -s NAME=VALUE, got {flag} {value}", file=sys.stderr)
            return 2
        key, _, val = value.partition("=")
        settings.set(key, val, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(BareAtexoSpider, base_url=base_url)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
