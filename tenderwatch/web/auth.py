"""Operators' credentials: a bearer token for the API, a signed session cookie for the pages, CSRF tokens for forms.

Anyone reads; only an operator writes. The session cookie holds the operator's name and an expiry, signed with a
key derived from the tokens (settings.py). Every form carries a CSRF token, the HMAC of a random cookie
(double-submit): another site can neither read that cookie nor compute the HMAC.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

from fastapi import HTTPException, Request

from tenderwatch.web.settings import WebSettings

SESSION_COOKIE = "tw_session"
CSRF_COOKIE = "tw_csrf"
SESSION_SECONDS = 12 * 3600


def _sign(settings: WebSettings, value: str) -> str:
    return hmac.new(settings.secret, value.encode(), hashlib.sha256).hexdigest()


def operator_for_token(settings: WebSettings, token: str | None) -> str | None:
    """The operator a token belongs to (compared in constant time), or None."""
    if not token:
        return None
    for known, name in settings.operators.items():
        if hmac.compare_digest(known.encode(), token.encode()):
            return name
    return None


def session_cookie(settings: WebSettings, operator: str, now: float | None = None) -> str:
    expires = int((time.time() if now is None else now) + SESSION_SECONDS)
    payload = base64.urlsafe_b64encode(f"{operator}\n{expires}".encode()).decode()
    return f"{payload}.{_sign(settings, payload)}"


def session_operator(settings: WebSettings, cookie: str | None) -> str | None:
    """The operator of a valid, unexpired session cookie, or None."""
    if not cookie or "." not in cookie or not settings.operators:
        return None
    payload, _, signature = cookie.rpartition(".")
    if not hmac.compare_digest(signature, _sign(settings, payload)):
        return None
    try:
        operator, expires = base64.urlsafe_b64decode(payload.encode()).decode().rsplit("\n", 1)
    except (ValueError, UnicodeDecodeError):
        return None
    return operator if int(expires) > time.time() else None


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_operator(request: Request) -> str | None:
    """Who is asking, if an operator: by bearer token (API clients) or session cookie (the pages)."""
    settings: WebSettings = request.app.state.settings
    token = bearer_token(request)
    if token is not None:
        return operator_for_token(settings, token)
    return session_operator(settings, request.cookies.get(SESSION_COOKIE))


def csrf_seed(request: Request) -> str:
    """The random CSRF cookie of this browser (a new one when it has none: the response sets it)."""
    seed = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_seed", None)
    if not seed:
        seed = secrets.token_urlsafe(24)
        request.state.new_csrf_seed = seed
    return seed


def csrf_token(request: Request) -> str:
    return _sign(request.app.state.settings, "csrf:" + csrf_seed(request))


def check_csrf(request: Request, submitted: str | None) -> None:
    """403 unless `submitted` is the CSRF token of this browser's cookie."""
    seed = request.cookies.get(CSRF_COOKIE)
    expected = _sign(request.app.state.settings, "csrf:" + seed) if seed else None
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise HTTPException(403, "missing or invalid CSRF token: reload the page and try again")


def require_operator(request: Request) -> str:
    """The operator making a write; 401 without credentials, 403 with wrong ones or when none are configured."""
    settings: WebSettings = request.app.state.settings
    token = bearer_token(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if token is None and cookie is None:
        raise HTTPException(401, "operator credentials required (Authorization: Bearer TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})
    if not settings.operators:
        raise HTTPException(403, "no operator is configured on this server (TENDERWATCH_OPERATOR_TOKEN)")
    operator = current_operator(request)
    if operator is None:
        raise HTTPException(403, "invalid or expired operator credentials")
    if token is None:  # a browser's session cookie goes with every request: the form must prove it is ours
        request.state.cookie_auth = True
    return operator
