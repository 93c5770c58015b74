"""Who edits the chairman rating's method, computes ratings and reads them. The method and the
computation are the province's: its standing office (and, for computing, its leaders) at the
province. A rating is read by whoever's scope covers the rated unit (the province, the district
above a commune before 1 July 2025, the commune itself); anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import Role
from accounts.scope import can_reach, role_roots
from steering.models import ChairmanRating, RatingMethod
from units.models import Unit, UnitKind

METHOD_ROLES = frozenset({Role.PROVINCE_OFFICE})
COMPUTE_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.PROVINCE_LEADER})
READ_ROLES = frozenset(
    {Role.PROVINCE_OFFICE, Role.PROVINCE_LEADER, Role.DISTRICT_COMMITTEE, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN, Role.SYSTEM_ADMIN}
)


def can_edit_method(user: Any, province: Unit) -> bool:
    return province.kind == UnitKind.PROVINCE and can_reach(user, province, METHOD_ROLES)


def can_compute(user: Any, province: Unit) -> bool:
    return province.kind == UnitKind.PROVINCE and can_reach(user, province, COMPUTE_ROLES)


def rating_provinces(user: Any) -> list[Unit]:
    """The provinces whose ratings list the user reads: where they hold a province-level role."""
    return [u for u in role_roots(user, COMPUTE_ROLES | {Role.SYSTEM_ADMIN}) if u.kind == UnitKind.PROVINCE and u.is_in_force]


def reads_ratings(user: Any) -> bool:
    """Shown the ratings list in the menu: province-level staff."""
    return bool(rating_provinces(user))


def access_rating(*, actor: Any, rating_id: int) -> ChairmanRating:
    rating = ChairmanRating.objects.select_related("unit", "method", "method__province").filter(pk=rating_id).first()
    if rating is None or not can_reach(actor, rating.unit, READ_ROLES):
        raise Http404
    return rating


def access_method(*, actor: Any, method_id: int) -> RatingMethod:
    """A method version, for the province staff who read the province's ratings; 404 otherwise."""
    method = RatingMethod.objects.select_related("province").filter(pk=method_id).first()
    if method is None or not can_reach(actor, method.province, COMPUTE_ROLES | {Role.SYSTEM_ADMIN}):
        raise Http404
    return method
