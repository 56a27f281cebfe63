"""Clauses in, considerations out: the social and environmental considerations of a notice and the lever of each.

Rules (classifier.rules) give precise, explainable evidence; the trained model (classifier.model) confirms them and
adds recall, but a model-only detection must pass a high calibrated threshold. One detection per (dimension, lever)
pair: the best evidence, as offsets into the document's full text (``text[start:end] == evidence``).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from models.notice import Notice, Section
from models.vocabulary import Dimension, Lever

from .rules import (
    SECTION_LEVER,
    Hit,
    blocked_clause,
    first_trigger,
    match_clause,
    negated_clause,
    trace_all,
    trigger_positions,
)
from .cpv import environmental_purpose
from .segment import Clause, Segmentation, segment_normalized

__all__ = ["Candidate", "Classifier", "Detection", "Document", "Explanation", "document_from_notice", "load_classifier"]

MAX_EVIDENCE = 300
# A rule hit is kept when its confidence, after the model's opinion, reaches EMIT_THRESHOLD.
EMIT_THRESHOLD = 0.6
# A detection from the model alone needs this calibrated probability for its dimension, in a section whose kind
# fixes the lever, and one of the dimension's own trigger words in the clause. Not in titles and descriptions: on
# the real 2020 notices the model alone was right there 2 times out of 10 (logements sociaux, insurance of
# "risques environnementaux", services for job seekers...), so contract_subject comes from the rules only.
MODEL_ONLY_THRESHOLD = 0.9
# In a title (or objet) the model alone may state the purpose of the purchase (contract_subject) at this calibrated
# probability: trained since 2026-12 on the development part of 6,243 real DECP objects annotated blind
# (classifier/data/decp_2019_objects.json), where titles name their purpose in words no rule lists.
MODEL_ONLY_TITLE_THRESHOLD = 0.95
_MODEL_ONLY_LEVER = {
    "award_criteria": Lever.AWARD_CRITERION,
    "execution_conditions": Lever.EXECUTION_CONDITION,
    "technical_specification": Lever.TECHNICAL_SPECIFICATION,
}


@dataclass(frozen=True)
class Detection:
    dimension: Dimension
    lever: Lever
    confidence: float
    evidence: str
    start: int
    end: int
    section: str | None
    method: str  # "rule" | "model" | "rule+model"
    version: str = ""  # the classifier version that produced it


@dataclass
class Document:
    id: str
    text: str = ""
    title: str = ""
    sections: list[Section] = field(default_factory=list)
    cpv_codes: list[str] = field(default_factory=list)  # the main code first


def document_from_notice(notice: Notice) -> Document:
    return Document(
        id=notice.source_id, text=notice.full_text(), title=notice.title, sections=list(notice.sections),
        cpv_codes=list(notice.cpv_codes or []),
    )


@dataclass(frozen=True)
class Candidate:
    """A consideration that was looked at and not kept (for `explain`): its wording, method, score and the reason
    (a code of models.vocabulary.SUPPRESSION_LABELS)."""

    dimension: Dimension
    lever: Lever | None
    rule: str
    method: str
    score: float | None
    evidence: str
    start: int
    end: int
    section: str | None
    reason: str


@dataclass
class Explanation:
    detections: list[Detection]
    suppressed: list[Candidate]
    version: str


@dataclass
class _Candidate:
    clause: Clause
    hits: list[Hit]
    # boilerplate or the buyer's own policy: no detection from the model alone (looked for only where the model may
    # detect alone, see _alone_allowed)
    blocked: bool = False
    proba: dict[Dimension, float] | None = None  # the model's, when it scored the clause


@dataclass
class _Prepared:
    seg: Segmentation
    candidates: list[_Candidate]


class Classifier:
    """Rules + model. `version` is recorded on every detection."""

    def __init__(self, model=None, version: str | None = None):
        from .version import effective_version

        self.model = model
        self.version = version or effective_version(model.version if model is not None else None)

    def classify(self, doc: Document) -> list[Detection]:
        return next(self.classify_many([doc]))

    def classify_many(self, docs: Iterable[Document], batch_size: int = 64) -> Iterator[list[Detection]]:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._classify_batch(batch)
                batch = []
        if batch:
            yield from self._classify_batch(batch)

    def explain(self, doc: Document) -> Explanation:
        """The detections of `doc` and every candidate that was suppressed, with why: what an operator asks when a
        pictogram looks wrong. Same decisions as `classify` (slower: it records what `classify` skips)."""
        trace: list = []
        prepared = _prepare(doc, trace)
        self._score(prepared.candidates)
        rejected: list = []
        detections = self._decide(prepared, rejected)
        kept = {(d.dimension, d.lever): d for d in detections}
        out = []
        for clause, item in trace:
            start, end = prepared.seg.to_original(clause.start + item.start, clause.start + item.end)
            out.append(Candidate(item.dimension, item.lever, item.rule, "rule", None, prepared.seg.original[start:end],
                                 start, end, clause.heading, item.reason))
        for det, reason in rejected:
            if reason == "superseded" and kept.get((det.dimension, det.lever)) is det:
                continue
            out.append(Candidate(det.dimension, det.lever, det.method, det.method, det.confidence, det.evidence,
                                 det.start, det.end, det.section, reason))
        out.extend(_purpose_code(doc, prepared.seg.original, detections))
        out.sort(key=lambda c: (c.start, str(c.dimension)))
        return Explanation(detections, out, self.version)

    # -- internals ---------------------------------------------------------------------------------------------

    def _score(self, candidates: list[_Candidate]) -> None:
        scored = [c for c in candidates if _worth_scoring(c)]
        if self.model is not None and scored:
            probs = self.model.dimension_proba([(c.clause.text, c.clause.kind) for c in scored])
            for c, row in zip(scored, probs):
                c.proba = {dim: float(row[j]) for j, dim in enumerate(_DIMS)}

    def _classify_batch(self, docs: list[Document]) -> list[list[Detection]]:
        prepared = [_prepare(doc) for doc in docs]
        # one batched pass (nlp.pipe) for the whole batch of notices
        self._score([c for p in prepared for c in p.candidates])
        return [self._decide(p) for p in prepared]


    def _decide(self, p: _Prepared, rejected: list | None = None) -> list[Detection]:
        """Rule hits weighed by the model, plus the model's own detections in lever sections; best per pair.
        `rejected`, when given, receives (detection, reason) for what was weighed and not kept."""
        best: dict[tuple[Dimension, Lever], tuple[float, Detection]] = {}
        for cand in p.candidates:
            for hit in cand.hits:
                found = self._from_rule(p.seg, cand.clause, hit, cand.proba, rejected)
                if found is not None:
                    _keep(best, *found, rejected)
            for found in self._from_model(p.seg, cand, rejected):
                _keep(best, *found, rejected)
        return sorted((det for _, det in best.values()), key=lambda x: (x.start, x.dimension, x.lever))

    def _from_model(self, seg: Segmentation, cand: _Candidate, rejected: list | None = None):
        lever = _MODEL_ONLY_LEVER.get(cand.clause.kind)
        threshold = MODEL_ONLY_THRESHOLD
        if lever is None and cand.clause.kind in _TITLE_KINDS:
            lever, threshold = Lever.CONTRACT_SUBJECT, MODEL_ONLY_TITLE_THRESHOLD
        if cand.proba is None or lever is None or cand.clause.zone is not None or cand.blocked:
            return
        for dim, pr in cand.proba.items():
            if any(h.dimension is dim for h in cand.hits):
                continue
            if pr < threshold:
                if rejected is not None and pr >= 0.5 and first_trigger(cand.clause.text, dim) is not None:
                    det = self._detection(seg, dim, lever, pr, cand.clause.start, cand.clause.end, cand.clause, "model")
                    rejected.append((det, "model_below_threshold"))
                continue
            anchor = first_trigger(cand.clause.text, dim)
            if anchor is None:
                continue
            s, e = _window(cand.clause, cand.clause.start + anchor[0], cand.clause.start + anchor[1])
            yield self._detection(seg, dim, lever, pr, s, e, cand.clause, "model"), pr

    def _from_rule(self, seg: Segmentation, clause: Clause, hit: Hit, dim_p: dict | None, rejected: list | None = None):
        """(detection, rank) for a rule hit, its confidence raised when the model agrees, lowered when not."""
        conf, method = hit.confidence, "rule"
        if dim_p is not None:
            p = dim_p[hit.dimension]
            if p >= 0.5:
                conf, method = 1.0 - (1.0 - conf) * (1.0 - p), "rule+model"
            else:  # the model disagrees: it weighs less against a precise wording or a lever section
                # a purpose family in a title is the purpose as the buyer named it (the families are the law's and
                # the guides' wording): the model, trained on clauses more than titles, weighs less there too
                precise = conf >= 0.9 or clause.kind in SECTION_LEVER or (
                    hit.lever is Lever.CONTRACT_SUBJECT and clause.kind in _TITLE_KINDS
                )
                conf = conf - (0.5 - p) * (0.2 if precise else 0.6)
        if conf < EMIT_THRESHOLD:
            if rejected is not None:
                s, e = _window(clause, clause.start + hit.start, clause.start + hit.end)
                det = self._detection(seg, hit.dimension, hit.lever, max(conf, 0.0), s, e, clause, f"rule {hit.rule}")
                rejected.append((det, "below_emit_threshold"))
            return None
        s, e = _window(clause, clause.start + hit.start, clause.start + hit.end)
        return self._detection(
            seg, hit.dimension, hit.lever, conf, s, e, clause, method
        ), conf + hit.confidence / 100

    def _detection(self, seg, dim, lever, conf, s, e, clause, method) -> Detection:
        start, end = seg.to_original(s, e)
        evidence = seg.original[start:end]
        while len(evidence) > MAX_EVIDENCE:
            end -= len(evidence) - MAX_EVIDENCE
            evidence = seg.original[start:end]
        return Detection(
            dim, lever, round(min(conf, 0.99), 3), evidence, start, end, clause.heading, method, self.version
        )


def _purpose_code(doc: Document, text: str, detections: list[Detection]) -> list[Candidate]:
    """The environmental purpose the main CPV code names (classifier.cpv) when the text states none: shown by
    `explain`, never a detection. ANNOTATION.md wants the purpose stated in the title, objet or description, and a
    code alone is a loose one: on the DECP objects, the contracts whose code names an environmental purpose and
    whose title says none were annotated environmental about half the time."""
    found = environmental_purpose(doc.cpv_codes)
    if found is None or any(
        d.dimension is Dimension.ENVIRONMENTAL and d.lever is Lever.CONTRACT_SUBJECT for d in detections
    ):
        return []
    code, label = found
    start = text.find(doc.title) if doc.title else -1
    start, end = (start, start + min(len(doc.title), MAX_EVIDENCE)) if start >= 0 else (0, 0)
    return [Candidate(Dimension.ENVIRONMENTAL, Lever.CONTRACT_SUBJECT, f"CPV {code} ({label})", "cpv", None,
                      text[start:end], start, end, f"CPV {code} : {label}", "cpv_only")]


_DIMS: tuple[Dimension, ...] = (Dimension.SOCIAL, Dimension.ENVIRONMENTAL)
_TITLE_KINDS = frozenset({"title", "object"})


def _alone_allowed(clause: Clause) -> bool:
    """Where the model may detect alone: lever sections and titles, outside the form's zones."""
    return (clause.kind in _MODEL_ONLY_LEVER or clause.kind in _TITLE_KINDS) and clause.zone is None


def _worth_scoring(c: _Candidate) -> bool:
    """The model confirms rule hits and may detect alone in lever sections and titles: other clauses need no
    score."""
    return bool(c.hits) or (_alone_allowed(c.clause) and not c.blocked)


def _keep(best: dict, det: Detection, rank: float, rejected: list | None = None) -> None:
    """Keep the best detection per (dimension, lever): highest unrounded confidence, then the earliest."""
    key = (det.dimension, det.lever)
    old = best.get(key)
    if old is None or rank > old[0]:
        best[key] = (rank, det)
        if rejected is not None and old is not None:
            rejected.append((old[1], "superseded"))
    elif rejected is not None:
        rejected.append((det, "superseded"))


def _window(clause: Clause, a: int, b: int) -> tuple[int, int]:
    """The clause itself, or a window of at most MAX_EVIDENCE characters around [a, b), cut at spaces."""
    if clause.end - clause.start <= MAX_EVIDENCE - 10:
        return clause.start, clause.end
    text, base = clause.text, clause.start
    a, b = a - base, b - base
    room = max(0, MAX_EVIDENCE - 10 - (b - a))
    s = max(0, a - room // 2)
    e = min(len(text), s + (b - a) + room)
    s = max(0, e - (MAX_EVIDENCE - 10))
    if s > 0:
        sp = text.find(" ", s, a) if a > s else -1
        s = sp + 1 if sp >= 0 else s
    if e < len(text):
        sp = text.rfind(" ", b, e)
        e = sp if sp > b else e
    while e > s and text[e - 1] in " ,;:-":
        e -= 1
    return base + s, base + e


def _prepare(doc: Document, trace: list | None = None) -> _Prepared:
    """Segmentation of the sections that contain a trigger word, the clauses worth looking at (a trigger word,
    outside buyer/review zones) and their rule hits."""
    triggers: list[tuple[int, Dimension | None]] = []
    starts: list[int] = []

    def focus(text: str) -> list[int]:
        triggers.extend(trigger_positions(text))
        starts.extend(pos for pos, _ in triggers)
        return starts

    seg = segment_normalized(doc, focus)
    candidates: list[_Candidate] = []
    for clause in seg.clauses:
        i = bisect.bisect_left(starts, clause.start)
        j = bisect.bisect_left(starts, clause.end, i)
        if i == j:
            continue
        if clause.zone in ("buyer", "review") or negated_clause(clause.text):
            if trace is not None:
                reason = "zone" if clause.zone else "negative_answer"
                matched: list = []
                trace_all(matched, clause.text, clause.kind, reason)
                trace.extend((clause, x) for x in matched)
            continue
        dims = {dim for _, dim in triggers[i:j]}
        found = [] if trace is not None else None
        hits = match_clause(clause.text, clause.kind, clause.zone, dims, found)
        if trace is not None:
            trace.extend((clause, x) for x in found)
        candidates.append(_Candidate(clause, hits, _alone_allowed(clause) and blocked_clause(clause.text)))
    return _Prepared(seg, candidates)


_CACHE: dict[str, Classifier] = {}
_CACHE_LOCK = threading.Lock()


def load_classifier(path: str | Path | None = None) -> Classifier:
    """The classifier with the shipped model (or the artifact at `path`), cached; rules only when there is none."""
    from .compiled import ARTIFACT, load_model

    target = Path(path) if path is not None else ARTIFACT
    key = str(target)
    with _CACHE_LOCK:
        if key not in _CACHE:
            model = load_model(target) if target.exists() else None
            if model is None and path is not None:
                raise FileNotFoundError(f"no classifier artifact at {target}")
            _CACHE[key] = Classifier(model)
        return _CACHE[key]
