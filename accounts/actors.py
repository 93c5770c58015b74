"""Who performs a write. A person is a `User`; the platform itself (a scheduled job, the demo
loader, a command an operator runs on the server) is the one explicit `SYSTEM` actor. Services
take `by: User` where only a person may act, or `by: Actor` where the platform may too; a missing
actor (None) never stands for "skip the permission check"."""

from __future__ import annotations

from typing import Final, TypeAlias

from django.http import HttpRequest

from accounts.models import User


class SystemActor:
    """The platform acting on its own. It holds no role, so every scope check (role_roots,
    can_reach) refuses it; only services that name it (`by is SYSTEM`) let it through, and the
    audit trail records it as "hệ thống"."""

    is_authenticated: Final = False
    is_active: Final = False
    is_superuser: Final = False
    pk: Final = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "hệ thống"


SYSTEM: Final = SystemActor()
Actor: TypeAlias = User | SystemActor


def person(actor: Actor | None) -> User | None:
    """The user behind `actor`, or None for the platform itself (for "created by" columns)."""
    return actor if isinstance(actor, User) else None


class AuthenticatedHttpRequest(HttpRequest):
    """The request a staff page (behind `staff_view` or `login_required`) or a staff API endpoint
    (behind STAFF_AUTH) receives: its user is a person, never `AnonymousUser`. The annotation
    django-stubs recommends; nothing changes at run time."""

    user: User
