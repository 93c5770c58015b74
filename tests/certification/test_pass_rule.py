"""The pass rule at its edges: exactly the pass mark passes; a mandatory criterion failed fails the
unit whatever the total; stars follow the configured bands."""

from __future__ import annotations

from decimal import Decimal

import pytest

from certification.scoring import evaluate

pytestmark = pytest.mark.django_db


def scores_with(criteria_set, minus: dict[str, Decimal]) -> dict[int, Decimal]:
    return {c.pk: c.max_points - minus.get(c.code, Decimal("0")) for c in criteria_set.criteria.all()}


def test_exactly_the_pass_mark_passes_with_one_star(criteria_set):
    # 100 − 30 = 70 = pass mark, no mandatory criterion touched (I.1..I.6 = 20, III.1 = 4, III.2 = 4, minus 2 of III.3)
    minus = {
        "I.1": Decimal("4"),
        "I.2": Decimal("4"),
        "I.3": Decimal("3"),
        "I.4": Decimal("3"),
        "I.5": Decimal("3"),
        "I.6": Decimal("3"),
        "III.1": Decimal("4"),
        "III.2": Decimal("4"),
        "III.3": Decimal("2"),
    }
    result = evaluate(criteria_set, scores_with(criteria_set, minus))
    assert result.total == Decimal("70") and result.passed and result.stars == 1


def test_just_below_the_pass_mark_fails(criteria_set):
    minus = {
        "I.1": Decimal("4"),
        "I.2": Decimal("4"),
        "I.3": Decimal("3"),
        "I.4": Decimal("3"),
        "I.5": Decimal("3"),
        "I.6": Decimal("3"),
        "III.1": Decimal("4"),
        "III.2": Decimal("4"),
        "III.3": Decimal("2.5"),
    }
    result = evaluate(criteria_set, scores_with(criteria_set, minus))
    assert result.total == Decimal("69.5") and not result.passed and result.stars == 0


def test_mandatory_criterion_failed_with_high_total_fails(criteria_set):
    result = evaluate(criteria_set, scores_with(criteria_set, {"II.6": Decimal("5")}))  # harassment: điểm liệt
    assert result.total == Decimal("95") and not result.passed and result.failed_mandatory == ["II.6"] and result.stars == 0


@pytest.mark.parametrize(("lost", "stars"), [("0", 4), ("5", 4), ("5.5", 3), ("10", 3), ("10.5", 2), ("20", 2), ("20.5", 1)])
def test_star_bands(criteria_set, lost, stars):
    # take points off V.1 (mandatory min 4) first, then V.2/V.3, staying above the mandatory minimum
    lost_d = Decimal(lost)
    minus: dict[str, Decimal] = {}
    for code, cap in (("V.1", Decimal("4")), ("V.2", Decimal("6")), ("V.3", Decimal("6")), ("I.1", Decimal("4")), ("I.2", Decimal("4"))):
        take = min(cap, lost_d)
        minus[code] = take
        lost_d -= take
    assert evaluate(criteria_set, scores_with(criteria_set, minus)).stars == stars
