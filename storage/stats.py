"""Statistics of responsible public purchasing, computed in SQL from the store (notices and their considerations).

A notice counts for a dimension (and a lever) when it has a *qualifying* consideration of it: declared, manual,
or detected at or above the threshold, never stale (the pictogram rule, storage/pictograms.py). `origin` chooses
which qualifying considerations count: `all` (the pictogram: an operator's override decides, with its levers),
`declared`, `detected`, or `both` (declared and detected). Shares carry Wilson 95 % intervals.

Each statistic is a few GROUP BY queries, merged by group in Python (never a loop over notices): notices per
group from the notice table; notices per (group, dimension[, lever]) from the distinct (notice, dimension[, lever])
cells of qualifying considerations; under `all`, the dimensions an override decides come from the override table.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from sqlalchemy import String, Text, and_, case, cast, func, literal, literal_column, select, union_all
from sqlalchemy.orm import Session, aliased

from models.pictogram_rule import qualifies_sql
from models.schema import ConsiderationRow, ManualOverrideRow, NoticeRow
from models.vocabulary import Dimension, Lever, Origin
from storage.patterns import source_matches
from storage.scope import conditions as scope_conditions

Z95 = 1.959963984540054
ORIGINS = ("all", "declared", "detected", "both")
UNITS = ("procedure", "notice")
GROUPS = ("year", "month", "region", "former_region", "department", "buyer", "source", "cpv_division",
          "contract_nature", "procedure", "notice_type")
#: The levers each dimension can use (a reservation is always social).
LEVERS: dict[Dimension, tuple[Lever, ...]] = {
    Dimension.SOCIAL: tuple(Lever),
    Dimension.ENVIRONMENTAL: tuple(lever for lever in Lever if lever != Lever.RESERVATION),
}
NARROW_DAYS = 366
LEVER_KEYS = [f"{d.value}:{lever.value}" for d in Dimension for lever in LEVERS[d]]


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """Wilson score interval of a proportion (95 % by default); (None, None) when n is 0."""
    if n <= 0:
        return None, None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))  # p inside, despite rounding


def _share(count: int, n: int) -> tuple[float | None, float | None, float | None]:
    return (count / n if n else None, *wilson_interval(count, n))


@dataclass
class Filters:
    """What the statistics count. The scope fields (country, notice_types, min_amount, comparable) are described in
    storage/scope.py; their defaults keep every notice."""

    since: date | None = None
    until: date | None = None
    region: str | None = None
    source: str | None = None
    origin: str = "all"
    department: str | None = None
    buyer: str | None = None  # a SIRET, or a buyer's name where the source publishes none
    cpv_division: str | None = None
    unit: str = "notice"  # or "procedure": the notices of one procedure count once (storage/procedures.py)
    country: str | None = None
    notice_types: tuple[str, ...] = ()
    min_amount: float | None = None
    comparable: bool = False

    #: Filters added after the stats JSON schema was fixed: written in `as_dict` only when set.
    EXTRA = ("department", "buyer", "cpv_division")

    def as_dict(self) -> dict:
        out = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()
               if k not in self.EXTRA or v is not None}
        out["notice_types"] = list(self.notice_types)
        return out


@dataclass
class ShareRow:
    group: dict
    notices: int
    social: int
    environmental: int
    social_share: float | None
    social_low: float | None
    social_high: float | None
    environmental_share: float | None
    environmental_low: float | None
    environmental_high: float | None
    levers: dict[str, int] = field(default_factory=dict)  # "social:reservation" -> notices

    def as_dict(self) -> dict:
        d = asdict(self)
        group = d.pop("group")
        d.pop("levers")
        return {**group, **d}


@dataclass
class LeverRow:
    """One (group, dimension, lever) cell; lever None is the dimension itself (any lever)."""

    group: dict
    dimension: str
    lever: str | None
    notices: int
    count: int
    share: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict:
        d = asdict(self)
        return {**d.pop("group"), **d}


@dataclass
class AgreementRow:
    """Declared versus detected on the notices that carry declarations (lever None: the dimension)."""

    group: dict
    dimension: str
    lever: str | None
    notices: int
    both: int
    declared_only: int
    detected_only: int
    neither: int
    agreement: float | None
    kappa: float | None

    def as_dict(self) -> dict:
        d = asdict(self)
        return {**d.pop("group"), **d}


@dataclass
class ReadinessRow:
    buyer_siret: str | None
    buyer_name: str | None
    notices: int
    without_environmental: int
    share: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def threshold_or_default(threshold: float | None) -> float:
    """`threshold`, else TENDERWATCH_DETECTION_THRESHOLD (models/config.py)."""
    if threshold is not None:
        return threshold
    from models import config

    return config.detection_threshold()


def _group_column(session: Session, name: str, narrow: bool = False):
    """The column behind a grouping. With a narrow date range on SQLite it is written `+notice.col`, so the planner
    reads the published-date index instead of scanning the grouping column's index (to save a sort) and looking
    up every notice's date."""
    if name not in GROUPS:
        raise ValueError(f"unknown grouping {name!r}; choose among {', '.join(GROUPS)}")
    sqlite = session.get_bind().dialect.name == "sqlite"
    if name == "month":
        return func.strftime("%Y-%m", NoticeRow.published) if sqlite else func.to_char(NoticeRow.published, "YYYY-MM")
    if name == "buyer":  # a buyer is its SIRET; platforms that do not publish it (Atexo pages) name it only
        siret = literal_column("+notice.buyer_siret") if sqlite and narrow else NoticeRow.buyer_siret
        return func.coalesce(siret, NoticeRow.buyer_name)
    column = getattr(NoticeRow, name)
    if sqlite and narrow:
        return literal_column(f"+notice.{column.key}")
    return column


def _narrow(filters: Filters | None) -> bool:
    """A date range of a year at most: worth reading through the published-date index (see _group_column)."""
    if not filters or not filters.since:
        return False
    return ((filters.until or date.today()) - filters.since).days <= NARROW_DAYS


def apply_filters(query, filters: Filters | None):
    """`query` (over notices) narrowed to `filters`: the one place the statistics, the scope summary, the dataset,
    the correction and the report select their notices."""
    if not filters:
        return query
    if filters.since:
        query = query.where(NoticeRow.published >= filters.since)
    if filters.until:
        query = query.where(NoticeRow.published <= filters.until)
    if filters.region:
        query = query.where(NoticeRow.region == filters.region)
    if filters.source:
        query = query.where(source_matches(NoticeRow.source, filters.source))
    if filters.department:
        query = query.where(NoticeRow.department == filters.department)
    if filters.cpv_division:
        query = query.where(NoticeRow.cpv_division == filters.cpv_division)
    if filters.buyer:
        query = query.where(func.coalesce(NoticeRow.buyer_siret, NoticeRow.buyer_name) == filters.buyer)
    return query.where(*scope_conditions(filters))


def any_quarantined(session: Session) -> bool:
    """Whether some notice is quarantined (`tenderwatch notices --quarantine`): they are never counted."""
    probe = select(NoticeRow.id).where(NoticeRow.quarantined_at.is_not(None)).limit(1)
    return session.scalar(probe) is not None


def counted(session: Session, query):
    """`query` (over notices) without the quarantined ones, which are never counted nor exported; filtered only when
    there are some, so that the plans of a store without any stay as they are."""
    if any_quarantined(session):
        return query.where(NoticeRow.quarantined_at.is_(None))
    return query


def _flag(condition):
    return func.max(case((condition, 1), else_=0))


def _grouped(session: Session, by: list[str], filters: Filters | None, query, *columns):
    """`query` (already joined to its notices) filtered and grouped by `by`, then `columns`; rows name each group."""
    groups = [_group_column(session, name, _narrow(filters)).label(name) for name in by]
    query = counted(session, apply_filters(query.add_columns(*groups), filters))
    keys = groups + list(columns)
    return session.execute(query.group_by(*keys).order_by(*keys) if keys else query)


def _group(row, by: list[str]) -> tuple:
    return tuple(getattr(row, name) for name in by)


def _head(notice=NoticeRow):
    """The notice that stands for a notice's procedure (itself when it is linked to none)."""
    return func.coalesce(notice.procedure_notice_id, notice.id)


def _denominators(session: Session, by: list[str], filters: Filters | None) -> dict[tuple, tuple[int, str | None]]:
    """Notices (or procedures, by the notice that stands for each) per group (and a buyer's name when grouping by
    buyer), in group order."""
    name = func.max(NoticeRow.buyer_name) if "buyer" in by else literal(None)
    query = select(func.count().label("n"), name.label("buyer_name")).select_from(NoticeRow)
    if filters is not None and filters.unit == "procedure":
        query = query.where(_head() == NoticeRow.id)
    return {_group(r, by): (int(r.n), r.buyer_name) for r in _grouped(session, by, filters, query)}


def _consideration_cells(threshold: float, origin: str, levers: bool):
    """(notice, dimension[, lever]) pairs with a qualifying consideration under `origin`; under `all`, not the
    dimensions an operator's override decides (those are counted from the override)."""
    c = ConsiderationRow
    keys = [c.notice_id, c.dimension] + ([c.lever] if levers else [])
    query = select(*keys).where(qualifies_sql(c, threshold))
    if levers:
        query = query.where(c.lever.is_not(None))
    if origin in (Origin.DECLARED.value, Origin.DETECTED.value):
        query = query.where(c.origin == origin)
    elif origin == "both":
        query = query.having(and_(_flag(c.origin == Origin.DECLARED.value) == 1,
                                  _flag(c.origin == Origin.DETECTED.value) == 1))
    else:
        o = ManualOverrideRow
        decided = case((c.dimension == Dimension.SOCIAL.value, o.social), else_=o.environmental)
        query = query.where(~select(o.id).where(o.notice_id == c.notice_id, decided.is_not(None)).exists())
    return query.group_by(*keys).subquery("cells")


def _cell_counts(session, by, filters, threshold, levers) -> dict[tuple, int]:
    """Notices per (group, dimension, lever-or-None) from the considerations."""
    cells = _consideration_cells(threshold, filters.origin, levers)
    lever = cells.c.lever if levers else literal(None)
    query = select(cells.c.dimension, lever.label("lever"), func.count().label("n")).select_from(cells).join(
        NoticeRow, NoticeRow.id == cells.c.notice_id)
    columns = [cells.c.dimension] + ([cells.c.lever] if levers else [])
    return {(_group(r, by), r.dimension, r.lever): int(r.n) for r in _grouped(session, by, filters, query, *columns)}


def _override_counts(session, by, filters, levers) -> dict[tuple, int]:
    """Notices per (group, dimension, lever-or-None) whose override turns the dimension on (with those levers)."""
    o = ManualOverrideRow
    columns = []
    for dimension in Dimension:
        on = getattr(o, dimension.value).is_(True)
        columns.append(func.sum(case((on, 1), else_=0)).label(dimension.value))
        for lever in LEVERS[dimension] if levers else ():
            named = cast(o.levers, Text).like(f'%"{dimension.value}:{lever.value}"%')
            columns.append(func.sum(case((and_(on, named), 1), else_=0)).label(f"{dimension.value}__{lever.value}"))
    query = select(*columns).select_from(o).join(NoticeRow, NoticeRow.id == o.notice_id)
    out = {}
    for r in _grouped(session, by, filters, query):
        for column in columns:
            dimension, _, lever = column.name.partition("__")
            out[(_group(r, by), dimension, lever or None)] = int(getattr(r, column.name) or 0)
    return out


def _procedure_counts(session, by, filters, threshold, levers) -> dict[tuple, int]:
    """Procedures per (group, dimension, lever-or-None): a procedure counts when any of its notices does (its
    considerations under `origin`, or, under `all`, an override of that notice turning the dimension on), once,
    in the group of the notice that stands for it."""
    cells = _consideration_cells(threshold, filters.origin, levers)
    lever = cells.c.lever if levers else literal(None, String())
    parts = [select(cells.c.notice_id.label("notice_id"), cells.c.dimension.label("dimension"), lever.label("lever"))]
    if filters.origin == "all":
        o = ManualOverrideRow
        for dimension in Dimension:
            on = getattr(o, dimension.value).is_(True)
            if not levers:
                parts.append(select(o.notice_id, literal(dimension.value, String()), literal(None, String())).where(on))
                continue
            for lever_ in LEVERS[dimension]:
                named = cast(o.levers, Text).like(f'%"{dimension.value}:{lever_.value}"%')
                parts.append(select(o.notice_id, literal(dimension.value, String()), literal(lever_.value, String()))
                             .where(on, named))
    union = union_all(*parts).subquery("procedure_cells")
    member = aliased(NoticeRow)
    mapped = (select(_head(member).label("head"), union.c.dimension, union.c.lever)
              .join(member, member.id == union.c.notice_id))
    if any_quarantined(session):  # a quarantined notice counts for no procedure either
        mapped = mapped.where(member.quarantined_at.is_(None))
    mapped = mapped.distinct().subquery("procedure_heads")
    query = select(mapped.c.dimension, mapped.c.lever, func.count().label("n")).select_from(mapped).join(
        NoticeRow, NoticeRow.id == mapped.c.head)
    return {(_group(r, by), r.dimension, r.lever): int(r.n)
            for r in _grouped(session, by, filters, query, mapped.c.dimension, mapped.c.lever)}


def shares(session: Session, by: list[str], filters: Filters | None = None, threshold: float | None = None,
           levers: bool = False) -> list[ShareRow]:
    """Notices and shares with a social / an environmental consideration grouped by `by` (Wilson 95 % bounds);
    with `levers`, also the notices per lever (ShareRow.levers). A few grouped queries, merged by group."""
    filters = filters or Filters()
    if filters.origin not in ORIGINS:
        raise ValueError(f"unknown origin {filters.origin!r}; choose among {', '.join(ORIGINS)}")
    threshold = threshold_or_default(threshold)
    if filters.unit not in UNITS:
        raise ValueError(f"unknown unit {filters.unit!r}; choose among {', '.join(UNITS)}")
    count = _procedure_counts if filters.unit == "procedure" else _cell_counts
    counts = count(session, by, filters, threshold, False)
    if levers:
        counts.update(count(session, by, filters, threshold, True))
    if filters.origin == "all" and filters.unit == "notice":
        for key, n in _override_counts(session, by, filters, levers).items():
            counts[key] = counts.get(key, 0) + n
    rows = []
    for group, (n, buyer_name) in _denominators(session, by, filters).items():
        s, e = counts.get((group, "social", None), 0), counts.get((group, "environmental", None), 0)
        named = dict(zip(by, group))
        if "buyer" in by:
            named["buyer_name"] = buyer_name if named["buyer"] is not None else None
        per_lever = {k: counts.get((group, *k.split(":")), 0) for k in LEVER_KEYS} if levers else {}
        rows.append(ShareRow(named, n, s, e, *_share(s, n), *_share(e, n), levers=per_lever))
    return rows


def lever_shares(session: Session, by: list[str], filters: Filters | None = None,
                 threshold: float | None = None) -> list[LeverRow]:
    """Long form: per group, each dimension (lever None) then each of its levers, with share and Wilson bounds."""
    out = []
    for row in shares(session, by, filters, threshold, levers=True):
        for dimension in Dimension:
            count = row.social if dimension == Dimension.SOCIAL else row.environmental
            out.append(LeverRow(row.group, dimension.value, None, row.notices, count, *_share(count, row.notices)))
            for lever in LEVERS[dimension]:
                count = row.levers[f"{dimension.value}:{lever.value}"]
                out.append(
                    LeverRow(row.group, dimension.value, lever.value, row.notices, count, *_share(count, row.notices))
                )
    return out


def _kappa(both: int, declared_only: int, detected_only: int, neither: int) -> float | None:
    n = both + declared_only + detected_only + neither
    if not n:
        return None
    observed = (both + neither) / n
    declared, detected = (both + declared_only) / n, (both + detected_only) / n
    expected = declared * detected + (1 - declared) * (1 - detected)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def agreement(session: Session, by: list[str], filters: Filters | None = None,
              threshold: float | None = None) -> list[AgreementRow]:
    """Declared versus detected (both, declared only, detected only, neither), by dimension and by lever.

    Population: for a dimension, the notices with at least one declared consideration (of any dimension); for a
    lever, those with at least one declared consideration that names a lever (BOAMP `criteres`, which names none,
    cannot be compared lever by lever). Detected considerations count at or above the threshold, never stale.
    """
    c, declaring = ConsiderationRow, aliased(ConsiderationRow)
    declared, detected = Origin.DECLARED.value, Origin.DETECTED.value
    population = (select(c.notice_id, _flag(c.lever.is_not(None)).label("levers"))
                  .where(c.origin == declared, c.stale.is_(False)).group_by(c.notice_id).subquery("population"))
    query = select(func.count().label("n"), func.sum(population.c.levers).label("n_lever")).select_from(
        population).join(NoticeRow, NoticeRow.id == population.c.notice_id)
    sizes = {_group(r, by): (int(r.n), int(r.n_lever or 0)) for r in _grouped(session, by, filters, query)}
    counts: dict[tuple, tuple[int, int, int]] = {}
    for levers in (False, True):
        scope = select(declaring.notice_id).where(declaring.origin == declared)
        keys = [c.notice_id, c.dimension] + ([c.lever] if levers else [])
        cells = select(*keys, _flag(c.origin == declared).label("dc"), _flag(c.origin == detected).label("dt")).where(
            qualifies_sql(c, threshold_or_default(threshold)), c.origin.in_([declared, detected]),
            c.notice_id.in_(scope.where(declaring.lever.is_not(None)) if levers else scope))
        cells = (cells.where(c.lever.is_not(None)) if levers else cells).group_by(*keys).subquery("cells")
        dc, dt = cells.c.dc, cells.c.dt
        lever = cells.c.lever if levers else literal(None)
        query = select(cells.c.dimension, lever.label("lever"), func.sum(dc * dt).label("both"),
                       func.sum(dc * (1 - dt)).label("dc"), func.sum((1 - dc) * dt).label("dt")).select_from(
            cells).join(NoticeRow, NoticeRow.id == cells.c.notice_id)
        columns = [cells.c.dimension] + ([cells.c.lever] if levers else [])
        for r in _grouped(session, by, filters, query, *columns):
            counts[(_group(r, by), r.dimension, r.lever)] = (int(r.both or 0), int(r.dc or 0), int(r.dt or 0))
    out = []
    for group, (n_dimension, n_lever) in sizes.items():
        cells = [(d.value, None) for d in Dimension] + [(d.value, lv.value) for d in Dimension for lv in LEVERS[d]]
        for dimension, lever in cells:
            n = n_dimension if lever is None else n_lever
            both, dc, dt = counts.get((group, dimension, lever), (0, 0, 0))
            neither = n - both - dc - dt
            out.append(AgreementRow(dict(zip(by, group)), dimension, lever, n, both, dc, dt, neither,
                                    (both + neither) / n if n else None, _kappa(both, dc, dt, neither)))
    return out


def readiness(session: Session, obligation: date, filters: Filters | None = None,
              threshold: float | None = None) -> list[ReadinessRow]:
    """Per buyer (SIRET), the notices published on or after `obligation` and how many lack any environmental
    consideration; most such notices first."""
    filters = filters or Filters()
    since = max(filters.since, obligation) if filters.since else obligation
    scoped = replace(filters, since=since)
    rows = []
    for r in shares(session, ["buyer"], scoped, threshold):
        without = r.notices - r.environmental
        rows.append(ReadinessRow(r.group["buyer"], r.group["buyer_name"], r.notices, without,
                                 *_share(without, r.notices)))
    rows.sort(key=lambda r: (-r.without_environmental, -(r.share or 0), r.buyer_siret or ""))
    return rows
