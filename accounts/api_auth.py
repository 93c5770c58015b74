"""API authentication: the browser session (two-factor verified, CSRF checked) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from accounts.models import ApiToken
from accounts.permissions import has_staff_role, is_verified


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
        found = ApiToken.find(token)
        if found is None or not found.user.is_active or not has_staff_role(found.user):
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


STAFF_AUTH = [StaffToken(), StaffSession()]
