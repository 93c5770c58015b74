"""The structure in force on a date.

Every dated act (a report received, a registration, a disclosure, a vote, a decision) is attached to
a unit in force on its date. Since 1 July 2025 that is the two-tier list; the units of the earlier
list keep their history (valid_to 30/06/2025) and point to their successors. This module is the one
place that answers, for any capability:

- `require_in_force(unit, on)`: refuse a unit that is not in force on the act's date, naming the
  successor to use instead (`UnitNotInForce`);
- `current_unit(unit, on)`: the unit itself, or the successor in force on `on`;
- `level_above(unit, on)`: the nearest level above in force on `on` (the district before the
  merger, the province after it), following the successor when the unit itself has gone;
- `lineage(unit)`: the unit and all its predecessors, so a figure over a period that spans the
  merger includes the predecessors' records, labelled as such;
- `with_predecessors(units)`: a set of units widened by their predecessors (role scopes use it: an
  official of a new commune sees the history of the communes it was formed from).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from units.models import Unit

# A successor chain longer than this is a data error (a cycle), not history.
_MAX_HOPS = 10


def two_tier_from() -> dt.date:
    """The first day of the two-tier structure (Resolution 202/2025/QH15): a setting, 01/07/2025."""
    return dt.date.fromisoformat(settings.STRUCTURE_TWO_TIER_FROM)


def _day(on: dt.date | dt.datetime | None) -> dt.date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, dt.datetime):
        return timezone.localtime(on).date() if timezone.is_aware(on) else on.date()
    return on


def in_force_on(unit: Unit, on: dt.date | dt.datetime | None = None) -> bool:
    day = _day(on)
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or unit.valid_to >= day)


def current_unit(unit: Unit, on: dt.date | dt.datetime | None = None) -> Unit | None:
    """`unit` if it is in force on `on`, else the first successor in force then; None when the chain
    ends without one (a unit dissolved without successor, or an act dated before the unit existed)."""
    day = _day(on)
    seen: set[int] = set()
    current: Unit | None = unit
    while current is not None and current.pk not in seen and len(seen) <= _MAX_HOPS:
        if in_force_on(current, day):
            return current
        seen.add(current.pk)
        current = current.successor
    return None


class UnitNotInForce(ValidationError):
    """A dated act names a unit that is not in force on its date. `successor` is the unit to use
    instead, when there is one."""

    def __init__(self, unit: Unit, on: dt.date, successor: Unit | None) -> None:
        self.unit = unit
        self.on = on
        self.successor = successor
        params = {"unit": unit.name, "day": date_format(on, "d/m/Y")}
        if successor is not None:
            params["successor"] = successor.name
            if unit.valid_to is not None:
                params["until"] = date_format(unit.valid_to, "d/m/Y")
                message = _("%(unit)s chỉ có hiệu lực đến %(until)s và nay thuộc %(successor)s. Hãy chọn %(successor)s.") % params
            else:
                message = _("%(unit)s không có hiệu lực vào ngày %(day)s. Hãy chọn %(successor)s.") % params
        else:
            message = _("%(unit)s không có hiệu lực vào ngày %(day)s.") % params
        super().__init__(message, code="unit_not_in_force")


def require_in_force(unit: Unit, on: dt.date | dt.datetime | None = None) -> None:
    """Refuse `unit` for an act dated `on` (today by default) unless it is in force then."""
    day = _day(on)
    if not in_force_on(unit, day):
        successor = current_unit(unit, day)
        raise UnitNotInForce(unit, day, successor if successor is not None and successor.pk != unit.pk else None)


def level_above(unit: Unit, on: dt.date | dt.datetime | None = None) -> Unit | None:
    """The nearest unit above `unit` in force on `on`: the district above a commune before the
    merger, the province after it. A unit no longer in force is first replaced by its successor; one
    dissolved without successor (a district, abolished on 30/06/2025) answers with what its nearest
    ancestor became (the new province). The national root is never the level above."""
    day = _day(on)
    base = current_unit(unit, day)
    if base is None:
        for ancestor in reversed(unit.ancestors()):
            if ancestor.kind == "nation":
                break
            became = current_unit(ancestor, day)
            if became is not None:
                return became
        return None
    for ancestor in reversed(base.ancestors()):
        if ancestor.kind != "nation" and in_force_on(ancestor, day):
            return ancestor
    return None


def lineage(unit: Unit) -> list[Unit]:
    """`unit` followed by every unit it succeeded, at any remove (breadth first)."""
    return with_predecessors([unit])


def with_predecessors(units: Iterable[Unit]) -> list[Unit]:
    """`units` and all their predecessors, each once (the roots of a scope that includes history)."""
    result: list[Unit] = []
    known: set[int] = set()
    frontier: list[int] = []
    for unit in units:
        if unit.pk not in known:
            known.add(unit.pk)
            result.append(unit)
            frontier.append(unit.pk)
    hops = 0
    while frontier and hops < _MAX_HOPS:
        hops += 1
        found_now = [u for u in Unit.objects.filter(successor_id__in=frontier) if u.pk not in known]
        known.update(u.pk for u in found_now)
        result.extend(found_now)
        frontier = [u.pk for u in found_now]
    return result


def lineage_paths(unit: Unit) -> list[str]:
    """The materialised paths of `unit`'s lineage: filter rows with `path__startswith` any of them to
    read a unit's records together with its predecessors'."""
    return [u.path for u in lineage(unit)]


class LineageIndex:
    """Many units at once, each with its predecessors at any remove: records are attributed to
    every unit whose subtree (or a predecessor's) holds the record's unit. A bulk read filters its
    rows with `q(lookup)` in one query and sorts them with `owners(path)`, whatever the number of
    units (an overview over every commune of a province). Built in one query per hop of history."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.by_path: dict[str, set[int]] = {}
        # each indexed unit's predecessors at any remove, by name, oldest hop last
        self.predecessors: dict[int, list[str]] = {}
        owner_of: dict[int, set[int]] = {}
        frontier: list[int] = []
        for unit in units:
            self.by_path.setdefault(unit.path, set()).add(unit.pk)
            owner_of.setdefault(unit.pk, set()).add(unit.pk)
            frontier.append(unit.pk)
        hops = 0
        while frontier and hops < _MAX_HOPS:
            hops += 1
            found = list(Unit.objects.filter(successor_id__in=frontier).values_list("pk", "path", "successor_id", "name").order_by("name"))
            frontier = []
            for pk, path, successor_id, name in found:
                owners = owner_of.get(successor_id or 0, set())
                if pk not in owner_of:
                    frontier.append(pk)
                    for owner in owners:
                        self.predecessors.setdefault(owner, []).append(name)
                owner_of.setdefault(pk, set()).update(owners)
                self.by_path.setdefault(path, set()).update(owners)

    def note(self, pk: int, note: str) -> str:
        """`note` of an indexed unit's figure, prefixed with the predecessors whose records it
        includes (as core.metrics.compute_over names them)."""
        older = self.predecessors.get(pk)
        if not older:
            return note
        return (f"Gồm số liệu của đơn vị cũ (trước sáp nhập): {', '.join(older)}. " + note).strip()

    def tops(self) -> list[str]:
        """The paths that hold all the others (no prefix of theirs is in the index)."""
        paths = sorted(self.by_path)
        out: list[str] = []
        for path in paths:
            if not out or not path.startswith(out[-1]):
                out.append(path)
        return out

    # Above this many path prefixes, `q` filters on their shared ancestors instead: a few
    # prefix conditions read a little more, hundreds of them make the database crawl.
    MAX_PREFIXES = 16

    def q(self, lookup: str) -> Q:
        """Rows whose unit (`lookup`, a path lookup such as "unit__path") lies under any indexed
        unit, or (for many units) under their shared ancestors: `owners` then sorts them out."""
        prefixes = self.tops()
        depth = max((p.count("/") for p in prefixes), default=0)
        while len(prefixes) > self.MAX_PREFIXES and depth > 2:
            depth -= 1
            prefixes = sorted({"/".join(p.split("/")[:depth]) + "/" if p.count("/") > depth else p for p in prefixes})
        q = Q(pk__in=[])
        for path in prefixes:
            q |= Q(**{f"{lookup}__startswith": path})
        return q

    def owners(self, path: str) -> set[int]:
        """The indexed units (pks) a record whose unit has `path` belongs to."""
        out: set[int] = set()
        i = path.find("/", 1)
        while i != -1:
            out |= self.by_path.get(path[: i + 1], set())
            i = path.find("/", i + 1)
        return out
