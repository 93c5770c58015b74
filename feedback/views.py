"""Staff pages: the register, a case and its actions, intake of paper/phone/email/meeting reports,
the figures, routing and deadline rules, counters and their QR sheets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.models import User
from accounts.permissions import PROVINCE_ADMIN_ROLES, staff_view
from accounts.scope import get_scoped_or_404, role_roots, visible_units
from core import transitions
from core.downloads import download
from core.forms import apply_validation_error
from feedback import conf, crypto, exports, queries, services
from feedback.forms import CounterForm, DeadlineForm, EnterCaseForm, RoutingRuleForm, StaffActionForm, take_staff_action
from feedback.models import CONDUCT_CATEGORIES, TRANSITIONS, Action, Case, Category, Kind, RoutingRule, Status
from feedback.permissions import (
    STAFF_ACTIONS,
    access_attachment,
    access_case,
    access_counter,
    access_routing_rule,
    can_act_on_case,
    can_enter_case,
    can_manage_counters,
    can_manage_rules,
    can_see_contact,
)
from units.models import Unit, UnitKind
from units.structure import UnitNotInForce


def _period(request: AuthenticatedHttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return start, max(start, end)


@staff_view
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "") if request.GET.get("status", "") in Status.values else ""
    category = request.GET.get("category", "") if request.GET.get("category", "") in Category.values else ""
    overdue = request.GET.get("overdue") == "1"
    qs = queries.filter_cases(
        queries.cases_for(request.user), status=status, overdue=overdue, category=category, q=request.GET.get("q", "")[:100]
    )
    page = Paginator(qs.order_by("due_on", "-received_at"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/case_list.html",
        {
            "page": page,
            "statuses": Status.choices,
            "categories": Category.choices,
            "status": status,
            "category": category,
            "overdue": overdue,
            "overdue_by_unit": queries.overdue_by_unit(request.user),
            "forwarding_overdue": queries.forwarding_overdue(queries.cases_for(request.user)).order_by("forward_due_on")[:50],
            "today": timezone.localdate(),
            "can_enter": bool(role_roots(request.user)),
        },
    )


def _action_forms(
    request: AuthenticatedHttpRequest, case: Case, retry: dict[str, Any] | None = None
) -> list[tuple[str, str, StaffActionForm]]:
    """The forms of the actions the user may take now; `retry` (the cleaned data of a refused
    action) fills that action's form again so nothing typed is lost."""
    if not can_act_on_case(request.user, case):
        return []
    units = services.transfer_targets(case=case, by=request.user)
    users = User.objects.filter(role_assignments__unit__in=case.handling_unit.ancestor_ids()).distinct()
    forms = []
    for action in STAFF_ACTIONS:
        if transitions.can_move(TRANSITIONS, case.status, action):
            if action == Action.PUBLISH and (not case.allow_publication or case.kind != Kind.FEEDBACK):
                continue
            # The publication texts start empty (or as last moderated): never the raw description or answer.
            initial = {"action": action, "public_summary": case.public_summary, "public_answer": case.public_answer}
            if retry and retry.get("action") == action:
                initial.update({k: v for k, v in retry.items() if k in ("note", "public_summary", "public_answer")})
            forms.append((action, str(Action(action).label), StaffActionForm(initial=initial, units=units, users=users)))
    order = list(Action.values)
    return sorted(forms, key=lambda f: order.index(f[0]))


@staff_view
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, access_case(actor=request.user, case_id=pk))


def _case_page(request: AuthenticatedHttpRequest, case: Case, *, retry: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    show_contact = can_see_contact(request.user, case)
    return render(
        request,
        "feedback/case_detail.html",
        {
            "case": case,
            "events": case.events.select_related("actor", "from_unit", "to_unit"),
            "attachments": case.attachments.select_related("file"),
            "contact": crypto.decrypt(case.contact_encrypted) if show_contact else None,
            "contact_hidden": case.has_contact and not show_contact,
            "action_forms": _action_forms(request, case, retry),
            "conduct_categories": sorted(CONDUCT_CATEGORIES),
            "today": timezone.localdate(),
        },
        status=status,
    )


@staff_view
@require_POST
def case_act(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access_case(actor=request.user, case_id=pk)
    if not can_act_on_case(request.user, case):
        raise PermissionDenied
    # Any unit is accepted here: services.transfer_targets() decides, with its own message.
    users = User.objects.filter(role_assignments__unit__in=case.handling_unit.ancestor_ids()).distinct()
    form = StaffActionForm(request.POST, units=Unit.objects.all(), users=users)
    if form.is_valid() and form.cleaned_data["action"] in STAFF_ACTIONS:
        data = form.cleaned_data
        try:
            take_staff_action(case=case, by=request.user, data=data)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
            # Shown again with what was typed (a moderated text, an answer), not redirected empty.
            return _case_page(request, access_case(actor=request.user, case_id=pk), retry=data, status=400)
        else:
            messages.success(request, _("Đã ghi nhận: %(a)s.") % {"a": Action(data["action"]).label})
    else:
        messages.error(request, _("Thao tác không hợp lệ; vui lòng kiểm tra lại."))
    if not queries.cases_for(request.user).filter(pk=case.pk).exists():
        return redirect("feedback:case_list")  # transferred out of the user's scope
    return redirect("feedback:case", pk=case.pk)


@staff_view
def attachment(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    item = access_attachment(actor=request.user, attachment_id=pk)
    try:
        handle = item.file.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=item.file.content_type, as_attachment=False, filename=item.file.original_name)


@staff_view
def case_enter(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Communes in force and, for reports received before 1 July 2025, the communes of that time
    # (a role at a new commune reaches its predecessors): the service checks the one against the
    # date received.
    units = visible_units(request.user).filter(kind=UnitKind.COMMUNE).order_by("-valid_from", "name")
    form = EnterCaseForm(request.POST or None, units=units, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_enter_case(request.user, data["unit"]):
            raise PermissionDenied
        try:
            report = services.Report(
                concerned_unit=data["unit"],
                channel=data["channel"],
                kind=data["kind"],
                category=data["category"],
                about_officials=data["about_officials"],
                description=data["description"],
                contact={k: data[k] for k in ("name", "phone", "email")},
                allow_publication=data["allow_publication"],
            )
            entered = services.enter_case(by=request.user, report=report, received_on=data.get("received_on"))
        except UnitNotInForce as refusal:
            form.add_error("unit", refusal.messages)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            response = render(
                request,
                "feedback/case_entered.html",
                {
                    "case": entered.case,
                    "code": entered.receipt_code,
                    "code_emailed": entered.code_emailed,
                    "visible": queries.cases_for(request.user).filter(pk=entered.case.pk).exists(),
                },
            )
            response["Cache-Control"] = "no-store"  # the receipt is shown once
            return response
    return render(request, "feedback/case_enter.html", {"form": form})


def _dashboard_unit(request: AuthenticatedHttpRequest) -> Unit:
    # The user's own units in force first (a role at a new province also reaches the provinces it
    # was formed from: their history shows through the figures' lineage, not as the default page).
    roots = sorted(role_roots(request.user), key=lambda u: (not u.is_in_force, u.depth))
    if request.GET.get("unit"):
        return get_scoped_or_404(Unit.objects.all(), request.user, unit_path="path", pk=request.GET["unit"])
    if not roots:
        raise Http404
    return roots[0]


def _viewpoint(request: AuthenticatedHttpRequest, unit: Unit) -> Unit:
    """The highest unit of the user's own that holds `unit`: figures are shown as that unit sees
    them, so a commune's own staff never see reports routed away from it one by one."""
    holding = [root for root in role_roots(request.user) if unit.path.startswith(root.path)]
    return min(holding, key=lambda u: u.depth) if holding else unit


@staff_view
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = _dashboard_unit(request)
    start, end = _period(request)
    seen_from = _viewpoint(request, unit)
    figures = queries.figures(unit=unit, start=start, end=end, seen_from=seen_from)
    rows = queries.child_figures(unit=unit, start=start, end=end, seen_from=seen_from)
    return render(
        request,
        "feedback/dashboard.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "f": figures,
            "rows": rows,
            "ratings": queries.counter_ratings(unit=unit, start=start, end=end)[:200],
            "min_cases": conf.ROUTED_AWAY_MIN_CASES,
        },
    )


@staff_view
def dashboard_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = _dashboard_unit(request)
    start, end = _period(request)
    content = exports.dashboard_workbook(unit=unit, start=start, end=end, seen_from=_viewpoint(request, unit))
    return download(content, f"phan-anh-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


# --- Rules (the province) --------------------------------------------------------------------
def _require_rules(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_rules(request.user):
        raise PermissionDenied


def _managed_provinces(request: AuthenticatedHttpRequest) -> list[Unit]:
    """The provinces in force whose rules and deadlines the user administers."""
    return list(
        visible_units(request.user, PROVINCE_ADMIN_ROLES).filter(pk__in=Unit.objects.in_force(), kind=UnitKind.PROVINCE).order_by("name")
    )


def _rules_province(request: AuthenticatedHttpRequest, provinces: list[Unit]) -> Unit:
    """The province whose rules the page shows (`tinh`, in GET or POST), among the user's own;
    another province's id is the same 404 as a missing one."""
    chosen = request.POST.get("tinh") or request.GET.get("tinh")
    if chosen:
        found = next((p for p in provinces if str(p.pk) == str(chosen)), None)
        if found is None:
            raise Http404
        return found
    if not provinces:
        raise PermissionDenied
    return provinces[0]


@staff_view
def rules(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_rules(request)
    provinces = _managed_provinces(request)
    province = _rules_province(request, provinces)
    units = (
        visible_units(request.user)
        .filter(
            pk__in=Unit.objects.in_force(),
            path__startswith=province.path,
            kind__in=[UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE],
        )
        .order_by("path")
    )
    form = RoutingRuleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "tinh"}
        try:
            services.save_routing_rule(by=request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc chuyển xử lý."))
            return redirect(f"{reverse('feedback:rules')}?tinh={province.pk}")
    deadlines = [
        (
            key,
            days,
            source,
            own,
            DeadlineForm(initial={"key": key, "working_days": days, "source": source}, prefix=key),
        )
        for key, days, source, own in services.deadlines_for(province)
    ]
    labels = {**dict(Category.choices), "complaint": _("Khiếu nại"), "denunciation": _("Tố cáo")}
    return render(
        request,
        "feedback/rules.html",
        {
            "form": form,
            "province": province,
            "provinces": provinces,
            "rules": RoutingRule.objects.filter(unit__path__startswith=province.path)
            .select_related("unit", "responsible_unit")
            .order_by("unit__path", "category"),
            "deadlines": deadlines,
            "labels": labels,
        },
    )


@staff_view
@require_POST
def rule_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_rules(request)
    rule = access_routing_rule(actor=request.user, rule_id=pk, write=True)
    services.delete_routing_rule(by=request.user, rule=rule)
    messages.success(request, _("Đã xoá quy tắc."))
    return redirect("feedback:rules")


@staff_view
@require_POST
def deadline_save(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    _require_rules(request)
    province = _rules_province(request, _managed_provinces(request))
    form = DeadlineForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.set_deadline(
                by=request.user,
                province=province,
                key=key,
                working_days=form.cleaned_data["working_days"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("Đã lưu thời hạn của %(p)s.") % {"p": province.name})
    else:
        messages.error(request, _("Thời hạn từ 1 đến 90 ngày làm việc và phải ghi căn cứ."))
    return redirect(f"{reverse('feedback:rules')}?tinh={province.pk}")


# --- Counters --------------------------------------------------------------------------------
@staff_view
def counter_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    counters = queries.counters_for(request.user).order_by("unit__name", "name")
    page = Paginator(counters, 50).get_page(request.GET.get("page"))
    return render(request, "feedback/counter_list.html", {"page": page, "can_manage": can_manage_rules(request.user)})


def _counter_units(request: AuthenticatedHttpRequest) -> Any:
    from accounts.permissions import PROVINCE_ADMIN_ROLES

    # Communes in force only: a counter is registered at a commune that exists today.
    return visible_units(request.user, PROVINCE_ADMIN_ROLES).filter(pk__in=Unit.objects.in_force(), kind=UnitKind.COMMUNE).order_by("name")


@staff_view
def counter_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    counter = access_counter(actor=request.user, counter_id=pk) if pk else None
    if not can_manage_rules(request.user) or (counter and not can_manage_counters(request.user, counter.unit)):
        raise PermissionDenied
    initial = (
        {"unit": counter.unit, "name": counter.name, "officer_name": counter.officer_name, "is_active": counter.is_active}
        if counter
        else None
    )
    form = CounterForm(request.POST or None, initial=initial, units=_counter_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_counter(by=request.user, counter=counter, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu quầy một cửa."))
            return redirect("feedback:counter_list")
    return render(request, "feedback/counter_form.html", {"form": form, "counter": counter})


@staff_view
def counter_qr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    counter = access_counter(actor=request.user, counter_id=pk)
    url = request.build_absolute_uri(reverse("feedback_public:rate", args=[counter.token]))
    return download(exports.counter_qr_pdf(counter=counter, url=url), f"quay-{counter.pk}.pdf", inline=True)


def staff_home_section(*, request: HttpRequest, user: Any = None, **_: Any) -> dict[str, Any] | None:
    if request is None or not role_roots(request.user):
        return None
    qs = queries.cases_for(request.user)
    return {
        "open_count": qs.filter(status__in=[s for s in Status.values if s not in ("answered", "closed", "declined")]).count(),
        "overdue_count": queries.overdue_cases(qs).count(),
    }
