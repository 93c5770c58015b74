"""Staff, read-only: campaigns in scope and their satisfaction index with 95 % intervals.

Public (a Zalo mini app or any client): a questionnaire by one-time token or by a commune's open
link, and its answers sent back through the same service as the web form (services.submit_once →
submit_response): the same validation, anonymity, quotas and one answer per token or device, with
an `Idempotency-Key` and per-client rate limits (core.ratelimit, 429 with `Retry-After`). The token
travels in the `Survey-Token` header, never in a URL, so no request line or access log holds it."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Reply

from accounts.api_auth import STAFF_AUTH
from core import ratelimit
from core.client_address import client_address
from core.crypto import digest
from surveys import conf, expressions, queries, services, statistics
from surveys.forms import language_of, likert_options
from surveys.models import DEFAULT_LANGUAGE, Campaign, CampaignState, Group, Mode, Question, QuestionKind, Stratum, Token, hash_token
from surveys.permissions import access_campaign, campaign_filter, result_roots

router = Router(tags=["surveys"])


class CampaignOut(Schema):
    id: int
    title: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    state: str
    anonymous: bool


class CellOut(Schema):
    key: str
    label: str
    n: int | None
    suppressed: bool
    share: float | None
    share_lci: float | None
    share_uci: float | None
    mean: float | None
    mean_lci: float | None
    mean_uci: float | None
    rank_best: int | None
    rank_worst: int | None


class WeightingOut(Schema):
    adjusted: bool
    variables: list[str]
    label: str


class IndexOut(Schema):
    campaign: CampaignOut
    weighting: WeightingOut
    elements: list[CellOut]
    breakdown: list[CellOut]


def _cell(c: statistics.IndexCell) -> CellOut:
    return CellOut(
        key=c.key,
        label=c.label,
        n=c.n,
        suppressed=c.suppressed,
        share=c.share.est if c.share else None,
        share_lci=c.share.lci if c.share else None,
        share_uci=c.share.uci if c.share else None,
        mean=c.mean.est if c.mean else None,
        mean_lci=c.mean.lci if c.mean else None,
        mean_uci=c.mean.uci if c.mean else None,
        rank_best=c.rank_best,
        rank_worst=c.rank_worst,
    )


@router.get("/campaigns", response=list[CampaignOut], auth=STAFF_AUTH)
def list_campaigns(request: HttpRequest) -> list[Campaign]:
    return list(Campaign.objects.filter(campaign_filter(request.user)).distinct()[:200])


@router.get("/campaigns/{campaign_id}/index", response=IndexOut, auth=STAFF_AUTH)
def campaign_index(request: HttpRequest, campaign_id: int, by: str = "district", group: str = "") -> IndexOut:
    """Index per element, and per `by` (district, commune or group); cells under the campaign's
    threshold, and those hidden so that no other cell can be worked out from them, are suppressed
    (no figures, no count). Shares are rounded to 0.001 (0.1 point), mean scores to 0.01."""
    campaign = access_campaign(actor=request.user, campaign_id=campaign_id)
    view = queries.reading(
        campaign=campaign, roots=result_roots(request.user, campaign), group=group if group in Group.values else statistics.ALL
    )
    by = by if by in ("district", "commune", "group") else "district"
    weighting = queries.weighting(campaign)
    return IndexOut(
        campaign=CampaignOut.from_orm(campaign),
        weighting=WeightingOut(adjusted=weighting.adjusted, variables=list(weighting.variables), label=weighting.label),
        elements=[_cell(c) for c in queries.element_cells(view=view)],
        breakdown=[_cell(c) for c in queries.index_cells(view=view, by=by)],
    )


# --- Public: a questionnaire shown and answered by a mini app ------------------------------------
TOKEN_HEADER = "Survey-Token"  # noqa: S105  # a header name, not a secret
START_SALT = "surveys.api.started"
_TOKEN_PARAMETER = {"in": "header", "name": TOKEN_HEADER, "required": True, "schema": {"type": "string"}}
_KEY_PARAMETER = {"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string"}}


class SurveyError(Schema):
    # A message, or (a request the schema refuses: 422) django-ninja's list of field errors.
    detail: str | list[dict[str, Any]]
    # Invalid answers: the message for each question, by its code.
    errors: dict[str, str] = {}


class ChoiceOut(Schema):
    value: str
    label: str = Field(description="Nhãn theo ngôn ngữ mặc định của phiếu")
    labels: dict[str, str] = Field(description="Nhãn theo từng ngôn ngữ của phiếu")


class Condition(Schema):
    text: str = Field(description="Biểu thức XLSForm như phiếu viết, ví dụ ${age} >= 18")
    tree: Any = Field(description="Cây biểu thức đã phân tích, trang trả lời dùng đúng cây này (surveys.expressions)")


class GroupOut(Schema):
    name: str
    labels: dict[str, str]
    relevant: Condition | None


class QuestionOut(Schema):
    code: str
    kind: str = Field(description="likert, single, multiple, number, integer, date, short_text, long_text, note, calculate")
    takes_answer: bool
    required: bool
    label: str
    labels: dict[str, str]
    hints: dict[str, str]
    choices: list[ChoiceOut]
    groups: list[GroupOut] = Field(description="Các nhóm lồng nhau chứa câu hỏi, ngoài cùng trước")
    relevant: Condition | None
    constraint: Condition | None
    constraint_messages: dict[str, str]
    calculation: Condition | None
    min_value: float | None
    max_value: float | None
    appearance: str
    show_if_code: str = Field(description="Quy tắc hiện câu của trình soạn: chỉ hiện khi câu này được trả lời bằng show_if_value")
    show_if_value: str


class SectionOut(Schema):
    name: str
    title: str
    labels: dict[str, str]
    relevant: Condition | None
    questions: list[QuestionOut]


class FormOut(Schema):
    campaign: str
    ends_on: dt.date
    instrument: str
    version: int
    title: str
    intro: str
    group: str
    languages: list[str] = Field(description=f"Ngôn ngữ của phiếu, mặc định trước ('{DEFAULT_LANGUAGE}': cột label không ghi ngôn ngữ)")
    default_language: str
    verify_phone: bool = Field(description="Đợt khảo sát yêu cầu xác minh số điện thoại: chỉ trả lời được trên trang web")
    started: str = Field(description="Gửi lại nguyên giá trị này khi nộp phiếu (để nhận biết phiếu làm quá nhanh)")
    sections: list[SectionOut]


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(description="Câu trả lời theo mã câu hỏi; chọn nhiều là một danh sách")
    language: str = ""
    started: str = ""
    device: str = Field("", description="Mã ngẫu nhiên của thiết bị, giữ cố định (đường dẫn mở: mỗi thiết bị một phiếu)")


class AcceptedOut(Schema):
    accepted: bool
    replayed: bool = Field(description="true: cùng Idempotency-Key và cùng nội dung đã được nhận trước đó; không lưu thêm")
    message: str


def _condition(text: str) -> Condition | None:
    return Condition(text=text, tree=expressions.parse(text)) if text else None


def _choices(q: Question) -> list[ChoiceOut]:
    if q.kind == QuestionKind.LIKERT and not q.choices:
        return [ChoiceOut(value=v, label=label, labels={}) for v, label in likert_options()]
    return [
        ChoiceOut(value=str(v), label=str(label), labels={str(k): str(t) for k, t in q.choice_labels.get(str(v), {}).items()})
        for v, label in q.choices
    ]


def _question(q: Question) -> QuestionOut:
    return QuestionOut(
        code=q.code,
        kind=q.kind,
        takes_answer=q.takes_answer,
        required=q.required and q.takes_answer,
        label=q.text,
        labels={str(k): str(v) for k, v in q.labels.items()},
        hints={str(k): str(v) for k, v in q.hints.items()},
        choices=_choices(q),
        groups=[
            GroupOut(
                name=str(g["name"]),
                labels={str(k): str(v) for k, v in g.get("labels", {}).items()},
                relevant=_condition(g.get("relevant", "")),
            )
            for g in q.groups
        ],
        relevant=_condition(q.relevant),
        constraint=_condition(q.constraint),
        constraint_messages={str(k): str(v) for k, v in q.constraint_messages.items()},
        calculation=_condition(q.calculation),
        min_value=q.min_value,
        max_value=q.max_value,
        appearance=q.appearance,
        show_if_code=q.show_if_code,
        show_if_value=q.show_if_value,
    )


def _form(stratum: Stratum) -> FormOut:
    version, campaign = stratum.form.version, stratum.form.campaign
    languages = [str(lang) for lang in version.languages] or [DEFAULT_LANGUAGE]
    return FormOut(
        campaign=campaign.title,
        ends_on=campaign.ends_on,
        instrument=version.instrument.code,
        version=version.number,
        title=version.title,
        intro=version.intro,
        group=stratum.form.group,
        languages=languages,
        default_language=languages[0],
        verify_phone=campaign.verify_phone,
        started=signing.dumps(time.time(), salt=START_SALT),
        sections=[
            SectionOut(
                name=section.name,
                title=section.title,
                labels={str(k): str(v) for k, v in section.labels.items()},
                relevant=_condition(section.relevant),
                questions=[_question(q) for q in section.questions.all()],
            )
            for section in version.sections.prefetch_related("questions")
        ],
    )


def _client(request: HttpRequest) -> str:
    return digest(client_address(request), purpose="surveys-client")[:32]


def _submit_rate() -> ratelimit.Rate:
    return ratelimit.Rate("surveys-submit", burst=conf.SUBMIT_BURST, per_hour=conf.SUBMIT_PER_HOUR)


def _lookup_rate() -> ratelimit.Rate:
    return ratelimit.Rate("surveys-lookup", burst=conf.LOOKUP_BURST, per_hour=conf.LOOKUP_PER_HOUR)


def _too_many(response: HttpResponse, wait: int) -> Reply[dict[str, Any]]:
    response["Retry-After"] = str(max(1, int(wait)))
    minutes = max(1, round(wait / 60))
    return Reply(429, {"detail": _("Quá nhiều yêu cầu từ địa chỉ này. Vui lòng thử lại sau khoảng %(m)d phút.") % {"m": minutes}})


def _closed() -> Reply[dict[str, Any]]:
    return Reply(410, {"detail": _("Khảo sát chưa mở hoặc đã kết thúc; hiện không nhận phiếu.")})


def _stratum_qs() -> Any:
    return Stratum.objects.select_related("form__campaign", "form__version__instrument", "unit")


def _by_token(request: HttpRequest) -> tuple[Stratum | None, Reply[dict[str, Any]] | None]:
    """The token's stratum, or the reply refusing it. Every look-up counts against the client
    (against guessing tokens)."""
    code = request.headers.get(TOKEN_HEADER, "").strip()
    found = Token.objects.filter(digest=hash_token(code)).first() if code else None
    if found is None:
        return None, Reply(404, {"detail": _("Mã mời không đúng. Vui lòng kiểm tra và nhập lại mã in trên phiếu mời.")})
    stratum = _stratum_qs().get(pk=found.stratum_id)
    if stratum.form.campaign.state != CampaignState.OPEN:
        return None, _closed()
    if found.used:
        return None, Reply(409, {"detail": _("Mã mời đã được sử dụng. Mỗi mã mời chỉ trả lời được một lần.")})
    return stratum, None


def _by_open_key(key: str) -> tuple[Stratum | None, Reply[dict[str, Any]] | None]:
    stratum = _stratum_qs().filter(open_key=key).first()
    if stratum is None:
        return None, Reply(404, {"detail": _("Không có khảo sát theo đường dẫn này.")})
    if stratum.form.campaign.state != CampaignState.OPEN:
        return None, _closed()
    return stratum, None


def _duration(started: str) -> int | None:
    try:
        return max(0, int(time.time() - float(signing.loads(started, salt=START_SALT))))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _invalid(exc: ValidationError, stratum: Stratum) -> Reply[dict[str, Any]]:
    """422 naming each question: its code and its text as the respondent read it."""
    if not hasattr(exc, "error_dict"):
        return Reply(422, {"detail": " ".join(exc.messages), "errors": {}})
    texts = dict(stratum.form.version.questions.values_list("code", "text"))
    errors = {code: " ".join(messages) for code, messages in exc.message_dict.items()}
    lines = [
        _("Câu “%(code)s” (%(text)s): %(message)s") % {"code": code, "text": texts[code][:80], "message": message}
        if code in texts
        else message
        for code, message in errors.items()
    ]
    return Reply(422, {"detail": " ".join(lines), "errors": errors})


def _submit(request: HttpRequest, response: HttpResponse, stratum: Stratum, payload: AnswersIn, *, mode: str, token: str = "") -> Any:
    """Only an accepted new questionnaire takes from the client's bucket: a refused, invalid or
    repeated one is given back (the check comes first, so a client over the limit is told when
    to come back)."""
    rate, client = _submit_rate(), _client(request)
    wait = ratelimit.take(rate, client)
    if wait:
        return _too_many(response, wait)
    device = ""
    if mode == Mode.OPEN:
        if stratum.form.campaign.verify_phone:
            ratelimit.give_back(rate, client)
            return Reply(
                409, {"detail": _("Đợt khảo sát này xác minh người trả lời bằng mã SMS: vui lòng trả lời trên trang web của khảo sát.")}
            )
        if len(payload.device.strip()) < 16:
            ratelimit.give_back(rate, client)
            return Reply(422, {"detail": _("Thiếu mã thiết bị (device, ít nhất 16 ký tự ngẫu nhiên, giữ cố định trên thiết bị).")})
        device = f"{stratum.pk}:{payload.device.strip()[:200]}"
    version = stratum.form.version
    try:
        created = services.submit_once(
            stratum=stratum,
            raw=payload.answers,
            mode=mode,
            token=token,
            device_id=device,
            duration_seconds=_duration(payload.started),
            language=language_of(version, payload.language),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
    except ValidationError as exc:
        ratelimit.give_back(rate, client)
        return _invalid(exc, stratum)
    except services.IdempotencyKeyReused as exc:
        ratelimit.give_back(rate, client)
        return Reply(422, {"detail": str(exc)})
    except services.SubmissionRefused as exc:
        ratelimit.give_back(rate, client)
        return Reply(409, {"detail": str(exc)})
    if not created:
        ratelimit.give_back(rate, client)
    body = {"accepted": True, "replayed": not created, "message": _("Phiếu đã được gửi thành công. Cảm ơn ông/bà!")}
    return Reply(201 if created else 200, body)


@router.get(
    "/public/token/form",
    response={200: FormOut, 404: SurveyError, 409: SurveyError, 410: SurveyError, 429: SurveyError},
    summary="Phiếu khảo sát theo mã mời một lần (mã trong header Survey-Token)",
    openapi_extra={"parameters": [_TOKEN_PARAMETER]},
)
def token_form(request: HttpRequest, response: HttpResponse) -> Any:
    wait = ratelimit.take(_lookup_rate(), _client(request))
    if wait:
        return _too_many(response, wait)
    stratum, refusal = _by_token(request)
    return refusal if stratum is None else _form(stratum)


@router.post(
    "/public/token/responses",
    response={200: AcceptedOut, 201: AcceptedOut, 404: SurveyError, 409: SurveyError, 410: SurveyError, 422: SurveyError, 429: SurveyError},
    summary="Gửi phiếu bằng mã mời một lần (mã trong header Survey-Token)",
    openapi_extra={"parameters": [_TOKEN_PARAMETER, _KEY_PARAMETER]},
)
def token_submit(request: HttpRequest, response: HttpResponse, payload: AnswersIn) -> Any:
    """A used token is refused (409), unless this is a retry with the same `Idempotency-Key` and
    the same answers, which gets the first answer again (200, nothing stored)."""
    wait = ratelimit.retry_after(_lookup_rate(), _client(request))
    if wait:
        return _too_many(response, wait)
    code = request.headers.get(TOKEN_HEADER, "").strip()
    found = Token.objects.filter(digest=hash_token(code)).first() if code else None
    if found is None:
        ratelimit.take(_lookup_rate(), _client(request))
        return Reply(404, {"detail": _("Mã mời không đúng. Vui lòng kiểm tra và nhập lại mã in trên phiếu mời.")})
    stratum = _stratum_qs().get(pk=found.stratum_id)
    if stratum.form.campaign.state != CampaignState.OPEN:
        return _closed()
    return _submit(request, response, stratum, payload, mode=Mode.TOKEN, token=code)


@router.get(
    "/public/open/{key}/form",
    response={200: FormOut, 404: SurveyError, 410: SurveyError},
    summary="Phiếu khảo sát theo đường dẫn mở của xã (mã trong đường dẫn /khao-sat/m/<mã>/)",
)
def open_form(request: HttpRequest, key: str) -> Any:
    stratum, refusal = _by_open_key(key)
    return refusal if stratum is None else _form(stratum)


@router.post(
    "/public/open/{key}/responses",
    response={200: AcceptedOut, 201: AcceptedOut, 404: SurveyError, 409: SurveyError, 410: SurveyError, 422: SurveyError, 429: SurveyError},
    summary="Gửi phiếu theo đường dẫn mở (mỗi thiết bị một phiếu)",
    openapi_extra={"parameters": [_KEY_PARAMETER]},
)
def open_submit(request: HttpRequest, response: HttpResponse, key: str, payload: AnswersIn) -> Any:
    stratum, refusal = _by_open_key(key)
    if stratum is None:
        return refusal
    return _submit(request, response, stratum, payload, mode=Mode.OPEN)
