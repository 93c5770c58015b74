"""The chairman responsibility rating's rule (task 9 of the seed notice): how a unit's figures, read
from the platform through core.metrics, become component scores, a weighted score and a band, by a
method version the province edits (RatingMethod: components and bands are rows, not literals).

A component whose figure rests on fewer events than its minimum denominator (or has no figure at
all) says "không đủ dữ liệu" and is left out; the weights of the others are renormalised to 100 %.
It is never scored 0 for want of data. With no component resting on data left, the rating has no
score and no band.

The defaults below are only the starting point of a province's first draft (create_method copies
them into rows the province then edits and publishes); nothing computes from them directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from core.metrics import MetricValue
from steering.models import ChairmanRating, Direction, RatingBand, RatingComponent, RatingMethod, Scale
from units.models import Unit, UnitKind
from units.structure import lineage_paths

INSUFFICIENT = "Không đủ dữ liệu"

# The starting draft: (metric key, label, weight, direction, scale, points per item, minimum
# denominator). Weights are relative (renormalised over the components with enough data).
# Sources: the seed notice's task 9 names the results to rate (certification, feedback handling and
# harassment, disclosure, reports, tasks, the surveys and the PKS02 chairman questionnaire); the
# weights and minimums are a sensible default the province changes on the method page.
DEFAULT_COMPONENTS: tuple[tuple[str, str, int, str, str, int, int], ...] = (
    ("certification.recognised_share", "Kết quả đánh giá, công nhận chính quyền thân thiện", 20, "higher", "percent", 0, 1),
    ("feedback.on_time_rate", "Phản ánh, kiến nghị được trả lời đúng hạn", 15, "higher", "percent", 0, 5),
    ("feedback.harassment_substantiated", "Phản ánh gây phiền hà, sách nhiễu có cơ sở", 10, "lower", "count", 25, 0),
    ("disclosure.on_time_rate", "Công khai đúng hạn", 10, "higher", "percent", 0, 3),
    ("disclosure.proven_rate", "Công khai có bằng chứng niêm yết", 10, "higher", "percent", 0, 3),
    ("supervision.reports_on_time_rate", "Báo cáo định kỳ gửi đúng hạn", 10, "higher", "percent", 0, 1),
    ("steering.tasks_on_time_rate", "Nhiệm vụ chỉ đạo hoàn thành đúng hạn", 10, "higher", "percent", 0, 1),
    ("surveys.satisfaction_index", "Chỉ số hài lòng của người dân (khảo sát)", 10, "higher", "percent", 0, 30),
    ("surveys.chairman_index", "Đánh giá của người dân về chủ tịch UBND (phiếu PKS02)", 5, "higher", "percent", 0, 30),
)
# (label, minimum score): the usual four grades of officials' yearly rating.
DEFAULT_BANDS: tuple[tuple[str, int], ...] = (
    ("Hoàn thành xuất sắc nhiệm vụ", 90),
    ("Hoàn thành tốt nhiệm vụ", 75),
    ("Hoàn thành nhiệm vụ", 50),
    ("Không hoàn thành nhiệm vụ", 0),
)


@dataclass(frozen=True)
class FigureResult:
    """One component as computed for one unit (what RatingFigure stores)."""

    component: RatingComponent
    figure: MetricValue
    score: float | None
    included: bool
    weight_used: float | None
    note: str


@dataclass(frozen=True)
class Result:
    figures: tuple[FigureResult, ...]
    score: float | None
    band: str


def component_score(component: RatingComponent, value: float) -> float:
    """A figure on the component's scale as points out of 100: a share (or 100 minus it when lower is
    better), or 100 minus the points per event of a count."""
    if component.scale == Scale.COUNT:
        per = float(component.points_per_item)
        points = 100 - per * value if component.direction == Direction.LOWER else min(100.0, per * value)
    else:
        points = value if component.direction == Direction.HIGHER else 100 - value
    return round(max(0.0, min(100.0, points)), 1)


def has_enough_data(component: RatingComponent, figure: MetricValue) -> bool:
    return figure.value is not None and figure.basis >= component.min_denominator


def band_for(score: float | None, bands: list[RatingBand]) -> str:
    """The highest band whose minimum the score reaches ("" without a score or a band reached)."""
    if score is None:
        return ""
    for band in sorted(bands, key=lambda b: b.min_score, reverse=True):
        if Decimal(str(score)) >= band.min_score:
            return band.label
    return ""


def evaluate(components: list[RatingComponent], bands: list[RatingBand], figures: dict[str, MetricValue]) -> Result:
    """Score one unit: each component with enough data scores its figure; the weights of those are
    renormalised to 100 %; the others are listed with "không đủ dữ liệu" and weigh nothing."""
    scored: list[tuple[RatingComponent, MetricValue, float | None]] = []
    for component in components:
        figure = figures.get(component.metric_key) or MetricValue(None, "", 0, "", note="Chưa có nguồn số liệu.")
        score = component_score(component, figure.value) if has_enough_data(component, figure) and figure.value is not None else None
        scored.append((component, figure, score))
    # A count with no minimum (no substantiated harassment: full marks) is scored only beside a
    # figure resting on some data: a unit with no records at all gets no score, not full marks.
    if not any(s is not None and f.basis > 0 for _c, f, s in scored):
        scored = [(c, f, None) for c, f, _s in scored]
    total_weight = sum(float(c.weight) for c, _f, s in scored if s is not None)
    results = []
    for component, figure, score in scored:
        if score is None:
            short = figure.value is not None and figure.basis < component.min_denominator
            why = f"{INSUFFICIENT}: cần ít nhất {component.min_denominator}, có {figure.basis}." if short else f"{INSUFFICIENT}."
            note = f"{why} {figure.note}".strip()
            results.append(FigureResult(component, figure, None, False, None, note))
        else:
            weight = round(100 * float(component.weight) / total_weight, 1)
            results.append(FigureResult(component, figure, score, True, weight, figure.note))
    if not total_weight:
        return Result(tuple(results), None, "")
    total = round(sum(float(r.component.weight) * (r.score or 0) for r in results if r.included) / total_weight, 1)
    return Result(tuple(results), total, band_for(total, bands))


# --- Which units are rated ----------------------------------------------------------------------
def rated_units(province: Unit, start: dt.date, end: dt.date) -> QuerySet[Unit]:
    """The communes in force on the period's last day in the province (and its predecessors'), and
    the districts where they still existed then (before 1 July 2025): their chairmen are rated."""
    paths = Q(pk__in=[])
    for path in lineage_paths(province):
        paths |= Q(path__startswith=path)
    return Unit.objects.in_force(end).filter(paths, kind__in=[UnitKind.COMMUNE, UnitKind.DISTRICT]).order_by("path")


def period_of_year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def published_method(province: Unit) -> RatingMethod | None:
    return RatingMethod.objects.filter(province=province, state="published").first()


def ratings_for(province: Unit, start: dt.date, end: dt.date, method: RatingMethod | None = None) -> QuerySet[ChairmanRating]:
    qs = ChairmanRating.objects.filter(method__province=province, period_start=start, period_end=end)
    if method is not None:
        qs = qs.filter(method=method)
    return qs.select_related("unit", "method").order_by("unit__path")
