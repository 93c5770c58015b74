"""Who handles a report: the routing rules, and the rule that a sensitive report never stays with
the commune it is about. Read by the services (receiving, transferring, escalating a case) and by
the permissions (whether a handling unit lies on a case's routing chain)."""

from __future__ import annotations

from feedback.models import CONDUCT_CATEGORIES, PROTECTED_KINDS, RoutingRule
from units.models import Unit


def is_sensitive(*, category: str, kind: str, about_officials: bool) -> bool:
    """A report about the conduct of a commune's own officials, a complaint or a denunciation."""
    return about_officials or category in CONDUCT_CATEGORIES or kind in PROTECTED_KINDS


def next_level_up(unit: Unit) -> Unit | None:
    """The district above a commune before 1 Jul 2025, the province in the two-tier structure."""
    return unit.parent


def route_case(*, category: str, kind: str, about_officials: bool, concerned_unit: Unit) -> Unit:
    """The unit responsible for a report. The province's most specific routing rule wins; without
    one, the commune handles ordinary feedback itself. A sensitive report never stays with the
    commune it is about, whatever a rule says: it goes one level up."""
    ancestor_ids = concerned_unit.ancestor_ids()
    rules = RoutingRule.objects.filter(unit_id__in=ancestor_ids, category__in=[category, ""]).select_related("unit", "responsible_unit")
    best = max(rules, key=lambda r: (r.unit.depth, r.category != ""), default=None)
    target = best.responsible_unit if best else concerned_unit
    if is_sensitive(category=category, kind=kind, about_officials=about_officials) and target.path.startswith(concerned_unit.path):
        target = next_level_up(concerned_unit) or concerned_unit
    return target
