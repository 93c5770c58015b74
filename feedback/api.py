"""Feedback in the API. Public: submit (Idempotency-Key header), track by code, add information,
confirm, reopen — the tracking code always travels in the body, never in a URL. Staff: list and
act on cases in their scope, through the same services as the pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Reply
from ninja.errors import HttpError
from pydantic import field_validator

from accounts.actors import AuthenticatedHttpRequest
from accounts.api_auth import STAFF_AUTH
from accounts.models import User
from core.text import parse_yes_no
from feedback import crypto, intake, queries, services, throttle
from feedback.forms import take_staff_action
from feedback.models import Case, Category, Channel, Counter, CounterRating, Kind, RatingReason, Score, Status
from feedback.permissions import access_case, can_see_contact
from units.models import Unit
from units.structure import UnitNotInForce

router = Router(tags=["Phản ánh, kiến nghị / Feedback"])


class Error(Schema):
    detail: Any


class UnitRef(Schema):
    code: str
    name: str


class UnitRefusal(Schema):
    """A report about a unit not in force on its date: the unit to send it about instead."""

    detail: Any
    successor: UnitRef | None = None


def unit_refusal(refusal: UnitNotInForce, *, field: str) -> dict[str, Any]:
    successor = refusal.successor
    return {
        "detail": {field: refusal.messages},
        "successor": {"code": successor.code, "name": successor.name} if successor is not None else None,
    }


class SubmitIn(Schema):
    category: str
    commune_code: str
    description: str
    kind: str = Kind.FEEDBACK
    about_officials: bool = False
    # Consent to publish is given explicitly, never assumed for an app's user.
    allow_publication: bool = False
    latitude: float | None = None
    longitude: float | None = None
    address: str = Field("", max_length=500)
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""

    @field_validator("about_officials", "allow_publication", mode="before")
    @classmethod
    def _yes_no(cls, value: Any) -> bool:
        parsed = parse_yes_no(value)
        if parsed is None:
            raise ValueError("true/false")
        return parsed


class SubmitOut(Schema):
    tracking_code: str
    register_number: str
    status: str
    due_on: dt.date | None
    created: bool


class EventOut(Schema):
    at: dt.date  # the day only: public endpoints never give exact times
    action: str
    action_label: str
    to_status: str
    note: str


class TrackOut(Schema):
    register_number: str
    category: str
    status: str
    status_label: str
    concerned_unit: str
    handling_unit: str
    received_at: dt.date
    due_on: dt.date | None
    due_explanation: str
    answer: str
    events: list[EventOut]


class CodeIn(Schema):
    code: str


class AddInfoIn(CodeIn):
    text: str


class ReopenIn(CodeIn):
    reason: str


def _errors(exc: ValidationError) -> dict[str, Any]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _track(case: Case) -> dict[str, Any]:
    return {
        "register_number": case.register_label,
        "category": case.category,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "concerned_unit": case.concerned_unit.name,
        "handling_unit": case.handling_unit.name,
        "received_at": timezone.localtime(case.received_at).date(),
        "due_on": case.due_on,
        "due_explanation": case.due_explanation,
        "answer": case.answer if case.status in (Status.ANSWERED, Status.CLOSED) else "",
        "events": [
            {
                "at": timezone.localtime(e.at).date(),
                "action": e.action,
                "action_label": str(e.get_action_display()),
                "to_status": e.to_status,
                "note": e.note if e.note_for_reporter and not e.by_reporter else "",
            }
            for e in queries.public_events(case)
        ],
    }


@router.post(
    "/cases",
    response={200: SubmitOut, 201: SubmitOut, 400: Error, 422: UnitRefusal, 429: Error},
    summary="Gửi phản ánh (không cần tài khoản)",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": SubmitIn.model_json_schema()}}, "required": True},
        "parameters": [{"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string"}}],
    },
)
def submit(request: HttpRequest) -> Reply[dict[str, Any]] | HttpResponse:
    """Anonymous unless contact fields are given. Send a fresh `Idempotency-Key` header (e.g. a
    UUID) with each new report: a retry from the same client with the same key and the same content
    returns the same tracking code (200) and creates nothing; the same key with other content is
    refused (422). A commune no longer in force (a code of the 2024 list, for a report sent after
    1 July 2025) is refused with 422 and the `successor` to send it about instead. No IP or user
    agent is stored."""
    try:
        payload = json.loads(request.body or b"")
        data = SubmitIn.model_validate(payload)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Reply(400, {"detail": _("Nội dung gửi lên không phải JSON hợp lệ.")})
    except Exception as exc:  # noqa: BLE001 - pydantic's ValidationError, reported field by field in Vietnamese
        fields = sorted({".".join(str(p) for p in err.get("loc", ())) for err in getattr(exc, "errors", list)()})
        return Reply(400, {"detail": _("Thiếu hoặc sai trường: %(f)s.") % {"f": ", ".join(fields) or "?"}})
    unit = services.commune_by_code(data.commune_code)
    if unit is None:
        return Reply(
            400, {"detail": {"commune_code": [_("Không tìm thấy xã, phường, thị trấn có mã “%(c)s”.") % {"c": data.commune_code[:20]}]}}
        )
    try:
        report = services.Report(
            category=data.category,
            kind=data.kind,
            concerned_unit=unit,
            about_officials=data.about_officials,
            description=data.description,
            contact={"name": data.contact_name, "phone": data.contact_phone, "email": data.contact_email},
            allow_publication=data.allow_publication,
            latitude=data.latitude,
            longitude=data.longitude,
            location_text=data.address,
            channel=Channel.API,
        )
        submission = intake.submit_from_client(request, report=report, idempotency_key=request.headers.get("Idempotency-Key", ""))
    except intake.Throttled as exc:
        refused = JsonResponse({"detail": str(exc)}, status=429, json_dumps_params={"ensure_ascii": False})
        return throttle.with_retry_after(refused, exc.retry_after)
    except intake.IdempotencyKeyReused as exc:
        return Reply(422, {"detail": str(exc)})
    except UnitNotInForce as refusal:
        return Reply(422, unit_refusal(refusal, field="commune_code"))
    except ValidationError as exc:
        return Reply(400, {"detail": _errors(exc)})
    case = submission.case
    return Reply(
        (201 if submission.created else 200),
        {
            "tracking_code": submission.tracking_code,
            "register_number": case.register_label,
            "status": case.status,
            "due_on": case.due_on,
            "created": submission.created,
        },
    )


def _by_code(code: str) -> Case:
    case = services.find_by_code(code)
    if case is None:
        raise HttpError(404, _("Không tìm thấy phản ánh với mã này."))
    return case


def _limited(request: HttpRequest, response: HttpResponse) -> Reply[dict[str, Any]] | None:
    """Every lookup by code counts against the client, found or not (the limit is against guessing
    codes); a 429 says when to come back."""
    wait = throttle.tracking_wait(request)
    if not wait:
        return None
    throttle.with_retry_after(response, wait)
    return Reply(429, {"detail": _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau.")})


@router.post("/track", response={200: TrackOut, 404: Error, 429: Error}, summary="Tra cứu phản ánh bằng mã")
def track(request: HttpRequest, response: HttpResponse, payload: CodeIn) -> Reply[dict[str, Any]]:
    return _limited(request, response) or Reply(200, _track(_by_code(payload.code)))


def _reporter(request: HttpRequest, response: HttpResponse, action: Any, code: str, **kwargs: Any) -> Reply[dict[str, Any]]:
    limited = _limited(request, response)
    if limited is not None:
        return limited
    try:
        case = action(case=_by_code(code), **kwargs)
    except ValidationError as exc:
        return Reply(400, {"detail": _errors(exc)})
    return Reply(200, _track(case))


@router.post("/track/info", response={200: TrackOut, 400: Error, 404: Error, 429: Error}, summary="Bổ sung thông tin")
def track_add_info(request: HttpRequest, response: HttpResponse, payload: AddInfoIn) -> Reply[dict[str, Any]]:
    return _reporter(request, response, services.reporter_add_info, payload.code, text=payload.text)


@router.post("/track/confirm", response={200: TrackOut, 400: Error, 404: Error, 429: Error}, summary="Xác nhận đã được giải quyết")
def track_confirm(request: HttpRequest, response: HttpResponse, payload: CodeIn) -> Reply[dict[str, Any]]:
    return _reporter(request, response, services.reporter_confirm, payload.code)


@router.post("/track/reopen", response={200: TrackOut, 400: Error, 404: Error, 429: Error}, summary="Mở lại phản ánh")
def track_reopen(request: HttpRequest, response: HttpResponse, payload: ReopenIn) -> Reply[dict[str, Any]]:
    return _reporter(request, response, services.reporter_reopen, payload.code, reason=payload.reason)


# --- One-stop-shop counters (the QR rating, for apps) -----------------------------------------
class CounterOut(Schema):
    name: str
    officer_name: str
    unit_code: str
    unit_name: str
    scores: list[dict[str, str]]
    reasons: list[dict[str, str]]


class RatingIn(Schema):
    score: str
    reasons: list[str] = []
    comment: str = Field("", max_length=2000)
    # A random id the app keeps for its installation (never a phone number or a hardware id):
    # one rating per device per counter per window, as the QR page's cookie. Without it the
    # client's address (hashed, never stored) stands for the device.
    device_id: str = Field("", max_length=64)


class RatingOut(Schema):
    score: str
    score_label: str
    reasons: list[str]
    rated_on: dt.date  # the day only, as on every public answer
    case_opened: bool
    handling_unit: str | None
    created: bool


def _active_counter(token: str) -> Counter:
    counter = Counter.objects.select_related("unit").filter(token=token[:32], is_active=True).first()
    if counter is None:
        raise HttpError(404, _("Không tìm thấy quầy một cửa này (mã QR không đúng hoặc quầy đã ngừng hoạt động)."))
    return counter


def _rating_out(rating: CounterRating, *, created: bool) -> dict[str, Any]:
    return {
        "score": rating.score,
        "score_label": str(rating.get_score_display()),
        "reasons": list(rating.reasons),
        "rated_on": timezone.localtime(rating.at).date(),
        "case_opened": rating.case_id is not None,
        "handling_unit": rating.case.handling_unit.name if rating.case is not None else None,
        "created": created,
    }


@router.get("/counters/{token}", response={200: CounterOut, 404: Error}, summary="Quầy một cửa (theo mã QR)")
def counter_info(request: HttpRequest, token: str) -> dict[str, Any]:
    """What the QR code names: the counter, its commune, and the scores and reasons a rating may give."""
    counter = _active_counter(token)
    return {
        "name": counter.name,
        "officer_name": counter.officer_name,
        "unit_code": counter.unit.code,
        "unit_name": counter.unit.name,
        "scores": [{"key": k, "label": str(v)} for k, v in Score.choices],
        "reasons": [{"key": k, "label": str(v)} for k, v in RatingReason.choices],
    }


@router.post(
    "/counters/{token}/ratings",
    response={200: RatingOut, 201: RatingOut, 400: Error, 404: Error, 422: Error, 429: Error},
    summary="Đánh giá quầy một cửa (không cần tài khoản)",
    openapi_extra={"parameters": [{"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string"}}]},
)
def counter_rate(request: HttpRequest, response: HttpResponse, token: str, payload: RatingIn) -> Reply[dict[str, Any]]:
    """The QR page's one-tap rating for apps, through the same service and with the same limits:
    anonymous (no address, user agent or device id is stored), one rating per device per counter
    per window and a per-client cap (429 with Retry-After). Send a fresh `Idempotency-Key` with
    each rating: a retry with the same key returns the first rating (200) and counts nothing."""
    counter = _active_counter(token)
    client = throttle.client_key(request)
    key = intake.key_digest(request.headers.get("Idempotency-Key", ""), client=client)
    if key is not None:
        previous = CounterRating.objects.select_related("case__handling_unit").filter(idempotency_digest=key).first()
        if previous is not None:
            if previous.counter_id != counter.pk or previous.score != payload.score:
                return Reply(422, {"detail": str(intake.IdempotencyKeyReused())})
            return Reply(200, _rating_out(previous, created=False))
    if payload.score not in Score.values:
        return Reply(400, {"detail": {"score": [_("Chọn mức đánh giá: %(s)s.") % {"s": ", ".join(Score.values)}]}})
    unknown = sorted(set(payload.reasons) - set(RatingReason.values))
    if unknown:
        return Reply(400, {"detail": {"reasons": [_("Lý do không hợp lệ: %(r)s.") % {"r": ", ".join(r[:40] for r in unknown[:5])}]}})
    wait = throttle.rating_wait(request, counter_id=counter.pk, device=payload.device_id.strip() or client)
    if wait:
        throttle.with_retry_after(response, wait)
        return Reply(429, {"detail": _("Ông/bà đã đánh giá quầy này. Vui lòng thử lại sau.")})
    try:
        rating = services.rate_counter(
            counter=counter, score=payload.score, reasons=payload.reasons, comment=payload.comment, idempotency_digest=key
        )
    except ValidationError as exc:
        return Reply(400, {"detail": _errors(exc)})
    except IntegrityError:  # a concurrent retry with the same key committed first
        twin = CounterRating.objects.select_related("case__handling_unit").filter(idempotency_digest=key).first()
        if twin is None:
            raise
        return Reply(200, _rating_out(twin, created=False))
    return Reply(201, _rating_out(rating, created=True))


# --- Staff -----------------------------------------------------------------------------------
class CaseOut(Schema):
    id: int
    register_number: str
    kind: str
    category: str
    channel: str
    status: str
    concerned_unit_id: int
    handling_unit_id: int
    received_at: dt.datetime
    due_on: dt.date | None
    is_overdue: bool
    escalation_level: int
    description: str
    answer: str
    has_contact: bool
    contact: dict[str, str] | None


def _case_out(case: Case, user: Any, today: dt.date) -> dict[str, Any]:
    return {
        "id": case.pk,
        "register_number": case.register_label,
        "kind": case.kind,
        "category": case.category,
        "channel": case.channel,
        "status": case.status,
        "concerned_unit_id": case.concerned_unit_id,
        "handling_unit_id": case.handling_unit_id,
        "received_at": case.received_at,
        "due_on": case.due_on,
        "is_overdue": case.is_overdue_on(today),
        "escalation_level": case.escalation_level,
        "description": case.description,
        "answer": case.answer,
        "has_contact": case.has_contact,
        # The contact only for those allowed (never the commune reported about).
        "contact": crypto.decrypt(case.contact_encrypted) if can_see_contact(user, case) else None,
    }


MAX_OFFSET = 1_000_000_000


@router.get("/staff/cases", response=list[CaseOut], auth=STAFF_AUTH, summary="Danh sách phản ánh trong phạm vi")
def staff_cases(
    request: HttpRequest, status: str = "", overdue: bool = False, category: str = "", limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:

    if not 0 <= offset <= MAX_OFFSET:  # a database refuses offsets past its integer range (500 on PostgreSQL)
        raise HttpError(400, _("offset phải là số từ 0 đến %(max)s.") % {"max": f"{MAX_OFFSET:,}".replace(",", ".")})
    status = status if status in Status.values else ""
    category = category if category in Category.values else ""
    qs = queries.filter_cases(queries.cases_for(request.user), status=status, overdue=overdue, category=category)
    limit = max(1, min(limit, 500))
    today = timezone.localdate()
    return [_case_out(c, request.user, today) for c in qs[offset : offset + limit]]


@router.get("/staff/cases/{case_id}", response=CaseOut, auth=STAFF_AUTH, summary="Một phản ánh")
def staff_case(request: AuthenticatedHttpRequest, case_id: int) -> dict[str, Any]:

    case = access_case(actor=request.user, case_id=case_id)
    return _case_out(case, request.user, timezone.localdate())


class ActionIn(Schema):
    action: str
    note: str = ""
    register_class: str = ""
    finding: str = ""
    to_unit_id: int | None = None
    assignee_id: int | None = None
    public_summary: str = ""
    public_answer: str = ""
    confirm_about_officials: bool = False
    note_for_reporter: bool = False


@router.post("/staff/cases/{case_id}/actions", response={200: CaseOut, 400: Error, 403: Error}, auth=STAFF_AUTH, summary="Xử lý phản ánh")
def staff_act(request: AuthenticatedHttpRequest, case_id: int, payload: ActionIn) -> Reply[dict[str, Any]]:

    from feedback.permissions import STAFF_ACTIONS

    case = access_case(actor=request.user, case_id=case_id)
    if payload.action not in STAFF_ACTIONS:
        return Reply(400, {"detail": _("Thao tác không hợp lệ.")})
    to_unit = Unit.objects.filter(pk=payload.to_unit_id).first() if payload.to_unit_id else None
    assignee = User.objects.filter(pk=payload.assignee_id).first() if payload.assignee_id else None
    try:
        case = take_staff_action(case=case, by=request.user, data={**payload.model_dump(), "to_unit": to_unit, "assignee": assignee})
    except PermissionDenied as exc:
        return Reply(403, {"detail": str(exc) or _("Bạn không có quyền xử lý phản ánh này.")})
    except ValidationError as exc:
        return Reply(400, {"detail": _errors(exc)})
    return Reply(200, _case_out(case, request.user, timezone.localdate()))
