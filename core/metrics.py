"""Named figures about a unit that one capability computes and others read, without importing each
other: feedback registers "share of reports answered on time", surveys "satisfaction index",
disclosure "on-time disclosure rate"; certification's computed criteria and the chairman rating read
them by key. Each capability declares its metrics in its manifest (`capability.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class MetricValue:
    """A figure with what it was computed from, so a page can show the source beside a score.

    `value` is None when there is not enough data (then `note` says why); `unit` is the measure
    ("%", "điểm", "ngày"); `basis` the count it rests on (e.g. 37 reports)."""

    value: float | None
    unit: str
    basis: int
    source: str
    note: str = ""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    compute: Callable[..., MetricValue]
    higher_is_better: bool = True


_METRICS: dict[str, Metric] = {}


def register(key: str, label: str | Promise, compute: Callable[..., MetricValue], *, higher_is_better: bool = True) -> None:
    """`compute(*, unit, start: date, end: date)` returns the figure for the unit's subtree over
    [start, end]."""
    _METRICS[key] = Metric(key, label, compute, higher_is_better)


def available() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda m: m.key)


def get(key: str) -> Metric | None:
    return _METRICS.get(key)


def compute(key: str, *, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    metric = _METRICS.get(key)
    if metric is None:
        return MetricValue(None, "", 0, "", note=f"Chưa có nguồn số liệu “{key}”.")
    return metric.compute(unit=unit, start=start, end=end)
