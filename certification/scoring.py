"""The pass rule and the points of computed criteria: the one place that decides whether a commune's
scores pass and how many stars they earn. Pure reads, no writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from certification.models import Campaign, CriteriaSet, Criterion
from core import metrics
from units.models import Unit
from units.structure import lineage


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


def metric_period(campaign: Campaign, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The campaign's period: its year, from 1 January to 31 December, or to today while the year
    is still running. Computed criteria and the citizens' figures on the scoring, proposal and
    decision pages are read over it."""
    today = today or timezone.localdate()
    start, end = dt.date(campaign.year, 1, 1), dt.date(campaign.year, 12, 31)
    return start, max(start, min(end, today))


def unit_figure(key: str, *, unit: Unit, campaign: Campaign) -> metrics.MetricValue:
    """A citizens' figure for the commune over the campaign's period, its predecessors' records
    included (a commune formed on 1 July 2025 carries the history of those it was formed from)."""
    start, end = metric_period(campaign)
    return metrics.compute_over(key, lineage=lineage(unit), start=start, end=end)


def computed_score(criterion: Criterion, *, unit: Unit, campaign: Campaign) -> tuple[Decimal | None, metrics.MetricValue]:
    """Points for a computed criterion: proportional up to `metric_full_value` when higher is better,
    full points at or under it otherwise; None ("no data", never 0) when there is no figure."""
    value = unit_figure(criterion.metric_key, unit=unit, campaign=campaign)
    if value.value is None or criterion.metric_full_value is None:
        return None, value
    metric = metrics.get(criterion.metric_key)
    figure = Decimal(str(value.value))
    full = criterion.metric_full_value
    if metric is not None and not metric.higher_is_better:
        points = criterion.max_points if figure <= full else Decimal("0")
    else:
        ratio = min(Decimal("1"), figure / full) if full > 0 else Decimal("1")
        points = (criterion.max_points * ratio).quantize(Decimal("0.01"))
    return points, value


# The citizens' figures shown where scores are given and decisions taken, in this order.
CITIZEN_FIGURES: tuple[tuple[str, str], ...] = (
    ("feedback.harassment_reports", "Phản ánh gây phiền hà, sách nhiễu trong kỳ"),
    ("feedback.harassment_open", "Trong đó chưa giải quyết xong"),
    ("feedback.harassment_substantiated", "Đã kết luận có cơ sở trong kỳ"),
    ("feedback.on_time_rate", "Phản ánh được trả lời đúng hạn"),
    ("feedback.counter_satisfaction", "Hài lòng khi đánh giá tại bộ phận một cửa"),
    ("surveys.satisfaction_index", "Chỉ số hài lòng (khảo sát)"),
)
HARASSMENT_OPEN = "feedback.harassment_open"
HARASSMENT_SUBSTANTIATED = "feedback.harassment_substantiated"


@dataclass(frozen=True)
class CitizenFigure:
    key: str
    label: str
    value: metrics.MetricValue


def citizen_figures(*, unit: Unit, campaign: Campaign) -> list[CitizenFigure]:
    """The commune's figures from the citizens' register, the counters and the surveys over the
    campaign's period, each with its basis, interval where it is an estimate, and source link."""
    return [CitizenFigure(key, label, unit_figure(key, unit=unit, campaign=campaign)) for key, label in CITIZEN_FIGURES]


def open_harassment(*, unit: Unit, campaign: Campaign) -> int:
    """Harassment reports against the commune (or its predecessors) still open at the end of the
    campaign's period: recognition is blocked on the knockout criterion while there is one, unless
    the decider records a reasoned override."""
    value = unit_figure(HARASSMENT_OPEN, unit=unit, campaign=campaign)
    return int(value.value or 0)


def substantiated_harassment(*, unit: Unit, campaign: Campaign) -> int:
    """Harassment reports against the commune (or its predecessors) concluded substantiated, wholly
    or partly, in the campaign's period: they block recognition like an open one, unless the decider
    records a reasoned override."""
    value = unit_figure(HARASSMENT_SUBSTANTIATED, unit=unit, campaign=campaign)
    return int(value.value or 0)
