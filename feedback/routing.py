"""Who handles a report: the routing rules, and the rule that a sensitive report never stays with
the commune it is about. Read by the services (receiving, transferring, escalating a case) and by
the permissions (whether a handling unit lies on a case's routing chain).

Everything here follows the structure in force on a date (units.structure): the level above a
commune is its district before 1 July 2025 and its province after; a routing rule set for a unit
that is no longer in force does not apply to later acts (its successor's rules do)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from feedback.models import CONDUCT_CATEGORIES, PROTECTED_KINDS, RoutingRule
from units.models import Unit, UnitKind
from units.structure import current_unit, in_force_on, level_above


def is_sensitive(*, category: str, kind: str, about_officials: bool) -> bool:
    """A report about the conduct of a commune's own officials, a complaint or a denunciation."""
    return about_officials or category in CONDUCT_CATEGORIES or kind in PROTECTED_KINDS


def in_force_counterpart(unit: Unit, on: dt.date | dt.datetime | None = None) -> Unit | None:
    """The unit that holds `unit`'s work on `on`: `unit` itself when in force, else its successor in
    force then, else (a unit abolished without successor, such as a district on 1 July 2025) the
    in-force counterpart of its nearest ancestor. Never the national root."""
    found = current_unit(unit, on)
    if found is not None:
        return found
    for ancestor in reversed(unit.ancestors()):
        if ancestor.kind == UnitKind.NATION:
            break
        found = current_unit(ancestor, on)
        if found is not None:
            return found
    return None


def next_level_up(unit: Unit, on: dt.date | dt.datetime | None = None) -> Unit | None:
    """The level above `unit` in force on `on` (units.structure.level_above): the district above a
    commune before 1 Jul 2025, the province in the two-tier structure. A unit abolished without a
    successor (a district) has no level above of its own: its work goes to the in-force
    counterpart of the unit above it (the new province)."""
    above = level_above(unit, on)
    if above is not None or in_force_on(unit, on):
        return above
    return in_force_counterpart(unit, on)


def rules_in_force(day: dt.date) -> Q:
    """Routing rules whose area and responsible unit are both in force on `day`."""
    q = Q()
    for prefix in ("unit", "responsible_unit"):
        q &= Q(**{f"{prefix}__valid_from__isnull": True}) | Q(**{f"{prefix}__valid_from__lte": day})
        q &= Q(**{f"{prefix}__valid_to__isnull": True}) | Q(**{f"{prefix}__valid_to__gte": day})
    return q


def route_case(*, category: str, kind: str, about_officials: bool, concerned_unit: Unit, on: dt.date | dt.datetime | None = None) -> Unit:
    """The unit responsible for a report dated `on` (today by default). The most specific routing
    rule in force on that date wins; without one, the commune handles ordinary feedback itself. A
    sensitive report never stays with the commune it is about, whatever a rule says: it goes to
    the level above in force on that date."""
    from django.utils import timezone

    when = on if on is not None else timezone.localdate()
    if isinstance(when, dt.datetime):
        when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    ancestor_ids = concerned_unit.ancestor_ids()
    rules = (
        RoutingRule.objects.filter(unit_id__in=ancestor_ids, category__in=[category, ""])
        .filter(rules_in_force(when))
        .select_related("unit", "responsible_unit")
    )
    best = max(rules, key=lambda r: (r.unit.depth, r.category != ""), default=None)
    target = best.responsible_unit if best else concerned_unit
    if is_sensitive(category=category, kind=kind, about_officials=about_officials) and target.path.startswith(concerned_unit.path):
        target = next_level_up(concerned_unit, when) or concerned_unit
    return target
