"""The JSON API (English): notices, one notice with its evidence, pictograms for platforms to poll, statistics
(read-only for everyone), and operators' overrides (POST, with credentials). Confidences go to operators only."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from storage import national
from storage.exports import SCHEMA, pictogram_records
from storage.notices import NoticeNotFound, find_notice
from storage.overrides import OverrideError, merge_override
from storage.queries import NoticeFilters, list_notices, notice_detail, pictograms_version
from storage.stats import Filters, agreement, lever_shares, readiness, shares
from tenderwatch.tables import render
from tenderwatch.web.auth import check_csrf, current_operator, require_operator
from tenderwatch.web.params import bad, day, groupings, notice_filters, published_notice, stats_filters

router = APIRouter(prefix="/api", tags=["api"])
STATS_MODES = ("shares", "levers", "agreement", "readiness", "national", "corrected")


def _store(request: Request):
    return request.app.state.store


def _threshold(request: Request) -> float:
    return request.app.state.settings.threshold


@router.get("/notices", summary="Notices, filtered and paged, with their pictograms")
def notices(request: Request, f: NoticeFilters = Depends(notice_filters),
            page: int = Query(1, ge=1, le=100_000), per_page: int = Query(20, ge=1, le=100)) -> dict:
    operator = current_operator(request) is not None
    with _store(request).session() as session:
        count, exact, rows = list_notices(session, f, page, per_page, confidences=operator)
    # count_exact false: more notices match than `count` (counting stops there; page on until a page is empty)
    return {"count": count, "count_exact": exact, "page": page, "per_page": per_page, "notices": rows}


@router.get("/notices/{source}/{source_id:path}", summary="One notice, its pictograms and every consideration",
            responses={404: {"description": "No stored notice has that source and id"}})
def notice(request: Request, source: str, source_id: str) -> dict:
    """Considerations carry their origin, lever and evidence (`start`/`end` are offsets into `text`); the public
    is given those that light a pictogram, operators every one with its confidence."""
    operator = current_operator(request) is not None
    with _store(request).session() as session:
        row = published_notice(session, source, source_id)
        return notice_detail(session, row, _threshold(request), confidences=operator)


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.replace(tzinfo=UTC, microsecond=0), usegmt=True)


def _not_modified(request: Request, etag: str, last: datetime | None) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return etag in [m.strip() for m in match.split(",")] or match.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since and last is not None:
        try:
            return last.replace(tzinfo=UTC, microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


@router.get("/pictograms", summary="The tenderwatch.pictograms/1 document, paged, with ETag and Last-Modified",
            responses={304: {"description": "Unchanged since the ETag or date the client sent"}})
def pictograms(request: Request, response: Response,
               since: str | None = Query(None, pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="Published from"),
               source: str | None = Query(None, max_length=64, description="Source, wildcard *"),
               changed_since: datetime | None = Query(None, description="Pictograms regenerated from (ISO datetime)"),
               page: int = Query(1, ge=1), per_page: int = Query(1000, ge=1, le=5000)):
    """`count` is the number of notices in this page, `total` of all pages; poll with If-None-Match (the ETag
    changes when any pictogram of the selection changes) to get 304 while nothing moved."""
    operator = current_operator(request) is not None
    first = day("since", since)
    changed = changed_since.astimezone(UTC).replace(tzinfo=None) if changed_since and changed_since.tzinfo else changed_since
    with _store(request).session() as session:
        total, last = pictograms_version(session, first, source or None, changed)
        key = f"{total}|{last}|{first}|{source}|{changed}|{page}|{per_page}|{operator}"
        etag = f'W/"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
        headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Authorization"}
        if last is not None:
            headers["Last-Modified"] = _http_date(last)
        if _not_modified(request, etag, last):
            return Response(status_code=304, headers=headers)
        records = list(pictogram_records(session, first, source or None, limit=per_page,
                                         offset=(page - 1) * per_page, confidences=operator, changed_since=changed))
    document = {"schema": SCHEMA, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "count": len(records), "total": total, "page": page, "per_page": per_page,
                "pages": -(-total // per_page), "notices": records}
    return JSONResponse(document, headers=headers)


def stats_rows(session, mode: str, by: list[str], filters: Filters, threshold: float) -> list:
    if mode == "corrected":
        from storage.correction import corrected_shares
        from workflow.correction import shipped_error_rates

        return corrected_shares(session, by, filters, shipped_error_rates(), threshold)[0]
    if mode == "levers":
        return lever_shares(session, by, filters, threshold)
    if mode == "agreement":
        return agreement(session, by, filters, threshold)
    if mode == "readiness":
        return readiness(session, national.climate_obligation_date(), filters, threshold)
    return shares(session, by, filters, threshold)


@router.get("/stats", summary="The rows of `tenderwatch stats --format json`, with every filter of stats")
def stats(request: Request, filters: Filters = Depends(stats_filters),
          by: str | None = Query(None, description="Groupings, comma-separated (default year,region)"),
          mode: str = Query("shares", description=f"One of {', '.join(STATS_MODES)} (the stats command's flags)"),
          format: str = Query("json", pattern="^(json|csv)$", description="json or csv")):
    if mode not in STATS_MODES:
        raise bad("mode", f"{mode!r} is not one of {', '.join(STATS_MODES)}")
    if filters.origin != "all" and mode in ("agreement", "national", "corrected"):
        raise bad("origin", f"does not apply to mode {mode}")
    if mode not in ("shares", "levers", "corrected"):
        filters = replace(filters, unit="notice")
    if mode == "readiness" and by:
        raise bad("by", "readiness is always by buyer")
    groups = groupings(by, [] if mode in ("agreement", "readiness") else ["year", "region"])
    threshold = _threshold(request)
    if mode == "national":
        rows, groups = national.rows(), []
    else:
        with _store(request).session() as session:
            rows = stats_rows(session, mode, groups, filters, threshold)
    out = io.StringIO()
    render(mode, rows, groups, format, out, filters=None if mode == "national" else filters.as_dict(),
           threshold=None if mode == "national" else threshold)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/json"
    return Response(out.getvalue(), media_type=media)


class OverrideIn(BaseModel):
    notice: str = Field(description="SOURCE:ID of a stored notice", examples=["boamp:26-80978"])
    social: bool | None = Field(None, description="Show (true) or hide (false) the social pictogram; "
                                "absent: an earlier decision on it stays")
    environmental: bool | None = Field(None, description="Same for the environmental pictogram")
    levers: list[str] = Field(default_factory=list, description='Levers shown, "dimension:lever"',
                              examples=[["social:reservation"]])
    reason: str = Field(min_length=1, max_length=2000, description="Why, for the next operator")


def apply_override(request: Request, operator: str, ref: str, decisions: dict[str, bool], levers: list[str],
                   reason: str, channel: str) -> dict:
    """Write the decision (merged with earlier ones) and return the notice's new pictograms."""
    threshold = _threshold(request)
    with _store(request).session() as session:
        try:
            row = find_notice(session, ref)
            decision = merge_override(session, row, decisions, levers, reason, operator, threshold, channel)
        except NoticeNotFound as exc:
            raise HTTPException(404, str(exc)) from None
        except OverrideError as exc:
            raise HTTPException(422, str(exc)) from None
        detail = notice_detail(session, row, threshold, confidences=True)
        return {"notice": ref, "author": operator, "reason": decision.reason,
                "override": {"social": decision.social, "environmental": decision.environmental,
                             "levers": decision.levers, "updated_at": decision.updated_at.isoformat()},
                "pictograms": detail["pictograms"]}


@router.post("/overrides", summary="An operator's decision on a notice's pictograms (credentials required)",
             responses={401: {"description": "No credentials"}, 403: {"description": "Wrong credentials or CSRF"},
                        404: {"description": "Unknown notice"}})
def overrides(request: Request, body: OverrideIn, operator: str = Depends(require_operator)) -> dict:
    """Authenticate with `Authorization: Bearer TOKEN` (TENDERWATCH_OPERATOR_TOKEN). A browser session must send
    its CSRF token in `X-CSRF-Token`. Recorded with who and when, audited; no re-run changes it."""
    if getattr(request.state, "cookie_auth", False):
        check_csrf(request, request.headers.get("x-csrf-token"))
    decisions = {k: v for k, v in (("social", body.social), ("environmental", body.environmental)) if v is not None}
    return apply_override(request, operator, body.notice, decisions, body.levers, body.reason, "api")

