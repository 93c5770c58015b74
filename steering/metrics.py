"""Figures steering gives other readers by key (core.metrics): the directives' tasks overdue per
owning unit, read for many units at once (the overview over every commune of a province)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.metrics import MetricValue
from steering.models import DirectiveTask
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
