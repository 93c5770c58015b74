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


def portal_home_section(*, request: HttpRequest, **kwargs: Any) -> dict[str, Any] | None:
    campaign = Campaign.objects.order_by("-year").first()
    recognised = list(queries.recognised_for_public())
    if campaign is None and not recognised:
        return None
    progress = None
    if campaign is not None:
        _rows, progress = queries.target_progress(campaign=campaign)
    return {"recognised": recognised, "campaign": campaign, "progress": progress}


def portal_unit_section(*, request: HttpRequest, unit: Unit, **kwargs: Any) -> dict[str, Any] | None:
    if unit.kind != UnitKind.COMMUNE:
        return None
    files = list(Registration.objects.filter(unit=unit).select_related("campaign", "recognition").order_by("-campaign__year")[:5])
    if not files:
        return None
    return {"files": files, "S": FileState}


def recognised_list(request: HttpRequest) -> HttpResponse:
    """Every recognised commune with its year, stars and decision (newest first), and the target
    progress of the latest campaign."""
    files = (
        Registration.objects.filter(state=FileState.RECOGNISED)
        .select_related("unit", "district", "campaign", "recognition")
        .order_by("-campaign__year", "district__name", "unit__name")
    )
    campaign = Campaign.objects.order_by("-year").first()
    progress = queries.target_progress(campaign=campaign)[1] if campaign else None
    page = Paginator(files, 50).get_page(request.GET.get("page"))
    return render(request, "certification/public_list.html", {"page": page, "campaign": campaign, "progress": progress})
