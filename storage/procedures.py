"""Procedures: the notices of one procedure (contract notice, corrigenda, award notice, the same notice in BOAMP
and in TED, the DECP contracts that result) linked by the keys they share, and counted once in the statistics.

Each notice has keys (models/links.py): its own (`ted:293189-2019`, `boamp:20-131182`, `decp:<id>`...) and the
references it makes, from its parser (`Notice.links`: TED REF_NOTICE, eForms BT-04 / BT-701 / BT-758, BOAMP
`annonce_lie` and `contractfolderid`, the buyer's SIRET with its reference) and from its text (an OJ S number,
a BOAMP number quoted). Two notices that share a key are in one procedure, and so, transitively, are all the
notices connected by keys: a union-find over the procedure_key table. A procedure is named by the smallest own key
of its notices (`notice.procedure_key`) and stands in the statistics as its first published notice
(`notice.procedure_notice_id`, ties: the first stored).

`link_batch` runs at every ingestion (crawl or import) on the notices it wrote and on the notices they reach;
`relink` with no ids redoes every procedure from the stored keys.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from models.links import kind, self_key, text_keys
from models.notice import Notice
from models.schema import NoticeRow, ProcedureKeyRow

CHUNK = 5000


def notice_keys(notice: Notice) -> list[tuple[str, bool]]:
    """(key, own) pairs of a notice: its own key first, then the keys it refers to."""
    own = self_key(notice.source, notice.source_id)[:200]
    references = list(notice.links) + text_keys(notice.full_text())
    return [(own, True)] + [(key[:200], False) for key in dict.fromkeys(references) if key[:200] != own]


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def store_keys(session: Session, notices: dict[int, Notice]) -> None:
    """Replace the keys of these stored notices (by id)."""
    ids = list(notices)
    for chunk in _chunks(ids):
        session.execute(delete(ProcedureKeyRow).where(ProcedureKeyRow.notice_id.in_(chunk)))
    rows = [{"notice_id": notice_id, "key": key, "own": own}
            for notice_id, notice in notices.items() for key, own in notice_keys(notice)]
    for chunk in _chunks(rows):
        session.execute(insert(ProcedureKeyRow), list(chunk))


def link_batch(session: Session, notices: Sequence[Notice], changed_ids: Sequence[int]) -> int:
    """Store the keys of the notices a batch wrote (new or changed) and relink their procedures."""
    if not changed_ids:
        return 0
    latest = {(n.source, n.source_id): n for n in notices}
    by_id: dict[int, Notice] = {}
    for chunk in _chunks(list(changed_ids)):
        for row in session.execute(select(NoticeRow.id, NoticeRow.source, NoticeRow.source_id)
                                   .where(NoticeRow.id.in_(chunk))):
            notice = latest.get((row.source, row.source_id))
            if notice is not None:
                by_id[row.id] = notice
    store_keys(session, by_id)
    return relink(session, list(by_id))


def _closure(session: Session, start: Iterable[int]) -> set[int]:
    """The notices reachable from `start` through shared keys."""
    ids, frontier, seen_keys = set(start), set(start), set()
    while frontier:
        keys: set[str] = set()
        for chunk in _chunks(sorted(frontier)):
            keys.update(session.scalars(select(ProcedureKeyRow.key).where(ProcedureKeyRow.notice_id.in_(chunk))))
        keys -= seen_keys
        seen_keys |= keys
        found: set[int] = set()
        for chunk in _chunks(sorted(keys)):
            found.update(session.scalars(select(ProcedureKeyRow.notice_id).where(ProcedureKeyRow.key.in_(chunk))))
        frontier = found - ids
        ids |= frontier
    return ids


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def relink(session: Session, notice_ids: Sequence[int] | None = None) -> int:
    """Recompute the procedures of these notices and of every notice linked to them (all notices when None);
    returns how many notices changed procedure."""
    if notice_ids is None:
        rows = session.execute(select(ProcedureKeyRow.notice_id, ProcedureKeyRow.key, ProcedureKeyRow.own)).all()
        scope = None
    else:
        scope = sorted(_closure(session, notice_ids))
        rows = []
        for chunk in _chunks(scope):
            rows += session.execute(select(ProcedureKeyRow.notice_id, ProcedureKeyRow.key, ProcedureKeyRow.own)
                                    .where(ProcedureKeyRow.notice_id.in_(chunk))).all()
    sets = _UnionFind()
    first_with_key: dict[str, int] = {}
    own_keys: dict[int, str] = {}
    for notice_id, key, own in rows:
        sets.find(notice_id)
        if own:
            own_keys[notice_id] = min(key, own_keys.get(notice_id, key))
        if key in first_with_key:
            sets.union(first_with_key[key], notice_id)
        else:
            first_with_key[key] = notice_id
    query = select(NoticeRow.id, NoticeRow.published, NoticeRow.procedure_key, NoticeRow.procedure_notice_id,
                   NoticeRow.source, NoticeRow.source_id, NoticeRow.quarantined_at)
    notices = []
    if scope is None:
        notices = session.execute(query).all()
    else:
        for chunk in _chunks(scope):
            notices += session.execute(query.where(NoticeRow.id.in_(chunk))).all()
    members: dict[int, list] = defaultdict(list)
    for row in notices:
        members[sets.find(row.id)].append(row)
    changes = []
    for group in members.values():
        label = min(own_keys.get(r.id) or self_key(r.source, r.source_id)[:200] for r in group)
        # the procedure stands as its first published notice that is not set aside (storage/quarantine.py)
        head = min(group, key=lambda r: (r.quarantined_at is not None, r.published or date.max, r.id)).id
        for r in group:
            if (r.procedure_key, r.procedure_notice_id) != (label, head):
                changes.append({"id": r.id, "procedure_key": label, "procedure_notice_id": head})
    for chunk in _chunks(changes):
        session.execute(update(NoticeRow), list(chunk))
    return len(changes)


@dataclass
class LinkSummary:
    notices: int = 0
    procedures: int = 0  # notices that stand for a procedure (the unit of `stats --unit procedure`)
    linked_procedures: int = 0  # procedures of two notices or more
    linked_notices: int = 0  # notices in those
    keys_by_kind: Counter = field(default_factory=Counter)  # shared keys (two notices or more) by kind
    links_by_kind: Counter = field(default_factory=Counter)  # pairs of notices sharing a key, by kind of key
    links_by_sources: Counter = field(default_factory=Counter)  # the same pairs by their sources ("boamp-ted")


def summary(session: Session) -> LinkSummary:
    """How the stored notices are linked into procedures."""
    out = LinkSummary()
    out.notices = session.scalar(select(func.count()).select_from(NoticeRow)) or 0
    sizes = session.execute(
        select(func.coalesce(NoticeRow.procedure_notice_id, NoticeRow.id).label("head"), func.count().label("n"))
        .group_by("head")
    ).all()
    out.procedures = len(sizes)
    out.linked_procedures = sum(1 for r in sizes if r.n > 1)
    out.linked_notices = sum(r.n for r in sizes if r.n > 1)
    shared = (select(ProcedureKeyRow.key).group_by(ProcedureKeyRow.key)
              .having(func.count(func.distinct(ProcedureKeyRow.notice_id)) > 1))
    holders: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for key, notice_id, source in session.execute(
        select(ProcedureKeyRow.key, ProcedureKeyRow.notice_id, NoticeRow.source)
        .join(NoticeRow, NoticeRow.id == ProcedureKeyRow.notice_id).where(ProcedureKeyRow.key.in_(shared))
    ):
        holders[key].add((notice_id, source.split(":", 1)[0]))
    for key, notices in holders.items():
        out.keys_by_kind[kind(key)] += 1
        n = len(notices)
        out.links_by_kind[kind(key)] += n * (n - 1) // 2
        per_source = Counter(source for _, source in notices)
        names = sorted(per_source)
        for i, a in enumerate(names):
            if per_source[a] > 1:
                out.links_by_sources[f"{a}-{a}"] += per_source[a] * (per_source[a] - 1) // 2
            for b in names[i + 1:]:
                out.links_by_sources[f"{a}-{b}"] += per_source[a] * per_source[b]
    return out
