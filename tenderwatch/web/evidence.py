"""The notice's text cut at the edges of its considerations' evidence spans, so each piece can be highlighted
with every consideration that covers it (spans may overlap). Text is never marked up here: the template escapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise


@dataclass
class Segment:
    text: str
    spans: list[int] = field(default_factory=list)  # indices into the spans list
    dimensions: list[str] = field(default_factory=list)
    anchors: list[int] = field(default_factory=list)  # spans that start here (their link target)


def highlight(text: str, considerations: list[dict]) -> tuple[list[Segment], list[dict]]:
    """(segments of `text`, considerations each with `index` and `located`: whether its span is in the text)."""
    spans = []
    for i, c in enumerate(considerations):
        start, end = c.get("start"), c.get("end")
        located = start is not None and end is not None and 0 <= start < end <= len(text)
        spans.append({**c, "index": i, "located": located})
    cuts = sorted({0, len(text), *(s["start"] for s in spans if s["located"]),
                   *(s["end"] for s in spans if s["located"])})
    segments = []
    for a, b in pairwise(cuts):
        covering = [s for s in spans if s["located"] and s["start"] <= a and b <= s["end"]]
        segments.append(Segment(text[a:b], [s["index"] for s in covering],
                                sorted({s["dimension"] for s in covering}),
                                [s["index"] for s in covering if s["start"] == a]))
    return segments, spans
