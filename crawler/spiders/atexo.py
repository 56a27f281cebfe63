"""Every Atexo / Local Trust MPE platform (demat-ampa, PLACE, Mégalis, Maximilien...), by the platform registry.

    scrapy crawl atexo -a platform=demat-ampa
    scrapy crawl atexo -a platform=demat-ampa -a base_url=http://127.0.0.1:8000   # a mirror

The listing (advanced search, every consultation online) is paged by PRADO postbacks; each consultation's detail
page is parsed into a notice. robots.txt is obeyed unless the registry says the platform's operator opted out.
"""

from __future__ import annotations

import scrapy

from crawler.parsers.atexo import parse_atexo_detail, parse_atexo_listing
from crawler.parsers.errors import ParseError
from crawler.platforms import Platform, get_platform
from crawler.spiders.base import BaseSpider, SpiderArgumentError


class AtexoSpider(BaseSpider):
    name = "atexo"
    default_since_days = 30

    def __init__(self, *args, platform: str | None = None, **kwargs):
        super().__init__(*args, platform=platform, **kwargs)
        if not platform:
            raise SpiderArgumentError("platform is required (-a platform=KEY; `tenderwatch crawl --list` lists them)")
        try:
            self.platform: Platform = get_platform(platform)
        except KeyError as exc:
            if not self.base_url:
                raise SpiderArgumentError(str(exc.args[0])) from None
            self.platform = Platform(platform, platform, self.base_url, "", Platform.DEFAULT_SEARCH_PATH, True)
        self.source = f"atexo:{self.platform.key}"
        self.source_root = self.platform.base_url

    @property
    def run_name(self) -> str:
        return f"atexo:{self.platform.key}"

    @property
    def meta(self) -> dict:
        """Per-request meta: the registry may record that a platform's operator lets us ignore robots.txt."""
        return {"dont_obey_robotstxt": not self.platform.obey_robots}

    async def start(self):
        yield scrapy.Request(self.url(self.platform.search_path), callback=self.parse_listing, meta=self.meta)

    def parse_listing(self, response):
        try:
            page = parse_atexo_listing(response.body, response.url)
        except ParseError as exc:
            self.crawler.stats.inc_value("tenderwatch/errors/listing")
            self.logger.error("unreadable listing page %s: %s", response.url, exc)
            return
        for url in page.detail_urls:
            yield response.follow(url, callback=self.parse_detail, meta=self.meta)
        if page.next_page is not None:
            yield scrapy.FormRequest(
                page.next_page.action, formdata=page.next_page.formdata, callback=self.parse_listing,
                dont_filter=True, meta=self.meta,
            )

    def parse_detail(self, response):
        notice = self.notice(
            parse_atexo_detail, response.body, response.url, self.platform.key, where=response.url
        )
        if notice is not None:
            yield notice
