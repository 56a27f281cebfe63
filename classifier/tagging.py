"""The `tenderwatch tag` contract: JSONL notices in, one JSON object per notice out, in the same order.

Input line: {"id", "text"} with optional "title", "sections": [{"heading", "text"}] and "cpv_codes" (the main code
first).
Output: {"id", "social", "environmental" (the pictogram rule at the detection threshold), "considerations": [{"dimension", "lever", "confidence", "evidence",
"start", "end", "section", "method"}], "classifier_version"}; a line that cannot be read gives {"id": <id or null>, "error": "..."} and
the stream goes on. Blank lines are skipped. Notices are classified in batches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from models import config
from models.notice import Section
from models.pictogram_rule import qualifies
from models.vocabulary import SUPPRESSION_LABELS, Origin

from . import Classifier, Detection, Document

__all__ = ["explain_dict", "parse_line", "result_dict", "tag_lines"]


class _LineError(ValueError):
    def __init__(self, reason: str, id_=None):
        super().__init__(reason)
        self.id = id_


def parse_line(line: str | bytes, number: int) -> tuple[object, Document]:
    """One input line (text, or bytes decoded as UTF-8) as (its id as given, a Document); raises ValueError with a
    readable reason (invalid UTF-8, invalid JSON, a huge number, nesting too deep...)."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as e:
            raise _LineError(f"line {number}: not UTF-8 text (byte 0x{e.object[e.start]:02x} at position {e.start}); "
                             "re-encode the file, e.g. iconv -f cp1252 -t utf-8") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise _LineError(f"line {number}: not valid JSON ({e.msg} at column {e.colno})") from None
    except ValueError as e:  # a number beyond Python's digit limit
        raise _LineError(f"line {number}: not readable JSON ({e})"[:300]) from None
    except RecursionError:
        raise _LineError(f"line {number}: JSON nested too deeply") from None
    if not isinstance(obj, dict):
        raise _LineError(f"line {number}: expected a JSON object, got {type(obj).__name__}")
    id_ = obj.get("id")
    if id_ is None or isinstance(id_, (dict, list, bool)) or str(id_) == "":
        raise _LineError(f"line {number}: missing 'id'", id_ if isinstance(id_, (str, int, float)) else None)
    text = obj.get("text", "")
    title = obj.get("title", "")
    if not isinstance(text, str) or not isinstance(title, str):
        raise _LineError(f"line {number}: 'text' and 'title' must be strings", id_)
    sections = []
    raw_sections = obj.get("sections") or []
    if not isinstance(raw_sections, list):
        raise _LineError(f'line {number}: \'sections\' must be a list of {{"heading", "text"}}', id_)
    for k, s in enumerate(raw_sections):
        if (
            not isinstance(s, dict)
            or not isinstance(s.get("text", ""), str)
            or not isinstance(s.get("heading", ""), str)
        ):
            raise _LineError(
                f"line {number}: section {k} must be an object with string 'heading' and 'text'", id_
            )
        sections.append(
            Section(
                heading=s.get("heading") or "",
                text=s.get("text") or "",
                kind=s.get("kind") if isinstance(s.get("kind"), str) else "other",
            )
        )
    if not text and not title and not any(s.text for s in sections):
        raise _LineError(f"line {number}: no 'text' (nor title or sections) to classify", id_)
    cpv_codes = obj.get("cpv_codes") or []
    if not isinstance(cpv_codes, list) or not all(isinstance(c, str) for c in cpv_codes):
        raise _LineError(f"line {number}: 'cpv_codes' must be a list of strings (the main code first)", id_)
    return id_, Document(id=str(id_), text=text, title=title, sections=sections, cpv_codes=cpv_codes)


def result_dict(id_, detections: list[Detection], version: str, threshold: float | None = None) -> dict:
    """A dimension is true when one of its detections qualifies under the pictogram rule (at or above the
    detection threshold, `TENDERWATCH_DETECTION_THRESHOLD` by default); every detection is listed."""
    threshold = config.detection_threshold() if threshold is None else threshold

    def lit(dimension: str) -> bool:
        return any(
            d.dimension == dimension and qualifies(Origin.DETECTED.value, d.confidence, False, threshold)
            for d in detections
        )

    return {
        "id": id_,
        "social": lit("social"),
        "environmental": lit("environmental"),
        "considerations": [
            {
                "dimension": str(d.dimension),
                "lever": str(d.lever),
                "confidence": d.confidence,
                "evidence": d.evidence,
                "start": d.start,
                "end": d.end,
                "section": d.section,
                "method": d.method,
            }
            for d in detections
        ],
        "classifier_version": version,
    }


def explain_dict(explanation) -> list[dict]:
    """The suppressed candidates of an explanation, as `tag --explain` writes them."""
    return [
        {"dimension": str(c.dimension), "lever": str(c.lever) if c.lever else None, "rule": c.rule,
         "score": c.score, "evidence": c.evidence, "start": c.start, "end": c.end, "section": c.section,
         "reason": c.reason,
         "reason_label": SUPPRESSION_LABELS.get(c.reason, c.reason)}
        for c in explanation.suppressed
    ]


def _parsed(lines: Iterable[str | bytes]) -> Iterator[tuple[object, Document | None, dict | None]]:
    """(id as given, document, None) per readable non-blank line, (id or None, None, error dict) per bad one."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            id_, doc = parse_line(line, number)
        except _LineError as e:
            yield e.id, None, {"id": e.id, "error": str(e)}
        else:
            yield id_, doc, None


def tag_lines(lines: Iterable[str | bytes], classifier: Classifier, batch_size: int = 64,
              threshold: float | None = None, explain: bool = False) -> Iterator[dict]:
    """One result dict per non-blank input line (text, or bytes decoded as UTF-8), in input order; bad lines give
    an error dict. With `explain`, each result also lists the candidates that were suppressed and why
    (`suppressed`; slower)."""
    threshold = config.detection_threshold() if threshold is None else threshold
    if explain:
        for id_, doc, error in _parsed(lines):
            if doc is None:
                yield error
                continue
            explanation = classifier.explain(doc)
            result = result_dict(id_, explanation.detections, classifier.version, threshold)
            result["suppressed"] = explain_dict(explanation)
            yield result
        return
    pending: list[tuple[object, Document | None, dict | None]] = []  # (id as given, document, error)
    n_docs = 0

    def flush() -> Iterator[dict]:
        docs = [doc for _, doc, _ in pending if doc is not None]
        results = iter(classifier.classify_many(docs, batch_size=batch_size))
        for id_, doc, error in pending:
            yield error if doc is None else result_dict(id_, next(results), classifier.version, threshold)
        pending.clear()

    for item in _parsed(lines):
        pending.append(item)
        n_docs += item[1] is not None
        if n_docs >= batch_size:
            yield from flush()
            n_docs = 0
    if pending:
        yield from flush()
