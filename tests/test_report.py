"""`tenderwatch report`: a self-contained HTML file with every chart, the national series and the methodology."""

import base64
import re

import pytest

from tenderwatch.cli import main
from tenderwatch.report import CHARTS, build_report
from tests.store.test_stats import build_world

PNG = b"\x89PNG\r\n\x1a\n"
IMAGE = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)" data-chart="(\w+)">')


@pytest.fixture
def world(store):
    build_world(store)
    return store


def test_report_holds_every_chart_inline(world, tmp_path):
    html = build_report(world, tmp_path, since=2017).read_text(encoding="utf-8")
    images = {name: (data, alt) for data, alt, name in IMAGE.findall(html)}
    assert list(images) == list(CHARTS)
    for name, (data, alt) in images.items():
        assert base64.b64decode(data).startswith(PNG)
        assert (tmp_path / f"{name}.png").read_bytes().startswith(PNG)
        assert alt
    assert re.findall(r'src="([a-z]+):', html) == ["data"] * len(CHARTS)
    assert "<script" not in html and "<link" not in html and "url(" not in html


def test_report_says_what_it_compares_and_how(world, tmp_path):
    html = build_report(world, tmp_path, since=2017, threshold=0.5).read_text(encoding="utf-8")
    for text in ("France entière", "Méthode", "test-1", "0,50", "12,5 %", "non publié ou non vérifié",
                 "90 000 € HT", "40 000 € HT", "21/08/2026", "Commune A", "Wilson"):
        assert text in html, text


def test_region_and_since_restrict_the_report(world, tmp_path):
    html = build_report(world, tmp_path, region="Île-de-France", since=2024).read_text(encoding="utf-8")
    assert "Achats publics responsables — Île-de-France" in html
    assert re.search(r"<span>Avis</span><b>2</b>", html)


def test_an_empty_store_still_gives_a_report(store, tmp_path):
    html = build_report(store, tmp_path).read_text(encoding="utf-8")
    assert len(IMAGE.findall(html)) == len(CHARTS)


def test_report_command(world, tmp_path, capsys):
    assert main(["--db", world.url, "report", "--out", str(tmp_path / "r"), "--region", "Nouvelle-Aquitaine",
                 "--since", "2023"]) == 0
    assert (tmp_path / "r" / "report.html").exists()
    assert "report written to" in capsys.readouterr().out
    assert main(["--db", world.url, "report", "--region", "Atlantide"]) == 2
    assert "unknown region" in capsys.readouterr().err
