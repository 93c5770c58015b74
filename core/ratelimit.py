"""Rate limits with bursts, shared by every worker without Redis: a token bucket per client and
scope in the database (core.RateBucket).

A bucket holds at most `burst` tokens and refills at `per_hour`; a request that is let through
takes one. Callers check first and take only for what they accept (`take` before the work, `give_back`
when the work was refused), so a refused, invalid or duplicate request costs the client nothing.
Every change is one conditional UPDATE on the row's version (optimistic locking), the same on
SQLite and PostgreSQL: two concurrent requests cannot both spend the last token.

Keys are whatever the caller passes; pass a keyed hash (feedback.throttle.client_key), never a raw
address, since the row is stored.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.models import RateBucket

# Concurrent writers retry this many times before the request is answered "try again in a second".
_ATTEMPTS = 20


@dataclass(frozen=True)
class Rate:
    scope: str
    burst: int
    per_hour: float

    @property
    def per_second(self) -> float:
        return self.per_hour / 3600


def _refilled(rate: Rate, tokens: float, since: dt.datetime, now: dt.datetime) -> float:
    elapsed = max(0.0, (now - since).total_seconds())
    return min(float(rate.burst), tokens + elapsed * rate.per_second)


def _wait(rate: Rate, tokens: float) -> int:
    """Whole seconds until one token is back (at least 1)."""
    if rate.per_second <= 0:
        return 3600
    return max(1, math.ceil((1 - tokens) / rate.per_second))


def retry_after(rate: Rate, key: str) -> int:
    """0 when `key` may make a request in `rate.scope` now, else the seconds to wait. Takes nothing."""
    row = RateBucket.objects.filter(scope=rate.scope, key=key).values("tokens", "updated_at").first()
    if row is None:
        return 0 if rate.burst >= 1 else _wait(rate, 0.0)
    tokens = _refilled(rate, row["tokens"], row["updated_at"], timezone.now())
    return 0 if tokens >= 1 else _wait(rate, tokens)


def take(rate: Rate, key: str) -> int:
    """Take one token for `key`: 0 when taken, else the seconds to wait (and nothing is taken)."""
    for _attempt in range(_ATTEMPTS):
        now = timezone.now()
        row = RateBucket.objects.filter(scope=rate.scope, key=key).values("pk", "tokens", "updated_at", "version").first()
        if row is None:
            if rate.burst < 1:
                return _wait(rate, 0.0)
            try:
                with transaction.atomic():
                    RateBucket.objects.create(scope=rate.scope, key=key, tokens=rate.burst - 1, updated_at=now)
                return 0
            except IntegrityError:  # created by a concurrent request: read it again
                continue
        tokens = _refilled(rate, row["tokens"], row["updated_at"], now)
        if tokens < 1:
            return _wait(rate, tokens)
        changed = RateBucket.objects.filter(pk=row["pk"], version=row["version"]).update(
            tokens=tokens - 1, updated_at=now, version=F("version") + 1
        )
        if changed:
            return 0
    return 1


def give_back(rate: Rate, key: str) -> None:
    """Return the token a request took when the request was not accepted after all."""
    for _attempt in range(_ATTEMPTS):
        now = timezone.now()
        row = RateBucket.objects.filter(scope=rate.scope, key=key).values("pk", "tokens", "updated_at", "version").first()
        if row is None:
            return
        tokens = min(float(rate.burst), _refilled(rate, row["tokens"], row["updated_at"], now) + 1)
        if RateBucket.objects.filter(pk=row["pk"], version=row["version"]).update(tokens=tokens, updated_at=now, version=F("version") + 1):
            return


def purge_idle(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete buckets untouched for `older_than` (longer than any refill): they are full again."""
    deleted, _by_model = RateBucket.objects.filter(updated_at__lt=timezone.now() - older_than).delete()
    return deleted
