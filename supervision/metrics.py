"""Figures other capabilities read by key (the periodic results report, certification)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core.metrics import MetricValue, units_holding
from supervision import queries
from supervision.models import UnitReport

SOURCE = "Sổ kiến nghị của Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng"


def recommendations_sent(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end, today=timezone.localdate())
    return MetricValue(float(f.sent), "kiến nghị", f.sent, SOURCE)


def recommendations_answered_on_time(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end, today=timezone.localdate())
    if not f.due:
        return MetricValue(None, "%", 0, SOURCE, note="Chưa có kiến nghị nào đến hạn trả lời trong kỳ.")
    return MetricValue(f.on_time_rate, "%", f.due, SOURCE)


REPORTS_SOURCE = "Báo cáo định kỳ của đơn vị"


def reports_overdue_each(*, units: Sequence[Any], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Periodic reports of units in each unit's subtree past their due date today and never sent,
    for many units in one query."""
    subtrees = Q(pk__in=[])
    for unit in units:
        subtrees |= Q(unit__path__startswith=unit.path)
    unsent = UnitReport.objects.filter(subtrees, first_submitted_on__isnull=True, due_on__lt=timezone.localdate())
    counts = dict.fromkeys((u.pk for u in units), 0)
    for row in unsent.values("unit__path").annotate(n=Count("id")):
        for pk in units_holding(units, row["unit__path"]):
            counts[pk] += row["n"]
    link = reverse("supervision:report_list")
    note = "Báo cáo định kỳ quá hạn chưa gửi (tính đến hôm nay)."
    return {u.pk: MetricValue(float(counts[u.pk]), "báo cáo", counts[u.pk], REPORTS_SOURCE, note=note, link=link) for u in units}


def reports_overdue(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    return reports_overdue_each(units=[unit], start=start, end=end)[unit.pk]
