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


# --- issue 16: the report's traps, each checked -----------------------------------------------------------------

from datetime import date  # noqa: E402

from html import unescape  # noqa: E402

from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402

from models.normalise import normalise  # noqa: E402
from models.notice import Notice  # noqa: E402
from storage.buyers import merge_buyers  # noqa: E402
from storage.correction import DimensionRates, ErrorRates  # noqa: E402
from storage.pictograms import regenerate_all  # noqa: E402
from storage.stats import ShareRow  # noqa: E402
from storage.upsert import upsert_notices  # noqa: E402
from tenderwatch.report import (  # noqa: E402
    LEVER_COLOURS,
    collect,
    levers_chart,
    render,
    trend_chart,
)

RATES = ErrorRates("test-1", 0.5, {"social": DimensionRates(8, 2, 1, 89),
                                   "environmental": DimensionRates(6, 4, 0, 90)}, 100, ("gold",))


@pytest.fixture
def wider(store):
    """The world, plus a notice without region, a foreign one, and the buyer Commune A once without its SIRET."""
    build_world(store)
    extra = [
        Notice(source="u", source_id="x1", title="sans région", published=date(2023, 6, 1), buyer_name="Syndicat X"),
        Notice(source="u", source_id="be1", title="étranger", published=date(2023, 6, 2), country="BE",
               buyer_name="Ville de Liège"),
        Notice(source="u", source_id="a9", title="Commune A sans SIRET", published=date(2023, 6, 3),
               department="33", buyer_name="COMMUNE  a"),
    ]
    with store.session() as s:
        upsert_notices(s, [normalise(n) for n in extra])
    regenerate_all(store, 0.5)
    return store


def test_one_colour_per_lever_in_both_panels(wider):
    data = collect(wider, None, 2017, 0.5, RATES)
    fig = levers_chart(data)
    colours = []
    for ax in fig.axes:
        colours.append({c.get_label(): to_hex(c.patches[0].get_facecolor()) for c in ax.containers
                        if isinstance(c, BarContainer)})
    social, environmental = colours
    assert set(social) - set(environmental) == {"reservation"}
    for lever, colour in environmental.items():
        assert social[lever] == colour == LEVER_COLOURS[lever].lower()
    assert len(set(social.values())) == len(social)  # no two levers share a colour


def test_trend_points_side_by_side_with_the_legend_below_and_no_label_on_the_data(wider):
    fig = trend_chart(collect(wider, None, 2017, 0.5, RATES))
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if line.get_marker() in ("o", "s") and len(line.get_xdata()) > 1]
    social, environmental = lines[:2]
    assert all(a != b for a, b in zip(social.get_xdata(), environmental.get_xdata()))
    assert social.get_linestyle() != environmental.get_linestyle()
    assert not ax.texts  # the climate-law date is in the legend, not written over the points
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    legend, axes = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert legend.y1 < axes.y0  # under the plot, covering no year
    assert any("Climat et Résilience" in t.get_text() for t in ax.get_legend().get_texts())


def test_top_buyers_merge_a_buyer_with_and_without_siret():
    def row(buyer, name, n, s):
        return ShareRow({"buyer": buyer, "buyer_name": name}, n, s, 0, *[None] * 6)

    merged = merge_buyers([row("11111111100011", "Commune A", 3, 1), row("COMMUNE  a", None, 2, 2),
                           row("Syndicat X", None, 1, 0), row("22222222200022", None, 1, 0)])
    assert [(r.group["buyer"], r.group["buyer_name"], r.notices, r.social) for r in merged] == [
        ("11111111100011", "Commune A", 5, 3), ("22222222200022", None, 1, 0), (None, "Syndicat X", 1, 0)]
    assert merged[0].social_share == pytest.approx(3 / 5)


def test_report_regions_buyers_agreement_and_wording(wider, tmp_path):
    html = build_report(wider, tmp_path, since=2017, rates=RATES).read_text(encoding="utf-8")
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
    # every region with its count, those without notice said so, the notices without a region kept
    assert "Bretagne 0 aucun avis" in text and "Nouvelle-Aquitaine 7" in text and "Région non renseignée 1" in text
    # buyers: Commune A in one row, with its SIRET, never its name in the SIRET column
    assert text.count("Commune A 11111111100011 5") == 1 and "Syndicat X – 1" in text
    # agreement: no 100 % where nothing was declared or detected, and the finding stated
    assert re.search(r"Critères de sélection 4 0 0 0 4 – –", text)
    assert "Sur les 2 avis qui déclarent une considération sociale, le classifieur l'a retrouvée dans 1 (50,0 %)" in text
    # wording: "base", source labels, the classifier described, the national scope once, foreign buyers counted
    assert "magasin" not in html and "cette base" in text
    assert "1 avis d'acheteurs étrangers exclus (BE 1)" in text
    assert text.count("notifiés dans l'année, déclarés au recensement économique de l'OECP") == 1
    assert "classifieur tenderwatch (règles et modèle), version déclarée test-1" in text.lower()
    # corrected shares beside the raw ones, with the method
    assert "Rogan-Gladen" in text and "sensibilité 0,800 (8/10)" in text
    assert "Champ comparable à la série nationale" in text


def test_report_says_when_the_correction_does_not_apply(wider, tmp_path):
    html = build_report(wider, tmp_path, since=2017,
                        rates=ErrorRates("other", 0.5, RATES.dimensions, 100, ())).read_text(encoding="utf-8")
    assert "Non corrigée : les détections comptées viennent du classifieur test-1" in html


def test_render_needs_no_network(wider):
    html = render(collect(wider, None, 2017, 0.5, RATES))
    assert "<script" not in html and "http://" not in html.replace('href="http', "")
