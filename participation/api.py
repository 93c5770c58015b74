"""Community decisions in the API (a Zalo mini app can do all the household does). Public: the
matters announced or voting in a commune, one matter with its result and published tally, casting
and checking a vote with the code (always in the body, never in a URL), per-client limits. Staff:
the matters in scope and their actions, through the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Reply

from accounts.actors import AuthenticatedHttpRequest
from accounts.api_auth import STAFF_AUTH
from accounts.scope import scope_queryset
from core import ratelimit
from participation import queries, services, throttle
from participation.forms import take_staff_action
from participation.models import (
    CommuneMatter,
    CommuneMatterState,
    Consultation,
    ConsultationState,
    Initiative,
    InitiativeState,
    Matter,
    MatterState,
)
from participation.permissions import access_commune_matter, access_matter
from units.models import Unit, UnitKind

router = Router(tags=["Bàn và quyết định / Community decisions"])


class ParticipationError(Schema):
    detail: Any


class OptionOut(Schema):
    id: int
    label: str
    votes: int | None = Field(None, description="Số hộ biểu quyết, chỉ khi đã có kết quả")


class ArithmeticOut(Schema):
    option: str
    votes: int
    households_total: int
    needed: int
    passed: bool
    explanation: str


class MatterOut(Schema):
    id: int
    title: str
    description: str
    subject: int
    subject_label: str
    method: str
    state: str
    state_label: str
    village_code: str
    village_name: str
    commune_code: str
    closes_at: dt.datetime | None
    meeting_on: dt.date | None
    decided_on: dt.date | None
    passed: bool | None
    households_total: int | None
    represented: int | None
    sent_on: dt.date | None
    recognised_on: dt.date | None
    recognition_ref: str
    options: list[OptionOut]
    arithmetic: list[ArithmeticOut]


class ReceiptOut(Schema):
    receipt: str
    choice: str


class MatterResultOut(MatterOut):
    minutes: str
    tally: list[ReceiptOut]


class HouseholdCodeIn(Schema):
    code: str = Field(..., max_length=40)


class VoteIn(HouseholdCodeIn):
    matter_id: int
    option_id: int


class VoteOut(Schema):
    matter_id: int
    receipt: str
    choice: str
    changed: bool
    closes_at: dt.datetime | None


class CheckOut(Schema):
    matter_id: int
    matter_title: str
    voting_open: bool
    has_voted: bool
    on_paper: bool
    receipt: str
    choice: str | None


def _matter(m: Matter) -> dict[str, Any]:
    decided = m.decided_on is not None
    return {
        "id": m.pk,
        "title": m.title,
        "description": m.description,
        "subject": m.subject,
        "subject_label": m.get_subject_display(),
        "method": m.method,
        "state": m.state,
        "state_label": m.get_state_display(),
        "village_code": m.village.code,
        "village_name": m.village.name,
        "commune_code": m.village.parent.code if m.village.parent else "",
        "closes_at": m.closes_at,
        "meeting_on": m.meeting_on,
        "decided_on": m.decided_on,
        "passed": m.passed,
        "households_total": m.households_total,
        "represented": m.represented,
        "sent_on": m.sent_on,
        "recognised_on": m.recognised_on,
        "recognition_ref": m.recognition_ref,
        "options": [{"id": o.pk, "label": o.label, "votes": o.votes if decided else None} for o in m.options.all()],
        "arithmetic": [
            {
                "option": a.label,
                "votes": a.votes,
                "households_total": a.households_total,
                "needed": a.needed,
                "passed": a.passed,
                "explanation": a.explanation(),
            }
            for a in queries.arithmetic(m)
        ],
    }


def _limited(request: HttpRequest, response: HttpResponse) -> Reply[dict[str, Any]] | None:
    """Every vote and check counts against the client, accepted or not (against guessing codes)."""
    wait = ratelimit.take(throttle.vote_rate(), throttle.client_key(request))
    if not wait:
        return None
    throttle.with_retry_after(response, wait)
    return Reply(429, {"detail": throttle.too_many(wait)})


@router.get(
    "/matters",
    response={200: list[MatterOut], 404: ParticipationError},
    summary="Nội dung đang thông báo, biểu quyết, đã có kết quả của một xã",
)
def matters(request: HttpRequest, commune_code: str, edition: str = "2025", open_only: bool = False) -> Any:
    """The public matters of a commune's villages (by the commune's GSO code), newest first;
    `open_only` keeps those voting online now."""
    commune = Unit.objects.filter(kind=UnitKind.COMMUNE, code=commune_code[:20], edition=edition[:10]).first()
    if commune is None:
        return Reply(404, {"detail": _("Không tìm thấy xã, phường có mã “%(c)s”.") % {"c": commune_code[:20]}})
    qs = queries.open_online_matters(commune) if open_only else queries.public_matters(commune)
    return [_matter(m) for m in qs.select_related("village__parent")[:100]]


@router.get(
    "/matters/{matter_id}",
    response={200: MatterResultOut, 404: ParticipationError},
    summary="Một nội dung: kết quả, biên bản, phiếu công bố",
)
def matter(request: HttpRequest, matter_id: int) -> dict[str, Any]:
    m = get_object_or_404(Matter.objects.select_related("village", "village__parent"), pk=matter_id)
    if not m.is_public:
        raise Http404  # the same 404 as a missing one
    return {
        **_matter(m),
        "minutes": m.minutes if m.decided_on else "",
        "tally": [{"receipt": r, "choice": c} for r, c in queries.published_tally(m)],
    }


@router.post(
    "/votes", response={200: VoteOut, 422: ParticipationError, 429: ParticipationError}, summary="Bỏ phiếu (hoặc đổi phiếu) bằng mã của hộ"
)
def cast(request: HttpRequest, response: HttpResponse, payload: VoteIn) -> Any:
    """One vote per household, changeable until the close: the last vote counts and gets a new
    receipt (the old one no longer appears in the tally)."""
    refused = _limited(request, response)
    if refused:
        return refused
    try:
        result = services.cast_vote(code=payload.code, matter_id=payload.matter_id, option_id=payload.option_id)
    except ValidationError as exc:
        return Reply(422, {"detail": " ".join(exc.messages)})
    return {
        "matter_id": result.matter.pk,
        "receipt": result.receipt,
        "choice": result.option.label,
        "changed": result.changed,
        "closes_at": result.matter.closes_at,
    }


@router.post(
    "/votes/check", response={200: CheckOut, 422: ParticipationError, 429: ParticipationError}, summary="Kiểm tra phiếu của hộ bằng mã"
)
def check(request: HttpRequest, response: HttpResponse, payload: HouseholdCodeIn) -> Any:
    refused = _limited(request, response)
    if refused:
        return refused
    try:
        status = services.check_vote(code=payload.code)
    except ValidationError as exc:
        return Reply(422, {"detail": " ".join(exc.messages)})
    return {
        "matter_id": status.matter.pk,
        "matter_title": status.matter.title,
        "voting_open": status.matter.state == MatterState.VOTING,
        "has_voted": status.has_voted,
        "on_paper": status.on_paper,
        "receipt": status.receipt,
        "choice": status.option.label if status.option else None,
    }


class MatterActionIn(Schema):
    action: str
    data: dict[str, str] = Field(default_factory=dict)
    present: list[str] = Field(default_factory=list)
    paper: list[str] = Field(default_factory=list)


@router.get("/staff/matters", response=list[MatterOut], auth=STAFF_AUTH, summary="Nội dung bàn và quyết định trong phạm vi")
def staff_matters(request: AuthenticatedHttpRequest, state: str = "") -> list[dict[str, Any]]:
    qs = scope_queryset(Matter.objects.select_related("village", "village__parent"), request.user, unit_path="village__path")
    if state:
        qs = qs.filter(state=state[:12])
    return [_matter(m) for m in qs.order_by("-created_at")[:200]]


@router.post(
    "/staff/matters/{matter_id}/actions",
    response={200: MatterOut, 400: ParticipationError, 403: ParticipationError, 404: ParticipationError},
    auth=STAFF_AUTH,
    summary="Thao tác trên một nội dung (thông báo, ghi kết quả, kết thúc, gửi, công nhận...)",
)
def staff_act(request: AuthenticatedHttpRequest, matter_id: int, payload: MatterActionIn) -> Any:
    m = access_matter(actor=request.user, matter_id=matter_id)
    try:
        take_staff_action(
            action=payload.action, matter=m, by=request.user, data=payload.data, lists={"present": payload.present, "paper": payload.paper}
        )
    except PermissionDenied as exc:
        return Reply(403, {"detail": str(exc) or _("Bạn không có quyền thực hiện thao tác này.")})
    except ValidationError as exc:
        return Reply(400, {"detail": " ".join(exc.messages)})
    m.refresh_from_db()
    return _matter(m)


class ConsultationOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    commune_code: str
    commune_name: str
    draft: str
    clauses: list[str]
    published_on: dt.date
    closes_on: dt.date
    is_open: bool
    state: str
    opinion_count: int


class OpinionGroupOut(Schema):
    topic: str
    taken_up: bool
    reason: str
    opinion_count: int


class ConsultationDetailOut(ConsultationOut):
    summary: str
    summarised_on: dt.date | None
    groups: list[OpinionGroupOut]


class OpinionIn(Schema):
    text: str = Field(..., max_length=10000)
    clause: str = Field("", max_length=200)
    author_name: str = Field("", max_length=200)


class OpinionOut(Schema):
    consultation_id: int
    received_on: dt.date
    created: bool


def _consultation(c: Consultation) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "commune_code": c.unit.code,
        "commune_name": c.unit.name,
        "draft": c.draft,
        "clauses": list(c.clauses),
        "published_on": c.published_on,
        "closes_on": c.closes_on,
        "is_open": c.state == ConsultationState.OPEN and c.published_on <= today <= c.closes_on,
        "state": c.state,
        "opinion_count": c.opinions.count(),
    }


@router.get("/consultations", response=list[ConsultationOut], summary="Dự thảo đang lấy ý kiến")
def consultations(request: HttpRequest, commune_code: str = "", edition: str = "2025") -> list[dict[str, Any]]:
    """Drafts open for opinions today, in one commune (GSO code) or everywhere, closing soonest first."""
    unit = None
    if commune_code:
        unit = Unit.objects.filter(kind=UnitKind.COMMUNE, code=commune_code[:20], edition=edition[:10]).first()
        if unit is None:
            return []
    return [_consultation(c) for c in queries.open_consultations(unit)[:100]]


@router.get(
    "/consultations/{consultation_id}",
    response={200: ConsultationDetailOut, 404: ParticipationError},
    summary="Một dự thảo và tổng hợp ý kiến",
)
def consultation_detail(request: HttpRequest, consultation_id: int) -> dict[str, Any]:
    c = get_object_or_404(Consultation.objects.select_related("unit"), pk=consultation_id, published_on__lte=timezone.localdate())
    return {
        **_consultation(c),
        "summary": c.summary,
        "summarised_on": c.summarised_on,
        "groups": [
            {"topic": g.topic, "taken_up": g.taken_up, "reason": g.reason, "opinion_count": g.opinion_count}
            for g in c.groups.annotate(opinion_count=Count("opinions"))
        ],
    }


@router.post(
    "/consultations/{consultation_id}/opinions",
    response={200: OpinionOut, 201: OpinionOut, 404: ParticipationError, 422: ParticipationError, 429: ParticipationError},
    summary="Gửi góp ý (ẩn danh hoặc ghi tên)",
    openapi_extra={"parameters": [{"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string"}}]},
)
def submit_opinion(request: HttpRequest, response: HttpResponse, consultation_id: int, payload: OpinionIn) -> Any:
    """Send a fresh `Idempotency-Key` header with each new opinion: a retry with the same key from
    the same client returns 200 and adds nothing. No IP address is stored."""
    c = get_object_or_404(Consultation.objects.select_related("unit"), pk=consultation_id, published_on__lte=timezone.localdate())
    client = throttle.client_key(request)
    wait = ratelimit.take(throttle.opinion_rate(), client)
    if wait:
        throttle.with_retry_after(response, wait)
        return Reply(429, {"detail": throttle.too_many(wait)})
    try:
        received = services.submit_opinion(
            consultation=c,
            text=payload.text,
            clause=payload.clause,
            author_name=payload.author_name,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            client=client,
        )
    except ValidationError as exc:
        ratelimit.give_back(throttle.opinion_rate(), client)
        return Reply(422, {"detail": " ".join(exc.messages)})
    body = {"consultation_id": c.pk, "received_on": received.opinion.received_on, "created": received.created}
    return Reply(201 if received.created else 200, body)


# --- Citizen initiatives (art. 16) ---------------------------------------------------------------


class InitiativeOut(Schema):
    id: int
    title: str
    proposal: str
    proposed_by: str
    village_code: str
    village_name: str
    opened_on: dt.date
    households_total: int
    needed: int = Field(..., description="Số hộ ủng hộ cần có: ít nhất 10 % tổng số hộ của thôn")
    backing: int
    state: str
    state_label: str
    reached_on: dt.date | None
    matter_id: int | None = Field(None, description="Nội dung bàn và quyết định mà kiến nghị đã thành, nếu có")


def _initiative(i: Initiative, backing: int) -> dict[str, Any]:
    matter = Matter.objects.filter(initiative=i).values_list("pk", flat=True).first()
    return {
        "id": i.pk,
        "title": i.title,
        "proposal": i.proposal,
        "proposed_by": i.proposed_by,
        "village_code": i.village.code,
        "village_name": i.village.name,
        "opened_on": i.opened_on,
        "households_total": i.households_total,
        "needed": i.needed,
        "backing": backing,
        "state": i.state,
        "state_label": i.get_state_display(),
        "reached_on": i.reached_on,
        "matter_id": matter,
    }


@router.get(
    "/initiatives",
    response={200: list[InitiativeOut], 404: ParticipationError},
    summary="Kiến nghị của người dân trong các thôn của một xã",
)
def initiatives(request: HttpRequest, commune_code: str, edition: str = "2025", collecting_only: bool = False) -> Any:
    """The citizen initiatives of a commune's villages (by the commune's GSO code), newest first,
    with their backing; `collecting_only` keeps those still collecting."""
    commune = Unit.objects.filter(kind=UnitKind.COMMUNE, code=commune_code[:20], edition=edition[:10]).first()
    if commune is None:
        return Reply(404, {"detail": _("Không tìm thấy xã, phường có mã “%(c)s”.") % {"c": commune_code[:20]}})
    qs = Initiative.objects.filter(village__path__startswith=commune.path).select_related("village")
    if collecting_only:
        qs = qs.filter(state=InitiativeState.COLLECTING)
    qs = qs.annotate(backing=Count("codes", filter=Q(codes__supported=True))).order_by("-opened_on", "-id")
    return [_initiative(i, i.backing) for i in qs[:100]]


@router.post(
    "/initiatives/support",
    response={200: InitiativeOut, 422: ParticipationError, 429: ParticipationError},
    summary="Hộ ủng hộ kiến nghị bằng mã trên phiếu (mỗi hộ một lần)",
)
def support(request: HttpRequest, response: HttpResponse, payload: HouseholdCodeIn) -> Any:
    """The household's code from its slip, in the body (never in a URL); counted once. When the
    backing reaches 10 % of the village's households, the commune is told and the initiative must
    be put to the community."""
    refused = _limited(request, response)
    if refused:
        return refused
    try:
        item = services.support_initiative(code=payload.code)
    except ValidationError as exc:
        return Reply(422, {"detail": " ".join(exc.messages)})
    return _initiative(item, item.codes.filter(supported=True).count())


class PutIn(Schema):
    subject: int
    method: str
    options: list[str] = Field(default_factory=lambda: list(services.DEFAULT_OPTIONS))


@router.post(
    "/staff/initiatives/{initiative_id}/matter",
    response={200: MatterOut, 400: ParticipationError, 403: ParticipationError, 404: ParticipationError},
    auth=STAFF_AUTH,
    summary="Đưa kiến nghị đủ số hộ ủng hộ ra cộng đồng bàn và quyết định",
)
def staff_put_initiative(request: AuthenticatedHttpRequest, initiative_id: int, payload: PutIn) -> Any:
    item = get_object_or_404(
        scope_queryset(Initiative.objects.select_related("village"), request.user, unit_path="village__path"), pk=initiative_id
    )
    try:
        m = services.put_initiative_to_community(
            initiative=item, by=request.user, subject=payload.subject, method=payload.method[:10], options=payload.options[:20]
        )
    except PermissionDenied as exc:
        return Reply(403, {"detail": str(exc) or _("Bạn không có quyền thực hiện thao tác này.")})
    except ValidationError as exc:
        return Reply(400, {"detail": " ".join(exc.messages)})
    return _matter(Matter.objects.select_related("village", "village__parent").get(pk=m.pk))


# --- Commune-wide matters (art. 21.3) --------------------------------------------------------------


class VillageCountOut(Schema):
    option: str
    villages_passed: int
    villages_total: int
    needed: int
    passed: bool
    explanation: str


class CommuneMatterOut(Schema):
    id: int
    title: str
    description: str
    subject: int
    subject_label: str
    method: str
    state: str
    state_label: str
    commune_code: str
    commune_name: str
    decided_on: dt.date | None
    reference: str
    passed: bool | None
    village_matters: list[MatterOut]
    arithmetic: list[VillageCountOut]


class CommuneMatterIn(Schema):
    commune_code: str = Field(..., max_length=20)
    edition: str = Field("2025", max_length=10)
    subject: int
    method: str = Field(..., max_length=10)
    title: str = Field(..., max_length=300)
    description: str = Field("", max_length=5000)
    options: list[str] = Field(default_factory=lambda: list(services.DEFAULT_OPTIONS))


class DecideIn(Schema):
    decided_on: dt.date
    reference: str = Field("", max_length=100)


def _commune_matter(item: CommuneMatter) -> dict[str, Any]:
    matters, counts = queries.commune_tally(item)
    return {
        "id": item.pk,
        "title": item.title,
        "description": item.description,
        "subject": item.subject,
        "subject_label": item.get_subject_display(),
        "method": item.method,
        "state": item.state,
        "state_label": item.get_state_display(),
        "commune_code": item.commune.code,
        "commune_name": item.commune.name,
        "decided_on": item.decided_on,
        "reference": item.reference,
        "passed": item.passed,
        "village_matters": [_matter(m) for m in matters],
        "arithmetic": [
            {
                "option": c.label,
                "villages_passed": c.villages_passed,
                "villages_total": c.villages_total,
                "needed": c.needed,
                "passed": c.passed,
                "explanation": c.explanation(),
            }
            for c in counts
        ],
    }


@router.get(
    "/commune-matters/{item_id}",
    response={200: CommuneMatterOut, 404: ParticipationError},
    summary="Một nội dung toàn xã: kết quả từng thôn và toàn xã",
)
def commune_matter(request: HttpRequest, item_id: int) -> dict[str, Any]:
    item = get_object_or_404(CommuneMatter.objects.select_related("commune").exclude(state=CommuneMatterState.CANCELLED), pk=item_id)
    return _commune_matter(item)


@router.get("/staff/commune-matters", response=list[CommuneMatterOut], auth=STAFF_AUTH, summary="Nội dung toàn xã trong phạm vi")
def staff_commune_matters(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    qs = scope_queryset(CommuneMatter.objects.select_related("commune"), request.user, unit_path="commune__path")
    return [_commune_matter(item) for item in qs.order_by("-created_at")[:50]]


@router.post(
    "/staff/commune-matters",
    response={201: CommuneMatterOut, 400: ParticipationError, 403: ParticipationError, 404: ParticipationError},
    auth=STAFF_AUTH,
    summary="Đưa một nội dung ra tất cả các thôn của xã bàn và quyết định",
)
def staff_create_commune_matter(request: AuthenticatedHttpRequest, payload: CommuneMatterIn) -> Any:
    commune = Unit.objects.filter(kind=UnitKind.COMMUNE, code=payload.commune_code, edition=payload.edition).first()
    if commune is None:
        return Reply(404, {"detail": _("Không tìm thấy xã, phường có mã “%(c)s”.") % {"c": payload.commune_code}})
    try:
        item = services.create_commune_matter(
            commune=commune,
            by=request.user,
            subject=payload.subject,
            method=payload.method,
            title=payload.title,
            description=payload.description,
            options=payload.options[:20],
        )
    except PermissionDenied as exc:
        return Reply(403, {"detail": str(exc) or _("Bạn không có quyền thực hiện thao tác này.")})
    except ValidationError as exc:
        return Reply(400, {"detail": " ".join(exc.messages)})
    return Reply(201, _commune_matter(item))


@router.post(
    "/staff/commune-matters/{item_id}/decide",
    response={200: CommuneMatterOut, 400: ParticipationError, 403: ParticipationError, 404: ParticipationError},
    auth=STAFF_AUTH,
    summary="Tổng hợp kết quả toàn xã khi tất cả các thôn đã có kết quả",
)
def staff_decide_commune_matter(request: AuthenticatedHttpRequest, item_id: int, payload: DecideIn) -> Any:
    item = access_commune_matter(actor=request.user, item_id=item_id)
    try:
        item = services.decide_commune_matter(item=item, by=request.user, on=payload.decided_on, reference=payload.reference)
    except PermissionDenied as exc:
        return Reply(403, {"detail": str(exc) or _("Bạn không có quyền thực hiện thao tác này.")})
    except ValidationError as exc:
        return Reply(400, {"detail": " ".join(exc.messages)})
    return _commune_matter(item)
