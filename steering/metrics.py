"""Figures other capabilities, pages and the chairman rating read by key (core.metrics): tasks
overdue per unit, and the share of a unit's directive tasks done on time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core.metrics import MetricValue, units_holding
from steering.models import DirectiveTask, TaskState

SOURCE = "Nhiệm vụ của các văn bản chỉ đạo (Ban Chỉ đạo)"


def tasks_overdue_each(*, units: Sequence[Any], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Tasks owned by units in each unit's subtree, past their due date today and not accepted as
    done, for many units in one query."""
    subtrees = Q(pk__in=[])
    for unit in units:
        subtrees |= Q(unit__path__startswith=unit.path)
    owned = DirectiveTask.owners.through.objects.filter(subtrees).filter(
        directivetask__due_on__lt=timezone.localdate(), directivetask__state__in=[s for s in TaskState.values if s != TaskState.DONE]
    )
    counts = dict.fromkeys((u.pk for u in units), 0)
    for row in owned.values("unit__path").annotate(n=Count("directivetask_id", distinct=True)):
        for pk in units_holding(units, row["unit__path"]):
            counts[pk] += row["n"]
    link = reverse("steering:index") + "?qua_han=1"
    note = "Nhiệm vụ quá hạn chưa được công nhận hoàn thành (tính đến hôm nay)."
    return {u.pk: MetricValue(float(counts[u.pk]), "nhiệm vụ", counts[u.pk], SOURCE, note=note, link=link) for u in units}


def tasks_overdue(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    return tasks_overdue_each(units=[unit], start=start, end=end)[unit.pk]


def tasks_link(unit: Any, start: dt.date, end: dt.date) -> str:
    """The tasks behind the figure (steering:rating_tasks), filtered to the unit and period."""
    return reverse("steering:rating_tasks") + "?" + urlencode({"don_vi": unit.pk, "tu": start.isoformat(), "den": end.isoformat()})


def tasks_due(units: list[Any], start: dt.date, end: dt.date) -> list[tuple[int, str, dt.date, str, dt.date | None]]:
    """(task id, owner's path, due date, state, completed on) of tasks owned by a unit in the
    subtrees of `units`, due in [start, end] and already due today: one row per task and owner."""
    horizon = min(end, timezone.localdate())
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(owners__path__startswith=unit.path)
    return list(
        DirectiveTask.objects.filter(q, due_on__gte=start, due_on__lte=horizon).values_list(
            "pk", "owners__path", "due_on", "state", "completed_on"
        )
    )


def tasks_on_time_rate(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    return tasks_on_time_rate_many(units=[unit], start=start, end=end)[unit.pk]


def tasks_on_time_rate_many(*, units: list[Any], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Of the tasks owned in each unit's subtree falling due in the period (and due by today), the
    share accepted as done by their due date; one query for all the units."""
    rows = tasks_due(units, start, end)
    result = {}
    for unit in units:
        mine = {pk: (due, state, done) for pk, path, due, state, done in rows if path.startswith(unit.path)}
        link = tasks_link(unit, start, end)
        if not mine:
            result[unit.pk] = MetricValue(None, "%", 0, SOURCE, note="Không có nhiệm vụ nào đến hạn trong kỳ.", link=link)
            continue
        on_time = sum(1 for due, state, done in mine.values() if state == TaskState.DONE and done is not None and done <= due)
        value = round(100 * on_time / len(mine), 1)
        result[unit.pk] = MetricValue(value, "%", len(mine), SOURCE, link=link, numerator=float(on_time))
    return result
