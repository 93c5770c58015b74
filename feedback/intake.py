"""What every public entry point (web form, JSON API, Open311) does around submit_case: the
per-client rate limit first, then an idempotent retry answers with the first code, then the report
is registered and only then counted against the client."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from core import ratelimit
from feedback import crypto, services, throttle
from feedback.models import Case


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        minutes = max(1, round(retry_after / 60))
        super().__init__(_("Bạn đã gửi nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau khoảng %(m)d phút.") % {"m": minutes})


def replay(idempotency_key: str) -> services.Submission | None:
    if not idempotency_key:
        return None
    case = Case.objects.filter(idempotency_digest=crypto.digest(idempotency_key[:200], purpose="idempotency")).first()
    return services.Submission(case, crypto.decrypt(case.code_encrypted), False) if case else None


def submit_from_client(request: HttpRequest, *, idempotency_key: str, **fields: Any) -> services.Submission:
    """Raises Throttled, or ValidationError from the service; the case is committed on return.
    Only an accepted new report takes a token from the client's bucket: a refused, invalid or
    repeated submission costs nothing."""
    rate, client = throttle.submit_rate(), throttle.client_key(request)
    wait = ratelimit.retry_after(rate, client)
    if wait:
        raise Throttled(wait)
    previous = replay(idempotency_key)
    if previous is not None:
        return previous
    # Take before registering, so two concurrent requests cannot both spend the last token; give
    # it back if the report is refused.
    wait = ratelimit.take(rate, client)
    if wait:
        raise Throttled(wait)
    try:
        submission = services.submit_case(idempotency_key=idempotency_key[:200], **fields)
    except BaseException:
        ratelimit.give_back(rate, client)
        raise
    if not submission.created:
        ratelimit.give_back(rate, client)
    return submission
