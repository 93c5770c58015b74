"""Reads: the tasks a user sees, overdue tasks grouped by owner, tasks due soon."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from accounts.scope import role_roots
from steering.models import Directive, DirectiveTask, TaskState
from units.models import Unit


def visible_directives(user: Any) -> QuerySet[Directive]:
    """Directives sent down a tree the user belongs to (their unit, above it or inside it)."""
    q = Q(pk__in=[])
    for root in role_roots(user):
        ancestors = [root.path[:i] for i in range(1, len(root.path) + 1) if root.path[i - 1] == "/"]
        q |= Q(unit__path__startswith=root.path) | Q(unit__path__in=ancestors)
    return Directive.objects.filter(q).select_related("unit")


def tasks_of(directives: QuerySet[Directive]) -> QuerySet[DirectiveTask]:
    return (
        DirectiveTask.objects.filter(directive__in=directives)
        .select_related("directive", "follower")
        .prefetch_related(Prefetch("owners", queryset=Unit.objects.order_by("name")))
    )


def overdue_by_owner(tasks: QuerySet[DirectiveTask], today: dt.date) -> list[tuple[str, list[DirectiveTask]]]:
    """Overdue tasks, grouped under each owner (a unit's name or the agencies named in words)."""
    groups: dict[str, list[DirectiveTask]] = defaultdict(list)
    for task in tasks.filter(due_on__lt=today).exclude(state=TaskState.DONE).order_by("due_on"):
        names = [owner.name for owner in task.owners.all()] + ([task.owner_agencies] if task.owner_agencies else [])
        for name in names:
            groups[name].append(task)
    return sorted(groups.items())


def open_tasks() -> QuerySet[DirectiveTask]:
    return DirectiveTask.objects.exclude(state=TaskState.DONE).select_related("directive", "directive__unit", "follower")
