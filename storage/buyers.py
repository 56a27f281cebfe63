"""Buyers as people read them: a SIRET when there is one, a name always, one row per buyer.

The statistics group buyers by SIRET, or by name where a source gives none (Atexo pages, some TED notices). The
same buyer then comes in two rows: its notices with a SIRET and those without. `merge_buyers` folds a name-only row
into the SIRET row whose name matches (accents, case, punctuation and spaces ignored), when exactly one does; the
counts are summed (each notice is in one row only) and the Wilson bounds recomputed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from models.text import fold
from storage.stats import ReadinessRow, ShareRow, wilson_interval

_SIRET = re.compile(r"^\d{14}$")
_SIREN = re.compile(r"^\d{9}$")


def siret_of(value: str | None) -> str | None:
    """`value` when it is a SIRET (or SIREN) number, spaces aside; None for a name."""
    if value is None:
        return None
    digits = re.sub(r"\s", "", str(value))
    return digits if _SIRET.match(digits) or _SIREN.match(digits) else None


def name_key(name: str | None) -> str:
    """A buyer's name as compared: folded, letters and digits only ("Région Nouvelle-Aquitaine" ==
    "région nouvelle aquitaine")."""
    return re.sub(r"[^0-9a-z]", "", fold(name, ligatures=True))


def _share(count: int, n: int) -> tuple[float | None, float | None, float | None]:
    return (count / n if n else None, *wilson_interval(count, n))


def merge_buyers(rows: list[ShareRow]) -> list[ShareRow]:
    """Rows grouped by "buyer" with name-only rows merged into the matching SIRET row; `group["buyer"]` is then a
    SIRET or None, `group["buyer_name"]` the name. Order: most notices first, then name."""
    by_name: dict[str, list[int]] = {}
    merged: list[ShareRow] = []
    loose: list[ShareRow] = []
    for r in rows:
        siret = siret_of(r.group.get("buyer"))
        name = r.group.get("buyer_name") if siret else (r.group.get("buyer_name") or r.group.get("buyer"))
        row = replace(r, group={**r.group, "buyer": siret, "buyer_name": name}, levers=dict(r.levers))
        if siret:
            by_name.setdefault(name_key(name), []).append(len(merged))
            merged.append(row)
        else:
            loose.append(row)
    for row in loose:
        targets = by_name.get(name_key(row.group["buyer_name"]), []) if row.group["buyer_name"] else []
        if len(targets) != 1:
            merged.append(row)
            continue
        target = merged[targets[0]]
        n = target.notices + row.notices
        social, environmental = target.social + row.social, target.environmental + row.environmental
        levers = {k: target.levers.get(k, 0) + row.levers.get(k, 0) for k in set(target.levers) | set(row.levers)}
        merged[targets[0]] = ShareRow(target.group, n, social, environmental, *_share(social, n),
                                      *_share(environmental, n), levers=levers)
    return sorted(merged, key=lambda r: (-r.notices, name_key(r.group["buyer_name"]), r.group["buyer"] or ""))


def merge_readiness(rows: list[ReadinessRow]) -> list[ReadinessRow]:
    """Readiness rows (per buyer) merged the same way, most notices without an environmental consideration first."""
    as_shares = [ShareRow({"buyer": r.buyer_siret, "buyer_name": r.buyer_name}, r.notices, 0,
                          r.notices - r.without_environmental, *[None] * 6) for r in rows]
    out = []
    for r in merge_buyers(as_shares):
        without = r.notices - r.environmental
        out.append(ReadinessRow(r.group["buyer"], r.group["buyer_name"], r.notices, without, *_share(without, r.notices)))
    out.sort(key=lambda r: (-r.without_environmental, -(r.share or 0), r.buyer_siret or "", name_key(r.buyer_name)))
    return out
