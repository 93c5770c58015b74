"""Small named predicates about who may do what; services call them, templates use them to hide
buttons, views use `staff_view` to guard every staff page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from accounts.models import Role, RoleAssignment
from accounts.scope import can_reach, role_roots
from units.models import Unit

STAFF_ROLES = frozenset(Role.values)
PROVINCE_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICE})
# How high a role stands when accounts are managed: an administrator grants, withdraws, locks and
# resets only roles at or below their own, so the standing office cannot lock the system
# administrator or take over its second factor.
ROLE_LEVEL: dict[str, int] = {
    Role.SYSTEM_ADMIN: 3,
    Role.PROVINCE_OFFICE: 2,
    Role.PROVINCE_LEADER: 2,
    Role.DISTRICT_COMMITTEE: 1,
    Role.DISTRICT_APPRAISER: 1,
    Role.COMMUNE_OFFICER: 0,
    Role.COMMUNE_CHAIRMAN: 0,
    Role.VILLAGE_HEAD: -1,
}


def has_staff_role(user: Any) -> bool:
    return bool(role_roots(user))


def is_verified(user: Any) -> bool:
    """Two-factor authenticated in this session (or 2FA relaxed for the local demo)."""
    if not settings.OTP_REQUIRED:
        return True
    is_verified_fn = getattr(user, "is_verified", None)
    return bool(is_verified_fn and is_verified_fn())


def administers_unit(user: Any, unit: Unit) -> bool:
    """Holds a province administrator role whose scope covers `unit`."""
    return can_reach(user, unit, PROVINCE_ADMIN_ROLES)


def can_view_audit(user: Any) -> bool:
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def can_manage_calendar(user: Any) -> bool:
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def can_manage_accounts(user: Any) -> bool:
    """May open the accounts pages at all; each account is then checked against its units."""
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def can_administer_role(actor: Any, unit: Unit, role: str) -> bool:
    """`actor` may grant or withdraw `role` at `unit`: the unit lies within the scope of one of the
    actor's administrator roles that stands at least as high as `role`."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    held = RoleAssignment.objects.filter(user=actor, role__in=PROVINCE_ADMIN_ROLES).select_related("unit")
    return any(unit.path.startswith(a.unit.path) and ROLE_LEVEL[a.role] >= ROLE_LEVEL[role] for a in held)


def can_administer_account(actor: Any, account: Any) -> bool:
    """`actor` may lock, unlock, reset the second factor of, and grant roles to `account`: every
    role the account holds is one the actor may administer, and a superuser is managed only by a
    superuser. An account without any role is managed by any administrator."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if account.is_superuser and not actor.is_superuser:
        return False
    if not role_roots(actor, PROVINCE_ADMIN_ROLES):
        return False
    held = RoleAssignment.objects.filter(user=account).select_related("unit")
    return all(can_administer_role(actor, a.unit, a.role) for a in held)


def staff_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Guard a staff page: logged in, holding a staff role, and two-factor verified."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
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
