"""Reads about accounts that every capability shares."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.models import User
from units.models import Unit


def users_with_role(role: str | Iterable[str], unit: Unit | None) -> QuerySet[User]:
    """The active accounts holding `role` (or any of several roles) at exactly `unit` (not above or
    below it): whom a capability notifies about that unit. No unit: nobody."""
    roles = [role] if isinstance(role, str) else list(role)
    if unit is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, role_assignments__unit=unit, role_assignments__role__in=roles).distinct().order_by("pk")
