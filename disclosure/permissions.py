"""Who may do what with disclosures: a commune's officials keep its register; the levels above read
the registers in their scope; the province's administrators edit the obligations."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import Role
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach, get_scoped_or_404, role_roots, scope_queryset
from disclosure.models import Disclosure, Posting
from units.models import Unit, UnitKind

# The commune keeps its own register (art. 11: the commune People's Committee discloses).
WRITE_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN})


def can_manage_obligations(user: Any) -> bool:
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def can_keep_register(user: Any, unit: Unit) -> bool:
    return unit.kind == UnitKind.COMMUNE and can_reach(user, unit, WRITE_ROLES)


def register_units(user: Any) -> list[Unit]:
    """The communes whose register `user` keeps, in force today."""
    return [u for u in role_roots(user, WRITE_ROLES) if u.kind == UnitKind.COMMUNE and u.is_in_force]


def visible_disclosures(user: Any) -> Any:
    return scope_queryset(Disclosure.objects.all(), user)


def access_disclosure(*, actor: Any, disclosure_id: int, write: bool = False) -> Disclosure:
    """A disclosure in `actor`'s scope (with `write`, of a commune whose register they keep);
    missing and not-yours give the same 404."""
    disclosure = get_scoped_or_404(
        Disclosure.objects.select_related("unit", "obligation__obligation_set", "document_file", "corrects"), actor, pk=disclosure_id
    )
    if write and not can_keep_register(actor, disclosure.unit):
        raise Http404
    return disclosure


def access_posting(*, actor: Any, posting_id: int, write: bool = False) -> Posting:
    posting = get_scoped_or_404(
        Posting.objects.select_related("disclosure__unit", "disclosure__obligation", "village"),
        actor,
        unit_path="disclosure__unit__path",
        pk=posting_id,
    )
    if write and not can_keep_register(actor, posting.disclosure.unit):
        raise Http404
    return posting
