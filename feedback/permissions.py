"""Who may see and act on feedback cases, and who may see a reporter's identity."""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach, get_scoped_or_404, role_roots
from feedback.models import Action, Case, CaseAttachment, Counter, RoutingRule
from feedback.routing import route_case
from units.models import Unit

HANDLER_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICE, Role.DISTRICT_COMMITTEE, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN})
# Law on Denunciations 2018, art. 9.2: the denouncer's identity is known only to the person
# resolving it. Here: these roles, held at the handling unit itself.
IDENTITY_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.PROVINCE_OFFICE, Role.DISTRICT_COMMITTEE, Role.COMMUNE_CHAIRMAN})

# Staff actions (the reporter's own actions go through the tracking code, not a role).
STAFF_ACTIONS = frozenset(
    {
        Action.ACCEPT,
        Action.DECLINE,
        Action.ASSIGN,
        Action.START,
        Action.TRANSFER,
        Action.REQUEST_INFO,
        Action.ANSWER,
        Action.CLOSE,
        Action.REOPEN,
        Action.PUBLISH,
    }
)


def can_view_case(user: Any, case: Case) -> bool:
    return can_reach(user, case.handling_unit)


def can_act_on_case(user: Any, case: Case) -> bool:
    return can_reach(user, case.handling_unit, HANDLER_ROLES)


def can_enter_case(user: Any, unit: Unit) -> bool:
    """Enter a report received on paper, by phone, email or at a meeting into the register."""
    return can_reach(user, unit, HANDLER_ROLES)


def belongs_to_unit(user: Any, unit: Unit) -> bool:
    """The user holds a role (any role) at `unit` or below it: one of its own staff."""
    return any(root.path.startswith(unit.path) for root in role_roots(user))


def _on_routing_chain(root: Unit, case: Case) -> bool:
    """A unit the routing rules could have given the case to, or one above it: an ancestor of the
    commune reported about, or the unit the rules route it to and the units above that. A unit a
    case was merely transferred to (another commune, a unit in another branch) is not."""
    if case.concerned_unit.path.startswith(root.path):
        return True
    routed = route_case(
        category=case.category,
        kind=case.kind,
        about_officials=case.about_officials,
        concerned_unit=case.concerned_unit,
        on=case.received_at,
    )
    return routed.path.startswith(root.path)


def can_see_contact(user: Any, case: Case) -> bool:
    """The reporter's contact: never to anyone whose role sits at the commune reported about (or
    below it); only to handlers whose unit holds the case and lies on its routing chain (so a unit
    a case is transferred to sees the contact only if the routing rules could have sent it there);
    for complaints and denunciations only IDENTITY_ROLES held at the handling unit."""
    if not case.contact_encrypted:
        return False
    concerned = case.concerned_unit.path
    for root in role_roots(user, HANDLER_ROLES):
        if root.path.startswith(concerned):
            return False
    roles = IDENTITY_ROLES if case.is_protected else HANDLER_ROLES
    for root in role_roots(user, roles):
        holds = root.pk == case.handling_unit_id if case.is_protected else case.handling_unit.path.startswith(root.path)
        if holds and _on_routing_chain(root, case):
            return True
    return False


def can_manage_rules(user: Any) -> bool:
    """Routing rules, deadlines and counters are set by the province."""
    return bool(role_roots(user, PROVINCE_ADMIN_ROLES))


def can_manage_rules_for(user: Any, unit: Unit) -> bool:
    """Routing rules about `unit` are set by the administrators of its province (or above)."""
    return can_reach(user, unit, PROVINCE_ADMIN_ROLES)


def can_manage_deadlines(user: Any, province: Unit) -> bool:
    """A province's answer deadlines are set by its own administrators (or a national one)."""
    return can_reach(user, province, PROVINCE_ADMIN_ROLES)


def can_manage_counters(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, PROVINCE_ADMIN_ROLES)


def access_case(*, actor: Any, case_id: int, write: bool = False) -> Case:
    """A case in the actor's scope by its handling unit (with `write`, only for handler roles
    there: can_act_on_case); missing and not-yours are the same 404."""
    return get_scoped_or_404(
        Case.objects.select_related("concerned_unit", "handling_unit", "assignee"),
        actor,
        unit_path="handling_unit__path",
        roles=HANDLER_ROLES if write else None,
        pk=case_id,
    )


def access_attachment(*, actor: Any, attachment_id: int, write: bool = False) -> CaseAttachment:
    """A file attached to a case in the actor's scope (by the case's handling unit; with `write`,
    handler roles only); missing and not-yours are the same 404."""
    return get_scoped_or_404(
        CaseAttachment.objects.select_related("file", "case"),
        actor,
        unit_path="case__handling_unit__path",
        roles=HANDLER_ROLES if write else None,
        pk=attachment_id,
    )


def access_routing_rule(*, actor: Any, rule_id: int, write: bool = False) -> RoutingRule:
    """A routing rule set for a unit in the actor's scope (with `write`, for the province's
    administrators: can_manage_rules); missing and not-yours are the same 404."""
    return get_scoped_or_404(RoutingRule.objects.select_related("unit"), actor, roles=PROVINCE_ADMIN_ROLES if write else None, pk=rule_id)


def access_counter(*, actor: Any, counter_id: int, write: bool = False) -> Counter:
    """A one-stop-shop counter of a commune in the actor's scope (with `write`, for the province's
    administrators: can_manage_counters); missing and not-yours are the same 404."""
    return get_scoped_or_404(Counter.objects.select_related("unit"), actor, roles=PROVINCE_ADMIN_ROLES if write else None, pk=counter_id)
