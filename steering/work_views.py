"""Staff pages of the committee's work: meetings and the regime's compliance per committee;
dissemination sessions, trainings and media coverage, with who has not yet disseminated the Law;
inspection plans, visits, findings and recommendations (whose follow-up are tasks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from accounts.scope import role_roots, scope_queryset, visible_units
from core import transitions
from core.models import StoredFile
from steering import committee_work, conf, work_queries
from steering.models import (
    MEETING_TRANSITIONS,
    VISIT_TRANSITIONS,
    DisseminationSession,
    InspectionVisit,
    MeetingAction,
    MeetingRegime,
    MeetingState,
    VisitAction,
    VisitState,
)
from steering.work_forms import (
    CancelForm,
    ConclusionForm,
    HoldMeetingForm,
    MediaForm,
    MinutesForm,
    OrganisationForm,
    PlanForm,
    RecommendationForm,
    RegimeForm,
    ScheduleMeetingForm,
    SessionForm,
    VisitForm,
    VisitResultForm,
)
from steering.work_queries import (
    INSPECTOR_ROLES,
    RECORDER_ROLES,
    REGIME_ROLES,
    can_inspect,
    can_record,
    can_set_regime,
)
from units.models import CommitteeMember, SteeringCommittee, Unit, UnitKind

T = TypeVar("T")


def _refused(request: AuthenticatedHttpRequest, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


def _form_errors(request: AuthenticatedHttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def _submit(request: AuthenticatedHttpRequest, form: Any, call: Callable[[dict[str, Any]], T], done: str) -> T | None:
    """Validate the posted `form`, then run the service `call` with its cleaned data: a form error or
    the service's refusal becomes a message (the service saved nothing), success says `done`;
    returns what the service returned, or None when refused."""
    if not form.is_valid():
        _form_errors(request, form)
        return None
    try:
        result = call(form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return None
    messages.success(request, done)
    return result


def _serve(stored: StoredFile | None) -> FileResponse:
    if stored is None:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=stored.content_type, as_attachment=False, filename=stored.original_name)


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _window(request: AuthenticatedHttpRequest) -> tuple[dt.date, dt.date]:
    """The `tu`/`den` window of a page; by default the last four whole quarters and the one in progress."""
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    default_start = dt.date(quarter_start.year - 1, quarter_start.month, 1)
    start = _date(request.GET.get("tu"), default_start)
    end = _date(request.GET.get("den"), today)
    return (start, end) if start <= end else (end, start)


def _scope_unit(request: AuthenticatedHttpRequest, roots: list[Unit]) -> Unit | None:
    """The `don_vi` the page is about, if within the user's scope; else the user's widest root."""
    wanted = request.GET.get("don_vi", "")
    if wanted.isdigit():
        unit = visible_units(request.user).filter(pk=int(wanted)).first()
        if unit is not None:
            return unit
    return min(roots, key=lambda u: (u.depth, -(u.valid_to or dt.date.max).toordinal())) if roots else None


# --- meetings --------------------------------------------------------------------------------------
@staff_view
def meetings_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    start, end = _window(request)
    roots = role_roots(request.user)
    unit = _scope_unit(request, roots)
    committees = work_queries.committees_in(unit) if unit is not None else SteeringCommittee.objects.none()
    results = work_queries.compliance(committees.order_by("unit__path", "name"), start=start, end=end)
    regime_units = [r for r in role_roots(request.user, REGIME_ROLES) if r.kind == UnitKind.PROVINCE]
    regime_unit = unit if unit is not None and can_set_regime(request.user, unit) else (regime_units[0] if regime_units else None)
    default_regime = MeetingRegime.objects.filter(unit=regime_unit).first() if regime_unit else None
    due = sum(c.due for c in results)
    kept = sum(c.kept for c in results)
    return render(
        request,
        "steering/meetings/index.html",
        {
            "results": results,
            "unit": unit,
            "start": start,
            "end": end,
            "due": due,
            "kept": kept,
            "rate": round(100 * kept / due, 1) if due else None,
            "below": [c for c in results if c.missed],
            "no_regime": [c for c in results if c.regime is None],
            "regime_unit": regime_unit,
            "regime_form": RegimeForm(
                initial={
                    "period": default_regime.period,
                    "meetings_per_period": default_regime.meetings_per_period,
                    "basis": default_regime.basis,
                }
            )
            if default_regime
            else RegimeForm(),
            "default_regime": default_regime,
        },
    )


@staff_view
@require_POST
def meetings_regime(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set the default regime of a unit (the province), or a committee's own (`committee` posted)."""
    form = RegimeForm(request.POST)
    committee_id = request.POST.get("committee", "")
    unit_id = request.POST.get("unit", "")
    committee = work_queries.access_committee(actor=request.user, committee_id=int(committee_id)) if committee_id.isdigit() else None
    unit = visible_units(request.user).filter(pk=int(unit_id)).first() if unit_id.isdigit() and committee is None else None
    back = redirect("steering:meetings_committee", committee.pk) if committee is not None else redirect("steering:meetings_index")
    if committee is None and unit is None:
        raise Http404
    if request.POST.get("clear") and committee is not None:
        try:
            committee_work.clear_committee_regime(by=request.user, committee=committee)
        except PermissionDenied as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Ban chỉ đạo trở lại theo chế độ họp chung."))
        return back
    _submit(
        request,
        form,
        lambda data: committee_work.set_meeting_regime(
            by=request.user,
            unit=unit,
            committee=committee,
            period=data["period"],
            meetings_per_period=data["meetings_per_period"],
            basis=data["basis"],
        ),
        _("Đã lưu chế độ họp."),
    )
    return back


@staff_view
def meetings_committee(request: AuthenticatedHttpRequest, committee_id: int) -> HttpResponse:
    committee = work_queries.access_committee(actor=request.user, committee_id=committee_id)
    start, end = _window(request)
    result = work_queries.compliance([committee], start=start, end=end)[0]
    own = MeetingRegime.objects.filter(committee=committee).first()
    return render(
        request,
        "steering/meetings/committee.html",
        {
            "committee": committee,
            "result": result,
            "own_regime": own,
            "start": start,
            "end": end,
            "meetings": work_queries.meetings_of(committee),
            "members": CommitteeMember.objects.filter(committee=committee),
            "schedule_form": ScheduleMeetingForm() if can_record(request.user, committee.unit) and committee.is_active else None,
            "regime_form": RegimeForm(initial={"period": own.period, "meetings_per_period": own.meetings_per_period, "basis": own.basis})
            if own
            else RegimeForm(),
            "can_set_regime": can_set_regime(request.user, committee.unit),
        },
    )


@staff_view
@require_POST
def meetings_schedule(request: AuthenticatedHttpRequest, committee_id: int) -> HttpResponse:
    committee = work_queries.access_committee(actor=request.user, committee_id=committee_id, write=True)
    form = ScheduleMeetingForm(request.POST)
    meeting = _submit(
        request,
        form,
        lambda data: committee_work.schedule_meeting(by=request.user, committee=committee, **data),
        _("Đã lên lịch cuộc họp."),
    )
    if meeting is None:
        return redirect("steering:meetings_committee", committee.pk)
    return redirect("steering:meetings_meeting", meeting.pk)


def _meeting_page(request: AuthenticatedHttpRequest, meeting_id: int, *, hold_form: HoldMeetingForm | None = None) -> HttpResponse:
    meeting = work_queries.access_meeting(actor=request.user, meeting_id=meeting_id)
    committee = meeting.committee
    writer = can_record(request.user, committee.unit)
    allowed = transitions.allowed_actions(MEETING_TRANSITIONS, meeting.state)
    day = meeting.held_on or meeting.scheduled_on
    members = work_queries.serving_members(committee, day)
    if hold_form is None and writer and MeetingAction.HOLD in allowed:
        hold_form = HoldMeetingForm(
            members=members, initial={"held_on": min(meeting.scheduled_on, timezone.localdate()), "chaired_by": meeting.chaired_by}
        )
    held = meeting.state == MeetingState.HELD
    units = Unit.objects.in_force(day).filter(path__startswith=committee.unit.path).exclude(kind=UnitKind.VILLAGE).order_by("path")
    return render(
        request,
        "steering/meetings/meeting.html",
        {
            "meeting": meeting,
            "committee": committee,
            "attendance": meeting.attendance.select_related("member"),
            "conclusions": meeting.conclusions.select_related("task"),
            "hold_form": hold_form if writer and MeetingAction.HOLD in allowed else None,
            "cancel_form": CancelForm() if writer and MeetingAction.CANCEL in allowed else None,
            "minutes_form": MinutesForm() if writer and held else None,
            "conclusion_form": ConclusionForm(units=units, members=CommitteeMember.objects.filter(committee=committee))
            if writer and held
            else None,
        },
    )


@staff_view
def meetings_meeting(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, meeting_id)


@staff_view
@require_POST
def meetings_hold(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = work_queries.access_meeting(actor=request.user, meeting_id=meeting_id, write=True)
    held_on = _date(request.POST.get("held_on"), meeting.scheduled_on)
    form = HoldMeetingForm(request.POST, request.FILES, members=work_queries.serving_members(meeting.committee, held_on))
    if not form.is_valid():
        _form_errors(request, form)
        return _meeting_page(request, meeting.pk, hold_form=form)
    upload = form.cleaned_data["minutes"]
    try:
        committee_work.record_meeting_held(
            by=request.user,
            meeting=meeting,
            held_on=form.cleaned_data["held_on"],
            attendance=form.attendance(),
            chaired_by=form.cleaned_data["chaired_by"],
            minutes=upload,
            minutes_name=upload.name if upload else "",
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return _meeting_page(request, meeting.pk, hold_form=form)
    messages.success(request, _("Đã ghi nhận cuộc họp và điểm danh."))
    return redirect("steering:meetings_meeting", meeting.pk)


@staff_view
@require_POST
def meetings_cancel(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = work_queries.access_meeting(actor=request.user, meeting_id=meeting_id, write=True)
    form = CancelForm(request.POST)
    try:
        committee_work.cancel_meeting(by=request.user, meeting=meeting, reason=form.data.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Đã hủy cuộc họp."))
    return redirect("steering:meetings_meeting", meeting.pk)


@staff_view
@require_POST
def meetings_minutes_upload(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = work_queries.access_meeting(actor=request.user, meeting_id=meeting_id, write=True)
    form = MinutesForm(request.POST, request.FILES)
    _submit(
        request,
        form,
        lambda data: committee_work.attach_minutes(
            by=request.user, meeting=meeting, minutes=data["minutes"], minutes_name=data["minutes"].name
        ),
        _("Đã lưu biên bản."),
    )
    return redirect("steering:meetings_meeting", meeting.pk)


@staff_view
@require_POST
def meetings_conclude(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = work_queries.access_meeting(actor=request.user, meeting_id=meeting_id, write=True)
    day = meeting.held_on or meeting.scheduled_on
    units = Unit.objects.in_force(day).filter(path__startswith=meeting.committee.unit.path)
    form = ConclusionForm(request.POST, units=units, members=CommitteeMember.objects.filter(committee=meeting.committee))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("steering:meetings_meeting", meeting.pk)
    data = form.cleaned_data
    try:
        conclusion = committee_work.add_meeting_conclusion(
            by=request.user,
            meeting=meeting,
            text=data["text"],
            as_task=data["as_task"],
            owners=list(data["owners"]),
            owner_agencies=data["owner_agencies"],
            deadline_text=data["deadline_text"],
            follower=data["follower"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Đã ghi kết luận và giao nhiệm vụ.") if conclusion.task_id else _("Đã ghi kết luận."))
    return redirect("steering:meetings_meeting", meeting.pk)


@staff_view
def meetings_minutes(request: AuthenticatedHttpRequest, meeting_id: int) -> FileResponse:
    return _serve(work_queries.access_meeting(actor=request.user, meeting_id=meeting_id).minutes)


# --- dissemination ---------------------------------------------------------------------------------
def _recording_units(request: AuthenticatedHttpRequest) -> Any:
    in_scope = visible_units(request.user, RECORDER_ROLES).values("pk")
    kinds = [UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE]
    return Unit.objects.in_force().filter(pk__in=in_scope, kind__in=kinds).order_by("path")


@staff_view
def dissemination_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions = work_queries.visible_sessions(request.user)
    kind = request.GET.get("hinh_thuc", "")
    if kind:
        sessions = sessions.filter(kind=kind)
    units = _recording_units(request)
    organisations = work_queries.recordable_organisations(request.user)
    writer = units.exists()
    return render(
        request,
        "steering/dissemination/index.html",
        {
            "sessions": sessions[:200],
            "totals": {
                "sessions": sessions.count(),
                "participants": sum(s.participants for s in sessions),
            },
            "kind": kind,
            "media": work_queries.visible_media(request.user)[:100],
            "session_form": SessionForm(units=units, organisations=organisations) if writer else None,
            "media_form": MediaForm(units=units) if writer else None,
        },
    )


@staff_view
@require_POST
def dissemination_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = _recording_units(request)
    organisations = work_queries.recordable_organisations(request.user)
    form = SessionForm(request.POST, request.FILES, units=units, organisations=organisations)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("steering:dissemination_index")
    data = form.cleaned_data
    upload = data.pop("document")
    organisation = data.pop("organisation")
    try:
        committee_work.record_session(
            by=request.user, organisation=organisation, document=upload, document_name=upload.name if upload else "", **data
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Đã ghi hội nghị, lớp tập huấn."))
    return redirect("steering:dissemination_index")


@staff_view
@require_POST
def dissemination_media(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MediaForm(request.POST, units=_recording_units(request))
    _submit(request, form, lambda data: committee_work.record_media(by=request.user, **data), _("Đã ghi tin, bài."))
    return redirect("steering:dissemination_index")


@staff_view
def dissemination_document(request: AuthenticatedHttpRequest, session_id: int) -> FileResponse:
    session = work_queries.visible_sessions(request.user).filter(pk=session_id).first()
    return _serve(session.document if isinstance(session, DisseminationSession) else None)


@staff_view
def dissemination_missing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The footnote's question: who has not yet held a session on the Law."""
    roots = role_roots(request.user)
    unit = _scope_unit(request, roots)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    start = _date(request.GET.get("tu"), conf.LAW_IN_FORCE_FROM)
    end = _date(request.GET.get("den"), today)
    levels = [
        k for k in (UnitKind.DISTRICT, UnitKind.COMMUNE) if Unit.objects.in_force(end).filter(path__startswith=unit.path, kind=k).exists()
    ]
    level = request.GET.get("cap", "")
    level = level if level in levels else (levels[0] if levels else UnitKind.COMMUNE)
    province = next((u for u in [*unit.ancestors(), unit] if u.kind == UnitKind.PROVINCE), None)
    return render(
        request,
        "steering/dissemination/missing.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "level": level,
            "levels": [(k, UnitKind(k).label) for k in levels],
            "result": work_queries.not_yet_disseminated(unit=unit, level=level, start=start, end=end),
            "province": province,
            "scopes": [r for r in roots if r.kind in (UnitKind.PROVINCE, UnitKind.DISTRICT)],
            "organisation_form": OrganisationForm(
                units=Unit.objects.in_force().filter(path__startswith=province.path).exclude(kind=UnitKind.VILLAGE)
            )
            if province is not None and can_set_regime(request.user, province)
            else None,
        },
    )


@staff_view
@require_POST
def dissemination_organisation(request: AuthenticatedHttpRequest) -> HttpResponse:
    province = visible_units(request.user, REGIME_ROLES).filter(kind=UnitKind.PROVINCE, pk=request.POST.get("province") or 0).first()
    if province is None:
        raise Http404
    form = OrganisationForm(request.POST, units=Unit.objects.filter(path__startswith=province.path))
    _submit(
        request, form, lambda data: committee_work.add_organisation(by=request.user, province=province, **data), _("Đã thêm vào danh sách.")
    )
    return redirect(f"{reverse('steering:dissemination_missing')}?don_vi={province.pk}")


# --- inspections ------------------------------------------------------------------------------------
@staff_view
def inspection_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    committees = scope_queryset(SteeringCommittee.objects.filter(is_active=True), request.user, roles=INSPECTOR_ROLES)
    return render(
        request,
        "steering/inspections/index.html",
        {
            "plans": work_queries.visible_plans(request.user).prefetch_related("visits"),
            "plan_form": PlanForm(committees=committees) if committees.exists() else None,
        },
    )


@staff_view
@require_POST
def inspection_plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    committees = scope_queryset(SteeringCommittee.objects.all(), request.user, roles=INSPECTOR_ROLES)
    form = PlanForm(request.POST, request.FILES, committees=committees)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("steering:inspection_index")
    data = form.cleaned_data
    upload = data.pop("file")
    try:
        plan = committee_work.create_inspection_plan(by=request.user, file=upload, file_name=upload.name if upload else "", **data)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect("steering:inspection_index")
    messages.success(request, _("Đã lưu kế hoạch kiểm tra, giám sát."))
    return redirect("steering:inspection_plan", plan.pk)


def _targets(plan: Any) -> Any:
    return (
        Unit.objects.in_force()
        .filter(path__startswith=plan.committee.unit.path)
        .exclude(pk=plan.committee.unit_id)
        .exclude(kind=UnitKind.VILLAGE)
    )


@staff_view
def inspection_plan(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = work_queries.access_plan(actor=request.user, plan_id=plan_id)
    return render(
        request,
        "steering/inspections/plan.html",
        {
            "plan": plan,
            "visits": work_queries.visits_of(plan),
            "visit_form": VisitForm(units=_targets(plan).order_by("path")) if can_inspect(request.user, plan.committee.unit) else None,
        },
    )


@staff_view
@require_POST
def inspection_visit_add(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = work_queries.access_plan(actor=request.user, plan_id=plan_id, write=True)
    form = VisitForm(request.POST, units=Unit.objects.filter(path__startswith=plan.committee.unit.path))
    _submit(request, form, lambda data: committee_work.add_visit(by=request.user, plan=plan, **data), _("Đã thêm đợt kiểm tra."))
    return redirect("steering:inspection_plan", plan.pk)


@staff_view
def inspection_visit(request: AuthenticatedHttpRequest, visit_id: int) -> HttpResponse:
    visit = work_queries.access_visit(actor=request.user, visit_id=visit_id)
    writer = can_inspect(request.user, visit.plan.committee.unit)
    allowed = transitions.allowed_actions(VISIT_TRANSITIONS, visit.state)
    members = CommitteeMember.objects.filter(committee=visit.plan.committee)
    return render(
        request,
        "steering/inspections/visit.html",
        {
            "visit": visit,
            "findings": visit.findings.all(),
            "recommendations": visit.recommendations.select_related("task"),
            "today": timezone.localdate(),
            "result_form": VisitResultForm(initial={"visited_on": min(visit.planned_on, timezone.localdate())})
            if writer and VisitAction.RECORD in allowed
            else None,
            "cancel_form": CancelForm() if writer and VisitAction.CANCEL in allowed else None,
            "recommendation_form": RecommendationForm(members=members) if writer and visit.state == VisitState.DONE else None,
        },
    )


@staff_view
@require_POST
def inspection_visit_record(request: AuthenticatedHttpRequest, visit_id: int) -> HttpResponse:
    visit = work_queries.access_visit(actor=request.user, visit_id=visit_id, write=True)
    form = VisitResultForm(request.POST, request.FILES)
    _submit(
        request,
        form,
        lambda data: committee_work.record_visit(
            by=request.user,
            visit=visit,
            visited_on=data["visited_on"],
            summary=data["summary"],
            findings=form.findings(),
            report=data["report"],
            report_name=data["report"].name if data["report"] else "",
        ),
        _("Đã ghi kết quả kiểm tra."),
    )
    return redirect("steering:inspection_visit", visit.pk)


@staff_view
@require_POST
def inspection_visit_cancel(request: AuthenticatedHttpRequest, visit_id: int) -> HttpResponse:
    visit = work_queries.access_visit(actor=request.user, visit_id=visit_id, write=True)
    try:
        committee_work.cancel_visit(by=request.user, visit=visit, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Đã hủy đợt kiểm tra."))
    return redirect("steering:inspection_visit", visit.pk)


@staff_view
@require_POST
def inspection_recommend(request: AuthenticatedHttpRequest, visit_id: int) -> HttpResponse:
    visit = work_queries.access_visit(actor=request.user, visit_id=visit_id, write=True)
    form = RecommendationForm(request.POST, members=CommitteeMember.objects.filter(committee=visit.plan.committee))
    _submit(
        request,
        form,
        lambda data: committee_work.add_recommendation(by=request.user, visit=visit, **data),
        _("Đã ghi kiến nghị và giao nhiệm vụ khắc phục."),
    )
    return redirect("steering:inspection_visit", visit.pk)


@staff_view
def inspection_report(request: AuthenticatedHttpRequest, visit_id: int) -> FileResponse:
    visit: InspectionVisit = work_queries.access_visit(actor=request.user, visit_id=visit_id)
    return _serve(visit.report)
