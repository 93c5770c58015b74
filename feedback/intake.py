"""What every public entry point (web form, JSON API, Open311) does around submit_case, in this
order: the per-client rate limit; an idempotent retry answered with the first code; the report
registered, and only then counted against the client.

An `Idempotency-Key` is bound to the client that sent it and to the content it came with: the case
stores a keyed hash of (client, key) and a keyed hash of the normalised content, nothing else. A
retry from the same client with the same content gets the same code; the same key with other
content is refused (IdempotencyKeyReused); another client's key is just another key, so nobody can
claim someone else's report by replaying its key."""

from __future__ import annotations

import json
import unicodedata
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


class IdempotencyKeyReused(Exception):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Khoá Idempotency-Key này đã được dùng cho một phản ánh có nội dung khác. "
                "Mỗi phản ánh mới cần một khoá mới (ví dụ tạo bằng uuidgen)."
            )
        )


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", " ".join(str(value or "").split()))


def payload_digest(report: services.Report) -> str:
    """A keyed hash of what the report says, normalised (spacing, Unicode form, the commune by id,
    files by name and size), so a retry of the same report matches and any other report does not."""
    normalised = {
        "category": _text(report.category),
        "kind": _text(report.kind),
        "unit": report.concerned_unit.pk,
        "about_officials": report.about_officials,
        "description": _text(report.description),
        "contact": {k: _text(v) for k, v in sorted(report.contact.items()) if _text(v)},
        "allow_publication": report.allow_publication,
        "lat": report.latitude,
        "long": report.longitude,
        "location": _text(report.location_text),
        "files": sorted((up.name, getattr(up.file, "size", None)) for up in report.uploads),
    }
    return crypto.digest(json.dumps(normalised, sort_keys=True, ensure_ascii=False), purpose="idempotency-payload")


def key_digest(idempotency_key: str, *, client: str) -> str | None:
    key = (idempotency_key or "").strip()[:200]
    return crypto.digest(f"{client}:{key}", purpose="idempotency") if key else None


def _replay(key: str | None, payload: str) -> services.Submission | None:
    if key is None:
        return None
    case = Case.objects.filter(idempotency_digest=key).first()
    if case is None:
        return None
    if case.idempotency_payload_digest != payload:
        raise IdempotencyKeyReused
    return services.Submission(case, crypto.decrypt(case.code_encrypted), False)


def submit_from_client(request: HttpRequest, *, report: services.Report, idempotency_key: str) -> services.Submission:
    """Raises Throttled, IdempotencyKeyReused, or ValidationError from the service; the case is
    committed on return. Only an accepted new report takes a token from the client's bucket: a
    refused, invalid or repeated submission costs nothing."""
    rate, client = throttle.submit_rate(), throttle.client_key(request)
    wait = ratelimit.retry_after(rate, client)
    if wait:
        raise Throttled(wait)
    key, payload = key_digest(idempotency_key, client=client), payload_digest(report)
    previous = _replay(key, payload)
    if previous is not None:
        return previous
    # Take before registering, so two concurrent requests cannot both spend the last token; give
    # it back if the report is refused.
    wait = ratelimit.take(rate, client)
    if wait:
        raise Throttled(wait)
    try:
        return services.submit_case(report=report, idempotency_digest=key, payload_digest=payload)
    except services.IdempotencyConflict:
        ratelimit.give_back(rate, client)
        replayed = _replay(key, payload)
        if replayed is None:  # cannot happen: the conflict means the twin's case is committed
            raise
        return replayed
    except BaseException:
        ratelimit.give_back(rate, client)
        raise
