"""The one place that decides which units a user may see. Every staff queryset and object lookup,
on pages and in the API, goes through `visible_units`, `scope_queryset` or `get_scoped_or_404`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

from accounts.models import RoleAssignment
from units.models import Unit
from units.structure import with_predecessors

M = TypeVar("M", bound=models.Model)


def role_roots(user: Any, roles: Iterable[str] | None = None) -> list[Unit]:
    """The units at which `user` holds any of `roles` (any role if None), with the units they
    succeeded: the roots of their scope. An official of a commune formed on 1 July 2025 sees the
    records of the communes it was formed from; one of the new province, the old provinces'."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache_key = "_scope_roots"
    cached: dict[tuple[str, ...] | None, list[Unit]] = getattr(user, cache_key, None) or {}
    key = tuple(sorted(roles)) if roles is not None else None
    if key not in cached:
        qs = RoleAssignment.objects.filter(user=user).select_related("unit")
        if roles is not None:
            qs = qs.filter(role__in=list(roles))
        cached[key] = with_predecessors(ra.unit for ra in qs)
        setattr(user, cache_key, cached)
    return cached[key]


def _path_filter(roots: list[Unit], path_lookup: str) -> Q:
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(**{f"{path_lookup}__startswith": root.path})
    return q


def scope_queryset(
    queryset: models.QuerySet[M], user: Any, *, unit_path: str = "unit__path", roles: Iterable[str] | None = None
) -> models.QuerySet[M]:
    """Restrict `queryset` to rows whose unit lies in the subtree of a unit where `user` holds one
    of `roles`. `unit_path` names the lookup from the row to its unit's path."""
    roots = role_roots(user, roles)
    if not roots:
        return queryset.none()
    return queryset.filter(_path_filter(roots, unit_path))


def visible_units(user: Any, roles: Iterable[str] | None = None) -> models.QuerySet[Unit]:
    return scope_queryset(Unit.objects.all(), user, unit_path="path", roles=roles)


def can_reach(user: Any, unit: Unit, roles: Iterable[str] | None = None) -> bool:
    """True if `unit` is within the scope of `user` for `roles`."""
    return any(unit.path.startswith(root.path) for root in role_roots(user, roles))


def get_scoped_or_404(
    queryset: models.QuerySet[M], user: Any, *, unit_path: str = "unit__path", roles: Iterable[str] | None = None, **lookup: Any
) -> M:
    """Load one object within the user's scope. Missing and out-of-scope give the same 404."""
    try:
        return scope_queryset(queryset, user, unit_path=unit_path, roles=roles).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
