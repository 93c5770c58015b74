"""API authentication: the browser session (two-factor verified, CSRF checked) or a bearer token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from accounts.models import ApiToken
from accounts.permissions import has_staff_role, is_verified

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class StaffSession(APIKeyCookie):
    """A logged-in, two-factor verified staff session; unsafe methods need the CSRF token."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = request.user
        if user.is_authenticated and is_verified(user) and has_staff_role(user):
            return user
        return None


class StaffToken(HttpBearer):
    """`Authorization: Bearer gr_…` with a token a staff user issued for themselves."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        found = ApiToken.find(token)  # None when unknown, revoked or expired: the API answers 401
        if found is None or not found.user.is_active or not has_staff_role(found.user):
            return None
        now = timezone.now()
        # Written at most once a minute: a row write on every API call would serialise the clients.
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


STAFF_AUTH = [StaffToken(), StaffSession()]
