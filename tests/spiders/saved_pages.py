"""In-process spider tests, as City Bureau writes them: a spider built on a crawler in the test, fed saved responses
(small fixtures under tests/spiders/files/, written by hand), asserting on the requests and items its callbacks
return. No reactor, no network, no store: the incremental extension is not among get_crawler's extensions."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from models.notice import Notice

FILES = Path(__file__).parent / "files"


def build(spidercls, settings: dict | None = None, **arguments):
    """The spider `scrapy crawl` would build with these `-a` arguments (bound to a crawler: settings, stats)."""
    return get_crawler(spidercls, settings)._create_spider(**arguments)


def saved(name: str) -> bytes:
    return (FILES / name).read_bytes()


def saved_json(name: str) -> Any:
    return json.loads(saved(name))


def start(spider) -> list:
    """What the spider's `start()` yields, in order."""

    async def collect():
        return [request async for request in spider.start()]

    return asyncio.run(collect())


_RESPONSES = {".html": HtmlResponse, ".xml": XmlResponse}


def respond(request: Request, body: bytes | str | dict | list, name: str = "") -> TextResponse:
    """The response to `request` (its meta and cb_kwargs travel with it): `body` as saved, or as JSON."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body, ensure_ascii=False)
    if isinstance(body, str):
        body = body.encode("utf-8")
    cls = _RESPONSES.get(Path(name).suffix, TextResponse)
    return cls(url=request.url, body=body, encoding="utf-8", request=request)


def follow(request: Request, body: bytes | str | dict | list, name: str = "") -> list:
    """Run the request's callback on a response with `body`: the requests and items it returns."""
    return list(request.callback(respond(request, body, name), **request.cb_kwargs) or ())


def follow_saved(request: Request, name: str) -> list:
    """Run the request's callback on the saved file `name`."""
    return follow(request, saved(name), name)


def requests_of(results: list) -> list[Request]:
    return [r for r in results if isinstance(r, Request)]


def notices_of(results: list) -> list[Notice]:
    return [r for r in results if isinstance(r, Notice)]


def stat(spider, key: str) -> Any:
    return spider.crawler.stats.get_value(key)
