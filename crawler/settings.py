"""Scrapy settings: polite by default (robots.txt, AutoThrottle, per-domain limit, backoff), incremental, storing into
the store."""

from models import VERSION as __version__

BOT_NAME = "tenderwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = f"tenderwatch/{__version__} (public-procurement research crawler; responsible-purchasing statistics)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.CountingRedirectMiddleware": 600,
}

EXTENSIONS = {
    "crawler.extensions.IncrementalSince": 100,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ValidatePipeline": 100,
    "crawler.pipelines.StorePipeline": 800,
}
#: Notices written per transaction by the store pipeline.
TENDERWATCH_BATCH_SIZE = 500
#: Tag new and changed notices and regenerate their pictograms when a crawl ends.
TENDERWATCH_TAG_AFTER_CRAWL = True
#: Database URL; empty means the CLI's default ($TENDERWATCH_DATABASE_URL, else the SQLite file).
TENDERWATCH_DATABASE_URL = ""
#: Incremental crawls: a spider given no since starts at its last successful run (crawler.extensions.IncrementalSince);
#: off, or with no successful run yet, it starts `default_since_days` ago.
TENDERWATCH_INCREMENTAL = True

HTTPCACHE_ENABLED = False  # turn on for development: scrapy crawl ... -s HTTPCACHE_ENABLED=1
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_EXPIRATION_SECS = 86400

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
