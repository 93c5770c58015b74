"""The public site: the province and its units, diacritics-insensitive search, a unit's page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers

from portal.maps import point_map
from units import queries
from units.models import Unit, UnitKind


def home(request: HttpRequest) -> HttpResponse:
    """A province in force today: the one chosen in the province list (`?tinh=<code>`), else the
    deployment's home province. Every figure on the page is that province's (and its predecessors')."""
    provinces = list(queries.provinces_in_force())
    chosen = request.GET.get("tinh", "").strip()[:20]
    province = next((p for p in provinces if p.code == chosen), None) if chosen else None
    province = province or queries.home_province()
    context: dict[str, object] = {"province": province, "provinces": provinces}
    if province is not None:
        context["children"] = queries.children_with_counts(province)
        context["commune_total"] = queries.commune_count(province)
    return render(request, "portal/home.html", context)


def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    results = queries.search_units(text) if text else []
    template = "portal/_search_results.html" if request.headers.get("HX-Request") else "portal/search.html"
    response = render(request, template, {"q": text, "results": results})
    # One URL, two bodies (htmx fragment or whole page): a cache or the browser's back button must
    # not serve the fragment as the page.
    patch_vary_headers(response, ["HX-Request"])
    return response


def unit_detail(request: HttpRequest, edition: str, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent", "successor"), edition=edition, code=code)
    context = {
        "unit": unit,
        "ancestors": unit.ancestors(),
        "children": queries.children_with_counts(unit) if unit.kind != UnitKind.VILLAGE else [],
        "predecessors": unit.predecessors.select_related("parent").order_by("name"),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "point_map": point_map(unit) if not settings.MAP_TILE_URL and unit.kind != UnitKind.VILLAGE else None,
    }
    return render(request, "portal/unit_detail.html", context)
