"""The pages' Jinja2 environment: autoescaped (nothing a notice says is rendered unescaped), with the helpers the
templates share: labels from the one vocabulary, French numbers and dates, links that keep the filters."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from models.safe import printable, safe_url
from models.vocabulary import (
    CONTRACT_NATURE_LABELS,
    DIMENSION_LABELS,
    LEVER_LABELS,
    ORIGIN_LABELS,
    PUBLIC_ORIGIN_LABELS,
    UI_LABELS,
    WEB_LABELS,
)
from storage.exports import pictogram_svg
from tenderwatch.web.auth import csrf_token, current_operator
from tenderwatch.web.charts import COLOURS, pct

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _no_controls(value):
    """Every value a page prints, without control characters or escape sequences (a notice's text is the source's);
    markup the pages build themselves (charts, maps) is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


def french_date(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y")


def url_with(request: Request, path: str | None = None, **changes) -> str:
    """The current URL (or `path`) with its query changed: None or "" removes a parameter; page resets."""
    params = {k: v for k, v in request.query_params.items() if k != "page"}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    base = request.scope.get("root_path", "") + (path or request.url.path)
    return base + ("?" + urlencode(params) if params else "")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                      finalize=_no_controls)
    env.globals.update(
        DIMENSION_LABELS=DIMENSION_LABELS, LEVER_LABELS=LEVER_LABELS, ORIGIN_LABELS=ORIGIN_LABELS,
        PUBLIC_ORIGIN_LABELS=PUBLIC_ORIGIN_LABELS, UI=UI_LABELS, L=WEB_LABELS, NATURES=CONTRACT_NATURE_LABELS,
        COLOURS=COLOURS, pictogram_svg=pictogram_svg, url_with=url_with, csrf_token=csrf_token,
        current_operator=current_operator,
    )
    env.filters.update(pct=pct, safe_url=safe_url, fdate=french_date)
    return env


templates = Jinja2Templates(env=_environment())


def page(request: Request, name: str, status_code: int = 200, **context):
    """Render a page; the CSRF cookie its forms need is set on the way out when the browser has none."""
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    seed = getattr(request.state, "new_csrf_seed", None)
    if seed:
        from tenderwatch.web.auth import CSRF_COOKIE

        response.set_cookie(CSRF_COOKIE, seed, httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return response
