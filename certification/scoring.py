"""The pass rule and the points of computed criteria: the one place that decides whether a commune's
scores pass and how many stars they earn. Pure reads, no writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from certification.models import Campaign, CriteriaSet, Criterion
from core import metrics
from units.models import Unit


@dataclass(frozen=True)
class Result:
    total: Decimal
    failed_mandatory: list[str]
    passed: bool
    stars: int


def evaluate(criteria_set: CriteriaSet, scores: dict[int, Decimal | None]) -> Result:
    """Apply the set's pass rule: total ≥ pass mark and no criterion below its mandatory minimum
    ("điểm liệt"); the stars are the highest band whose minimum the total reaches. A missing score
    counts as 0."""
    total = Decimal("0")
    failed: list[str] = []
    for criterion in criteria_set.criteria.all():
        score = scores.get(criterion.pk) or Decimal("0")
        total += score
        if criterion.mandatory_min is not None and score < criterion.mandatory_min:
            failed.append(criterion.code)
    passed = total >= criteria_set.pass_mark and not failed
    stars = 0
    if passed:
        stars = max((b.stars for b in criteria_set.star_bands.all() if total >= b.min_total), default=0)
    return Result(total=total, failed_mandatory=failed, passed=passed, stars=stars)


def metric_period(campaign: Campaign) -> tuple[dt.date, dt.date]:
    """Computed criteria use the 12 months before registration opens."""
    end = campaign.registration_opens - dt.timedelta(days=1)
    return end - dt.timedelta(days=364), end


def computed_score(criterion: Criterion, *, unit: Unit, campaign: Campaign) -> tuple[Decimal, metrics.MetricValue]:
    """Points for a computed criterion: proportional up to `metric_full_value` when higher is better,
    full points at or under it otherwise; 0 when the figure is missing."""
    start, end = metric_period(campaign)
    value = metrics.compute(criterion.metric_key, unit=unit, start=start, end=end)
    if value.value is None or criterion.metric_full_value is None:
        return Decimal("0"), value
    metric = metrics.get(criterion.metric_key)
    figure = Decimal(str(value.value))
    full = criterion.metric_full_value
    if metric is not None and not metric.higher_is_better:
        points = criterion.max_points if figure <= full else Decimal("0")
    else:
        ratio = min(Decimal("1"), figure / full) if full > 0 else Decimal("1")
        points = (criterion.max_points * ratio).quantize(Decimal("0.01"))
    return points, value
