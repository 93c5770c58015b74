"""Staff pages: the boards in the user's scope, a board with its members (and the rules they break),
plans, feedback taken up, recommendations and quarterly reports; a recommendation with the commune's
answer; the overdue list. Every object is loaded within the user's scope (missing and not yours 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import AuthenticatedHttpRequest
from accounts.permissions import staff_view
from accounts.scope import visible_units
from core.forms import apply_validation_error
from core.transitions import allowed_actions
from supervision import clocks, queries, services
from supervision.forms import (
    AnswerForm,
    AttendanceForm,
    BoardForm,
    CaseLinkForm,
    FollowUpForm,
    IssueForm,
    MeetingForm,
    MemberForm,
    PlanForm,
    RecommendationForm,
    ReportForm,
    WithdrawForm,
)
from supervision.models import RECOMMENDATION_TRANSITIONS, Board, Meeting, Position, RecommendationAction
from supervision.permissions import (
    RECORD_ROLES,
    access_board,
    access_meeting,
    access_recommendation,
    can_answer,
    can_record,
    visible_boards,
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
