"""DECP: the contracts French buyers publish (données essentielles de la commande publique), from JSON files.

    scrapy crawl decp                                            # the national consolidated file on data.gouv.fr
    scrapy crawl decp -a url=https://example.org/decp-buyer.json,https://example.org/decp-2.json
    scrapy crawl decp -a base_url=http://127.0.0.1:8000          # a mirror of data.gouv.fr

Each file is streamed through `iter_decp`, one contract (one notice) at a time. A file has no query, so since and
until are applied to each contract's publication date (its notification date when it has none) as it streams by.
The consolidated file weighs gigabytes: it is held in memory once while it is read (see StreamingFileSpider), up
to `max_file_size`.
"""

from __future__ import annotations

import hashlib

from crawler.parsers.decp import iter_decp
from crawler.spiders.bases import StreamingFileSpider


class DecpSpider(StreamingFileSpider):
    name = "decp"
    source = "decp"
    source_root = "https://www.data.gouv.fr"
    default_since_days = 60  # contracts are published up to two months after notification

    # StreamingFileSpider
    file_urls = ("https://www.data.gouv.fr/fr/datasets/r/16962018-5c31-4296-9454-5998585496d2",)
    max_file_size = 4 * 1024**3
    file_timeout = 3600

    @property
    def run_name(self) -> str:
        """`decp` for the national file; one name per set of other files (each has its own last run)."""
        if self.default_files:
            return self.name
        return f"{self.name}:{hashlib.sha1(','.join(self.urls).encode()).hexdigest()[:10]}"

    def iter_file(self, stream, where):
        return iter_decp(stream, where)
