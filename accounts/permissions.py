"""Small named predicates about who may do what; services call them, templates use them to hide
buttons, views use `staff_view` to guard every staff page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.models import Role
from accounts.scope import can_reach, role_roots
from units.models import Unit

STAFF_ROLES = frozenset(Role.values)
PROVINCE_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICE})


def has_staff_role(user: Any) -> bool:
    return bool(role_roots(user))


def is_verified(user: Any) -> bool:
    """Two-factor authenticated in this session (or 2FA relaxed for the local demo)."""
    if not settings.OTP_REQUIRED:
        return True
    is_verified_fn = getattr(user, "is_verified", None)
    return bool(is_verified_fn and is_verified_fn())


def can_manage_committees(user: Any, unit: Unit) -> bool:
    # Notice, task 6 and the standing office's remit: the province's standing office keeps the
    # steering committees of every level up to date.
    return can_reach(user, unit, PROVINCE_ADMIN_ROLES)


def can_view_audit(user: Any) -> bool:
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def can_manage_calendar(user: Any) -> bool:
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def can_manage_accounts(user: Any) -> bool:
    """May open the accounts pages at all; each account is then checked against its units."""
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guard a staff page: logged in, holding a staff role, and two-factor verified."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_staff_role(user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if not is_verified(user):
            return redirect("accounts:otp")
        return view(request, *args, **kwargs)

    return wrapper
