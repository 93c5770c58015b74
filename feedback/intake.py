"""What every public entry point (web form, JSON API, Open311) does around submit_case: an
idempotent retry answers with the first code before anything else, then the per-client rate limit."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from feedback import conf, crypto, services, throttle
from feedback.models import Case


class Throttled(Exception):
    def __init__(self) -> None:
        super().__init__(_("Bạn đã gửi nhiều phản ánh trong một giờ qua. Vui lòng thử lại sau."))


def replay(idempotency_key: str) -> services.Submission | None:
    if not idempotency_key:
        return None
    case = Case.objects.filter(idempotency_digest=crypto.digest(idempotency_key[:200], purpose="idempotency")).first()
    return services.Submission(case, crypto.decrypt(case.code_encrypted), False) if case else None


def check_rate(request: HttpRequest) -> None:
    if not throttle.allow("submit", throttle.client_key(request), limit=conf.SUBMIT_LIMIT_PER_HOUR, window=3600):
        raise Throttled


def submit_from_client(request: HttpRequest, *, idempotency_key: str, **fields: Any) -> services.Submission:
    """Raises Throttled, or ValidationError from the service; the case is committed on return."""
    previous = replay(idempotency_key)
    if previous is not None:
        return previous
    check_rate(request)
    return services.submit_case(idempotency_key=idempotency_key[:200], **fields)
