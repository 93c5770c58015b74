"""Abuse resistance without third-party CAPTCHAs: per-client rate limits in Django's cache
(LocMemCache in embedded mode, Redis in production), a honeypot and a signed form timestamp.
Clients are known only by a keyed hash that lives in the cache, never in the database."""

from __future__ import annotations

import time

from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from core.client_address import client_address
from feedback import conf, crypto

_SALT = "feedback.form-started"
DEVICE_COOKIE = "gr_device"


def client_key(request: HttpRequest) -> str:
    return crypto.digest(client_address(request), purpose="client")[:32]


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit for `key` in `scope`; False once more than `limit` hits fell in the window."""
    cache_key = f"feedback:rl:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit


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


def set_device_cookie(response: object, value: str) -> None:
    response.set_signed_cookie(DEVICE_COOKIE, value, salt=_SALT, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")  # type: ignore[attr-defined]


def rating_allowed(request: HttpRequest, *, counter_id: int, device: str) -> bool:
    """One rating per device per counter per window, and a per-client hourly cap for devices
    that drop their cookie."""
    key = crypto.digest(device, purpose="device")[:32]
    if not cache.add(f"feedback:rated:{counter_id}:{key}", 1, timeout=conf.RATING_WINDOW_SECONDS):
        return False
    return allow("rating", client_key(request), limit=conf.RATING_LIMIT_PER_HOUR, window=3600)
