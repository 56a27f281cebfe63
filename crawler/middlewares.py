"""Retries with exponential backoff (honouring Retry-After) on 429 and 5xx, on top of Scrapy's RetryMiddleware;
redirects that are given up counted as errors."""

from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message


class BackoffRetryMiddleware(RetryMiddleware):
    """Like RetryMiddleware, but waits `RETRY_BACKOFF_BASE * 2**n` seconds (at most RETRY_BACKOFF_MAX, or the
    server's Retry-After, capped the same way) before the n-th retry of a response with a retryable status."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def delay_for(self, request: Request, response: Response) -> float:
        retries = request.meta.get("retry_times", 0)
        delay = self.backoff_base * (2**retries)
        retry_after = response.headers.get(b"Retry-After")
        if retry_after:
            try:
                delay = max(delay, float(retry_after.decode().strip()))
            except ValueError:
                pass
        return min(delay, self.backoff_max)

    async def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self.crawler.stats.inc_value(f"tenderwatch/retries/{response.status}")
        await asyncio.sleep(self.delay_for(request, response))
        return retry


class CountingRedirectMiddleware(RedirectMiddleware):
    """Scrapy's RedirectMiddleware, counting what it gives up (Scrapy keeps no stat of either): a redirect back to
    a URL of its own chain (A -> B -> A, which the duplicate filter would drop without a word) under
    tenderwatch/errors/redirect_loop, and a chain longer than REDIRECT_MAX_TIMES under
    tenderwatch/errors/redirect_max; both end up in the crawl_run's errors."""

    def process_response(self, request: Request, response: Response, spider=None):
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            self.crawler.stats.inc_value("tenderwatch/errors/redirect_max")
            raise
        if isinstance(result, Request) and result.url in (*request.meta.get("redirect_urls", ()), request.url):
            self.crawler.stats.inc_value("tenderwatch/errors/redirect_loop")
            raise IgnoreRequest(f"redirect loop: {request.url} -> {result.url}")
        return result
