"""File import throughput: `tenderwatch import DIR` of N notice files against a bare loop that only parses them.

    python -m bench.import_speed [--n 10000] [--pg URL | --no-pg] [--keep DIR]

The directory is written from the project's own fixtures (tests/files): eForms and TED R2.0.9 XML, BOAMP
open-data records, BOAMP XML (v230), a boamp.fr page, DECP JSON (several contracts per file), Atexo pages, and
the project's own JSON notices (written from parsed fixtures), each with its identifiers replaced so that
every file holds new notices; 1 % are damaged copies (cut in the middle), as real archives have some.
The bare loop (`python -m bench.import_speed --bare DIR`) runs crawler.parsers.files.read_file on every file
and stores nothing. Each side runs in its own process: files/s over the whole process (start-up included) and
the marginal rate (N files minus a 1-file run of the same command, i.e. without the fixed start-up), peak
memory from os.wait4. `import --no-tag` is the figure compared; tagging the imported notices
(`classify --pending`) is timed on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.measure import run_measured

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "files"
DAMAGED = 0.01
_HTML_HEAD = (b'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Avis - BOAMP</title></head>'
              b"<body>\n")

# fixture, its format, its share of the directory, the id strings in it and how each is varied for file k
TEMPLATES: list[tuple[str, str, int, list[tuple[str, str]]]] = [
    ("boamp/record_mapa_criteres.json", "boamp_record", 12, [("25-10001", "25-{k:05d}")]),
    ("boamp/record_eforms.json", "boamp_record", 8, [("25-20002", "26-{k:05d}")]),
    ("eforms/cn_fr_lot_strategic.xml", "eforms", 10, [("00123456-2025", "{k:08d}-2025")]),
    ("ted_api/00101001-2025.xml", "eforms", 5, [("00101001-2025", "{k:08d}-2024")]),
    ("ted_api/00101003-2025.xml", "eforms", 5, [("00101003-2025", "{k:08d}-2023")]),
    ("ted/f02_reserved_fr.xml", "ted_r209", 6, [("012345-2020", "{k:06d}-2020")]),
    ("ted_api/104321-2025.xml", "ted_r209", 4, [("104321-2025", "{k:06d}-2019")]),
    ("boamp/v230_reserved.xml", "boamp_xml", 10, [("18-99001", "18-{k:05d}")]),
    ("boamp/page_joue.html", "boamp_html", 5, [("21-55501", "21-{k:05d}")]),
    ("decp/decp_2024_format.json", "decp", 6,
     [("21330999900017", "2133{k:010d}"), ("25690999900019", "2569{k:010d}")]),
    ("decp/decp_2024_concession.json", "decp", 4, [("21350999900017", "2135{k:010d}")]),
    ("decp/decp_buyer_pre2024_format.json", "decp", 3, [("21590999900012", "2159{k:010d}")]),
    # an Atexo notice is keyed by the platform's consultation number (refConsultation), not the buyer's reference
    ("atexo/detail_lots.html", "atexo_html", 12,
     [("2024-ST-0042", "2024-ST-{k:05d}"), ("refConsultation=482913", "refConsultation=9{k:06d}")]),
    ("json", "json", 10, []),
]


def _own_json_sources() -> list[dict]:
    """Notices of the project's own JSON format, from parsed fixtures (what `pictograms --export`-like tools and
    operators' archives hold)."""
    from crawler.parsers.files import read_file

    out = []
    for name in ("eforms/cn_fr_lot_strategic.xml", "ted/f02_reserved_fr.xml", "boamp/v230_reserved.xml",
                 "atexo/detail_lots.html"):
        for notice in read_file(FILES / name):
            if not isinstance(notice, Exception):
                out.append(notice.to_dict())
    return out


def write_directory(target: Path, n: int, seed: int = 5) -> dict[str, int]:
    """n files in `target` (flat), formats mixed by TEMPLATES' shares; returns files per format."""
    rng = random.Random(seed)
    raw = {name: (FILES / name).read_bytes() for name, _, _, _ in TEMPLATES if name != "json"}
    own = _own_json_sources()
    names = [t[0] for t in TEMPLATES]
    weights = [t[2] for t in TEMPLATES]
    table = {t[0]: t for t in TEMPLATES}
    counts: dict[str, int] = {}
    target.mkdir(parents=True, exist_ok=True)
    for k, name in enumerate(rng.choices(names, weights, k=n)):
        _, fmt, _, ids = table[name]
        if name == "json":
            record = dict(own[k % len(own)])
            record.update(source="archive", source_id=f"A-{k:06d}")
            data = json.dumps(record, ensure_ascii=False).encode()
            suffix = ".json"
        else:
            data = raw[name]
            for old, new in ids:
                data = data.replace(old.encode(), new.format(k=k).encode())
            if fmt == "boamp_html":  # the fixture is the page's body; a saved boamp.fr page is a whole document
                data = _HTML_HEAD + data + b"\n</body></html>\n"
            suffix = Path(name).suffix
        if rng.random() < DAMAGED:
            data = data[: len(data) // 2]
            fmt = f"{fmt} (damaged)"
        (target / f"{k:05d}{suffix}").write_bytes(data)
        counts[fmt] = counts.get(fmt, 0) + 1
    return counts


def bare(directory: Path) -> int:
    """Parse every file (no store): prints JSON counts and seconds."""
    from crawler.parsers.errors import ParseError
    from crawler.parsers.files import iter_paths, read_file

    started = time.perf_counter()
    files = notices = errors = 0
    keys = set()
    for path in iter_paths([directory]):
        files += 1
        for result in read_file(path):
            if isinstance(result, ParseError):
                errors += 1
            else:
                notices += 1
                keys.add((result.source, result.source_id))
    print(json.dumps({"files": files, "notices": notices, "errors": errors, "distinct": len(keys),
                      "seconds": time.perf_counter() - started}))
    return 0



def _postgres(base: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text

    schema = f"tw_bench_import_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", schema


def _drop(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--bare"]:
        return bare(Path(argv[1]))
    parser = argparse.ArgumentParser(prog="python -m bench.import_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="files in the directory")
    parser.add_argument("--repeat", type=int, default=2, help="rounds (bare loop and imports interleaved)")
    parser.add_argument("--pg", default=os.environ.get("TENDERWATCH_TEST_POSTGRES_URL"), help="PostgreSQL URL")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--skip-tagging", action="store_true", help="do not time the tagging after the import")
    parser.add_argument("--keep", help="write the directory here and keep it")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="tw-import-"))
    schemas: list[str] = []
    try:
        directory = Path(args.keep) if args.keep else tmp / "notices"
        started = time.perf_counter()
        counts = write_directory(directory, args.n)
        single = tmp / "single"
        single.mkdir()
        shutil.copy(min(directory.iterdir()), single)
        size = sum(p.stat().st_size for p in directory.iterdir())
        print(f"   {args.n:,} files ({size / 1e6:.0f} MB) written in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{fmt} {count}" for fmt, count in sorted(counts.items())), flush=True)
        print(f"   {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}; {args.repeat} interleaved round(s), "
              "best round reported", flush=True)
        sides = ["bare loop", "import -> SQLite"] + (["import -> PostgreSQL"] if args.pg and not args.no_pg else [])
        results: dict[str, list[dict]] = {side: [] for side in sides}
        fixed: dict[str, dict] = {}

        def command(side: str, folder: Path, url: str | None = None) -> list[str]:
            if side == "bare loop":
                return [sys.executable, "-m", "bench.import_speed", "--bare", str(folder)]
            return [sys.executable, "-m", "tenderwatch.cli", "--db", url, "import", str(folder), "--no-tag"]

        def new_url(side: str) -> str | None:
            if side == "bare loop":
                return None
            if side.endswith("SQLite"):
                return f"sqlite:///{tmp / f'import-{uuid.uuid4().hex[:6]}.sqlite'}"
            url, schema = _postgres(args.pg)
            schemas.append(schema)
            return url

        for round_ in range(1, args.repeat + 1):
            for side in sides:
                if side not in fixed:
                    fixed[side] = run_measured(command(side, single, new_url(side)))
                url = new_url(side)
                result = run_measured(command(side, directory, url))
                result["url"] = url
                result["marginal"] = (args.n - 1) / max(1e-9, result["wall"] - fixed[side]["wall"])
                results[side].append(result)
                detail = result["stdout"].strip().splitlines()[-1][:110] if result["stdout"].strip() else ""
                print(f"   {side + f' #{round_}':<24} {args.n / result['wall']:7.1f} files/s "
                      f"({result['wall']:6.1f} s, start-up {fixed[side]['wall']:4.1f} s, marginal "
                      f"{result['marginal']:7.1f} files/s), {1000 * result['cpu'] / args.n:5.2f} CPU ms/file, "
                      f"peak {result['peak_mib']:5.0f} MiB; exit {result['status']}  {detail}", flush=True)
                if result["status"] not in (0,):
                    print("     " + result["stderr"][-1000:])
        best = {side: min(rs, key=lambda r: r["wall"]) for side, rs in results.items()}
        print(f"\n   best of {args.repeat}: files/s (whole process / marginal) and ratio to the bare loop:")
        for side in sides:
            r, b = best[side], best["bare loop"]
            print(f"     {side:<22} {args.n / r['wall']:7.1f} / {r['marginal']:7.1f} files/s   ratio "
                  f"{b['wall'] / r['wall']:5.2f} / {r['marginal'] / b['marginal']:5.2f}   "
                  f"CPU ratio {min(x['cpu'] for x in results['bare loop']) / min(x['cpu'] for x in results[side]):5.2f}"
                  f"   peak {max(x['peak_mib'] for x in results[side]):5.0f} MiB")
        if not args.skip_tagging:
            print("\n   tagging the imported notices afterwards (classify --pending; not in the import figures):")
            for side in sides[1:]:
                tagging = run_measured([sys.executable, "-m", "tenderwatch.cli", "--db", best[side]["url"],
                                        "classify", "--pending"])
                print(f"     {side:<22} {tagging['wall']:7.1f} s, peak {tagging['peak_mib']:5.0f} MiB: "
                      f"{tagging['stdout'].strip()[-120:]}", flush=True)
    finally:
        for schema in schemas:
            _drop(args.pg, schema)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
