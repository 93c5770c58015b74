"""Who sees and acts on directives and their tasks. A directive is sent down its unit's tree: anyone
with a role at its unit, above it or inside it sees it and its tasks; an official elsewhere gets
404. An owner's officials report on a task; the steering committee's officials of the directive's
unit (or above it) accept or return it."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import Role
from accounts.scope import can_reach, role_roots
from steering.models import Directive, DirectiveTask
from units.models import Unit

# Issuing a directive, accepting or returning its tasks: the committee's standing office and leaders.
DIRECTIVE_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.PROVINCE_LEADER, Role.DISTRICT_COMMITTEE})
# Reporting on a task owned by one's unit.
REPORTER_ROLES = frozenset(
    {Role.PROVINCE_OFFICE, Role.PROVINCE_LEADER, Role.DISTRICT_COMMITTEE, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}
)


def _related(user: Any, unit: Unit) -> bool:
    """`unit` is inside the user's scope, or the user's scope is inside it."""
    return any(unit.path.startswith(root.path) or root.path.startswith(unit.path) for root in role_roots(user))


def can_issue(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, DIRECTIVE_ROLES)


def can_accept(user: Any, task: DirectiveTask) -> bool:
    return can_reach(user, task.directive.unit, DIRECTIVE_ROLES)


def reporting_unit(user: Any, task: DirectiveTask) -> Unit | None:
    """The owner of `task` on whose behalf `user` reports: one where they hold a reporting role
    (or that their unit succeeded), else None."""
    roots = {root.pk for root in role_roots(user, REPORTER_ROLES)}
    return next((owner for owner in task.owners.all() if owner.pk in roots), None)


def access_directive(*, actor: Any, directive_id: int, write: bool = False) -> Directive:
    """A directive sent down a tree the actor belongs to (with `write`, for its issuers); 404 otherwise."""
    directive = Directive.objects.select_related("unit").filter(pk=directive_id).first()
    if directive is None or not _related(actor, directive.unit) or (write and not can_issue(actor, directive.unit)):
        raise Http404
    return directive


def access_task(*, actor: Any, task_id: int, write: bool = False) -> DirectiveTask:
    """A task of a directive the actor sees (with `write`, for its owners' reporters or the
    directive's acceptors); 404 otherwise."""
    task = DirectiveTask.objects.select_related("directive", "directive__unit", "follower").filter(pk=task_id).first()
    if task is None or not _related(actor, task.directive.unit):
        raise Http404
    if write and not (can_accept(actor, task) or reporting_unit(actor, task) is not None):
        raise Http404
    return task
