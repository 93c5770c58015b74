"""Who sees and records a committee member's guidance of their localities (notice, task 8), and
the member's page: each locality's status across the capabilities, read through core.metrics in
a number of queries that does not grow with the number of localities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.scope import can_reach, role_roots
from core import metrics
from steering.models import GuidanceEntry
from units.models import CommitteeMember, Unit
from units.structure import with_predecessors

# The committee's secretariat (its standing office, the district committee's officials) records
# guidance for its members; province leaders see the members' pages.
SECRETARIAT_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.DISTRICT_COMMITTEE})
OVERSEER_ROLES = SECRETARIAT_ROLES | {Role.PROVINCE_LEADER}

# The status of a locality across the capabilities: (metric key, short column heading).
STATUS_METRICS: tuple[tuple[str, Promise], ...] = (
    ("certification.recognised_share", _("Chính quyền thân thiện")),
    ("feedback.overdue_open", _("Phản ánh quá hạn")),
    ("disclosure.overdue", _("Công khai quá hạn")),
    ("supervision.reports_overdue", _("Báo cáo quá hạn")),
    ("steering.tasks_overdue", _("Nhiệm vụ quá hạn")),
)


def is_member_self(user: Any, member: CommitteeMember) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and member.user_id == user.pk


def can_see_member(user: Any, member: CommitteeMember) -> bool:
    return is_member_self(user, member) or can_reach(user, member.committee.unit, OVERSEER_ROLES)


def can_record_for(user: Any, member: CommitteeMember) -> bool:
    """The member themself, or the secretariat of the member's committee."""
    return is_member_self(user, member) or can_reach(user, member.committee.unit, SECRETARIAT_ROLES)


def _members() -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.select_related("committee", "committee__unit", "user")


def access_member(*, actor: Any, member_id: int, write: bool = False) -> CommitteeMember:
    """A member whose page the actor may see (with `write`, record guidance for); 404 otherwise."""
    member = _members().filter(pk=member_id).first()
    if member is None or not can_see_member(actor, member) or (write and not can_record_for(actor, member)):
        raise Http404
    return member


def visible_members(user: Any) -> QuerySet[CommitteeMember]:
    """The user's own memberships and the members of committees within their overseeing scope."""
    q = Q(user_id=user.pk)
    for root in role_roots(user, OVERSEER_ROLES):
        q |= Q(committee__unit__path__startswith=root.path)
    return (
        _members()
        .filter(q)
        .prefetch_related(Prefetch("followed_units", queryset=Unit.objects.order_by("name")))
        .order_by("committee__unit__path", "committee__name", "position", "full_name")
    )


def members_following_task(task_follower: CommitteeMember | None, owners: list[Unit], today: dt.date) -> list[CommitteeMember]:
    """The member following a task and the serving members following its owners' localities (the
    owner, its predecessors or any unit inside them)."""
    lineage_units = with_predecessors(owners)
    q = Q(pk__in=[task_follower.pk] if task_follower else [])
    for unit in lineage_units:
        q |= Q(followed_units__path__startswith=unit.path)
    members = _members().filter(q).filter(Q(until__isnull=True) | Q(until__gte=today)).distinct()
    return list(members.order_by("full_name"))


@dataclass
class StatusCell:
    key: str
    label: str  # the metric's full name
    value: metrics.MetricValue
    # a count of overdue things (lower is better) above zero: the locality needs urging
    alarming: bool


@dataclass
class LocalityStatus:
    unit: Unit
    cells: list[StatusCell] = field(default_factory=list)

    @property
    def needs_urging(self) -> bool:
        return any(c.alarming for c in self.cells)


def locality_status(localities: list[Unit], *, start: dt.date, end: dt.date) -> list[LocalityStatus]:
    """Each locality's figures for STATUS_METRICS over [start, end], including the records of the
    units it succeeded. Every metric is computed for all localities at once (compute_many)."""
    rows = {loc.pk: LocalityStatus(loc) for loc in localities}
    for key, heading in STATUS_METRICS:
        metric = metrics.get(key)
        label = str(metric.label if metric else heading)
        values = metrics.compute_many(key, units=localities, start=start, end=end)
        for loc in localities:
            value = values[loc.pk]
            lower_is_better = metric is not None and not metric.higher_is_better
            alarming = lower_is_better and value.value is not None and value.value > 0
            rows[loc.pk].cells.append(StatusCell(key, label, value, alarming))
    return [rows[loc.pk] for loc in localities]


def guidance_of(member: CommitteeMember) -> QuerySet[GuidanceEntry]:
    return GuidanceEntry.objects.filter(member=member).select_related("unit", "task", "file", "recorded_by")
