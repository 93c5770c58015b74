"""The index and its 95 % intervals against hand formulas on small fixed datasets.

Weighted (stratified, design weights N_h/n_h, finite population correction):
    ŷ = Σ w·y / Σ w;  z_i = w_i (y_i − ŷ) / Σ w
    V = Σ_h (1 − n_h/N_h) · n_h/(n_h − 1) · Σ_i (z_hi − z̄_h)²;  CI = ŷ ± t(0.975, n − H) · √V
Unweighted (simple random sample): ȳ ± t(0.975, n − 1) · s/√n. Intervals are cut to the possible
range ([0, 1] for a share, [1, 5] for a score)."""

from __future__ import annotations

import math

import pytest

from surveys.statistics import ALL, Row, estimate

# t quantiles from a printed table
T_975_DF6 = 2.446912
T_975_DF5 = 2.570582


def _rows() -> list[Row]:
    # Stratum 1: population 8, 4 responses (weight 2); stratum 2: population 20, 4 responses (weight 5)
    scores_1 = [(5, 1.0), (2, 0.0), (4, 1.0), (4, 1.0)]
    scores_2 = [(3, 0.0), (2, 0.0), (5, 1.0), (1, 0.0)]
    rows = [Row(stratum=1, weight=2.0, population=8, commune=1, district=1, group="citizens", scores={ALL: (m, s)}) for m, s in scores_1]
    rows += [Row(stratum=2, weight=5.0, population=20, commune=2, district=1, group="officials", scores={ALL: (m, s)}) for m, s in scores_2]
    return rows


def _hand_weighted(rows: list[Row], idx: int) -> tuple[float, float]:
    w = [r.weight for r in rows]
    y = [r.scores[ALL][idx] for r in rows]
    total = sum(w)
    est = sum(a * b for a, b in zip(w, y, strict=True)) / total
    z = [wi * (yi - est) / total for wi, yi in zip(w, y, strict=True)]
    var = 0.0
    for h in {r.stratum for r in rows}:
        zh = [zi for zi, r in zip(z, rows, strict=True) if r.stratum == h]
        n, big_n = len(zh), next(r.population for r in rows if r.stratum == h)
        mean = sum(zh) / n
        var += (1 - n / big_n) * n / (n - 1) * sum((v - mean) ** 2 for v in zh)
    return est, math.sqrt(var)


def test_weighted_share_satisfied_matches_hand_formula() -> None:
    rows = _rows()
    result = estimate(rows)[ALL]
    est, se = _hand_weighted(rows, 1)
    # By hand: (2·3 + 5·1) / (8 + 20) = 11/28
    assert est == pytest.approx(11 / 28)
    assert result["share"].est == pytest.approx(est)
    assert result["share"].se == pytest.approx(se, rel=1e-9)
    # est − t·se = −0.017 is cut at 0, a share's lower bound
    assert est - T_975_DF6 * se < 0
    assert result["share"].lci == 0.0
    assert result["share"].uci == pytest.approx(est + T_975_DF6 * se, rel=1e-5)
    assert result["n"] == 8


def test_weighted_mean_score_matches_hand_formula() -> None:
    rows = _rows()
    result = estimate(rows)[ALL]
    est, se = _hand_weighted(rows, 0)
    # By hand: (2·15 + 5·11) / 28 = 85/28
    assert est == pytest.approx(85 / 28)
    assert result["mean"].est == pytest.approx(est)
    assert result["mean"].se == pytest.approx(se, rel=1e-9)
    assert result["mean"].uci - result["mean"].lci == pytest.approx(2 * T_975_DF6 * se, rel=1e-5)


def test_unweighted_is_the_simple_random_sample_interval() -> None:
    rows = _rows()[:6]
    result = estimate(rows, weighted=False)[ALL]
    y = [r.scores[ALL][0] for r in rows]  # 5, 2, 4, 4, 3, 2
    mean = sum(y) / 6
    s = math.sqrt(sum((v - mean) ** 2 for v in y) / 5)
    assert result["mean"].est == pytest.approx(20 / 6)
    assert result["mean"].se == pytest.approx(s / math.sqrt(6), rel=1e-9)
    assert result["mean"].lci == pytest.approx(mean - T_975_DF5 * s / math.sqrt(6), rel=1e-5)


def test_domain_estimates_per_group() -> None:
    result = estimate(_rows(), by="group")
    # Each group lies in one stratum, so its weighted mean is its plain mean.
    assert result["citizens"]["mean"].est == pytest.approx(15 / 4)
    assert result["officials"]["share"].est == pytest.approx(1 / 4)
    assert result["citizens"]["n"] == 4


def test_weights_change_the_answer() -> None:
    weighted = estimate(_rows())[ALL]["share"].est
    unweighted = estimate(_rows(), weighted=False)[ALL]["share"].est
    assert unweighted == pytest.approx(4 / 8)
    assert weighted != pytest.approx(unweighted)
