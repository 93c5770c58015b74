"""Staff pages of the chairman responsibility rating: the province's list for a period (compute,
export), one unit's rating with each component's figure, source, denominator and link to the
records, the method versions and their editing (province staff), and the tasks behind the
"tasks done on time" figure."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from accounts.scope import can_reach, visible_units
from core import metrics
from core.models import AuditEntry
from steering import rating, rating_exports, rating_services
from steering.models import Direction, DirectiveTask, MethodState, RatingMethod, Scale
from steering.rating_permissions import (
    READ_ROLES,
    access_method,
    access_rating,
    can_compute,
    can_edit_method,
    rating_provinces,
)
from units.models import Unit


def _province(request: AuthenticatedHttpRequest) -> Unit:
    provinces = rating_provinces(request.user)
    chosen = request.GET.get("tinh", "") or request.POST.get("tinh", "")
    if chosen.isdigit():
        provinces = [p for p in provinces if p.pk == int(chosen)]
    if not provinces:
        raise Http404
    return provinces[0]


def _year(raw: str) -> int:
    today = timezone.localdate()
    if not raw:
        return today.year
    if not raw.isdigit() or not 2020 <= int(raw) <= today.year:
        raise ValidationError(_("Năm xếp loại không hợp lệ: chọn từ 2020 đến %(year)s.") % {"year": today.year})
    return int(raw)


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


@staff_view
def rating_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    province = _province(request)
    try:
        year = _year(request.GET.get("nam", ""))
    except ValidationError as exc:
        _errors(request, exc)
        year = timezone.localdate().year
    start, end = rating.period_of_year(year)
    method = rating.published_method(province)
    ratings = list(rating.ratings_for(province, start, end, method)) if method else []
    return render(
        request,
        "steering/rating/index.html",
        {
            "province": province,
            "year": year,
            "years": list(range(timezone.localdate().year, 2022, -1)),
            "start": start,
            "end": end,
            "method": method,
            "ratings": ratings,
            "can_compute": can_compute(request.user, province),
            "can_edit": can_edit_method(request.user, province),
        },
    )


@staff_view
@require_POST
def rating_compute(request: AuthenticatedHttpRequest) -> HttpResponse:
    province = _province(request)
    try:
        year = _year(request.POST.get("nam", ""))
        start, end = rating.period_of_year(year)
        done = rating_services.compute_ratings(by=request.user, province=province, start=start, end=end)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect(reverse("steering:rating_index") + f"?nam={request.POST.get('nam', '')}"[:40])
    messages.success(request, _("Đã tính xếp loại cho %(n)s đơn vị.") % {"n": len(done)})
    return redirect(reverse("steering:rating_index") + f"?nam={year}")


@staff_view
def rating_detail(request: AuthenticatedHttpRequest, rating_id: int) -> HttpResponse:
    item = access_rating(actor=request.user, rating_id=rating_id)
    return render(
        request,
        "steering/rating/detail.html",
        {"rating": item, "figures": item.figures.all(), "bands": item.method.bands.all(), "method": item.method},
    )


@staff_view
def rating_export(request: AuthenticatedHttpRequest, year: int, fmt: str) -> HttpResponse:
    province = _province(request)
    if fmt not in ("docx", "xlsx"):
        raise Http404
    try:
        year = _year(str(year))
    except ValidationError as exc:
        raise Http404 from exc
    start, end = rating.period_of_year(year)
    method = rating.published_method(province)
    if method is None:
        raise Http404
    ratings = list(rating.ratings_for(province, start, end, method))
    content, name, mime = rating_exports.ratings_file(province=province, method=method, ratings=ratings, start=start, end=end, fmt=fmt)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_view
def rating_methods(request: AuthenticatedHttpRequest) -> HttpResponse:
    province = _province(request)
    editable = can_edit_method(request.user, province)
    if request.method == "POST":
        if not editable:
            raise Http404
        copy_of = None
        if request.POST.get("copy_of", "").isdigit():
            copy_of = RatingMethod.objects.filter(province=province, pk=int(request.POST["copy_of"])).first()
        try:
            method = rating_services.create_method(
                by=request.user,
                province=province,
                title=request.POST.get("title", ""),
                basis=request.POST.get("basis", ""),
                copy_of=copy_of,
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
            return redirect("steering:rating_methods")
        messages.success(request, _("Đã tạo bản nháp phiên bản %(v)s.") % {"v": method.version})
        return redirect("steering:rating_method", method.pk)
    return render(
        request,
        "steering/rating/methods.html",
        {"province": province, "methods": RatingMethod.objects.filter(province=province), "can_edit": editable},
    )


@staff_view
def rating_method(request: AuthenticatedHttpRequest, method_id: int) -> HttpResponse:
    method = access_method(actor=request.user, method_id=method_id)
    editable = method.state == MethodState.DRAFT and can_edit_method(request.user, method.province)
    history = AuditEntry.objects.filter(model_label=method._meta.label, object_pk=str(method.pk)).order_by("-at")[:50]
    return render(
        request,
        "steering/rating/method.html",
        {
            "method": method,
            "components": method.components.all(),
            "bands": method.bands.all(),
            "editable": editable,
            "can_revise": can_edit_method(request.user, method.province),
            "metrics": metrics.available(),
            "directions": Direction.choices,
            "scales": Scale.choices,
            "history": history,
        },
    )


@staff_view
@require_POST
def rating_method_edit(request: AuthenticatedHttpRequest, method_id: int) -> HttpResponse:
    method = access_method(actor=request.user, method_id=method_id)
    action = request.POST.get("action", "")
    post = request.POST
    try:
        if action == "component":
            component = method.components.filter(pk=int(post["id"])).first() if post.get("id", "").isdigit() else None
            rating_services.save_component(
                by=request.user,
                method=method,
                component=component,
                metric_key=post.get("metric_key", ""),
                label=post.get("label", ""),
                weight=post.get("weight", ""),
                direction=post.get("direction", ""),
                scale=post.get("scale", ""),
                points_per_item=post.get("points_per_item", "") or 0,
                min_denominator=post.get("min_denominator", ""),
            )
        elif action == "remove_component":
            component = method.components.filter(pk=int(post.get("id", "0") or 0)).first()
            if component is None:
                raise Http404
            rating_services.remove_component(by=request.user, component=component)
        elif action == "band":
            band = method.bands.filter(pk=int(post["id"])).first() if post.get("id", "").isdigit() else None
            rating_services.save_band(
                by=request.user, method=method, band=band, label=post.get("label", ""), min_score=post.get("min_score", "")
            )
        elif action == "remove_band":
            band = method.bands.filter(pk=int(post.get("id", "0") or 0)).first()
            if band is None:
                raise Http404
            rating_services.remove_band(by=request.user, band=band)
        elif action == "publish":
            rating_services.publish_method(by=request.user, method=method)
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
            return redirect("steering:rating_method", method.pk)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã lưu thay đổi phương pháp."))
    return redirect("steering:rating_method", method.pk)


@staff_view
def rating_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The tasks behind a unit's "tasks done on time" figure: owned in its subtree, due in the period."""
    raw = request.GET.get("don_vi", "")
    unit = visible_units(request.user, READ_ROLES).filter(pk=int(raw)).first() if raw.isdigit() else None
    if unit is None or not can_reach(request.user, unit, READ_ROLES):
        raise Http404
    try:
        start = dt.date.fromisoformat(request.GET.get("tu", ""))
        end = dt.date.fromisoformat(request.GET.get("den", ""))
    except ValueError as exc:
        raise Http404 from exc
    horizon = min(end, timezone.localdate())
    tasks = (
        DirectiveTask.objects.filter(owners__path__startswith=unit.path, due_on__gte=start, due_on__lte=horizon)
        .select_related("directive")
        .distinct()
        .order_by("due_on", "pk")
    )
    return render(request, "steering/rating/tasks.html", {"unit": unit, "start": start, "end": end, "tasks": tasks})
