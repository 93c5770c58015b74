"""Staff API: boards and recommendations in the caller's scope, the overdue list, and the commune's
answer to a recommendation (the same service as the page)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply

from accounts.actors import AuthenticatedHttpRequest
from accounts.api_auth import STAFF_AUTH
from supervision import clocks, queries, services
from supervision.models import Board, Recommendation, ReportForm, UnitReport
from supervision.permissions import (
    access_board,
    access_recommendation,
    access_report,
    review_level,
    visible_boards,
    visible_reports,
)

router = Router(tags=["supervision"])
MAX_LIMIT = 500


class SupervisionError(Schema):
    detail: Any


class BreachOut(Schema):
    rule: str
    problem: str


class BoardOut(Schema):
    id: int
    kind: str
    name: str
    project: str
    unit_code: str
    unit_name: str
    term_start: dt.date
    term_end: dt.date
    members_serving: int
    breaches: list[BreachOut]


class RecommendationOut(Schema):
    id: int
    board_id: int
    unit_code: str
    number: int
    subject: str
    content: str
    sent_on: dt.date
    due_on: dt.date
    state: str
    answer: str
    answered_on: dt.date | None
    overdue: bool
    answered_late: bool


class AnswerIn(Schema):
    answer: str
    answered_on: dt.date | None = None


def _board_out(board: Board, today: dt.date) -> dict[str, Any]:
    return {
        "id": board.pk,
        "kind": board.kind,
        "name": board.name,
        "project": board.project,
        "unit_code": board.unit.code,
        "unit_name": board.unit.name,
        "term_start": board.term_start,
        "term_end": board.term_end,
        "members_serving": sum(m.serves_on(today) for m in board.members.all()),
        "breaches": [{"rule": b.rule, "problem": b.problem} for b in queries.board_breaches(board, today)],
    }


def _rec_out(r: Recommendation, today: dt.date) -> dict[str, Any]:
    return {
        "id": r.pk,
        "board_id": r.board_id,
        "unit_code": r.board.unit.code,
        "number": r.number,
        "subject": r.subject,
        "content": r.content,
        "sent_on": r.sent_on,
        "due_on": r.due_on,
        "state": r.state,
        "answer": r.answer,
        "answered_on": r.answered_on,
        "overdue": clocks.is_overdue(r, today),
        "answered_late": clocks.answered_late(r),
    }


def _window(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, MAX_LIMIT)), max(0, min(offset, 1_000_000_000))


@router.get("/boards", response=list[BoardOut], auth=STAFF_AUTH, summary="Các ban giám sát trong phạm vi")
def boards(request: AuthenticatedHttpRequest, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    limit, offset = _window(limit, offset)
    today = timezone.localdate()
    rows = visible_boards(request.user).prefetch_related("members").order_by("pk")[offset : offset + limit]
    return [_board_out(b, today) for b in rows]


@router.get("/boards/{board_id}", response=BoardOut, auth=STAFF_AUTH, summary="Một ban giám sát")
def board(request: AuthenticatedHttpRequest, board_id: int) -> dict[str, Any]:
    return _board_out(access_board(actor=request.user, board_id=board_id), timezone.localdate())


@router.get("/recommendations", response=list[RecommendationOut], auth=STAFF_AUTH, summary="Kiến nghị trong phạm vi")
def recommendations(request: AuthenticatedHttpRequest, overdue: bool = False, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    limit, offset = _window(limit, offset)
    today = timezone.localdate()
    qs = queries.overdue(request.user, today) if overdue else queries.recommendations_in_scope(request.user).order_by("-sent_on", "pk")
    return [_rec_out(r, today) for r in qs[offset : offset + limit]]


@router.post(
    "/recommendations/{recommendation_id}/answer",
    response={200: RecommendationOut, 400: SupervisionError, 403: SupervisionError},
    auth=STAFF_AUTH,
    summary="Ủy ban nhân dân xã trả lời kiến nghị",
)
def answer(request: AuthenticatedHttpRequest, recommendation_id: int, payload: AnswerIn) -> Reply[dict[str, Any]]:
    recommendation = access_recommendation(actor=request.user, recommendation_id=recommendation_id)
    try:
        recommendation = services.answer_recommendation(
            by=request.user, recommendation=recommendation, answer=payload.answer, answered_on=payload.answered_on
        )
    except PermissionDenied as exc:
        return Reply(403, {"detail": str(exc) or _("Bạn không có quyền trả lời kiến nghị này.")})
    except ValidationError as exc:
        return Reply(400, {"detail": exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}})
    return Reply(200, _rec_out(recommendation, timezone.localdate()))


# --- The periodic results report ------------------------------------------------------------------
class ReportValueOut(Schema):
    indicator_id: int
    code: str
    section: str
    label: str
    kind: str
    number: Decimal | None
    text: str
    prefilled: Decimal | None
    prefill_note: str
    deviation_note: str


class ReportOut(Schema):
    id: int
    form_code: str
    form_version: int
    unit_code: str
    unit_name: str
    reviewer_code: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    state: str
    first_submitted_on: dt.date | None
    submitted_on: dt.date | None
    on_time: bool
    review_comment: str
    values: list[ReportValueOut]


class ValueIn(Schema):
    indicator_id: int
    number: str = ""
    text: str = ""
    deviation_note: str = ""


class ReportSubmitIn(Schema):
    values: list[ValueIn] = []


class ReviewIn(Schema):
    action: str
    comment: str = ""


def _report_out(report: UnitReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "form_code": report.form.code,
        "form_version": report.form.version,
        "unit_code": report.unit.code,
        "unit_name": report.unit.name,
        "reviewer_code": report.reviewer.code,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "due_on": report.due_on,
        "state": report.state,
        "first_submitted_on": report.first_submitted_on,
        "submitted_on": report.submitted_on,
        "on_time": clocks.on_time(report.first_submitted_on, report.due_on),
        "review_comment": report.review_comment,
        "values": [
            {
                "indicator_id": v.indicator_id,
                "code": v.indicator.code,
                "section": v.indicator.section.title,
                "label": v.indicator.label,
                "kind": v.indicator.kind,
                "number": v.number,
                "text": v.text,
                "prefilled": v.prefilled,
                "prefill_note": v.prefill_note,
                "deviation_note": v.deviation_note,
            }
            for v in report.values.select_related("indicator__section").order_by("indicator__section__order", "indicator__order")
        ],
    }


def _errors(exc: ValidationError) -> dict[str, Any]:
    return {"detail": exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}}


@router.get("/reports", response=list[ReportOut], auth=STAFF_AUTH, summary="Báo cáo định kỳ trong phạm vi")
def reports(request: AuthenticatedHttpRequest, state: str = "", limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    limit, offset = _window(limit, offset)
    qs = visible_reports(request.user).order_by("-period_end", "pk")
    if state:
        qs = qs.filter(state=state)
    return [_report_out(r) for r in qs[offset : offset + limit]]


@router.get("/reports/{report_id}", response=ReportOut, auth=STAFF_AUTH, summary="Một báo cáo định kỳ")
def report(request: AuthenticatedHttpRequest, report_id: int) -> dict[str, Any]:
    return _report_out(access_report(actor=request.user, report_id=report_id))


@router.post(
    "/reports/{report_id}/submit",
    response={200: ReportOut, 400: SupervisionError, 403: SupervisionError},
    auth=STAFF_AUTH,
    summary="Đơn vị cập nhật số liệu (nếu có) và gửi báo cáo",
)
def submit(request: AuthenticatedHttpRequest, report_id: int, payload: ReportSubmitIn) -> Reply[dict[str, Any]]:
    found = access_report(actor=request.user, report_id=report_id)
    try:
        with transaction.atomic():
            if payload.values:
                values = {v.indicator_id: {"number": v.number, "text": v.text, "deviation_note": v.deviation_note} for v in payload.values}
                services.save_report_values(by=request.user, report=found, values=values)
            found = services.submit_report(by=request.user, report=found)
    except PermissionDenied as exc:
        return Reply(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Reply(400, _errors(exc))
    return Reply(200, _report_out(found))


@router.post(
    "/reports/{report_id}/review",
    response={200: ReportOut, 400: SupervisionError, 403: SupervisionError},
    auth=STAFF_AUTH,
    summary="Cấp trên tiếp nhận (accept) hoặc trả lại (return) báo cáo",
)
def review(request: AuthenticatedHttpRequest, report_id: int, payload: ReviewIn) -> Reply[dict[str, Any]]:
    found = access_report(actor=request.user, report_id=report_id)
    try:
        if payload.action == "accept":
            found = services.accept_report(by=request.user, report=found, comment=payload.comment)
        elif payload.action == "return":
            found = services.return_report(by=request.user, report=found, comment=payload.comment)
        else:
            return Reply(400, {"detail": {"action": [_("Thao tác là accept hoặc return.")]}})
    except PermissionDenied as exc:
        return Reply(403, {"detail": str(exc)})
    except ValidationError as exc:
        return Reply(400, _errors(exc))
    return Reply(200, _report_out(found))


class LineOut(Schema):
    code: str
    section: str
    label: str
    value: Decimal | None
    reports: int
    aggregation: str


class LevelOut(Schema):
    unit_code: str
    unit_name: str
    accepted: int
    lines: list[LineOut]


class CompiledOut(Schema):
    form_code: str
    form_version: int
    period_start: dt.date
    period_end: dt.date
    total: LevelOut
    levels: list[LevelOut]


def _level_out(level: queries.UnitTotals) -> dict[str, Any]:
    return {
        "unit_code": level.unit.code,
        "unit_name": level.unit.name,
        "accepted": level.accepted,
        "lines": [
            {
                "code": line.indicator.code,
                "section": line.indicator.section.title,
                "label": line.indicator.label,
                "value": line.value,
                "reports": line.reports,
                "aggregation": line.indicator.aggregation,
            }
            for line in level.lines
        ],
    }


@router.get(
    "/compiled-reports/{form_id}/{start}",
    response=CompiledOut,
    auth=STAFF_AUTH,
    summary="Báo cáo tổng hợp của cấp trên (tỉnh, kèm từng huyện trước 01/07/2025; hoặc huyện) cho một kỳ",
)
def compiled(request: AuthenticatedHttpRequest, form_id: int, start: dt.date, unit_id: int | None = None) -> dict[str, Any]:
    """The same totals as the report list's and the downloaded files: the province's for a
    reviewer at the province, a district's (`unit_id`) for its committee; 404 for anyone else."""
    form = ReportForm.objects.select_related("province").filter(pk=form_id).first()
    top = review_level(request.user, form, str(unit_id) if unit_id else None) if form is not None else None
    if form is None or top is None:
        raise Http404
    first, last = clocks.period_containing(form.period_kind, start)
    result = queries.compile_report(form=form, top=top, start=first)
    return {
        "form_code": form.code,
        "form_version": form.version,
        "period_start": first,
        "period_end": last,
        "total": _level_out(result.total),
        "levels": [_level_out(level) for level in result.levels],
    }
