"""Staff pages of the directive's issuers: record a directive of their unit's steering committee,
then add its tasks one by one on the directive's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from accounts.scope import visible_units
from steering import services
from steering.directive_forms import DirectiveForm, TaskForm
from steering.models import Directive
from steering.permissions import DIRECTIVE_ROLES, access_directive, can_issue
from units.models import CommitteeMember, Unit, UnitKind


def _refuse(form: DirectiveForm | TaskForm, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        form.add_error(None, message)


def issuing_units(user: object) -> QuerySet[Unit]:
    """The units in force whose steering committee `user` may issue for (villages have none)."""
    scope = visible_units(user, DIRECTIVE_ROLES).values("pk")
    return Unit.objects.in_force().filter(pk__in=scope).exclude(kind=UnitKind.VILLAGE).order_by("path")


def _task_form(directive: Directive, data: object = None) -> TaskForm:
    today = timezone.localdate()
    units = Unit.objects.subtree_of(directive.unit).in_force(directive.issued_on).exclude(kind=UnitKind.VILLAGE).order_by("path")
    members = CommitteeMember.objects.filter(committee__unit=directive.unit).filter(Q(until__isnull=True) | Q(until__gte=today))
    following = (directive.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
    return TaskForm(data, units=units, members=members.order_by("position", "full_name"), initial={"number": following})


@staff_view
def directive_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = issuing_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = DirectiveForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            directive = services.create_directive(
                by=request.user,
                unit=data["unit"],
                kind=data["kind"],
                number=data["number"],
                issued_on=data["issued_on"],
                issuer=data["issuer"],
                title=data["title"],
                file=upload,
                file_name=upload.name if upload else "",
            )
        except (ValidationError, PermissionDenied) as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận văn bản chỉ đạo."))
            return redirect("steering:directive", directive.pk)
    return render(request, "steering/directives/create.html", {"form": form})


@staff_view
def directive(request: AuthenticatedHttpRequest, directive_id: int) -> HttpResponse:
    """The directive and its tasks, for whoever sees it; the form adding a task, for its issuers."""
    item = access_directive(actor=request.user, directive_id=directive_id, write=request.method == "POST")
    issuer = can_issue(request.user, item.unit)
    form = _task_form(item, request.POST if request.method == "POST" else None) if issuer else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_task(
                by=request.user,
                directive=item,
                number=data["number"],
                title=data["title"],
                deadline_text=data["deadline_text"],
                owners=list(data["owners"]),
                owner_agencies=data["owner_agencies"],
                follower=data["follower"],
                expected_output=data["expected_output"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Đã thêm nhiệm vụ."))
            return redirect("steering:directive", item.pk)
    tasks = item.tasks.prefetch_related("owners").select_related("follower").order_by("number")
    return render(
        request,
        "steering/directives/detail.html",
        {"directive": item, "tasks": tasks, "task_form": form, "today": timezone.localdate()},
    )
