"""The ASGI application of `tenderwatch serve`: the JSON API, its offline documentation, the French pages and the
operators' review queue, on one store."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.vocabulary import WEB_LABELS
from storage.engine import Store
from tenderwatch.web import api, docs, pages, review
from tenderwatch.web.settings import WebSettings
from tenderwatch.web.templating import page

STATIC = Path(__file__).resolve().parent / "static"
TITLES = {401: WEB_LABELS["forbidden"], 403: WEB_LABELS["forbidden"], 404: WEB_LABELS["not_found"],
          422: WEB_LABELS["bad_parameter"]}


def _readable(exc: RequestValidationError) -> str:
    """Pydantic's errors as one line a person reads: "per_page: Input should be ... (got '1000')"."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(x) for x in error.get("loc", ()) if x not in ("query", "body", "path"))
        got = f" (got {error['input']!r})" if "input" in error and not isinstance(error["input"], dict) else ""
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}{got}")
    return "; ".join(parts)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, detail: str, headers: dict | None = None):
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    return page(request, "error.html.j2", status_code=status, status=status, detail=detail,
                title=TITLES.get(status, WEB_LABELS["error"]))


def create_app(store: Store, settings: WebSettings | None = None) -> FastAPI:
    """The application on `store` (settings from the environment unless given)."""
    app = FastAPI(title="tenderwatch API", version="1",
                  description="Social and environmental considerations of public-procurement notices: notices, "
                              "their evidence, pictograms for platforms to poll, statistics. Read-only for "
                              "everyone; writes (overrides) need an operator's token.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.store = store
    app.state.settings = settings or WebSettings.from_env()

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return _error(request, 422, _readable(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy",
                                        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                        "script-src 'self'; frame-ancestors 'none'; form-action 'self'")
        return response

    app.add_middleware(GZipMiddleware, minimum_size=2000)
    app.include_router(api.router)
    app.include_router(docs.router)
    app.include_router(pages.router)
    app.include_router(review.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
