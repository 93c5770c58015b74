"""Staff guards and the unit scope, for the app `accounts` itself builds on.

`accounts` owns roles, so it owns who counts as staff and which units a user reaches
(`accounts.permissions`, `accounts.scope`). `units` lies below `accounts` (every role points at a
unit), yet its staff pages, API and committee services need those same guards. They reach them
here: `accounts` hands its own functions to `provide()` when its manifest loads, and the names
below forward to them, so there is one implementation and `units` never imports `accounts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponseBase

View = Callable[..., HttpResponseBase]
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class StaffAccess:
    """What `accounts` provides: the staff-page guard, the API's staff authentication (django-ninja
    auth objects), the scope functions of `accounts.scope`, and whether a user administers a unit
    (holds a province administrator role whose scope covers it)."""

    staff_view: Callable[[View], View]
    staff_auth: list[Any]
    role_roots: Callable[..., list[Any]]
    scope_queryset: Callable[..., models.QuerySet[Any]]
    get_scoped_or_404: Callable[..., Any]
    can_reach: Callable[..., bool]
    administers_unit: Callable[[Any, Any], bool]


_provided: list[StaffAccess] = []


def provide(access: StaffAccess) -> None:
    _provided[:] = [access]


def _access() -> StaffAccess:
    if not _provided:
        raise ImproperlyConfigured("Chưa có ứng dụng nào cung cấp quyền truy cập của cán bộ (accounts chưa được nạp).")
    return _provided[0]


def staff_view(view: View) -> View:
    """Guard a staff page as `accounts.permissions.staff_view` does (looked up per request)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return _access().staff_view(view)(request, *args, **kwargs)

    return guarded


def staff_auth() -> list[Any]:
    """The API's staff authentication (`accounts.api_auth.STAFF_AUTH`), for `auth=` on a route."""
    return _access().staff_auth


def role_roots(user: Any, roles: Any = None) -> list[Any]:
    return _access().role_roots(user, roles)


def scope_queryset(queryset: models.QuerySet[M], user: Any, **options: Any) -> models.QuerySet[M]:
    return _access().scope_queryset(queryset, user, **options)


def get_scoped_or_404(queryset: models.QuerySet[M], user: Any, **options: Any) -> M:
    found: M = _access().get_scoped_or_404(queryset, user, **options)
    return found


def can_reach(user: Any, unit: Any, roles: Any = None) -> bool:
    return _access().can_reach(user, unit, roles)


def administers_unit(user: Any, unit: Any) -> bool:
    return _access().administers_unit(user, unit)


def staff_user(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in official acting on a staff page (behind `staff_view`), typed as a user: an
    anonymous request never reaches a service as its actor."""
    user = request.user
    if not isinstance(user, AbstractBaseUser) or not user.is_authenticated:
        raise PermissionDenied
    return user
