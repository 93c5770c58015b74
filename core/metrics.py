"""Named figures about a unit that one capability computes and others read, without importing each
other: feedback registers "share of reports answered on time", surveys "satisfaction index",
disclosure "on-time disclosure rate"; certification's computed criteria and the chairman rating read
them by key. Each capability declares its metrics in its manifest (`capability.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
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
    # The same figure for many units at once, with a number of queries that does not depend on
    # how many: `compute_each(*, units, start, end)` → {unit pk: MetricValue}.
    compute_each: Callable[..., dict[int, MetricValue]] | None = None


_METRICS: dict[str, Metric] = {}


def register(
    key: str,
    label: str | Promise,
    compute: Callable[..., MetricValue],
    *,
    higher_is_better: bool = True,
    combine: str = RATE,
    compute_each: Callable[..., dict[int, MetricValue]] | None = None,
) -> None:
    """`compute(*, unit, start: date, end: date)` returns the figure for the unit's subtree over
    [start, end]; `combine` says how the figures of a unit's predecessors add up (compute_over);
    `compute_each`, when given, computes it for many units in a fixed number of queries."""
    _METRICS[key] = Metric(key, label, compute, higher_is_better, combine, compute_each)


def available() -> list[Metric]:
    return sorted(_METRICS.values(), key=lambda m: m.key)


def get(key: str) -> Metric | None:
    return _METRICS.get(key)


def compute(key: str, *, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    metric = _METRICS.get(key)
    if metric is None:
        return MetricValue(None, "", 0, "", note=f"Chưa có nguồn số liệu “{key}”.")
    return metric.compute(unit=unit, start=start, end=end)


def compute_each(key: str, *, units: Sequence[Any], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """The figure for each of `units` ({unit pk: value}): in a fixed number of queries when the
    metric declares `compute_each`, else one computation per unit."""
    metric = _METRICS.get(key)
    if metric is None:
        return {u.pk: compute(key, unit=u, start=start, end=end) for u in units}
    if metric.compute_each is not None:
        return metric.compute_each(units=units, start=start, end=end)
    return {u.pk: metric.compute(unit=u, start=start, end=end) for u in units}


def units_holding(units: Iterable[Any], path: str) -> list[int]:
    """The pks of those of `units` whose subtree holds the unit at `path` (for batch figures that
    read rows once and add each up under every unit above it)."""
    return [u.pk for u in units if path.startswith(u.path)]


def compute_over(key: str, *, lineage: list[Any], start: dt.date, end: dt.date) -> MetricValue:
    """The figure for a unit and its predecessors (`units.structure.lineage(unit)`: the unit first)
    over [start, end]: counts add up, rates are weighted by their basis, a survey estimate is the
    unit's own or else its latest predecessor's. The note names the predecessors whose records are
    included. No figure anywhere gives value None ("no data", never 0)."""
    if len(lineage) <= 1:
        return compute(key, unit=lineage[0], start=start, end=end)
    return _combine(key, lineage, [(unit, compute(key, unit=unit, start=start, end=end)) for unit in lineage])


def compute_over_each(key: str, *, lineages: Mapping[int, list[Any]], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """`compute_over` for many units at once: `lineages` maps each unit's pk to its lineage (the unit
    first). Every unit of every lineage is computed by one `compute_each`, so a metric declaring it
    answers in a number of queries that does not grow with the number of units."""
    everyone = {unit.pk: unit for lineage in lineages.values() for unit in lineage}
    values = compute_each(key, units=list(everyone.values()), start=start, end=end)
    return {pk: _combine(key, lineage, [(unit, values[unit.pk]) for unit in lineage]) for pk, lineage in lineages.items()}


def _combine(key: str, lineage: list[Any], parts: list[tuple[Any, MetricValue]]) -> MetricValue:
    """Add up the figures of a unit (first) and its predecessors as the metric's `combine` says."""
    own = parts[0][1]
    if len(parts) == 1:
        return own
    metric = _METRICS.get(key)
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
    return MetricValue(value, own.unit or with_data[0][1].unit, basis, own.source or with_data[0][1].source, note=note, link=own.link)
