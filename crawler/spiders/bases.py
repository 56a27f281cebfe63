"""Base spiders by way of access: a paged JSON API, JSON files streamed through a parser.

ApiPagingSpider (BOAMP, TED) reads these class attributes, on top of BaseSpider's:
    paging        "offset" (offset and limit parameters) or "token" (each page names the next one)
    page_size     records asked per page; `-a page_size=N`
    max_offset    offset paging only: the API serves records up to this depth (offset + limit) of one query; a date
                  window holding more is cut in halves, recursively, until each half fits; `-a max_offset=N`
    window_days   cut since..until into windows of this many days before paging; None: one window

and asks the concrete spider for:
    page_request(window, cursor, limit)  the Request of one page (cursor: the offset, or the token, None at first)
    page_records(data)                   the records of a decoded page (a KeyError or TypeError: unreadable page)
    page_total(data)                     how many records the window holds, when the API says (None otherwise)
    next_token(data)                     token paging: the token of the next page (None at the end)
    parse_record(record, response)      what a record gives: notices (through `notice()`) or further requests

StreamingFileSpider (DECP) reads these class attributes:
    file_urls       the files fetched when no `-a url=A[,B...]` is given (paths or URLs on `source_root`)
    max_file_size   the largest file accepted, in bytes (DOWNLOAD_MAXSIZE of these requests); `-a max_file_size=N`
    file_timeout    seconds a file may take to download (DOWNLOAD_TIMEOUT of these requests)

and asks the concrete spider for `iter_file(stream, where)`, yielding Notice or ParseError one at a time.
Memory: Scrapy holds a response body in memory before the callback sees it, so a file costs its size in RAM once
(`io.BytesIO` shares the body, it does not copy it); ijson then reads it progressively and notices reach the
store pipeline batch by batch, never as a list. `max_file_size` bounds that cost: raise it knowingly.
Files have no query: since / until are applied to each notice's `published` date as notices stream by (a
notice without a date is kept).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import scrapy

from models.notice import Notice
from crawler.parsers.errors import ParseError
from crawler.spiders.base import BaseSpider, SpiderArgumentError


def positive_int(name: str, value: Any, default: int | None) -> int | None:
    """A spider argument that must be a whole number above zero (the class attribute when absent)."""
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SpiderArgumentError(f"{name}={value!r} is not a whole number") from None
    if number <= 0:
        raise SpiderArgumentError(f"{name}={value!r} must be above zero")
    return number


@dataclass(frozen=True)
class Window:
    """Publication dates from `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def halves(self) -> tuple[Window, Window]:
        middle = self.start + timedelta(days=self.days // 2 - 1)
        return Window(self.start, middle), Window(middle + timedelta(days=1), self.end)

    def __str__(self) -> str:
        return f"{self.start}..{self.end}"


class ApiPagingSpider(BaseSpider):
    paging: str = "offset"
    page_size: int = 100
    max_offset: int | None = None
    window_days: int | None = None

    def __init__(self, *args, page_size=None, max_offset=None, **kwargs):
        super().__init__(*args, page_size=page_size, max_offset=max_offset, **kwargs)
        cls = type(self)
        self.page_size = positive_int("page_size", page_size, cls.page_size)
        self.max_offset = positive_int("max_offset", max_offset, cls.max_offset)
        if self.paging not in ("offset", "token"):
            raise SpiderArgumentError(f"{cls.__name__}.paging must be 'offset' or 'token', not {self.paging!r}")

    # --- what a concrete spider writes -------------------------------------------------------------------------

    def page_request(self, window: Window, cursor: Any, limit: int) -> scrapy.Request:
        raise NotImplementedError

    def page_records(self, data: Any) -> list:
        raise NotImplementedError

    def page_total(self, data: Any) -> int | None:
        return None

    def next_token(self, data: Any) -> str | None:
        raise NotImplementedError

    def parse_record(self, record: Any, response) -> Iterator:
        raise NotImplementedError

    # --- paging -----------------------------------------------------------------------------------------------

    def windows(self) -> list[Window]:
        """since..until (since: `since_or_default`; until: today), cut in `window_days` windows when set."""
        end = self.until or date.today()
        whole = Window(min(self.since_or_default, end), end)
        if not self.window_days:
            return [whole]
        windows, start = [], whole.start
        while start <= end:
            stop = min(start + timedelta(days=self.window_days - 1), end)
            windows.append(Window(start, stop))
            start = stop + timedelta(days=1)
        return windows

    async def start(self):
        for window in self.windows():
            yield self.request_page(window, 0 if self.paging == "offset" else None)

    def request_page(self, window: Window, cursor: Any) -> scrapy.Request:
        limit = self.page_size
        if self.paging == "offset" and self.max_offset:
            limit = min(limit, self.max_offset - cursor)
        request = self.page_request(window, cursor, limit)
        return request.replace(callback=self.parse_page, meta={**request.meta, "window": window, "cursor": cursor})

    def parse_page(self, response):
        window, cursor = response.meta["window"], response.meta["cursor"]
        try:
            data = json.loads(response.body)
            records = list(self.page_records(data))
            total = self.page_total(data)
        except (ValueError, KeyError, TypeError) as exc:
            self.crawler.stats.inc_value("tenderwatch/errors/page")
            self.logger.error("unreadable page %s (window %s, cursor %r): %s", response.url, window, cursor, exc)
            return
        if self.paging == "offset" and cursor == 0 and self.max_offset and (total or 0) > self.max_offset:
            if window.days > 1:
                self.crawler.stats.inc_value("tenderwatch/windows_split")
                self.logger.info("window %s holds %s records (over %s): split in halves", window, total,
                                 self.max_offset)
                for half in window.halves():
                    yield self.request_page(half, 0)
                return
            self.crawler.stats.inc_value("tenderwatch/errors/truncated_window")
            self.logger.error("%s holds %s records on one day: only the first %s can be read", window, total,
                              self.max_offset)
        for record in records:
            yield from self.parse_record(record, response)
        following = self.next_cursor(data, cursor, len(records), total)
        if following is not None:
            yield self.request_page(window, following)

    def next_cursor(self, data: Any, cursor: Any, count: int, total: int | None) -> Any:
        """The cursor of the next page, or None when this page was the last."""
        if not count:
            return None
        if self.paging == "token":
            token = self.next_token(data)
            return token if token and token != cursor else None
        following = cursor + count
        if total is not None and following >= total:
            return None
        if self.max_offset and following >= self.max_offset:
            return None
        return following


def _raise_errors(item: Notice | ParseError) -> Notice:
    if isinstance(item, ParseError):
        raise item
    return item


class StreamingFileSpider(BaseSpider):
    file_urls: tuple[str, ...] = ()
    max_file_size: int = 64 * 1024 * 1024
    file_timeout: int = 600

    def __init__(self, *args, url=None, max_file_size=None, **kwargs):
        super().__init__(*args, max_file_size=max_file_size, **kwargs)  # not url=: Spider would shadow url()
        if url:
            self.run_arguments["url"] = url
        self.max_file_size = positive_int("max_file_size", max_file_size, type(self).max_file_size)
        urls = [u.strip() for u in (url or "").split(",") if u.strip()] or list(type(self).file_urls)
        if not urls:
            raise SpiderArgumentError("url is required (-a url=URL[,URL...])")
        self.urls = urls
        self.default_files = not url

    # --- what a concrete spider writes -------------------------------------------------------------------------

    def iter_file(self, stream: io.BufferedIOBase, where: str) -> Iterator[Notice | ParseError]:
        raise NotImplementedError

    # --- files ------------------------------------------------------------------------------------------------

    async def start(self):
        meta = {
            "download_maxsize": self.max_file_size,
            "download_warnsize": self.max_file_size,
            "download_timeout": self.file_timeout,
        }
        for url in self.urls:
            yield scrapy.Request(self.url(url), callback=self.parse_file, meta=meta)

    def parse_file(self, response):
        self.logger.info("streaming %s (%d bytes)", response.url, len(response.body))
        for item in self.iter_file(io.BytesIO(response.body), response.url):
            if isinstance(item, Notice) and not self.in_window(item):
                self.crawler.stats.inc_value("tenderwatch/skipped/outside_window")
                continue
            notice = self.notice(_raise_errors, item, where=response.url)
            if notice is not None:
                yield notice

    def in_window(self, notice: Notice) -> bool:
        """Whether a notice's publication date is within since..until (since: `since_or_default`; undated notices
        are kept)."""
        published = notice.published
        if published is None:
            return True
        return published >= self.since_or_default and (self.until is None or published <= self.until)
