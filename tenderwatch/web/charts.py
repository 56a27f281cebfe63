"""Charts drawn on the server as inline SVG (no JavaScript, nothing to load): shares by year with their Wilson
bands beside the national series, and grouped bars (levers, buyers, CPV divisions). Every mark carries its figure
in data- attributes and a <title>, so it reads without the picture too."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from models.safe import printable
from models.vocabulary import Dimension

COLOURS = {Dimension.SOCIAL.value: "#5b3c88", Dimension.ENVIRONMENTAL.value: "#1e6b35"}  # the pictograms'
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 30


def pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f} %".replace(".", ",")


@dataclass
class Point:
    x: int  # a year
    share: float | None
    low: float | None = None
    high: float | None = None
    count: int | None = None
    notices: int | None = None


def _scale_max(values: list[float]) -> float:
    top = max([v for v in values if v is not None] or [0.1])
    return min(1.0, max(0.1, -(-top * 10 // 1) / 10))


def trend_chart(series: dict[str, list[Point]], national: dict[str, list[Point]], title: str) -> Markup:
    """Lines of shares by year per dimension, their 95 % bands, and the national series dashed beside them."""
    years = sorted({p.x for points in [*series.values(), *national.values()] for p in points})
    if not years:
        return Markup("")
    top = _scale_max([v for pts in [*series.values(), *national.values()] for p in pts for v in (p.high, p.share)])
    span = max(1, years[-1] - years[0])
    def x(year): return LEFT + (year - years[0]) * (WIDTH - LEFT - RIGHT) / span if len(years) > 1 else WIDTH / 2
    def y(share): return TOP + (1 - share / top) * (HEIGHT - TOP - BOTTOM)
    parts = [f'<svg class="chart" data-chart="trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i in range(5):
        share = top * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(share):.1f}" y2="{y(share):.1f}" class="grid"/>'
                     f'<text x="{LEFT - 6}" y="{y(share) + 4:.1f}" class="axis" text-anchor="end">{pct(share, 0)}</text>')
    step = 1 if len(years) <= 12 else 2
    for year in years[::step]:
        parts.append(f'<text x="{x(year):.1f}" y="{HEIGHT - 10}" class="axis" text-anchor="middle">{year}</text>')
    for dimension, points in series.items():
        colour, known = COLOURS[dimension], [p for p in points if p.share is not None]
        if known:
            band = [(x(p.x), y(p.high)) for p in known] + [(x(p.x), y(p.low)) for p in reversed(known)]
            parts.append(f'<polygon points="{_pts(band)}" fill="{colour}" opacity="0.15"/>')
            parts.append(f'<polyline points="{_pts([(x(p.x), y(p.share)) for p in known])}" fill="none" '
                         f'stroke="{colour}" stroke-width="2.5"/>')
        for p in known:
            tip = f"{p.x} : {pct(p.share)} ({p.count}/{p.notices} avis ; IC 95 % {pct(p.low)} – {pct(p.high)})"
            parts.append(f'<circle cx="{x(p.x):.1f}" cy="{y(p.share):.1f}" r="4" fill="{colour}" '
                         f'data-dimension="{dimension}" data-year="{p.x}" data-share="{p.share:.4f}">'
                         f'<title>{escape(tip)}</title></circle>')
    for dimension, points in national.items():
        known = [p for p in points if p.share is not None]
        if len(known) > 1:
            parts.append(f'<polyline points="{_pts([(x(p.x), y(p.share)) for p in known])}" fill="none" '
                         f'stroke="{COLOURS[dimension]}" stroke-width="1.5" stroke-dasharray="5 4"/>')
        for p in known:
            parts.append(f'<rect x="{x(p.x) - 4:.1f}" y="{y(p.share) - 4:.1f}" width="8" height="8" fill="#fff" '
                         f'stroke="{COLOURS[dimension]}" stroke-width="2" data-national="{dimension}" '
                         f'data-year="{p.x}"><title>{escape(f"{p.x} (national) : {pct(p.share)}")}</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _pts(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in points)


@dataclass
class Bar:
    label: str
    values: dict[str, float | None]  # dimension -> share (None: does not apply)
    counts: dict[str, int]
    notices: int
    href: str | None = None


def bar_chart(name: str, bars: list[Bar], title: str) -> Markup:
    """Per item, its label on one line (HTML, readable at any width) and one SVG bar per dimension below it."""
    if not bars:
        return Markup("")
    top = _scale_max([v for b in bars for v in b.values.values()])
    parts = [f'<div class="bars" data-chart="{escape(name)}" role="img" aria-label="{escape(title)}">']
    for b in bars:
        label = escape(printable(b.label))  # a buyer's name is the source's text: no control characters
        label = f'<a href="{escape(b.href)}">{label}</a>' if b.href else label
        parts.append(f'<div class="bar-item"><div class="bar-label">{label} <span class="muted">({b.notices} avis)'
                     '</span></div>')
        for dimension, share in b.values.items():
            if share is None:
                continue
            tip = f"{printable(b.label)} — {dimension} : {pct(share)} ({b.counts.get(dimension, 0)}/{b.notices})"
            parts.append(f'<div class="bar-row"><svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
                         f'aria-hidden="true"><rect width="{max(0.5, share / top * 100):.2f}" height="10" '
                         f'fill="{COLOURS[dimension]}" data-dimension="{dimension}" data-share="{share:.4f}">'
                         f'<title>{escape(tip)}</title></rect></svg><span class="bar-value">{pct(share)}</span></div>')
        parts.append("</div>")
    parts.append("</div>")
    return Markup("".join(parts))
