"""Cochran's sample size with finite population correction, against values worked by hand."""

from __future__ import annotations

import pytest

from surveys.sampling import sample_size, z_value


def test_z_for_95_percent_is_1_96() -> None:
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)


def test_infinite_population_plus_minus_5_points_needs_385() -> None:
    # 1.959964² · 0.25 / 0.0025 = 384.146 → 385
    assert sample_size(margin=0.05, confidence=0.95, proportion=0.5) == 385


def test_finite_population_correction_for_1000() -> None:
    # n0 = 384.146; n = 384.146 / (1 + 383.146 / 1000) = 277.74 → 278
    assert sample_size(margin=0.05, confidence=0.95, proportion=0.5, population=1000) == 278


def test_expected_proportion_and_99_percent() -> None:
    # z = 2.575829; n0 = 6.634897 · 0.8 · 0.2 / 0.0025 = 424.63 → 425; with N = 500: 424.63/(1+423.63/500) = 229.9 → 230
    assert sample_size(margin=0.05, confidence=0.99, proportion=0.8) == 425
    assert sample_size(margin=0.05, confidence=0.99, proportion=0.8, population=500) == 230


def test_never_more_than_the_population() -> None:
    assert sample_size(margin=0.01, confidence=0.95, proportion=0.5, population=23) == 23


@pytest.mark.parametrize("margin", [0, 1, -0.1])
def test_refuses_nonsense(margin: float) -> None:
    with pytest.raises(ValueError):
        sample_size(margin=margin, confidence=0.95, proportion=0.5)
