"""Fixtures of the web face's tests: a demo store (the `tenderwatch demo` corpus, crawled and tagged), the
application served by uvicorn on an ephemeral port of 127.0.0.1, and a headless Chromium driven by Selenium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tenderwatch.web.settings import WebSettings

OPERATOR_TOKEN = "alice-token-0123456789abcdef"
SETTINGS = WebSettings({OPERATOR_TOKEN: "alice"}, 0.5)
#: Under CI a missing browser fails the browser tests instead of skipping them (.ci/run sets it).
REQUIRE_BROWSER = "TENDERWATCH_REQUIRE_BROWSER"
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def build_demo_store(directory: Path) -> str:
    """`tenderwatch demo` into a SQLite file of `directory` (serves the demo platform, crawls, tags)."""
    url = f"sqlite:///{directory / 'demo.sqlite'}"
    env = {**os.environ, "TENDERWATCH_DATA_DIR": str(directory / "data")}
    env.pop("TENDERWATCH_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "tenderwatch.cli", "--db", url, "demo", "--out",
                             str(directory / "exports")], capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return url


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory) -> Path:
    """The demo store built once per session; tests copy it (their writes stay theirs)."""
    directory = tmp_path_factory.mktemp("web-demo")
    build_demo_store(directory)
    return directory / "demo.sqlite"


@pytest.fixture
def demo_store(demo_store_template, tmp_path):
    from storage.engine import Store

    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_store_template, path)
    opened = Store(f"sqlite:///{path}")
    yield opened
    opened.dispose()


class Served:
    """uvicorn serving an application in a thread; `url` once it listens."""

    def __init__(self, app):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:  # uvicorn sets it once its socket listens
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            self.thread.join(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def served(demo_store):
    from tenderwatch.web import create_app

    with Served(create_app(demo_store, SETTINGS)) as running:
        yield running


def _chromium() -> tuple[str | None, str | None]:
    binary = next((shutil.which(name) for name in CHROMIUM if shutil.which(name)), None)
    return binary, shutil.which("chromedriver")


@pytest.fixture(scope="session")
def browser_paths():
    binary, driver = _chromium()
    if binary and driver:
        return binary, driver
    missing = "chromium" if not binary else "chromedriver"
    message = f"{missing} not found: install Debian's chromium and chromium-driver (.ci/run does)"
    if os.environ.get(REQUIRE_BROWSER):
        pytest.fail(f"{REQUIRE_BROWSER} is set and {message}")
    pytest.skip(message)


def open_browser(paths, width: int = 1280, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = paths
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--lang=fr-FR", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    viewport(browser, width, height)
    return browser


def viewport(driver, width: int, height: int) -> None:
    """Emulate a screen of `width` x `height` CSS pixels (a window cannot be narrower than ~500 px; a phone is);
    below 600 px wide it is a touch screen, as a phone's."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


@pytest.fixture
def browser(browser_paths):
    driver = open_browser(browser_paths)
    yield driver
    driver.quit()
