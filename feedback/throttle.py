"""Abuse resistance without third-party CAPTCHAs: per-client token buckets (core.ratelimit, in the
database, shared by every worker), a honeypot and a signed form timestamp. Clients are known only
by a keyed hash of their address (core.client_address); no address is ever stored."""

from __future__ import annotations

import time

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from core import ratelimit
from core.client_address import client_address
from feedback import conf, crypto

_SALT = "feedback.form-started"
DEVICE_COOKIE = "gr_device"


def client_key(request: HttpRequest) -> str:
    return crypto.digest(client_address(request), purpose="client")[:32]


def submit_rate() -> ratelimit.Rate:
    return ratelimit.Rate("feedback-submit", burst=conf.SUBMIT_BURST, per_hour=conf.SUBMIT_PER_HOUR)


def track_rate() -> ratelimit.Rate:
    return ratelimit.Rate("feedback-track", burst=conf.TRACK_BURST, per_hour=conf.TRACK_PER_HOUR)


def rating_rate() -> ratelimit.Rate:
    return ratelimit.Rate("feedback-rating", burst=conf.RATING_BURST, per_hour=conf.RATING_PER_HOUR)


def _device_counter_rate() -> ratelimit.Rate:
    # One rating per device per counter per window: a bucket of one token refilled once a window.
    return ratelimit.Rate("feedback-rated", burst=1, per_hour=3600 / conf.RATING_WINDOW_SECONDS)


def with_retry_after(response: HttpResponse, seconds: int) -> HttpResponse:
    """Every 429 says when to come back (RFC 9110, 10.2.3)."""
    response["Retry-After"] = str(max(1, int(seconds)))
    return response


def tracking_wait(request: HttpRequest) -> int:
    """Take one lookup for this client: 0 when allowed, else the seconds to wait. Every lookup
    counts, found or not (the limit is against guessing codes)."""
    return ratelimit.take(track_rate(), client_key(request))


def form_started_token() -> str:
    return signing.dumps(time.time(), salt=_SALT)


def filled_by_person(token: str) -> bool:
    """The form was rendered by us at least conf.MIN_FILL_SECONDS ago (and not days ago)."""
    try:
        started = float(signing.loads(token, salt=_SALT, max_age=conf.MAX_FORM_AGE_SECONDS))
    except (signing.BadSignature, TypeError, ValueError):
        return False
    return time.time() - started >= conf.MIN_FILL_SECONDS


def device_id(request: HttpRequest) -> str | None:
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=_SALT)
    return value or None


def new_device_id() -> str:
    import secrets

    return secrets.token_urlsafe(16)


def set_device_cookie(response: HttpResponseBase, value: str) -> None:
    response.set_signed_cookie(DEVICE_COOKIE, value, salt=_SALT, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")


def rating_wait(request: HttpRequest, *, counter_id: int, device: str) -> int:
    """Take the rating's tokens: 0 when this device may rate this counter now (one rating per
    device per counter per window, and a per-client cap for devices that drop their cookie), else
    the seconds to wait. A refused rating takes nothing."""
    client, device_key = client_key(request), crypto.digest(f"{counter_id}:{device}", purpose="device")[:32]
    wait = ratelimit.retry_after(rating_rate(), client)
    if wait:
        return wait
    wait = ratelimit.take(_device_counter_rate(), device_key)
    if wait:
        return wait
    wait = ratelimit.take(rating_rate(), client)
    if wait:
        ratelimit.give_back(_device_counter_rate(), device_key)
    return wait
