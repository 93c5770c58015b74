"""Public sections: the recognised communes on the portal's home page and each commune's status on
its own page. Only decided, public facts are shown (no scores of files still in progress)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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
