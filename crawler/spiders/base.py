"""Base spiders. A concrete spider is a docstring and a few class attributes on one of these.

BaseSpider (every spider) reads these class attributes:
    source       the store's source name of the notices ("boamp", "ted", "decp", "atexo:<platform>")
    source_root  the scheme and host of the source's API or site; `-a base_url=` replaces it (a mirror)
    default_since_days  the window of a first run: `since_or_default` when no since was given nor found

and these spider arguments, validated once in `from_crawler` (a bad value stops the crawl before any request):
    since, until   YYYY-MM-DD; without since, the IncrementalSince extension (crawler/extensions.py) sets it on
                   spider_opened to the start of the last successful run of `run_name`, else `default_since_days`
                   ago applies
    base_url       replaces the scheme and host of `source_root` (paths unchanged); links the source returns
                   are followed as given
    sample         stop after this many notices (a quick look at a source)
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import CloseSpider

from models.notice import Notice
from crawler.parsers.errors import ParseError


class SpiderArgumentError(ValueError):
    """A spider argument is invalid; the message names it."""


def parse_date_argument(name: str, value: str | date | None) -> date | None:
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SpiderArgumentError(f"{name}={value!r} is not a date (expected YYYY-MM-DD)") from None


def rebase(url: str, base_url: str | None) -> str:
    """Replace the scheme and host of `url` by those of `base_url` (paths unchanged)."""
    if not base_url:
        return url
    target = urlsplit(base_url if "://" in base_url else f"http://{base_url}")
    parts = urlsplit(url)
    prefix = target.path.rstrip("/")
    return urlunsplit((target.scheme, target.netloc, prefix + parts.path, parts.query, parts.fragment))


class BaseSpider(scrapy.Spider):
    source: str = ""
    source_root: str = ""
    default_since_days: int = 7

    def __init__(self, *args, since=None, until=None, base_url=None, sample=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.since = parse_date_argument("since", since)
        self.until = parse_date_argument("until", until)
        if self.since and self.until and self.since > self.until:
            raise SpiderArgumentError(f"since ({self.since}) is after until ({self.until})")
        if base_url is not None and not urlsplit(base_url if "://" in base_url else f"http://{base_url}").netloc:
            raise SpiderArgumentError(f"base_url={base_url!r} is not a URL")
        self.base_url = base_url
        try:
            self.sample = int(sample) if sample not in (None, "") else None
        except ValueError:
            raise SpiderArgumentError(f"sample={sample!r} is not a whole number") from None
        self.run_arguments = {
            k: v for k, v in {"since": since, "until": until, "base_url": base_url, "sample": sample, **kwargs}.items()
            if v is not None
        }
        self.emitted = 0

    @property
    def run_name(self) -> str:
        """The name runs are recorded under (and incremental runs look up)."""
        return self.name

    @property
    def since_or_default(self) -> date:
        """The first publication day asked for: `since` (given, or set by IncrementalSince on spider_opened),
        else `default_since_days` ago. Read from `start()` on, once the spider is opened."""
        return self.since or date.today() - timedelta(days=self.default_since_days)

    def url(self, path_or_url: str) -> str:
        """An absolute URL on the source (or its mirror, with `base_url`)."""
        full = path_or_url if "://" in path_or_url else self.source_root.rstrip("/") + "/" + path_or_url.lstrip("/")
        return rebase(full, self.base_url)

    def notice(self, parse, *args, where: str, **kwargs) -> Notice | None:
        """Call a parser; a ParseError is logged, counted and skipped (the crawl goes on)."""
        if self.sample is not None and self.emitted >= self.sample:
            raise CloseSpider("sample reached")
        self.crawler.stats.inc_value("tenderwatch/seen")
        try:
            notice = parse(*args, **kwargs)
        except ParseError as exc:
            self.crawler.stats.inc_value("tenderwatch/errors/parse")
            self.logger.warning("skipped malformed notice: %s", exc if exc.where else f"{where}: {exc}")
            return None
        return self.emit(notice)

    def emit(self, notice: Notice) -> Notice | None:
        if self.sample is not None and self.emitted >= self.sample:
            raise CloseSpider("sample reached")
        if self.source:
            notice.source = self.source
        self.emitted += 1
        return notice
