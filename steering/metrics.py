"""Figures other capabilities, pages and the chairman rating read by key (core.metrics): the
directives' tasks overdue per owning unit, and the share of a unit's directive tasks done on time,
each read for many units at once (the overview over every commune of a province, the rating)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.metrics import MetricValue
from steering.models import DirectiveTask, TaskState
from units.models import Unit
from units.structure import LineageIndex

SOURCE = "Văn bản chỉ đạo và nhiệm vụ của Ban Chỉ đạo"


def overdue_on(day: dt.date) -> Q:
    """Tasks overdue on `day`: issued by then, due before it and not accepted as done by then."""
    return Q(directive__issued_on__lte=day, due_on__lt=day) & (Q(completed_on__isnull=True) | Q(completed_on__gt=day))


def tasks_overdue_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Per unit: the tasks owned by a unit in its subtree (or a predecessor's) overdue on the
    period's last day (today while it runs). A task owned by two units of the subtree counts once."""
    day = min(end, timezone.localdate())
    index = LineageIndex(units)
    tasks: dict[int, set[int]] = {unit.pk: set() for unit in units}
    rows = DirectiveTask.objects.filter(overdue_on(day)).filter(index.q("owners__path")).values_list("pk", "owners__path")
    for task_id, path in rows:
        for owner in index.owners(path or ""):
            tasks[owner].add(task_id)
    link = reverse("steering:index") + "?qua_han=1"
    note = f"Nhiệm vụ quá hạn tại ngày {day:%d/%m/%Y}."
    return {
        unit.pk: MetricValue(float(len(tasks[unit.pk])), "nhiệm vụ", len(tasks[unit.pk]), SOURCE, index.note(unit.pk, note), link=link)
        for unit in units
    }


def tasks_overdue(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return tasks_overdue_many(units=[unit], start=start, end=end)[unit.pk]


def tasks_link(unit: Unit, start: dt.date, end: dt.date) -> str:
    """The tasks behind the figure (steering:rating_tasks), filtered to the unit and period."""
    return reverse("steering:rating_tasks") + "?" + urlencode({"don_vi": unit.pk, "tu": start.isoformat(), "den": end.isoformat()})


def tasks_on_time_rate(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return tasks_on_time_rate_many(units=[unit], start=start, end=end)[unit.pk]


def tasks_on_time_rate_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Of the tasks owned in each unit's subtree (or a predecessor's) falling due in the period (and
    due by today), the share accepted as done by their due date; one query for all the units. A
    task owned by two units of the subtree counts once."""
    horizon = min(end, timezone.localdate())
    index = LineageIndex(units)
    rows = DirectiveTask.objects.filter(index.q("owners__path"), due_on__gte=start, due_on__lte=horizon).values_list(
        "pk", "owners__path", "due_on", "state", "completed_on"
    )
    tasks: dict[int, dict[int, tuple[dt.date, str, dt.date | None]]] = {unit.pk: {} for unit in units}
    for pk, path, due, state, done in rows:
        for owner in index.owners(path or ""):
            tasks[owner][pk] = (due, state, done)
    result = {}
    for unit in units:
        mine = tasks[unit.pk]
        link = tasks_link(unit, start, end)
        if not mine:
            note = index.note(unit.pk, "Không có nhiệm vụ nào đến hạn trong kỳ.")
            result[unit.pk] = MetricValue(None, "%", 0, SOURCE, note=note, link=link)
            continue
        on_time = sum(1 for due, state, done in mine.values() if state == TaskState.DONE and done is not None and done <= due)
        value = round(100 * on_time / len(mine), 1)
        result[unit.pk] = MetricValue(value, "%", len(mine), SOURCE, note=index.note(unit.pk, ""), link=link, numerator=float(on_time))
    return result
