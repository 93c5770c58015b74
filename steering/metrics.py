"""Figures other capabilities and the chairman rating read by key (core.metrics): the share of a
unit's directive tasks done on time."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.metrics import MetricValue
from steering.models import DirectiveTask, TaskState

SOURCE = "Nhiệm vụ trong các văn bản chỉ đạo của Ban Chỉ đạo"


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
