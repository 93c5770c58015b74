"""Public sections: the recognised communes on the portal's home page and each commune's status on
its own page. Only decided, public facts are shown (no scores of files still in progress)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from certification import queries
from certification.models import Campaign, FileState, Registration
from units.models import Unit, UnitKind
from units.queries import home_province, provinces_in_force
from units.structure import lineage


def portal_home_section(*, request: HttpRequest, province: Unit | None = None, **kwargs: Any) -> dict[str, Any] | None:
    """The province's latest campaign and recognitions, with those of the provinces it was formed
    from (labelled with their own province): never another province's figures."""
    if province is None:
        return None
    family = lineage(province)
    campaign = Campaign.objects.filter(province__in=family).select_related("province").order_by("-year").first()
    recognised = list(queries.recognised_for_public(within=[u.path for u in family]))
    if campaign is None and not recognised:
        return None
    progress = None
    if campaign is not None:
        _rows, progress = queries.target_progress(campaign=campaign)
    return {"recognised": recognised, "campaign": campaign, "progress": progress, "province": province}


def portal_unit_section(*, request: HttpRequest, unit: Unit, **kwargs: Any) -> dict[str, Any] | None:
    """A commune's files, with those of the communes it was formed from (each labelled with the unit
    it was made for)."""
    if unit.kind != UnitKind.COMMUNE:
        return None
    family = lineage(unit)
    files = list(
        Registration.objects.filter(unit__in=family).select_related("campaign", "recognition", "unit").order_by("-campaign__year")[:8]
    )
    if not files:
        return None
    return {"files": files, "S": FileState, "unit": unit}


def recognised_list(request: HttpRequest) -> HttpResponse:
    """Every recognised commune of one province (`?tinh=<code>` among the provinces in force, else
    the home province) and of the provinces it was formed from, with year, stars and decision
    (newest first), and the target progress of its latest campaign."""
    chosen = request.GET.get("tinh", "").strip()[:20]
    province = (provinces_in_force().filter(code=chosen).first() if chosen else None) or home_province()
    family = lineage(province) if province is not None else []
    files = (
        Registration.objects.filter(queries.unit_under([u.path for u in family]), state=FileState.RECOGNISED)
        .select_related("unit", "district", "campaign", "recognition")
        .order_by("-campaign__year", "district__name", "unit__name")
    )
    campaign = Campaign.objects.filter(province__in=family).select_related("province").order_by("-year").first()
    progress = queries.target_progress(campaign=campaign)[1] if campaign else None
    page = Paginator(files, 50).get_page(request.GET.get("page"))
    context = {"page": page, "campaign": campaign, "progress": progress, "province": province}
    return render(request, "certification/public_list.html", context)
