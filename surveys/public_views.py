"""The questionnaire as respondents see it: by one-time token or by a commune's open link."""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from surveys import services
from surveys.forms import language_choices, language_of, question_items, raw_answers
from surveys.models import CampaignState, Group, Mode, Stratum, Token, hash_token
from units.models import Unit

DEVICE_COOKIE = "survey_device"
DEVICE_SALT = "surveys.device"
START_SALT = "surveys.started"
DEVICE_MAX_AGE = 60 * 60 * 24 * 400


def _stratum_qs() -> Any:
    return Stratum.objects.select_related("form__campaign", "form__version__instrument", "unit")


def _message(request: HttpRequest, heading: str, message: str, *, clear_key: str = "", status: int = 200) -> HttpResponse:
    return render(request, "surveys/public/message.html", {"heading": heading, "message": message, "clear_key": clear_key}, status=status)


def _closed(request: HttpRequest) -> HttpResponse:
    return _message(
        request, _("Khảo sát chưa mở hoặc đã kết thúc"), _("Cảm ơn ông/bà đã quan tâm. Hiện khảo sát này không nhận phiếu."), status=410
    )


def _duration(request: HttpRequest) -> int | None:
    try:
        started = float(signing.loads(request.POST.get("started", ""), salt=START_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return max(0, int(time.time() - started))


def _verify_phone(request: HttpRequest, stratum: Stratum, session_key: str) -> HttpResponse:
    """Optional verification: a one-time code by SMS. The session keeps only the number's keyed
    digest until the answers are sent; the answers never carry it."""
    context: dict[str, Any] = {"stratum": stratum, "version": stratum.form.version, "phone": "", "code_sent": False, "errors": {}}
    if request.method == "POST":
        phone = request.POST.get("phone", "")
        context["phone"] = phone
        try:
            if request.POST.get("action") == "confirm":
                context["code_sent"] = True
                request.session[session_key] = services.confirm_phone_code(stratum=stratum, phone=phone, code=request.POST.get("code", ""))
                return redirect(request.path)
            services.request_phone_code(stratum=stratum, phone=phone)
            context["code_sent"] = True
        except ValidationError as exc:
            context["errors"] = exc.message_dict
    return render(request, "surveys/public/verify.html", context, status=400 if context["errors"] else 200)


def _questionnaire(
    request: HttpRequest,
    stratum: Stratum,
    *,
    mode: str,
    storage_key: str,
    token: str = "",
    device: str = "",
    phone: str = "",
    answering: bool = True,
) -> HttpResponse:
    """The questionnaire; on POST with `answering`, the answers are submitted."""
    version = stratum.form.version
    language = language_of(version, request.POST.get("lang") or request.GET.get("lang"))
    context: dict[str, Any] = {
        "stratum": stratum,
        "campaign": stratum.form.campaign,
        "version": version,
        "storage_key": storage_key,
        "token": token,
        "language": language,
        "languages": language_choices(version),
    }
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if request.method == "POST" and answering:
        values = raw_answers(version, request.POST)
        try:
            services.submit_response(
                stratum=stratum,
                raw=values,
                mode=mode,
                token=token,
                device_id=device,
                phone_digest=phone,
                duration_seconds=_duration(request),
                language=language,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            context["errors"] = True
        except services.SubmissionRefused as exc:
            return _message(request, _("Không nhận được phiếu"), str(exc), clear_key=storage_key, status=409)
        else:
            return redirect("surveys_public:thanks", key=storage_key)
    context["sections"] = question_items(version, values, errors, language)
    context["started"] = signing.dumps(time.time(), salt=START_SALT)
    return render(request, "surveys/public/form.html", context, status=400 if errors else 200)


@never_cache
def token_form(request: HttpRequest) -> HttpResponse:
    """A one-time token is typed in, or read by the page's script from the URL *fragment* of the QR
    code (a fragment is never sent to the server), and always arrives by POST: no request line, and
    so no access or error log, ever holds it."""
    code = request.POST.get("token", "").strip() if request.method == "POST" else ""
    if not code:
        return render(request, "surveys/public/token.html", {}, status=400 if request.method == "POST" else 200)
    found = Token.objects.filter(digest=hash_token(code)).first()
    if found is None:
        return render(
            request,
            "surveys/public/token.html",
            {"error": _("Mã mời không đúng. Vui lòng kiểm tra và nhập lại mã in trên phiếu mời.")},
            status=400,
        )
    stratum = _stratum_qs().get(pk=found.stratum_id)
    if stratum.form.campaign.state != CampaignState.OPEN:
        return _closed(request)
    if found.used:
        return _message(request, _("Mã mời đã được sử dụng"), _("Mỗi mã mời chỉ trả lời được một lần. Cảm ơn ông/bà."), status=409)
    # The draft kept on the phone is keyed by the stratum's open key (in the thanks URL): nothing
    # derived from the token reaches a request line.
    return _questionnaire(
        request,
        stratum,
        mode=Mode.TOKEN,
        storage_key=f"t-{stratum.open_key}",
        token=code,
        answering=request.POST.get("action") == "answer",
    )


@never_cache
def open_form(request: HttpRequest, key: str) -> HttpResponse:
    try:
        stratum = _stratum_qs().get(open_key=key)
    except Stratum.DoesNotExist as exc:
        raise Http404 from exc
    if stratum.form.campaign.state != CampaignState.OPEN:
        return _closed(request)
    device = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT) or ""
    new_device = not device
    if new_device:
        if request.method == "POST":
            return _message(
                request,
                _("Cần bật cookie"),
                _("Để mỗi thiết bị chỉ gửi một phiếu, vui lòng cho phép cookie rồi mở lại đường dẫn."),
                status=400,
            )
        device = secrets.token_urlsafe(16)
    session_key = f"survey_phone_{stratum.pk}"
    if stratum.form.campaign.verify_phone and not request.session.get(session_key):
        response = _verify_phone(request, stratum, session_key)
    else:
        response = _questionnaire(
            request,
            stratum,
            mode=Mode.OPEN,
            storage_key=f"o-{key}",
            device=f"{stratum.pk}:{device}",
            phone=request.session.get(session_key, ""),
        )
        if response.status_code == 302:
            request.session.pop(session_key, None)
    if new_device:
        response.set_signed_cookie(
            DEVICE_COOKIE, device, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
        )
    return response


def thanks(request: HttpRequest, key: str) -> HttpResponse:
    return _message(request, _("Cảm ơn ông/bà!"), _("Phiếu đã được gửi thành công."), clear_key=key[:40])


# --- Sections on other pages -----------------------------------------------------------------
def portal_unit_section(*, request: HttpRequest, unit: Unit, **_: Any) -> dict[str, Any] | None:
    """On a commune's public page: the surveys of citizens open now for that commune, with their
    open links. Only the citizens' questionnaires: the officials', organisations' and businesses'
    reach their respondents through invitations, never a public link."""
    strata = list(
        Stratum.objects.filter(unit=unit, form__group=Group.CITIZENS, form__campaign__state=CampaignState.OPEN)
        .select_related("form__campaign", "form__version__instrument")
        .order_by("form__campaign__ends_on", "form__version__instrument__code")
    )
    return {"strata": strata} if strata else None
