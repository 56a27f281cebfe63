"""Consultation records of realistic sizes for the benchmarks, drawn from the demo corpus (tenderwatch/demo).

Each record keeps one corpus consultation's fields and sections and borrows further sections (descriptions,
specifications, participation, additional information...) from others until its text reaches a length drawn
from a log-normal law: median about 6 KB, a tenth above 15 KB, at most 60 KB (real French notices of 2020 in
../shared/samples have a median of 11.7 KB; the demo corpus' own are 1-2.5 KB). Identifiers, dates, departments
and buyers vary; lots are added to about a third. Reproducible from the seed.
"""

from __future__ import annotations

import json
import math
import random
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tenderwatch" / "demo" / "corpus.json"
MEDIAN_TEXT = 6000
SIGMA = 0.75
MIN_TEXT, MAX_TEXT = 1500, 60_000
BORROWED_KINDS = ("description", "technical_specification", "participation", "additional_info", "award_criteria",
                  "execution_conditions")
BORROWED_HEADINGS = {
    "description": "Description des prestations",
    "technical_specification": "Spécifications techniques",
    "participation": "Conditions de participation (compléments)",
    "additional_info": "Renseignements complémentaires",
    "award_criteria": "Sous-critères de la valeur technique",
    "execution_conditions": "Conditions d'exécution (compléments)",
}
DEPARTMENTS = [f"{i:02d}" for i in range(1, 96) if i != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]


@lru_cache(maxsize=1)
def corpus() -> list[dict]:
    """The demo corpus' consultations, without their truth."""
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    return [{k: v for k, v in c.items() if k != "truth"} for c in data["consultations"]]


def _pool() -> list[dict]:
    return [s for c in corpus() for s in c["sections"] if s["kind"] in BORROWED_KINDS]


def text_length(rng: random.Random) -> int:
    """A notice text length in characters (log-normal, clipped)."""
    return int(min(MAX_TEXT, max(MIN_TEXT, MEDIAN_TEXT * math.exp(rng.gauss(0.0, SIGMA)))))


def record(i: int, rng: random.Random, pool: list[dict] | None = None) -> dict:
    """Consultation number `i`: a corpus consultation with varied identity and borrowed sections."""
    base = corpus()[i % len(corpus())]
    pool = pool if pool is not None else _pool()
    year = rng.randint(2017, 2026)
    published = date(year, 1, 1) + timedelta(days=rng.randrange(334 if year == 2026 else 365))
    deadline = datetime.combine(published, datetime.min.time()) + timedelta(days=rng.randint(15, 52), hours=12)
    sections = [dict(s) for s in base["sections"]]
    target, size = text_length(rng), sum(len(s["text"]) + len(s["heading"]) for s in sections)
    part = 1
    while size < target:
        borrowed = rng.choice(pool)
        text = borrowed["text"]
        if size + len(text) > target + 2000 and size > MIN_TEXT:
            text = text[: max(200, target - size)]
        heading = f"{BORROWED_HEADINGS[borrowed['kind']]} ({part})"
        sections.append({"heading": heading, "kind": borrowed["kind"], "text": text})
        size += len(text) + len(heading)
        part += 1
    lots = [dict(lot) for lot in base["lots"]]
    if rng.random() < 0.33:
        donors = [lot for c in corpus() for lot in c["lots"]]
        for _ in range(rng.randint(1, 8)):
            lot = dict(rng.choice(donors))
            lot["lot_id"] = str(len(lots) + 1)
            lots.append(lot)
    department = rng.choice(DEPARTMENTS)
    return {
        **base,
        "source_id": f"{year}-BN-{i:07d}",
        "buyer_name": f"{base['buyer_name']} ({department})",
        "department": department,
        "published": published.isoformat(),
        "deadline": deadline.isoformat(),
        "sections": sections,
        "lots": lots,
    }


def records(n: int, seed: int = 11) -> list[dict]:
    """n consultation records, reproducibly."""
    rng, pool = random.Random(seed), _pool()
    return [record(i, rng, pool) for i in range(n)]
