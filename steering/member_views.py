"""Staff pages of the members' guidance (notice, task 8): the members a user oversees; a member's
page with their localities' status across the capabilities and the log of their visits and
urgings; an urging recorded from an overdue task."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from steering import member_queries, member_services
from steering.member_forms import GuidanceForm, UrgingForm
from steering.member_queries import access_member, can_record_for
from steering.models import GuidanceEntry, GuidanceKind
from steering.permissions import access_task
from units.models import CommitteeMember, Unit
from units.structure import current_unit


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


@staff_view
def members_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    members = list(member_queries.visible_members(request.user))
    own = [m for m in members if m.user_id == request.user.pk]
    return render(request, "steering/members/index.html", {"members": members, "own": own})


@staff_view
def members_detail(request: AuthenticatedHttpRequest, member_id: int) -> HttpResponse:
    member = access_member(actor=request.user, member_id=member_id)
    today = timezone.localdate()
    localities = list(member.followed_units.order_by("name"))
    status = member_queries.locality_status(localities, start=dt.date(today.year, 1, 1), end=today)
    form = None
    if can_record_for(request.user, member):
        form = GuidanceForm(units=member.followed_units.order_by("name"), initial={"happened_on": today, "kind": GuidanceKind.VISIT})
        unit_pk = request.GET.get("don_vi", "")
        if unit_pk.isdigit() and any(u.pk == int(unit_pk) for u in localities):
            form.initial.update({"unit": int(unit_pk), "kind": GuidanceKind.URGING})
    return render(
        request,
        "steering/members/detail.html",
        {
            "member": member,
            "status": status,
            "headings": [str(h) for _k, h in member_queries.STATUS_METRICS],
            "needing_urging": sum(1 for row in status if row.needs_urging),
            "entries": member_queries.guidance_of(member),
            "form": form,
            "today": today,
        },
    )


@staff_view
def members_record(request: AuthenticatedHttpRequest, member_id: int) -> HttpResponse:
    member = access_member(actor=request.user, member_id=member_id, write=True)
    if request.method != "POST":
        return redirect("steering:members_detail", member.pk)
    form = GuidanceForm(request.POST, request.FILES, units=member.followed_units.all())
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("steering:members_detail", member.pk)
    upload = form.cleaned_data["file"]
    try:
        member_services.record_guidance(
            by=request.user,
            member=member,
            unit=form.cleaned_data["unit"],
            kind=form.cleaned_data["kind"],
            happened_on=form.cleaned_data["happened_on"],
            content=form.cleaned_data["content"],
            file=upload,
            file_name=upload.name if upload else "",
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã ghi hoạt động hướng dẫn, đôn đốc."))
    return redirect("steering:members_detail", member.pk)


@staff_view
def members_urge(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    """Record that a member following the task urged one of its owners."""
    task = access_task(actor=request.user, task_id=task_id)
    today = timezone.localdate()
    owners = list(task.owners.all())
    followers = [m for m in member_queries.members_following_task(task.follower, owners, today) if can_record_for(request.user, m)]
    if not followers:
        raise Http404
    current = [u for u in (current_unit(o, today) for o in owners) if u is not None]
    units = Unit.objects.filter(pk__in=[u.pk for u in current]).order_by("name")
    members = CommitteeMember.objects.filter(pk__in=[m.pk for m in followers]).order_by("full_name")
    if request.method == "POST":
        form = UrgingForm(request.POST, request.FILES, units=units, members=members)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                member_services.record_guidance(
                    by=request.user,
                    member=form.cleaned_data["member"],
                    unit=form.cleaned_data["unit"],
                    kind=GuidanceKind.URGING,
                    happened_on=form.cleaned_data["happened_on"],
                    content=form.cleaned_data["content"],
                    task=task,
                    file=upload,
                    file_name=upload.name if upload else "",
                )
            except (ValidationError, PermissionDenied) as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Đã ghi việc đôn đốc nhiệm vụ."))
                return redirect("steering:task", task.pk)
    else:
        initial = {"happened_on": today, "member": followers[0].pk if len(followers) == 1 else None}
        form = UrgingForm(units=units, members=members, initial=initial)
    return render(
        request, "steering/members/urge.html", {"task": task, "form": form, "urgings": task.urgings.select_related("member", "unit")}
    )


@staff_view
def members_file(request: AuthenticatedHttpRequest, member_id: int, entry_id: int) -> FileResponse:
    member = access_member(actor=request.user, member_id=member_id)
    entry = GuidanceEntry.objects.select_related("file").filter(member=member, pk=entry_id, file__isnull=False).first()
    if entry is None or entry.file is None:
        raise Http404
    try:
        handle = entry.file.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=entry.file.content_type, as_attachment=False, filename=entry.file.original_name)
