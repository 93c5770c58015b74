"""Staff pages: the boards in the user's scope, a board with its members (and the rules they break),
plans, feedback taken up, recommendations and quarterly reports; a recommendation with the commune's
answer; the overdue list. Every object is loaded within the user's scope (missing and not yours 404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from accounts.scope import role_roots, visible_units
from core import metrics
from core.forms import apply_validation_error
from core.transitions import allowed_actions
from core.workdays import province_calendar
from supervision import clocks, exports, queries, services
from supervision.forms import (
    AnswerForm,
    AttendanceForm,
    BoardForm,
    CaseLinkForm,
    FollowUpForm,
    FormSettingsForm,
    IndicatorForm,
    IssueForm,
    MeetingForm,
    MemberForm,
    PlanForm,
    RecommendationForm,
    ReportForm,
    SectionForm,
    WithdrawForm,
)
from supervision.models import (
    RECOMMENDATION_TRANSITIONS,
    REPORT_TRANSITIONS,
    Board,
    Meeting,
    Position,
    RecommendationAction,
    ReportAction,
    ReportState,
)
from supervision.models import ReportForm as PeriodicForm
from supervision.permissions import (
    FORM_ROLES,
    RECORD_ROLES,
    REPORT_ROLES,
    REVIEW_ROLES,
    access_board,
    access_form,
    access_meeting,
    access_recommendation,
    access_report,
    can_answer,
    can_manage_forms,
    can_record,
    can_review_report,
    can_write_report,
    editable_forms,
    in_province,
    review_level,
    visible_boards,
    visible_reports,
)
from units.models import Unit, UnitKind

PER_PAGE = 50


def _communes(request: AuthenticatedHttpRequest) -> Any:
    return (
        Unit.objects.in_force()
        .filter(kind=UnitKind.COMMUNE, pk__in=visible_units(request.user, RECORD_ROLES).values("pk"))
        .order_by("name")
    )


def _try(form: forms.Form, call: Callable[[], Any]) -> bool:
    try:
        call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return False
    return True


@staff_view
def board_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    communes = _communes(request)
    form = BoardForm(request.POST or None, communes=communes, prefix="b")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        box: dict[str, Board] = {}

        def create() -> None:
            box["board"] = services.create_board(
                by=request.user,
                unit=d["unit"],
                kind=d["kind"],
                name=d["name"],
                project=d["project"],
                term_start=d["term_start"],
                term_end=d["term_end"],
            )

        if _try(form, create):
            messages.success(request, _("Đã thành lập ban."))
            return redirect("supervision:board", box["board"].pk)
    boards = visible_boards(request.user).order_by("unit__name", "kind", "-term_start")
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        boards = boards.filter(unit__name__icontains=q)
    page = Paginator(boards, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "supervision/board_list.html",
        {
            "page_obj": page,
            "form": form,
            "can_create": communes.exists(),
            "q": q,
            "overdue_count": queries.overdue(request.user, today).count(),
        },
    )


@staff_view
def board_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    board = access_board(actor=request.user, board_id=pk)
    writable = can_record(request.user, board.unit)
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if data else None
    forms_ = {
        "member": MemberForm(data if action == "member" else None, commune=board.unit, prefix="m"),
        "plan": PlanForm(data if action == "plan" else None, prefix="p"),
        "case": CaseLinkForm(data if action == "case" else None, prefix="c"),
        "recommendation": RecommendationForm(data if action == "recommendation" else None, prefix="r", initial={"sent_on": today}),
        "report": ReportForm(data if action == "report" else None, prefix="q"),
    }
    if action in forms_:
        board = access_board(actor=request.user, board_id=pk, write=True)
        form = forms_[action]
        if form.is_valid():
            d = form.cleaned_data
            calls: dict[str, Callable[[], Any]] = {
                "member": lambda: services.add_member(by=request.user, board=board, **d),
                "plan": lambda: services.save_plan(by=request.user, board=board, **d),
                "case": lambda: services.link_case(by=request.user, board=board, **d),
                "recommendation": lambda: services.record_recommendation(by=request.user, board=board, **d),
                "report": lambda: services.record_quarterly_report(by=request.user, board=board, **d),
            }
            if _try(form, calls[action]):
                messages.success(request, _("Đã lưu."))
                return redirect("supervision:board", board.pk)
    elif action == "end_member":
        board = access_board(actor=request.user, board_id=pk, write=True)
        member = board.members.filter(pk=request.POST.get("member") or 0).first() if (request.POST.get("member") or "").isdigit() else None
        if member is not None:
            try:
                services.end_membership(by=request.user, member=member, on=today)
                messages.success(request, _("Đã kết thúc nhiệm vụ của %(name)s.") % {"name": member.full_name})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return redirect("supervision:board", board.pk)
    rank: dict[str, int] = {Position.HEAD: 0, Position.DEPUTY: 1, Position.MEMBER: 2}
    members = sorted(board.members.select_related("village"), key=lambda m: (rank.get(m.position, 3), m.term_start, m.full_name))
    recommendations = list(board.recommendations.all())
    for r in recommendations:
        r.overdue = clocks.is_overdue(r, today)  # type: ignore[attr-defined]
        r.late = clocks.answered_late(r)  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/board_detail.html",
        {
            "board": board,
            "writable": writable,
            "today": today,
            "members": [(m, m.serves_on(today)) for m in members],
            "breaches": queries.board_breaches(board, today),
            "plans": board.plans.all(),
            "case_links": board.case_links.all(),
            "recommendations": recommendations,
            "reports": board.reports.all(),
            "forms": forms_,
        },
    )


@staff_view
def recommendation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = access_recommendation(actor=request.user, recommendation_id=pk)
    today = timezone.localdate()
    answer_form = AnswerForm(request.POST if request.POST.get("action") == "answer" else None, prefix="a", initial={"answered_on": today})
    withdraw_form = WithdrawForm(request.POST if request.POST.get("action") == "withdraw" else None, prefix="w")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "answer":
            recommendation = access_recommendation(actor=request.user, recommendation_id=pk, write=True)
            if answer_form.is_valid():
                d = answer_form.cleaned_data
                if _try(
                    answer_form,
                    lambda: services.answer_recommendation(
                        by=request.user, recommendation=recommendation, answer=d["answer"], answered_on=d["answered_on"]
                    ),
                ):
                    messages.success(request, _("Đã ghi câu trả lời của Ủy ban nhân dân xã."))
                    return redirect("supervision:recommendation", pk)
        elif action == "withdraw":
            access_board(actor=request.user, board_id=recommendation.board_id, write=True)
            if withdraw_form.is_valid():
                reason = withdraw_form.cleaned_data["reason"]
                if _try(
                    withdraw_form, lambda: services.withdraw_recommendation(by=request.user, recommendation=recommendation, reason=reason)
                ):
                    messages.success(request, _("Đã rút kiến nghị."))
                    return redirect("supervision:recommendation", pk)
    allowed = allowed_actions(RECOMMENDATION_TRANSITIONS, recommendation.state)
    return render(
        request,
        "supervision/recommendation_detail.html",
        {
            "r": recommendation,
            "overdue": clocks.is_overdue(recommendation, today),
            "late": clocks.answered_late(recommendation),
            "days_left": clocks.days_left(recommendation, today),
            "days_late": -clocks.days_left(recommendation, today),
            "can_answer": RecommendationAction.ANSWER in allowed and can_answer(request.user, recommendation.board.unit),
            "can_withdraw": RecommendationAction.WITHDRAW in allowed and can_record(request.user, recommendation.board.unit),
            "answer_form": answer_form,
            "withdraw_form": withdraw_form,
        },
    )


@staff_view
def overdue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = queries.overdue(request.user, today)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for r in page:
        r.days_late = -clocks.days_left(r, today)  # type: ignore[attr-defined]
    return render(request, "supervision/overdue.html", {"page_obj": page, "today": today})


# --- Dialogue conferences and village conferences ------------------------------------------------
@staff_view
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    communes = _communes(request)
    units = (
        Unit.objects.in_force()
        .filter(Q(pk__in=communes.values("pk")) | Q(kind=UnitKind.VILLAGE, parent__in=communes.values("pk")))
        .order_by("path")
    )
    form = MeetingForm(request.POST or None, units=units, prefix="h")
    if request.method == "POST" and form.is_valid():
        box: dict[str, Meeting] = {}

        def create() -> None:
            box["m"] = services.schedule_meeting(by=request.user, **form.cleaned_data)

        if _try(form, create):
            messages.success(request, _("Đã ghi lịch hội nghị."))
            return redirect("supervision:meeting", box["m"].pk)
    try:
        year = int(request.GET.get("nam") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    page = Paginator(queries.meetings_in_scope(request.user).order_by("-held_on", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/meeting_list.html",
        {
            "page_obj": page,
            "form": form,
            "can_create": communes.exists(),
            "year": year,
            "without_dialogue": queries.communes_without_dialogue(request.user, year)[:200],
        },
    )


@staff_view
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(actor=request.user, meeting_id=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    attendance = AttendanceForm(
        request.POST if action == "attendance" else None,
        prefix="d",
        initial={"attendees": meeting.attendees, "households_represented": meeting.households_represented},
    )
    issue_form = IssueForm(request.POST if action == "issue" else None, prefix="i")
    follow_form = FollowUpForm(request.POST if action == "follow_up" else None, prefix="f")
    if action:
        meeting = access_meeting(actor=request.user, meeting_id=pk, write=True)
        saved = False
        if action == "attendance" and attendance.is_valid():
            d = attendance.cleaned_data
            saved = _try(attendance, lambda: services.record_attendance(by=request.user, meeting=meeting, **d))
        elif action == "issue" and issue_form.is_valid():
            d = issue_form.cleaned_data
            saved = _try(issue_form, lambda: services.add_issue(by=request.user, meeting=meeting, **d))
        elif action == "follow_up" and follow_form.is_valid():
            raw = request.POST.get("issue") or ""
            issue = meeting.issues.filter(pk=int(raw)).first() if raw.isdigit() else None
            if issue is None:
                follow_form.add_error(None, _("Không tìm thấy ý kiến này."))
            else:
                d = follow_form.cleaned_data
                saved = _try(follow_form, lambda: services.follow_up_issue(by=request.user, issue=issue, note=d["note"], done=d["done"]))
        if saved:
            messages.success(request, _("Đã lưu."))
            return redirect("supervision:meeting", meeting.pk)
    commune = meeting.unit.parent if meeting.unit.kind == UnitKind.VILLAGE else meeting.unit
    return render(
        request,
        "supervision/meeting_detail.html",
        {
            "meeting": meeting,
            "writable": commune is not None and can_record(request.user, commune),
            "issues": meeting.issues.all(),
            "attendance_form": attendance,
            "issue_form": issue_form,
            "follow_form": follow_form,
            "today": timezone.localdate(),
        },
    )


# --- The periodic results report ------------------------------------------------------------------
FORMATS = ("docx", "xlsx")


def _reviewable_forms(request: AuthenticatedHttpRequest) -> list[PeriodicForm]:
    """The forms in use of the provinces in the user's reviewing scope."""
    roots = role_roots(request.user, REVIEW_ROLES)
    forms_ = PeriodicForm.objects.filter(in_use=True).select_related("province").order_by("province__name", "code")
    return [f for f in forms_ if any(f.province.path.startswith(r.path) or in_province(f, r) for r in roots)]


def _period_choice(form: PeriodicForm, raw: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    try:
        day = dt.date.fromisoformat(raw or "")
    except ValueError:
        return clocks.last_ended_period(form.period_kind, today)
    return clocks.period_containing(form.period_kind, min(day, today))


def _periods(form: PeriodicForm, today: dt.date, n: int = 4) -> list[tuple[dt.date, dt.date]]:
    out = [clocks.period_containing(form.period_kind, today)]
    while len(out) < n:
        out.append(clocks.period_containing(form.period_kind, out[-1][0] - dt.timedelta(days=1)))
    return out


def _level_rows(compiled: queries.Compiled) -> list[tuple[str, list[Any]]]:
    """Each indicator's figure per level in between (a district) and the total, for the table."""
    return [
        (line.indicator.label, [lv.lines[i].value for lv in compiled.levels] + [line.value]) for i, line in enumerate(compiled.total.lines)
    ]


@staff_view
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A commune's reports and the one it can start now; for the level above, per period,
    completeness and timeliness, the overdue list and the totals over accepted reports."""
    today = timezone.localdate()
    own_units = list(
        Unit.objects.in_force()
        .filter(pk__in=visible_units(request.user, REPORT_ROLES).values("pk"), kind=UnitKind.COMMUNE)
        .order_by("name")[:PER_PAGE]
    )
    startable = []
    for unit in own_units:
        for form in PeriodicForm.objects.filter(in_use=True, province__in=unit.ancestors(), reporting_kind=unit.kind):
            for start, end in _periods(form, today, 2):
                if not queries.period_reports(form, start).filter(unit=unit).exists() and (
                    unit.valid_from is None or unit.valid_from <= end
                ):
                    startable.append({"unit": unit, "form": form, "start": start, "end": end})
    if request.method == "POST" and request.POST.get("action") == "start":
        try:
            unit = Unit.objects.get(pk=int(request.POST.get("unit", "")))
            form = PeriodicForm.objects.get(pk=int(request.POST.get("form", "")), in_use=True)
            start = dt.date.fromisoformat(request.POST.get("start", ""))
        except (ValueError, Unit.DoesNotExist, PeriodicForm.DoesNotExist):
            raise Http404 from None
        if not can_write_report(request.user, unit):
            raise Http404
        try:
            report = services.start_report(by=request.user, form=form, unit=unit, period_start=start)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("supervision:report_list")
        messages.success(request, _("Đã lập báo cáo, số liệu trên nền tảng đã được điền sẵn."))
        return redirect("supervision:report", report.pk)
    reports = visible_reports(request.user).order_by("-period_end", "unit__name")
    state = request.GET.get("trang_thai", "")
    if state in ReportState.values:
        reports = reports.filter(state=state)
    review: dict[str, Any] | None = None
    forms_ = _reviewable_forms(request)
    if forms_:
        try:
            form = next(f for f in forms_ if str(f.pk) == request.GET.get("mau")) if request.GET.get("mau") else forms_[0]
        except StopIteration:
            form = forms_[0]
        start, end = _period_choice(form, request.GET.get("ky"), today)
        due = clocks.report_deadline(end, form.due_working_days, province_calendar())
        status = queries.completeness(form=form, start=start, end=end, due_on=due.due, today=today, user=request.user)
        # The totals are the level's the user reviews at: the province's (with each district's
        # before 1 July 2025), or a district's own for its periods.
        top = review_level(request.user, form)
        compiled = queries.compile_report(form=form, top=top, start=start) if top is not None else None
        review = {
            "form": form,
            "forms": forms_,
            "start": start,
            "end": end,
            "due": due,
            "status": status,
            "periods": _periods(form, today),
            "compiled": compiled,
            "top": top,
            "lines": compiled.total.lines if compiled else [],
            "accepted": compiled.total.accepted if compiled else 0,
            "can_download": compiled is not None,
            "level_rows": _level_rows(compiled) if compiled else [],
        }
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/report_list.html",
        {
            "page_obj": page,
            "startable": startable,
            "review": review,
            "states": ReportState.choices,
            "state": state,
            "today": today,
            "can_manage_forms": can_manage_forms(request.user),
        },
    )


@staff_view
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access_report(actor=request.user, report_id=pk)
    writer = can_write_report(request.user, report.unit)
    reviewer = can_review_report(request.user, report)
    allowed = allowed_actions(REPORT_TRANSITIONS, report.state)
    rows = list(report.values.select_related("indicator__section").order_by("indicator__section__order", "indicator__order"))
    errors: list[str] = []
    if request.method == "POST":
        report = access_report(actor=request.user, report_id=pk, write=True)
        action = request.POST.get("action", "")
        try:
            if action in ("save", "submit") and writer:
                values = {
                    row.indicator_id: {
                        "number": request.POST.get(f"v{row.indicator_id}", ""),
                        "text": request.POST.get(f"v{row.indicator_id}", ""),
                        "deviation_note": request.POST.get(f"n{row.indicator_id}", ""),
                    }
                    for row in rows
                }
                services.save_report_values(by=request.user, report=report, values=values)
                if action == "submit":
                    services.submit_report(by=request.user, report=report)
                    messages.success(request, _("Đã gửi báo cáo lên %(unit)s.") % {"unit": report.reviewer.name})
                else:
                    messages.success(request, _("Đã lưu số liệu."))
                return redirect("supervision:report", report.pk)
            if action == "return" and reviewer:
                services.return_report(by=request.user, report=report, comment=request.POST.get("comment", ""))
                messages.success(request, _("Đã trả lại báo cáo kèm ý kiến."))
                return redirect("supervision:report", report.pk)
            if action == "accept" and reviewer:
                services.accept_report(by=request.user, report=report, comment=request.POST.get("comment", ""))
                messages.success(request, _("Đã tiếp nhận báo cáo."))
                return redirect("supervision:report", report.pk)
            raise Http404
        except ValidationError as exc:
            errors = exc.messages
            # Keep what was typed: show the posted values, not the saved ones.
            for row in rows:
                row.posted = request.POST.get(f"v{row.indicator_id}")  # type: ignore[attr-defined]
                row.posted_note = request.POST.get(f"n{row.indicator_id}")  # type: ignore[attr-defined]
    sections: list[dict[str, Any]] = []
    for row in rows:
        if not sections or sections[-1]["section"].pk != row.indicator.section_id:
            sections.append({"section": row.indicator.section, "rows": []})
        sections[-1]["rows"].append(row)
    return render(
        request,
        "supervision/report_detail.html",
        {
            "report": report,
            "sections": sections,
            "errors": errors,
            "can_edit": writer and ReportAction.EDIT in allowed,
            "can_review": reviewer and ReportAction.ACCEPT in allowed,
            "on_time": clocks.on_time(report.first_submitted_on, report.due_on),
            "today": timezone.localdate(),
        },
    )


@staff_view
def report_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = access_report(actor=request.user, report_id=pk)
    if fmt not in FORMATS:
        raise Http404
    content, name, mime = exports.report_file(report, fmt)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_view
def aggregate_download(request: AuthenticatedHttpRequest, form_id: int, start: str, fmt: str) -> HttpResponse:
    form = PeriodicForm.objects.select_related("province").filter(pk=form_id).first()
    top = review_level(request.user, form, request.GET.get("don_vi")) if form is not None and fmt in FORMATS else None
    if form is None or top is None:
        raise Http404
    try:
        first, last = clocks.period_containing(form.period_kind, dt.date.fromisoformat(start))
    except ValueError:
        raise Http404 from None
    content, name, mime = exports.aggregate_file(form=form, reviewer=top, start=first, end=last, fmt=fmt)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- The province's report forms: drafts, versions, publication ------------------------------------
def _forms_guard(request: AuthenticatedHttpRequest) -> None:
    """Only the province's standing office edits forms: anyone else is refused outright (403)."""
    if not can_manage_forms(request.user):
        raise PermissionDenied


@staff_view
def form_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every version of the forms of the user's provinces, grouped by form, newest first; a new
    draft version from any of them; the default form for a province that has none."""
    _forms_guard(request)
    versions = list(editable_forms(request.user).annotate(filed=Count("reports")).order_by("province__name", "code", "-version"))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "new_version":
                raw = request.POST.get("form") or ""
                source = next((v for v in versions if str(v.pk) == raw), None)
                if source is None:
                    raise Http404
                draft = services.new_form_version(by=request.user, form=source)
                messages.success(request, _("Đã tạo phiên bản dự thảo %(v)s.") % {"v": draft.version})
                return redirect("supervision:form", draft.pk)
            if action == "seed":
                raw = request.POST.get("province") or ""
                province = next((p for p in _form_provinces(request) if str(p.pk) == raw), None)
                if province is None:
                    raise Http404
                seeded = services.seed_default_form(by=request.user, province=province)
                messages.success(request, _("Đã tạo mẫu báo cáo mặc định."))
                return redirect("supervision:form", seeded.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("supervision:form_list")
        raise Http404
    groups: dict[tuple[int, str], list[PeriodicForm]] = {}
    for v in versions:
        groups.setdefault((v.province_id, v.code), []).append(v)
    with_forms = {v.province_id for v in versions}
    return render(
        request,
        "supervision/form_list.html",
        {"groups": list(groups.values()), "without_form": [p for p in _form_provinces(request) if p.pk not in with_forms]},
    )


def _form_provinces(request: AuthenticatedHttpRequest) -> list[Unit]:
    """The provinces in force where the user edits forms."""
    return list(Unit.objects.in_force().filter(kind=UnitKind.PROVINCE, pk__in=visible_units(request.user, FORM_ROLES).values("pk")))


def _indicator_form(
    data: Any, form: PeriodicForm, sections: list[Any], prefix: str, initial: dict[str, Any] | None = None
) -> IndicatorForm:
    choices = [(m.key, f"{m.label} ({m.key})") for m in metrics.available()]
    return IndicatorForm(data, sections=[(s.pk, s.title) for s in sections], metrics=choices, prefix=prefix, initial=initial)


@staff_view
def form_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One version: its settings, sections and indicators; on a draft, everything is editable and it
    can be published (put in use) or thrown away; on a published one, a new draft can be made."""
    _forms_guard(request)
    form = access_form(actor=request.user, form_id=pk, write=True)
    sections = list(form.sections.prefetch_related("indicators"))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    target = request.POST.get("target", "")
    data = request.POST if action else None
    settings_form = FormSettingsForm(
        data if action == "settings" else None,
        prefix="f",
        initial={"title": form.title, "period_kind": form.period_kind, "due_working_days": form.due_working_days},
    )
    section_form = SectionForm(data if action == "add_section" else None, prefix="s")
    new_indicator = _indicator_form(data if action == "add_indicator" else None, form, sections, "i")
    rows: list[dict[str, Any]] = []
    for section in sections:
        rename = SectionForm(
            data if action == "rename_section" and target == str(section.pk) else None,
            prefix=f"s{section.pk}",
            initial={"title": section.title},
        )
        indicators = []
        for ind in section.indicators.all():
            posted = action == "edit_indicator" and target == str(ind.pk)
            initial = {
                "section": str(section.pk),
                "code": ind.code,
                "label": ind.label,
                "kind": ind.kind,
                "metric_key": ind.metric_key,
                "aggregation": ind.aggregation,
            }
            indicators.append({"ind": ind, "form": _indicator_form(data if posted else None, form, sections, f"i{ind.pk}", initial)})
        rows.append({"section": section, "rename": rename, "indicators": indicators})
    if action:
        done = _form_action(request, form, action, target, sections, settings_form, section_form, new_indicator, rows)
        if done is not None:
            return done
    history = Paginator(queries.form_history(form), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/form_detail.html",
        {
            "form": form,
            "draft": form.is_draft,
            "filed": form.reports.count(),
            "problems": services.form_problems(form) if form.is_draft else [],
            "settings_form": settings_form,
            "section_form": section_form,
            "new_indicator": new_indicator,
            "rows": rows,
            "open_target": target if action else "",
            "history": history,
            "page_obj": history,
        },
    )


def _form_action(
    request: AuthenticatedHttpRequest,
    form: PeriodicForm,
    action: str,
    target: str,
    sections: list[Any],
    settings_form: FormSettingsForm,
    section_form: SectionForm,
    new_indicator: IndicatorForm,
    rows: list[dict[str, Any]],
) -> HttpResponse | None:
    """Carry out one posted change of the form page; a redirect when it is done, None to show the
    page again with the refusal on the form that was posted."""
    by = request.user
    sections_by_id = {str(s.pk): s for s in sections}
    indicators_by_id = {str(i["ind"].pk): i for row in rows for i in row["indicators"]}

    def section_of(f: forms.Form) -> Any:
        return sections_by_id[f.cleaned_data["section"]]

    def indicator_call(f: IndicatorForm, indicator: Any = None) -> Callable[[], Any]:
        d = f.cleaned_data
        return lambda: services.save_indicator(
            by=by,
            section=section_of(f),
            code=d["code"],
            label=d["label"],
            kind=d["kind"],
            metric_key=d["metric_key"],
            aggregation=d["aggregation"],
            indicator=indicator,
        )

    if action == "settings":
        if settings_form.is_valid() and _try(settings_form, lambda: services.update_form(by=by, form=form, **settings_form.cleaned_data)):
            messages.success(request, _("Đã lưu thông tin chung của mẫu."))
            return redirect("supervision:form", form.pk)
        return None
    if action == "add_section":
        if section_form.is_valid() and _try(section_form, lambda: services.save_section(by=by, form=form, **section_form.cleaned_data)):
            messages.success(request, _("Đã thêm phần."))
            return redirect("supervision:form", form.pk)
        return None
    if action == "add_indicator":
        if new_indicator.is_valid() and _try(new_indicator, indicator_call(new_indicator)):
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect("supervision:form", form.pk)
        return None
    if action == "rename_section" and target in sections_by_id:
        rename = next(r["rename"] for r in rows if str(r["section"].pk) == target)
        section = sections_by_id[target]
        if rename.is_valid() and _try(rename, lambda: services.save_section(by=by, form=form, section=section, **rename.cleaned_data)):
            messages.success(request, _("Đã đổi tên phần."))
            return redirect("supervision:form", form.pk)
        return None
    if action == "edit_indicator" and target in indicators_by_id:
        entry = indicators_by_id[target]
        if entry["form"].is_valid() and _try(entry["form"], indicator_call(entry["form"], entry["ind"])):
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("supervision:form", form.pk)
        return None
    operations: dict[str, Callable[[], Any]] = {}
    if target in sections_by_id:
        section = sections_by_id[target]
        operations.update(
            {
                "delete_section": lambda: services.delete_section(by=by, section=section),
                "section_up": lambda: services.move_section(by=by, section=section, up=True),
                "section_down": lambda: services.move_section(by=by, section=section, up=False),
            }
        )
    if target in indicators_by_id:
        indicator = indicators_by_id[target]["ind"]
        operations.update(
            {
                "delete_indicator": lambda: services.delete_indicator(by=by, indicator=indicator),
                "indicator_up": lambda: services.move_indicator(by=by, indicator=indicator, up=True),
                "indicator_down": lambda: services.move_indicator(by=by, indicator=indicator, up=False),
            }
        )
    operations["publish"] = lambda: services.put_form_in_use(by=by, form=form)
    operations["discard"] = lambda: services.discard_draft(by=by, form=form)
    if action not in operations:
        raise Http404
    try:
        operations[action]()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:form", form.pk)
    if action == "discard":
        messages.success(request, _("Đã huỷ bản dự thảo."))
        return redirect("supervision:form_list")
    if action == "publish":
        messages.success(request, _("Đã ban hành và áp dụng phiên bản %(v)s.") % {"v": form.version})
    else:
        messages.success(request, _("Đã lưu."))
    return redirect("supervision:form", form.pk)
