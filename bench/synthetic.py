"""Synthetic stores for benchmarks: N notices with realistic distributions, written in bulk (no ORM object per row).

Years 2017-2026 (growing volumes), departments weighted by population, a pool of buyers with a long tail, CPV
divisions, natures and procedures; about a quarter of the notices carry considerations (declared, detected at
various confidences, a few stale or manual) whose frequency grows over the years, and a few operator overrides.
SQLite rows go through executemany of tuples; PostgreSQL rows through COPY. Pictograms are left to regenerate.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date, datetime, timedelta

from sqlalchemy import text

from models.regions import DEPARTMENTS
from models.vocabulary import Dimension, Lever, Origin

YEARS = list(range(2017, 2027))
YEAR_WEIGHTS = [6, 7, 8, 8, 9, 10, 11, 12, 13, 11]  # 2026: the year in progress
SOCIAL_BY_YEAR = [0.08, 0.09, 0.10, 0.10, 0.11, 0.14, 0.15, 0.17, 0.19, 0.21]
ENV_BY_YEAR = [0.09, 0.10, 0.12, 0.12, 0.14, 0.18, 0.20, 0.23, 0.27, 0.32]
BIG_DEPARTMENTS = {"75": 8, "13": 6, "59": 7, "69": 6, "92": 5, "93": 5, "94": 4, "33": 5, "31": 5, "44": 4,
                   "06": 3, "67": 3, "34": 3, "38": 3, "62": 4, "76": 4, "35": 3, "78": 4, "77": 4, "91": 4, "95": 4}
SOURCES = ["boamp", "decp", "ted", "atexo:demat-ampa", "atexo:marches-securises", "atexo:maximilien"]
SOURCE_WEIGHTS = [40, 25, 12, 10, 7, 6]
CPV = ["45000000", "71000000", "79000000", "90000000", "50000000", "72000000", "30000000", "34000000",
       "33000000", "15000000", "39000000", "09000000", "44000000", "77000000", "80000000", "85000000",
       "60000000", "48000000", "55000000", "98000000"]
CPV_WEIGHTS = [30, 10, 8, 7, 7, 5, 4, 4, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1]
NATURES = {"45": "works", "44": "supplies", "09": "supplies", "30": "supplies", "34": "supplies",
           "33": "supplies", "15": "supplies", "39": "supplies"}
PROCEDURES = ["Procédure adaptée", "Procédure ouverte", "Procédure restreinte", "Procédure avec négociation"]
PROCEDURE_WEIGHTS = [50, 35, 10, 5]
LEVERS_SOCIAL = [Lever.EXECUTION_CONDITION, Lever.AWARD_CRITERION, Lever.RESERVATION, Lever.TECHNICAL_SPECIFICATION,
                 Lever.CONTRACT_SUBJECT, Lever.SELECTION_CRITERION]
LEVER_WEIGHTS_SOCIAL = [50, 20, 15, 5, 5, 5]
LEVERS_ENV = [Lever.TECHNICAL_SPECIFICATION, Lever.AWARD_CRITERION, Lever.EXECUTION_CONDITION,
              Lever.SELECTION_CRITERION, Lever.CONTRACT_SUBJECT]
LEVER_WEIGHTS_ENV = [30, 30, 25, 10, 5]
DECLARING = {"decp", "ted", "boamp"}  # sources with structured declarations
BUYER_KINDS = ["Commune de", "Département", "Centre hospitalier de", "Communauté d'agglomération de",
               "Lycée de", "Office public de l'habitat de", "Syndicat des eaux de"]

NOTICE_COLUMNS = [
    "id", "source", "source_id", "content_hash", "title", "url", "buyer_name", "buyer_siret", "buyer_nuts",
    "country", "department", "region", "former_region", "cpv_codes", "cpv_division", "procedure",
    "contract_nature", "notice_type", "published", "year", "deadline", "language", "amount", "raw_format", "text",
    "sections", "first_seen", "last_seen", "updated_at", "needs_tagging", "tagged_version",
]
CONSIDERATION_COLUMNS = ["notice_id", "dimension", "lever", "origin", "confidence", "evidence", "classifier_version",
                         "stale", "created_at"]
OVERRIDE_COLUMNS = ["notice_id", "social", "environmental", "levers", "reason", "author", "created_at", "updated_at"]
VERSION = "synthetic-1"


def _buyers(rng: random.Random, count: int) -> list[tuple]:
    departments = sorted(DEPARTMENTS)
    weights = [BIG_DEPARTMENTS.get(d, 1) for d in departments]
    buyers = []
    for i, dept in enumerate(rng.choices(departments, weights, k=count)):
        name, region, former = DEPARTMENTS[dept]
        kind = rng.choice(BUYER_KINDS)
        siret = f"{2_000_000_00 + i * 7919 % 900_000_000:09d}{i % 100000:05d}"
        buyers.append((f"{kind} {name} n°{i}", siret, dept, region, former))
    return buyers


class Generator:
    """Draws notices and their considerations batch by batch, reproducibly from a seed."""

    def __init__(self, n: int, seed: int = 7, buyers: int | None = None):
        self.n = n
        self.rng = random.Random(seed)
        count = buyers or max(50, n // 40)
        self.buyers = _buyers(self.rng, count)
        self.buyer_weights = [1 / (1 + i) ** 0.8 for i in range(count)]  # long tail: a few buyers publish a lot
        self.now = datetime(2026, 11, 29, 12, 0, 0)

    def batch(self, start_id: int, size: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
        rng = self.rng
        years = rng.choices(YEARS, YEAR_WEIGHTS, k=size)
        buyers = rng.choices(self.buyers, self.buyer_weights, k=size)
        sources = rng.choices(SOURCES, SOURCE_WEIGHTS, k=size)
        cpvs = rng.choices(CPV, CPV_WEIGHTS, k=size)
        procedures = rng.choices(PROCEDURES, PROCEDURE_WEIGHTS, k=size)
        notices, considerations, overrides = [], [], []
        for k in range(size):
            notice_id = start_id + k
            year, (buyer, siret, dept, region, former), source, cpv = years[k], buyers[k], sources[k], cpvs[k]
            last_day = 334 if year == 2026 else 365
            published = date(year, 1, 1) + timedelta(days=rng.randrange(last_day))
            division = cpv[:2]
            title = f"Marché {notice_id} : prestations CPV {division} pour {buyer}"
            body = (f"{title}. Objet : fourniture, travaux ou services selon le lot. Lieu d'exécution : département "
                    f"{dept}. Critères d'attribution : prix 60 %, valeur technique 40 %.")
            notices.append((
                notice_id, source, f"S{notice_id:09d}", hashlib.blake2b(str(notice_id).encode(), digest_size=16).hexdigest(),
                title, f"https://example.invalid/avis/{notice_id}", buyer, siret, None, "FR", dept, region, former,
                json.dumps([cpv]), division, procedures[k], NATURES.get(division, "services"), "contract_notice",
                published, year, datetime.combine(published, datetime.min.time()) + timedelta(days=30), "fr",
                float(rng.randrange(10, 2000) * 1000), "synthetic", body, "[]", self.now, self.now, self.now,
                False, VERSION,
            ))
            considerations += self._considerations(notice_id, year, source)
            if rng.random() < 0.001:
                decided = rng.random() < 0.7
                overrides.append((notice_id, decided, None,
                                  json.dumps(["social:reservation"] if decided else []),
                                  "vérifié par l'opérateur", "bench", self.now, self.now))
        return notices, considerations, overrides

    def _considerations(self, notice_id: int, year: int, source: str) -> list[tuple]:
        rng, index, rows = self.rng, year - YEARS[0], []
        for dim, base, levers, weights in (
            (Dimension.SOCIAL, SOCIAL_BY_YEAR[index], LEVERS_SOCIAL, LEVER_WEIGHTS_SOCIAL),
            (Dimension.ENVIRONMENTAL, ENV_BY_YEAR[index], LEVERS_ENV, LEVER_WEIGHTS_ENV),
        ):
            if rng.random() >= base:
                if rng.random() < 0.03:  # a weak detection that does not qualify
                    rows.append(self._row(notice_id, dim, rng.choice(levers), Origin.DETECTED, rng.uniform(0.1, 0.49)))
                continue
            lever = rng.choices(levers, weights)[0]
            declared = source in DECLARING and rng.random() < 0.55
            detected = rng.random() < (0.6 if declared else 0.9)
            if declared:
                declared_lever = None if source == "boamp" and rng.random() < 0.5 else lever
                rows.append(self._row(notice_id, dim, declared_lever, Origin.DECLARED, 1.0))
            if detected or not declared:
                found = lever if rng.random() < 0.8 else rng.choice(levers)
                rows.append(self._row(notice_id, dim, found, Origin.DETECTED, rng.uniform(0.5, 0.99),
                                      stale=rng.random() < 0.01))
            if rng.random() < 0.002:
                rows.append(self._row(notice_id, dim, lever, Origin.MANUAL, 1.0))
        return rows

    def _row(self, notice_id, dim, lever, origin, confidence, stale=False) -> tuple:
        return (notice_id, dim.value, lever.value if lever else None, origin.value, round(confidence, 3),
                f"extrait synthétique ({dim.value})", VERSION if origin == Origin.DETECTED else None, stale, self.now)


def _insert_sqlite(raw, table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    marks = ", ".join("?" for _ in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    raw.cursor().executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', [
        tuple(v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat() if isinstance(v, date) else v
              for v in row)
        for row in rows
    ])


def _copy_postgres(raw, table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    quoted = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def populate(store, n: int, seed: int = 7, batch: int = 50_000, progress=None) -> dict:
    """Write n synthetic notices (ids 1..n) with their considerations and overrides into an empty store."""
    generator = Generator(n, seed)
    counts = {"notices": 0, "considerations": 0, "overrides": 0}
    postgres = store.dialect == "postgresql"
    write = _copy_postgres if postgres else _insert_sqlite
    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for start in range(1, n + 1, batch):
            notices, considerations, overrides = generator.batch(start, min(batch, n - start + 1))
            write(raw, "notice", NOTICE_COLUMNS, notices)
            write(raw, "consideration", CONSIDERATION_COLUMNS, considerations)
            write(raw, "manual_override", OVERRIDE_COLUMNS, overrides)
            raw.commit()
            counts["notices"] += len(notices)
            counts["considerations"] += len(considerations)
            counts["overrides"] += len(overrides)
            if progress:
                progress(counts["notices"], n)
        if postgres:
            for table in ("notice", "consideration", "manual_override"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
        conn.commit()
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))  # what autovacuum would do in time
    return counts
