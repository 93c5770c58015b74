"""The rating's rule: a component short of data says so and weighs nothing (the others' weights are
renormalised), never scoring 0; shares, counts and bands as the method's rows say."""

from __future__ import annotations

from decimal import Decimal

from core.metrics import MetricValue
from steering import rating
from steering.models import RatingBand, RatingComponent


def _component(
    key: str, weight: int, *, minimum: int = 1, direction: str = "higher", scale: str = "percent", per: int = 0
) -> RatingComponent:
    return RatingComponent(
        metric_key=key,
        label=key,
        weight=Decimal(weight),
        direction=direction,
        scale=scale,
        points_per_item=Decimal(per),
        min_denominator=minimum,
    )


BANDS = [
    RatingBand(label="Xuất sắc", min_score=Decimal(90)),
    RatingBand(label="Tốt", min_score=Decimal(75)),
    RatingBand(label="Chưa", min_score=Decimal(0)),
]


def test_component_below_minimum_is_left_out_and_weights_renormalised() -> None:
    components = [_component("a", 30, minimum=5), _component("b", 10, minimum=5)]
    figures = {"a": MetricValue(80.0, "%", 20, "A", numerator=16), "b": MetricValue(0.0, "%", 2, "B", numerator=0)}
    result = rating.evaluate(components, BANDS, figures)
    a, b = result.figures
    assert a.included and a.score == 80.0 and a.weight_used == 100.0
    # 0 % on 2 events, below the minimum of 5: not a 0 score, "không đủ dữ liệu"
    assert not b.included and b.score is None and b.weight_used is None
    assert b.note.startswith("Không đủ dữ liệu") and "cần ít nhất 5, có 2" in b.note
    assert result.score == 80.0 and result.band == "Tốt"


def test_figure_without_value_is_insufficient_not_zero() -> None:
    components = [_component("a", 50), _component("b", 50)]
    figures = {"a": MetricValue(None, "%", 0, "A", note="Chưa có phản ánh."), "b": MetricValue(95.0, "%", 40, "B")}
    result = rating.evaluate(components, BANDS, figures)
    assert result.score == 95.0 and result.band == "Xuất sắc"
    assert result.figures[0].note == "Không đủ dữ liệu. Chưa có phản ánh."


def test_no_component_with_data_gives_no_score_and_no_band() -> None:
    result = rating.evaluate([_component("a", 10)], BANDS, {})
    assert result.score is None and result.band == "" and not result.figures[0].included


def test_weighted_mean_lower_is_better_and_counts() -> None:
    components = [
        _component("share", 3),
        _component("late", 1, direction="lower"),
        _component("harassment", 1, minimum=0, direction="lower", scale="count", per=25),
    ]
    figures = {
        "share": MetricValue(90.0, "%", 10, ""),
        "late": MetricValue(20.0, "%", 10, ""),
        "harassment": MetricValue(2.0, "phản ánh", 2, ""),
    }
    result = rating.evaluate(components, BANDS, figures)
    assert [f.score for f in result.figures] == [90.0, 80.0, 50.0]
    assert result.score == round((3 * 90 + 80 + 50) / 5, 1)
    assert [f.weight_used for f in result.figures] == [60.0, 20.0, 20.0]
    # a count never goes below 0
    assert rating.component_score(components[2], 9) == 0.0


def test_band_is_the_highest_reached() -> None:
    assert rating.band_for(89.9, BANDS) == "Tốt"
    assert rating.band_for(90, BANDS) == "Xuất sắc"
    assert rating.band_for(0, BANDS) == "Chưa"
    assert rating.band_for(None, BANDS) == ""


def test_a_count_alone_without_any_data_gives_no_score() -> None:
    """No substantiated harassment is full marks only beside a figure resting on records."""
    harassment = _component("harassment", 10, minimum=0, direction="lower", scale="count", per=25)
    alone = rating.evaluate([harassment, _component("tasks", 10)], BANDS, {"harassment": MetricValue(0.0, "phản ánh", 0, "")})
    assert alone.score is None and alone.band == "" and not any(f.included for f in alone.figures)
    beside = rating.evaluate(
        [harassment, _component("tasks", 10)],
        BANDS,
        {"harassment": MetricValue(0.0, "phản ánh", 0, ""), "tasks": MetricValue(50.0, "%", 2, "")},
    )
    assert beside.score == 75.0
