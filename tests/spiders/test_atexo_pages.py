"""The Atexo spider in process, on saved pages of an MPE platform: the listing, paged by PRADO postbacks, and a
consultation page."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from crawler.spiders.atexo import AtexoSpider
from crawler.spiders.base import SpiderArgumentError
from tests.spiders.saved_pages import build, follow, follow_saved, notices_of, requests_of, saved, start, stat

MIRROR = "http://127.0.0.1:8765"
SEARCH = "/?page=Entreprise.EntrepriseAdvancedSearch&AllCons"
DETAIL = "/?page=Entreprise.EntrepriseDetailsConsultation&refConsultation={}&orgAcronyme=x7k"


@pytest.fixture
def spider():
    return build(AtexoSpider, platform="demat-ampa", base_url=MIRROR)


def test_the_listing_of_the_registered_platform_is_asked_on_the_mirror(spider):
    listing, = start(spider)
    assert listing.url == MIRROR + SEARCH
    assert listing.meta["dont_obey_robotstxt"] is False  # the registry says: obey robots.txt
    assert (spider.source, spider.run_name) == ("atexo:demat-ampa", "atexo:demat-ampa")


def test_a_listing_page_asks_its_consultations_then_the_next_page_by_postback(spider):
    results = follow_saved(start(spider)[0], "atexo_listing_page1.html")
    *details, postback = requests_of(results)
    assert [d.url for d in details] == [MIRROR + DETAIL.format(5101), MIRROR + DETAIL.format(5102)]
    assert all(d.callback == spider.parse_detail for d in details)
    assert (postback.method, postback.url, postback.callback) == ("POST", MIRROR + SEARCH, spider.parse_listing)
    form = {k: v[0] for k, v in parse_qs(postback.body.decode(), keep_blank_values=True).items()}
    assert form["PRADO_PAGESTATE"] == "eJzLSM3JyVcozy/KSQEAGgQEXQ=="  # the page's state, sent back
    assert form["PRADO_POSTBACK_TARGET"] == "ctl0$CONTENU_PAGE$resultSearch$PagerTop$ctl2"  # "Suivant"
    assert postback.dont_filter  # every page posts to the same URL


def test_the_last_listing_page_asks_no_further_page(spider):
    postback = requests_of(follow_saved(start(spider)[0], "atexo_listing_page1.html"))[-1]
    last = requests_of(follow_saved(postback, "atexo_listing_page2.html"))
    assert [r.url for r in last] == [MIRROR + DETAIL.format(5103)]


def test_an_unreadable_listing_page_is_counted(spider):
    assert follow(start(spider)[0], saved("atexo_listing_page1.html")[:700], "cut.html") == []
    assert stat(spider, "tenderwatch/errors/listing") == 1


def test_a_consultation_page_gives_its_notice(spider):
    detail = requests_of(follow_saved(start(spider)[0], "atexo_listing_page1.html"))[0]
    notice, = notices_of(follow_saved(detail, "atexo_detail.html"))
    assert (notice.source, notice.source_id) == ("atexo:demat-ampa", "x7k-5101")
    assert notice.title == "Entretien de la voirie communale"
    assert str(notice.published) == "2025-06-02"


def test_an_unregistered_platform_needs_base_url():
    with pytest.raises(SpiderArgumentError, match="unknown Atexo platform"):
        build(AtexoSpider, platform="nowhere")
    spider = build(AtexoSpider, platform="nowhere", base_url=MIRROR)
    assert start(spider)[0].url == MIRROR + SEARCH
    assert spider.run_name == "atexo:nowhere"
