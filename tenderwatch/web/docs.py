"""The API's documentation at /api/docs, rendered on the server from the OpenAPI document (served at
/api/openapi.json): offline, no Swagger UI bundle or CDN."""

from __future__ import annotations

from fastapi import APIRouter, Request

from tenderwatch.web.templating import page

router = APIRouter(include_in_schema=False)
EXAMPLES = {
    "/api/notices": "?region=Nouvelle-Aquitaine&social=yes&per_page=5",
    "/api/pictograms": "?since=2026-01-01&per_page=100",
    "/api/stats": "?by=year&region=Nouvelle-Aquitaine",
}


def _operations(spec: dict) -> list[dict]:
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            out.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "parameters": op.get("parameters", []),
                "body": spec.get("components", {}).get("schemas", {}).get(ref) if ref else None,
                "responses": op.get("responses", {}), "example": EXAMPLES.get(path, ""),
            })
    return out


@router.get("/api/docs")
def api_docs(request: Request):
    spec = request.app.openapi()
    return page(request, "api_docs.html.j2", spec=spec, operations=_operations(spec))
