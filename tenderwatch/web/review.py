"""The operators' review queue and its sign-in: one-click decisions (confirm, reject, change the lever) that are
overrides with who, when and why, written by the same code as `POST /api/overrides`."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse

from models.vocabulary import Dimension, Lever
from storage.queries import notice_detail
from storage.notices import NoticeNotFound, find_notice
from storage.review import DEFAULT_BAND, KINDS, recent_decisions, review_items
from storage.stats import LEVERS
from tenderwatch.web.api import apply_override
from tenderwatch.web.auth import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    check_csrf,
    current_operator,
    operator_for_token,
    require_operator,
    session_cookie,
)
from tenderwatch.web.templating import page

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
ACTIONS = ("confirm", "reject", "change")


def _local(path: str | None, default: str = "/revue") -> str:
    """A redirect target on this site only (an absolute path, never //host or a scheme)."""
    return path if path and path.startswith("/") and not path.startswith("//") and "\\" not in path else default


@router.get("/connexion")
def login_form(request: Request, next: str = "/revue"):
    return page(request, "login.html.j2", next=_local(next), error=None)


@router.post("/connexion")
def login(request: Request, token: str = Form(""), csrf: str = Form(""), next: str = Form("/revue")):
    check_csrf(request, csrf)
    operator = operator_for_token(request.app.state.settings, token.strip())
    if operator is None:
        return page(request, "login.html.j2", status_code=403, next=_local(next), error="Jeton inconnu.")
    response = RedirectResponse(request.scope.get("root_path", "") + _local(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, session_cookie(request.app.state.settings, operator), max_age=SESSION_SECONDS,
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return response


@router.post("/deconnexion")
def logout(request: Request, csrf: str = Form("")):
    check_csrf(request, csrf)
    response = RedirectResponse(request.scope.get("root_path", "") + "/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/revue")
def queue(request: Request, kind: str = Query(KINDS[0]), low: float = Query(DEFAULT_BAND[0], ge=0, le=1),
          high: float = Query(DEFAULT_BAND[1], ge=0, le=1), page_: int = Query(1, alias="page", ge=1)):
    operator = current_operator(request)
    if operator is None:
        return RedirectResponse(request.scope.get("root_path", "") + "/connexion?next=" + request.url.path
                                + ("%3F" + request.url.query.replace("&", "%26") if request.url.query else ""),
                                status_code=303)
    if kind not in KINDS:
        raise HTTPException(422, f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    threshold = request.app.state.settings.threshold
    with request.app.state.store.session() as session:
        counts = {k: review_items(session, k, threshold, (low, high), limit=0)[0] for k in KINDS}
        _, items = review_items(session, kind, threshold, (low, high), PER_PAGE, (page_ - 1) * PER_PAGE)
        decisions = recent_decisions(session)
    return page(request, "review.html.j2", operator=operator, kind=kind, kinds=KINDS, counts=counts, items=items,
                low=low, high=high, page=page_, pages=max(1, -(-counts[kind] // PER_PAGE)), decisions=decisions,
                levers={d.value: [lv.value for lv in LEVERS[d]] for d in Dimension}, threshold=threshold)


@router.post("/revue/decision")
def decide(request: Request, notice: str = Form(...), dimension: str = Form(...), lever: str = Form(""),
           action: str = Form(...), new_lever: str = Form(""), reason: str = Form(""), csrf: str = Form(""),
           next: str = Form("/revue")):
    """One click of the queue: confirm the detection (the dimension on, with its lever), reject it (off), or
    change its lever; the notice's other levers of that dimension stay."""
    operator = require_operator(request)
    check_csrf(request, csrf)
    if action not in ACTIONS or dimension not in {d.value for d in Dimension}:
        raise HTTPException(422, f"action must be one of {', '.join(ACTIONS)}, dimension social or environmental")
    chosen = new_lever if action == "change" else lever
    if chosen and chosen not in {lv.value for lv in Lever}:
        raise HTTPException(422, f"lever: {chosen!r} is not a lever")
    with request.app.state.store.session() as session:
        try:
            shown = notice_detail(session, find_notice(session, notice), 0.0)["pictograms"][dimension]
        except NoticeNotFound as exc:
            raise HTTPException(404, str(exc)) from None
    current = {x["code"] for x in shown["levers"]} if shown["on"] else set()
    if action == "reject":
        on, levers = False, []
    else:
        on, levers = True, sorted((current - ({lever} if action == "change" else set())) | ({chosen} if chosen else set()))
    apply_override(request, operator, notice, {dimension: on}, [f"{dimension}:{x}" for x in levers],
                   reason.strip() or "Vérifié dans la file de revue", "web")
    return RedirectResponse(request.scope.get("root_path", "") + _local(next), status_code=303)
