"""Staff pages of task 5: the good practices in the user's scope (proposing one, the province's
publication on the portal) and the units criticised for lax practice with their follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from accounts.scope import visible_units
from core.models import StoredFile
from steering import practice_services
from steering.models import PracticeAttachment
from steering.practice_forms import CriticismForm, FollowUpForm, PracticeForm, UnpublishForm
from steering.practice_queries import (
    AUTHOR_ROLES,
    CRITIC_ROLES,
    access_criticism,
    access_practice,
    can_criticise,
    can_publish,
    criticisms_for,
    practices_for,
)
from units.models import Unit, UnitKind


def _units(request: AuthenticatedHttpRequest, roles: frozenset[str]) -> QuerySet[Unit]:
    in_scope = visible_units(request.user, roles).values("pk")
    kinds = [UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE]
    return Unit.objects.in_force().filter(pk__in=in_scope, kind__in=kinds).order_by("path")


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


def _form_errors(request: AuthenticatedHttpRequest, errors: ErrorDict) -> None:
    for field_errors in errors.values():
        for error in field_errors:
            messages.error(request, str(error))


@staff_view
def practices_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    author_units = _units(request, AUTHOR_ROLES)
    critic_units = _units(request, CRITIC_ROLES)
    return render(
        request,
        "steering/practices/index.html",
        {
            "practices": practices_for(request.user).order_by("state", "-period_start"),
            "criticisms": criticisms_for(request.user),
            "practice_form": PracticeForm(units=author_units) if author_units.exists() else None,
            "criticism_form": CriticismForm(units=critic_units) if critic_units.exists() else None,
        },
    )


@staff_view
@require_POST
def practices_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PracticeForm(request.POST, request.FILES, units=_units(request, AUTHOR_ROLES))
    if not form.is_valid():
        _form_errors(request, form.errors)
        return redirect("steering:practices_index")
    data = form.cleaned_data
    try:
        practice = practice_services.propose_practice(
            by=request.user,
            unit=data["unit"],
            title=data["title"],
            body=data["body"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            photos=[(f, f.name) for f in data["photos"]],
            documents=[(f, f.name) for f in data["documents"]],
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return redirect("steering:practices_index")
    messages.success(request, _("Đã ghi mô hình, chờ tỉnh xem xét đăng trên cổng thông tin."))
    return redirect("steering:practices_detail", practice.pk)


@staff_view
def practices_detail(request: AuthenticatedHttpRequest, practice_id: int) -> HttpResponse:
    practice = access_practice(actor=request.user, practice_id=practice_id)
    return render(
        request,
        "steering/practices/detail.html",
        {
            "practice": practice,
            "attachments": practice.attachments.select_related("file"),
            "can_publish": can_publish(request.user, practice),
            "unpublish_form": UnpublishForm(),
        },
    )


@staff_view
@require_POST
def practices_publication(request: AuthenticatedHttpRequest, practice_id: int) -> HttpResponse:
    practice = access_practice(actor=request.user, practice_id=practice_id)
    try:
        if request.POST.get("action") == "publish":
            practice_services.publish_practice(by=request.user, practice=practice)
            messages.success(request, _("Đã đăng mô hình trên cổng thông tin."))
        elif request.POST.get("action") == "unpublish":
            form = UnpublishForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            practice_services.unpublish_practice(by=request.user, practice=practice, reason=reason)
            messages.success(request, _("Đã gỡ mô hình khỏi cổng thông tin."))
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("steering:practices_detail", practice.pk)


def _file_response(stored: StoredFile) -> FileResponse:
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=stored.content_type, as_attachment=False, filename=stored.original_name)


@staff_view
def practices_file(request: AuthenticatedHttpRequest, practice_id: int, attachment_id: int) -> FileResponse:
    practice = access_practice(actor=request.user, practice_id=practice_id)
    attachment = PracticeAttachment.objects.select_related("file").filter(practice=practice, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return _file_response(attachment.file)


@staff_view
@require_POST
def criticism_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CriticismForm(request.POST, request.FILES, units=_units(request, CRITIC_ROLES))
    if not form.is_valid():
        _form_errors(request, form.errors)
        return redirect("steering:practices_index")
    data = form.cleaned_data
    try:
        practice_services.record_criticism(
            by=request.user,
            unit=data["unit"],
            criticised_on=data["criticised_on"],
            reason=data["reason"],
            document_ref=data["document_ref"],
            document=data["document"],
            document_name=data["document"].name if data["document"] else "",
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã ghi đơn vị bị phê bình."))
    return redirect("steering:practices_index")


@staff_view
def criticism_detail(request: AuthenticatedHttpRequest, criticism_id: int) -> HttpResponse:
    criticism = access_criticism(actor=request.user, criticism_id=criticism_id)
    if request.method == "POST":
        criticism = access_criticism(actor=request.user, criticism_id=criticism_id, write=True)
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                practice_services.record_follow_up(
                    by=request.user, criticism=criticism, follow_up=form.cleaned_data["follow_up"], on=form.cleaned_data["on"]
                )
            except (ValidationError, PermissionDenied) as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Đã ghi kết quả khắc phục."))
                return redirect("steering:criticism_detail", criticism.pk)
    else:
        form = FollowUpForm(initial={"on": timezone.localdate(), "follow_up": criticism.follow_up})
    return render(
        request,
        "steering/practices/criticism.html",
        {"criticism": criticism, "form": form if can_criticise(request.user, criticism.unit) else None},
    )


@staff_view
def criticism_file(request: AuthenticatedHttpRequest, criticism_id: int) -> FileResponse:
    criticism = access_criticism(actor=request.user, criticism_id=criticism_id)
    if criticism.document is None:
        raise Http404
    return _file_response(criticism.document)
