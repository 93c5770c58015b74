"""Figures other capabilities read by key (the periodic results report, certification)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.metrics import MetricValue
from supervision import queries

SOURCE = "Sổ kiến nghị của Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng"


def recommendations_sent(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end, today=timezone.localdate())
    return MetricValue(float(f.sent), "kiến nghị", f.sent, SOURCE)


def recommendations_answered_on_time(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end, today=timezone.localdate())
    if not f.due:
        return MetricValue(None, "%", 0, SOURCE, note="Chưa có kiến nghị nào đến hạn trả lời trong kỳ.")
    return MetricValue(f.on_time_rate, "%", f.due, SOURCE)
