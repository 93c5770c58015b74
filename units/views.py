"""Staff pages for units and steering committees. Every lookup goes through the user's scope."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_validation_error
from core.staff_access import can_reach, get_scoped_or_404, role_roots, scope_queryset, staff_user, staff_view
from units import queries, services
from units.forms import CommitteeForm, MemberForm
from units.models import CommitteeMember, SteeringCommittee, Unit
from units.permissions import can_manage_committees

# A province has a committee per district and per commune, with their groups: a few hundred rows.
COMMITTEES_PER_PAGE = 50


@staff_view
def unit_list(request: HttpRequest) -> HttpResponse:
    # The units in force first, then those they succeeded (their history stays readable).
    roots = sorted({u.pk: u for u in role_roots(request.user)}.values(), key=lambda u: (u.valid_to is not None, u.path))
    return render(request, "units/unit_list.html", {"roots": roots})


@staff_view
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.select_related("parent", "successor"), request.user, unit_path="path", pk=pk)
    committees = SteeringCommittee.objects.filter(unit=unit).annotate(member_count=Count("members"))
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            # Only the ancestors the user may open are links in the breadcrumb (no query per ancestor).
            "ancestors": [a for a in unit.ancestors() if can_reach(request.user, a)],
            "children": queries.children_with_counts(unit),
            "committees": committees,
            "can_manage": can_manage_committees(request.user, unit),
        },
    )


@staff_view
def committee_list(request: HttpRequest) -> HttpResponse:
    committees = (
        scope_queryset(SteeringCommittee.objects.select_related("unit", "parent"), request.user)
        .annotate(member_count=Count("members"))
        .order_by("unit__depth", "unit__name", "kind", "name")
    )
    page = Paginator(committees, COMMITTEES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "units/committee_list.html", {"page": page})


@staff_view
def committee_create(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Unit.objects.all(), request.user, unit_path="path", pk=unit_pk)
    if not can_manage_committees(request.user, unit):
        raise PermissionDenied
    form = CommitteeForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.create_committee(unit=unit, by=staff_user(request), data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã tạo %(name)s.") % {"name": committee.name})
            return redirect("units:committee", pk=committee.pk)
    return render(request, "units/committee_form.html", {"form": form, "unit": unit})


def _committee(request: HttpRequest, pk: int) -> SteeringCommittee:
    return get_scoped_or_404(SteeringCommittee.objects.select_related("unit", "parent"), request.user, pk=pk)


@staff_view
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    queryset = committee.members.prefetch_related(Prefetch("followed_units", queryset=Unit.objects.order_by("name"))).select_related("user")
    rank = {p: i for i, p in enumerate(CommitteeMember.Position.values)}
    members = sorted(queryset, key=lambda m: (rank.get(m.position, 99), m.full_name))
    can_manage = can_manage_committees(request.user, committee.unit)
    return render(
        request,
        "units/committee_detail.html",
        {"committee": committee, "members": members, "subgroups": committee.subgroups.all(), "can_manage": can_manage},
    )


@staff_view
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    if not can_manage_committees(request.user, committee.unit):
        raise PermissionDenied
    form = CommitteeForm(request.POST or None, instance=committee, unit=committee.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_committee(committee=committee, by=staff_user(request), data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("units:committee", pk=committee.pk)
    return render(request, "units/committee_form.html", {"form": form, "unit": committee.unit, "committee": committee})


@staff_view
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _committee(request, pk)
    if not can_manage_committees(request.user, committee.unit):
        raise PermissionDenied
    form = MemberForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        followed = list(data.pop("followed_units"))
        try:
            services.add_member(committee=committee, by=staff_user(request), data=data, followed=followed)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã thêm thành viên %(name)s.") % {"name": data["full_name"]})
            return redirect("units:committee", pk=committee.pk)
    return render(request, "units/member_form.html", {"form": form, "committee": committee})


def _member(request: HttpRequest, pk: int) -> CommitteeMember:
    return get_scoped_or_404(
        CommitteeMember.objects.select_related("committee", "committee__unit"), request.user, unit_path="committee__unit__path", pk=pk
    )


@staff_view
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    committee = member.committee
    if not can_manage_committees(request.user, committee.unit):
        raise PermissionDenied
    form = MemberForm(request.POST or None, instance=member, committee=committee)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        followed = list(data.pop("followed_units"))
        try:
            services.update_member(member=member, by=staff_user(request), data=data, followed=followed)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("units:committee", pk=committee.pk)
    return render(request, "units/member_form.html", {"form": form, "committee": committee, "member": member})


@staff_view
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    committee = member.committee
    if not can_manage_committees(request.user, committee.unit):
        raise PermissionDenied
    services.remove_member(member=member, by=staff_user(request), reason=request.POST.get("reason", "")[:500])
    messages.success(request, _("Đã xoá thành viên %(name)s khỏi ban.") % {"name": member.full_name})
    return redirect("units:committee", pk=committee.pk)
