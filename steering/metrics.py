"""Figures other capabilities and pages read by key (core.metrics): tasks overdue per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

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
