"""A real headless Chromium on the served demo store (Debian's chromium + chromium-driver, driven by Selenium):
the dashboard draws its charts and maps with no request leaving 127.0.0.1, a filter changes the URL and the
figures, and the review queue confirms a detection into the store. Screenshots of every page, desktop and phone.

Without Chromium these tests skip with the reason; under CI (TENDERWATCH_REQUIRE_BROWSER=1) they fail instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from models.schema import ManualOverrideRow, NoticeRow, OverrideAuditRow
from tests.web.conftest import OPERATOR_TOKEN, open_browser, viewport

WAIT = 20  # seconds at most for a page event; waits end as soon as the event happens


def _wait(driver, condition):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def _loaded(driver, url: str) -> None:
    driver.get(url)
    _wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def _requested_urls(driver) -> list[str]:
    """Every URL the page asked the network for (Chrome's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_dashboard_renders_charts_and_maps_without_leaving_127_0_0_1(browser, served):
    from selenium.webdriver.common.by import By

    _loaded(browser, served.url + "/")
    assert browser.find_element(By.ID, "total-notices").text == "50"
    points = browser.find_elements(By.CSS_SELECTOR, 'svg[data-chart="trend"] circle[data-year]')
    assert len(points) == 20  # ten years, two dimensions
    for level in ("region", "department"):
        paths = browser.find_elements(By.CSS_SELECTOR, f'svg[data-chart="map-{level}"] path')
        assert len(paths) == 96
        assert paths[0].size["width"] > 0  # drawn, not only in the DOM
    coloured = browser.find_elements(By.CSS_SELECTOR, 'svg[data-chart="map-department"] path[data-share]')
    assert 5 <= len(coloured) < 96
    assert browser.find_elements(By.CSS_SELECTOR, '[data-chart="levers"] rect[data-share]')
    requested = _requested_urls(browser)
    assert requested and all(u.startswith(served.url) or u.startswith("data:") for u in requested), requested


def test_a_filter_changes_the_url_and_the_figures(browser, served):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _loaded(browser, served.url + "/")
    before = browser.find_element(By.ID, "total-notices").text
    Select(browser.find_element(By.ID, "f-department")).select_by_value("33")
    browser.find_element(By.ID, "apply").click()
    _wait(browser, lambda d: "department=33" in d.current_url)
    _wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
    assert parse_qs(urlsplit(browser.current_url).query)["department"] == ["33"]
    after = browser.find_element(By.ID, "total-notices").text
    assert (before, after) == ("50", "7")
    shared = browser.find_element(By.ID, "share-link").get_attribute("href")
    _loaded(browser, shared)
    assert browser.find_element(By.ID, "total-notices").text == "7"


def _sign_in(browser, served, next_path: str) -> None:
    from selenium.webdriver.common.by import By

    _loaded(browser, served.url + next_path)
    _wait(browser, lambda d: "/connexion" in d.current_url)
    browser.find_element(By.ID, "token").send_keys(OPERATOR_TOKEN)
    browser.find_element(By.ID, "sign-in").click()
    _wait(browser, lambda d: urlsplit(d.current_url).path == urlsplit(next_path).path)


def test_review_queue_confirms_a_detection_into_the_store(browser, served, demo_store):
    from selenium.webdriver.common.by import By

    _sign_in(browser, served, "/revue?kind=low_confidence&high=0.95")
    item = browser.find_element(By.CSS_SELECTOR, "li.item")
    source, _, source_id = item.get_attribute("data-notice").partition(":demo:")
    dimension = item.get_attribute("data-dimension")
    item.find_element(By.CSS_SELECTOR, "input[name=reason]").clear()
    item.find_element(By.CSS_SELECTOR, "input[name=reason]").send_keys("clause lue dans le CCAP")
    item.find_element(By.CSS_SELECTOR, "button.confirm").click()
    _wait(browser, lambda d: "clause lue dans le CCAP" in d.find_element(By.ID, "decisions").text)
    with demo_store.session() as s:
        notice = s.scalar(select(NoticeRow).where(NoticeRow.source_id == source_id))
        decision = s.scalar(select(ManualOverrideRow).where(ManualOverrideRow.notice_id == notice.id))
        audit = s.scalars(select(OverrideAuditRow).where(OverrideAuditRow.notice_id == notice.id)).all()
    assert source == "atexo" and getattr(decision, dimension) is True
    assert (decision.author, decision.reason) == ("alice", "clause lue dans le CCAP")
    assert [(a.author, a.channel) for a in audit] == [("alice", "web")]


PAGES = {"dashboard": "/", "notices": "/avis?social=yes", "notice": "/avis/atexo:demo/d4m-1001",
         "api-docs": "/api/docs", "login": "/connexion"}


@pytest.mark.parametrize("width, name", [(1280, "desktop"), (390, "phone")])
def test_screenshots_of_every_page(browser_paths, served, tmp_path, width, name):
    """Written to $TENDERWATCH_WEB_SCREENS (e.g. /tmp/web-screens) to be looked at; no page is wider than the
    window (nothing to scroll sideways on a phone)."""
    from selenium.webdriver.common.by import By

    folder = Path(os.environ.get("TENDERWATCH_WEB_SCREENS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    driver = open_browser(browser_paths, width, 900)
    try:
        shots = dict(PAGES)
        for page, path in shots.items():
            viewport(driver, width, 900)
            _loaded(driver, served.url + path)
            assert driver.execute_script("return document.documentElement.scrollWidth") <= width, page
            viewport(driver, width, min(driver.execute_script("return document.body.scrollHeight") + 40, 8000))
            assert driver.save_screenshot(str(folder / f"{page}-{name}.png"))
        viewport(driver, width, 900)
        _sign_in(driver, served, "/revue?kind=low_confidence&high=0.95")
        assert driver.find_elements(By.CSS_SELECTOR, "li.item")
        viewport(driver, width, min(driver.execute_script("return document.body.scrollHeight") + 40, 8000))
        assert driver.save_screenshot(str(folder / f"review-{name}.png"))
    finally:
        driver.quit()
    assert all((folder / f"{p}-{name}.png").stat().st_size > 5000 for p in [*PAGES, "review"])
