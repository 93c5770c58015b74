"""Figures other capabilities read by key (core.metrics): consultations held, opinions received,
and the share of opinions the commune's summaries answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.metrics import MetricValue
from participation import queries

SOURCE = "Lấy ý kiến nhân dân về dự thảo (Luật 10/2022, Điều 25–29)"


def consultations_held(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.consultation_figures(unit=unit, start=start, end=end)
    return MetricValue(float(f.held), "cuộc", f.held, SOURCE)


def opinions_received(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.consultation_figures(unit=unit, start=start, end=end)
    return MetricValue(float(f.opinions), "ý kiến", f.held, SOURCE)


def opinions_answered_share(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.consultation_figures(unit=unit, start=start, end=end)
    share = f.answered_share
    if share is None:
        return MetricValue(None, "%", 0, SOURCE, note="Chưa có ý kiến nào trong kỳ.")
    return MetricValue(share, "%", f.opinions, SOURCE)
