"""Who proposes, reviews and sees good practices and criticisms (notice, task 5), and their reads.
A unit's officials propose its practices; the province's standing office and leaders review and
publish them; steering officials record and follow up criticisms of units in their scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role
from accounts.scope import can_reach, role_roots
from steering.models import Criticism, GoodPractice, PracticeState
from units.models import Unit

AUTHOR_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.DISTRICT_COMMITTEE, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN})
PUBLISHER_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.PROVINCE_LEADER})
CRITIC_ROLES = frozenset({Role.PROVINCE_OFFICE, Role.PROVINCE_LEADER, Role.DISTRICT_COMMITTEE})


def can_propose(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, AUTHOR_ROLES)


def can_publish(user: Any, practice: GoodPractice) -> bool:
    return can_reach(user, practice.unit, PUBLISHER_ROLES)


def can_criticise(user: Any, unit: Unit) -> bool:
    return can_reach(user, unit, CRITIC_ROLES)


def _in_scope(user: Any, lookup: str) -> Q:
    q = Q(pk__in=[])
    for root in role_roots(user):
        q |= Q(**{f"{lookup}__startswith": root.path})
    return q


def practices_for(user: Any) -> QuerySet[GoodPractice]:
    """Practices of units within the user's scope."""
    return GoodPractice.objects.filter(_in_scope(user, "unit__path")).select_related("unit", "created_by")


def access_practice(*, actor: Any, practice_id: int) -> GoodPractice:
    practice = practices_for(actor).filter(pk=practice_id).first()
    if practice is None:
        raise Http404
    return practice


def criticisms_for(user: Any) -> QuerySet[Criticism]:
    """Criticisms of units within the user's scope (a criticised commune sees its own)."""
    return Criticism.objects.filter(_in_scope(user, "unit__path")).select_related("unit", "document", "recorded_by")


def access_criticism(*, actor: Any, criticism_id: int, write: bool = False) -> Criticism:
    criticism = criticisms_for(actor).filter(pk=criticism_id).first()
    if criticism is None or (write and not can_criticise(actor, criticism.unit)):
        raise Http404
    return criticism


def published_practices(unit: Unit | None = None) -> QuerySet[GoodPractice]:
    """What citizens see: published practices (of `unit`'s subtree), newest first; never who wrote them."""
    qs = GoodPractice.objects.filter(state=PracticeState.PUBLISHED)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.select_related("unit").prefetch_related("attachments", "attachments__file").order_by("-published_at", "-pk")
