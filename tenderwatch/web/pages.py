"""The French pages for everyone: the dashboard (every filter in the URL, a CSV behind each chart), the notice list
and the notice page with the evidence highlighted."""

from __future__ import annotations

import io

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from models.regions import DEPARTMENTS
from storage.queries import NoticeFilters, distinct_values, list_notices, notice_detail
from storage.stats import ORIGINS, Filters, shares
from tenderwatch.tables import render
from tenderwatch.web import dashboard as data
from tenderwatch.web.auth import current_operator
from tenderwatch.web.charts import bar_chart, trend_chart
from tenderwatch.web.evidence import highlight
from tenderwatch.web.maps import choropleth, legend, scale_top
from tenderwatch.web.params import notice_filters, published_notice, stats_filters
from tenderwatch.web.templating import page, url_with

router = APIRouter(include_in_schema=False)
REGIONS = sorted({region for _, region, _ in DEPARTMENTS.values()})
YEARS = list(range(2017, 2031))


def _menus(session) -> dict:
    return {"regions": REGIONS, "departments": sorted(DEPARTMENTS.items()), "years": YEARS,
            "sources": distinct_values(session, "source"), "origins": ORIGINS}


@router.get("/")
def dashboard(request: Request, filters: Filters = Depends(stats_filters),
              dimension: str = Query("social", pattern="^(social|environmental)$")):
    store, threshold = request.app.state.store, request.app.state.settings.threshold
    def href(**changes): return url_with(request, **changes)
    with store.session() as session:
        total = shares(session, [], filters, threshold)
        rows = {chart: data.chart_rows(session, chart, filters, threshold)
                for chart in ("trend", "regions", "departments", "levers", "buyers", "cpv")}
        menus = _menus(session)
    maps = {}
    for level, key in (("region", "regions"), ("department", "departments")):
        values = data.by_key(rows[key], level)[dimension]
        links = {k: href(**{level: k}) for k in values}
        maps[level] = {"svg": choropleth(level, values, dimension, f"{level} : {dimension}", links),
                       "legend": legend(scale_top(values), dimension)}
    charts = {
        "trend": trend_chart(data.trend(rows["trend"]), data.national_series(), "Part des avis par année"),
        "levers": bar_chart("levers", data.lever_bars(rows["levers"]), "Leviers"),
        "buyers": bar_chart("buyers", data.buyer_bars(rows["buyers"], href), "Acheteurs"),
        "cpv": bar_chart("cpv", data.cpv_bars(rows["cpv"], href), "Divisions CPV"),
    }
    return page(request, "dashboard.html.j2", filters=filters, dimension=dimension, total=total[0] if total else None,
                charts=charts, maps=maps, outside=data.outside_map(rows["departments"]), menus=menus,
                trend_rows=rows["trend"])


@router.get("/tableau-de-bord/{chart}.csv")
def chart_csv(request: Request, chart: str, filters: Filters = Depends(stats_filters)):
    if chart not in data.CHARTS:
        raise HTTPException(404, f"no chart {chart!r}; charts: {', '.join(data.CHARTS)}")
    kind, by = data.CHARTS[chart]
    with request.app.state.store.session() as session:
        rows = data.chart_rows(session, chart, filters, request.app.state.settings.threshold)
    out = io.StringIO()
    render(kind, rows, by, "csv", out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="tenderwatch-{chart}.csv"'})


@router.get("/avis")
def notices(request: Request, f: NoticeFilters = Depends(notice_filters), page_: int = Query(1, alias="page", ge=1)):
    per_page = 25
    operator = current_operator(request) is not None
    with request.app.state.store.session() as session:
        count, exact, rows = list_notices(session, f, page_, per_page, confidences=operator)
        menus = _menus(session)
    pages = max(1, -(-count // per_page)) + (0 if exact else 1)
    return page(request, "notices.html.j2", f=f, count=count, exact=exact, rows=rows, page=page_, pages=pages,
                menus=menus)


@router.get("/avis/{source}/{source_id:path}")
def notice(request: Request, source: str, source_id: str):
    operator = current_operator(request)
    threshold = request.app.state.settings.threshold
    with request.app.state.store.session() as session:
        row = published_notice(session, source, source_id)
        detail = notice_detail(session, row, threshold, confidences=operator is not None)
    segments, spans = highlight(detail["text"], detail["considerations"])
    return page(request, "notice.html.j2", n=detail, segments=segments, spans=spans, operator=operator,
                threshold=threshold)
