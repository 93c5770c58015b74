"""Who may see and act on households and community decisions. The household register and the
attendance lists are personal data: only the commune (its officers and chairman) and the village
head who manage them; the province and everyone else see the matters and their results only."""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from accounts.scope import can_reach, get_scoped_or_404
from participation.models import CommuneMatter, Consultation, Household, Matter
from units.models import Unit, UnitKind

# The household register and who represented whom: the commune and the village head.
REGISTER_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN, Role.VILLAGE_HEAD})
# Preparing a matter, its meeting and its vote: the same people.
ORGANISER_ROLES = REGISTER_ROLES
# Recognising the result (art. 22): the commune's People's Committee.
COMMUNE_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN})


def can_manage_register(user: Any, village: Unit) -> bool:
    return village.kind == UnitKind.VILLAGE and can_reach(user, village, REGISTER_ROLES)


def can_organise(user: Any, village: Unit) -> bool:
    return village.kind == UnitKind.VILLAGE and can_reach(user, village, ORGANISER_ROLES)


def can_recognise(user: Any, matter: Matter) -> bool:
    return can_reach(user, matter.village, COMMUNE_ROLES)


def access_village(*, actor: Any, village_id: int, write: bool = False) -> Unit:
    """A village in the actor's scope (with `write`, for the register's managers); 404 otherwise."""
    return get_scoped_or_404(
        Unit.objects.filter(kind=UnitKind.VILLAGE), actor, unit_path="path", roles=REGISTER_ROLES if write else None, pk=village_id
    )


def access_household(*, actor: Any, household_id: int, write: bool = False) -> Household:
    """A household: personal data, so only for the register's managers, read or write alike."""
    return get_scoped_or_404(
        Household.objects.select_related("village"), actor, unit_path="village__path", roles=REGISTER_ROLES, pk=household_id
    )


def access_matter(*, actor: Any, matter_id: int, write: bool = False) -> Matter:
    """A matter of a village in the actor's scope (with `write`, for its organisers)."""
    return get_scoped_or_404(
        Matter.objects.select_related("village", "village__parent"),
        actor,
        unit_path="village__path",
        roles=ORGANISER_ROLES if write else None,
        pk=matter_id,
    )


def access_consultation(*, actor: Any, consultation_id: int, write: bool = False) -> Consultation:
    """A consultation of a commune in the actor's scope (with `write`, for the commune's staff)."""
    return get_scoped_or_404(Consultation.objects.select_related("unit"), actor, roles=COMMUNE_ROLES if write else None, pk=consultation_id)


def access_commune_matter(*, actor: Any, item_id: int, write: bool = False) -> CommuneMatter:
    """A commune-wide matter of a commune in the actor's scope (with `write`, for the commune's staff)."""
    return get_scoped_or_404(
        CommuneMatter.objects.select_related("commune"),
        actor,
        unit_path="commune__path",
        roles=COMMUNE_ROLES if write else None,
        pk=item_id,
    )
