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
    # where a reader checks the figure (the register filtered to the unit and period, the survey's
    # results), and a 95 % interval when the figure is an estimate
    link: str = ""
    interval: tuple[float, float] | None = None
    # the count of events that make up a rate's value (e.g. 31 of `basis` 37 answered on time), when
    # the figure is a share of counted events; None for an estimate or a plain count
    numerator: float | None = None


# How the figures of a unit and of its predecessors add up over a period spanning the merger.
COUNT = "count"  # a number of events: the sum
RATE = "rate"  # a share resting on `basis` events: the basis-weighted mean
LATEST = "latest"  # an estimate from one survey (not additive): the unit's own, else a predecessor's


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    compute: Callable[..., MetricValue]
    higher_is_better: bool = True
    combine: str = RATE
    # `compute_many(*, units, start, end)` → {unit pk: MetricValue}: the same figure for many units
    # in a number of queries that does not grow with them, each unit's predecessors included
    # (units.structure.LineageIndex); such a metric's `compute` is its bulk read for one unit.
    compute_many: Callable[..., dict[int, MetricValue]] | None = None


_METRICS: dict[str, Metric] = {}


def register(
    key: str,
    label: str | Promise,
    compute: Callable[..., MetricValue],
    *,
    higher_is_better: bool = True,
    combine: str = RATE,
    compute_many: Callable[..., dict[int, MetricValue]] | None = None,
) -> None:
    """`compute(*, unit, start: date, end: date)` returns the figure for the unit's subtree over
    [start, end]; `combine` says how the figures of a unit's predecessors add up (compute_over);
    `compute_many`, if given, reads the figure for many units at once (compute_many below)."""
    _METRICS[key] = Metric(key, label, compute, higher_is_better, combine, compute_many)


def available() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda m: m.key)


def get(key: str) -> Metric | None:
    return _METRICS.get(key)


def compute(key: str, *, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    metric = _METRICS.get(key)
    if metric is None:
        return missing(key)
    return metric.compute(unit=unit, start=start, end=end)


def compute_over(key: str, *, lineage: list[Any], start: dt.date, end: dt.date) -> MetricValue:
    """The figure for a unit and its predecessors (`units.structure.lineage(unit)`: the unit first)
    over [start, end]: counts add up, rates are weighted by their basis, a survey estimate is the
    unit's own or else its latest predecessor's. The note names the predecessors whose records are
    included. No figure anywhere gives value None ("no data", never 0). A metric with a bulk
    reader includes the predecessors itself: its figure for the unit is taken as it is (adding the
    predecessors' again would count their records twice)."""
    metric = _METRICS.get(key)
    if len(lineage) <= 1 or (metric is not None and metric.compute_many is not None):
        return compute_many(key, units=lineage[:1], start=start, end=end)[lineage[0].pk]
    parts = [(unit, compute(key, unit=unit, start=start, end=end)) for unit in lineage]
    own = parts[0][1]
    with_data = [(u, v) for u, v in parts if v.value is not None]
    if metric is None or not with_data:
        return own
    if metric.combine == LATEST:
        unit, chosen = with_data[0]
        if unit is lineage[0]:
            return chosen
        return MetricValue(
            chosen.value,
            chosen.unit,
            chosen.basis,
            chosen.source,
            note=f"Số liệu của đơn vị cũ {unit} (trước sáp nhập). {chosen.note}".strip(),
            link=chosen.link,
            interval=chosen.interval,
        )
    basis = sum(v.basis for _u, v in with_data)
    if metric.combine == COUNT:
        value = float(sum(v.value or 0 for _u, v in with_data))
    elif basis:
        value = round(sum((v.value or 0) * v.basis for _u, v in with_data) / basis, 1)
    else:
        return own
    older = [str(u) for u, v in with_data if u is not lineage[0]]
    note = own.note
    if older:
        note = (f"Gồm số liệu của đơn vị cũ (trước sáp nhập): {', '.join(older)}. " + note).strip()
    numerators = [v.numerator for _u, v in with_data]
    numerator = float(sum(n for n in numerators if n is not None)) if all(n is not None for n in numerators) else None
    return MetricValue(
        value, own.unit or with_data[0][1].unit, basis, own.source or with_data[0][1].source, note=note, link=own.link, numerator=numerator
    )


def missing(key: str) -> MetricValue:
    return MetricValue(None, "", 0, "", note=f"Chưa có nguồn số liệu “{key}”.")


def compute_many(key: str, *, units: list[Any], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """The figure for each of `units` (unit pk → value) over [start, end], each unit's subtree and
    predecessors included as in compute_over: the one bulk read every page that shows a figure
    for many units uses (the steering overview over every commune of a province, a committee
    member's localities). A metric that declares a bulk reader answers in a number of queries that
    does not grow with the units; one without is read unit by unit by its `compute` (its
    predecessors as far as that includes them). An unknown key gives every unit "no source"
    (value None)."""
    metric = _METRICS.get(key)
    if metric is None:
        return {unit.pk: missing(key) for unit in units}
    if metric.compute_many is not None:
        found = metric.compute_many(units=units, start=start, end=end)
        return {unit.pk: found.get(unit.pk, MetricValue(None, "", 0, "", note="Không có số liệu.")) for unit in units}
    return {unit.pk: metric.compute(unit=unit, start=start, end=end) for unit in units}
