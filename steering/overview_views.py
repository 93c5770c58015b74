"""Staff pages of the overview: the page a leader opens in the morning (province, district or
commune), its map, and the report to the Steering Committee as Word and Excel; the overview's
summary on the staff home page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from core.downloads import download
from steering import overview, overview_report


def _read(request: HttpRequest, *, with_rows: bool = True, refresh: bool = False) -> overview.Overview:
    params = request.POST if request.method == "POST" else request.GET
    unit = overview.overview_unit(request.user, params.get("don_vi", "").strip())
    kind = params.get("ky", "quy")
    if kind not in overview.PERIOD_KINDS:
        kind = "quy"
    return overview.read_overview(unit=unit, kind=kind, selected=params.get("chi_so", ""), with_rows=with_rows, refresh=refresh)


@staff_view
def overview_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The overview of the leader's unit (or of a unit below it, ?don_vi=), for the quarter, half
    year or year to date (?ky=), its map coloured by one figure (?chi_so=)."""
    result = _read(request)
    query = {"don_vi": result.unit.pk, "ky": result.period.kind}
    return render(
        request,
        "steering/overview/page.html",
        {
            "o": result,
            "figures": overview.FIGURES,
            "kinds": overview.PERIOD_KINDS.items(),
            "query": query,
            "map_width": overview.MAP_WIDTH,
            "map_height": overview.map_height(result),
            "parent_link": _parent_link(request, result.unit),
        },
    )


def _parent_link(request: HttpRequest, unit: Any) -> str:
    """The overview of the unit above, when the reader's scope reaches it."""
    if unit.parent_id is None:
        return ""
    roots = overview.overview_roots(request.user)
    parent = unit.parent
    if parent is not None and any(parent.path.startswith(r.path) for r in roots):
        return reverse("steering:overview") + f"?don_vi={parent.pk}"
    return ""


@staff_view
@require_POST
def overview_refresh(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Recompute the day's figures now (the morning job's, or an earlier reader's, may be hours old)."""
    result = _read(request, refresh=True)
    messages.success(request, _("Đã tính lại số liệu."))
    query = urlencode({"don_vi": result.unit.pk, "ky": result.period.kind, "chi_so": result.selected.key})
    return redirect(reverse("steering:overview") + "?" + query)


@staff_view
def report_download(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    """The periodic report to the Steering Committee (Word) or its annexes (Excel)."""
    if fmt not in ("docx", "xlsx"):
        raise Http404
    result = _read(request)
    name = f"bao-cao-ban-chi-dao-{result.period.kind}-{result.period.start:%Y-%m}-{result.unit.code}.{fmt}"
    content = overview_report.report_docx(result) if fmt == "docx" else overview_report.report_xlsx(result)
    return download(content, name)


def staff_home_section(*, request: HttpRequest, **_: Any) -> dict[str, Any] | None:
    """The overview's headline on the staff home page, for those who may open it."""
    if request is None or not overview.can_open_overview(request.user):
        return None
    result = _read(request, with_rows=False)
    return {"o": result, "red": [h for h in result.headline if h.alert]}
