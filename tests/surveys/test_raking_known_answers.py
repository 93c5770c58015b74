"""Raking the design weights to known margins, against hand computations on small fixed datasets.

One variable: raking is post-stratification, so the weighted share satisfied equals
Σ_cells known_share × (design-weighted share satisfied within the cell). Two variables: the raked
weights equal a hand-run iterative proportional fitting (alternately scale each margin's cells to
their target total, starting from the design weights)."""

from __future__ import annotations

import pytest

from surveys import conf
from surveys.statistics import ALL, Row, estimate, margin_error, rake_rows

SEX = {"m": 0.4, "f": 0.6}
AGE = {"young": 0.3, "old": 0.7}


def _rows() -> list[Row]:
    # (stratum, design weight, share satisfied, sex, age group)
    data = [
        (1, 2.0, 1.0, "m", "young"),
        (1, 2.0, 0.0, "f", "old"),
        (1, 2.0, 1.0, "m", "old"),
        (1, 2.0, 1.0, "f", "young"),
        (2, 5.0, 0.0, "m", "young"),
        (2, 5.0, 0.0, "m", "old"),
        (2, 5.0, 1.0, "f", "old"),
        (2, 5.0, 0.0, "f", "old"),
    ]
    return [
        Row(
            stratum=h,
            weight=w,
            population=8 if h == 1 else 20,
            commune=h,
            district=1,
            group="citizens",
            scores={ALL: (4.0 if y else 2.0, y)},
            attrs={"sex": sex, "age": age},
        )
        for h, w, y, sex, age in data
    ]


def test_raking_by_one_variable_is_post_stratification() -> None:
    rows = _rows()
    design = {id(r): r.weight for r in rows}
    # By hand, design-weighted share satisfied per sex cell: men (2 + 2) / (2 + 2 + 5 + 5) = 2/7,
    # women (2 + 5) / (2 + 2 + 5 + 5) = 1/2; post-stratified: 0.4 · 2/7 + 0.6 · 1/2 = 29/70.
    cell_share = {
        c: sum(design[id(r)] * r.scores[ALL][1] for r in rows if r.attrs["sex"] == c)
        / sum(design[id(r)] for r in rows if r.attrs["sex"] == c)
        for c in SEX
    }
    assert cell_share == pytest.approx({"m": 2 / 7, "f": 1 / 2})
    assert rake_rows(rows, {"sex": SEX}) is True
    assert sum(r.weight for r in rows) == pytest.approx(28.0)  # the design-weight total is kept
    # each cell's weights are scaled by one factor: known share × total / cell's design total
    for r in rows:
        assert r.weight == pytest.approx(design[id(r)] * SEX[r.attrs["sex"]] * 28 / 14)
    share = estimate(rows)[ALL]["share"]
    assert share.est == pytest.approx(sum(SEX[c] * cell_share[c] for c in SEX))
    assert share.est == pytest.approx(29 / 70)
    assert share.lci < share.est < share.uci


def _hand_ipf(rows: list[Row], margins: dict[str, dict[str, float]], sweeps: int) -> list[float]:
    w = [r.weight for r in rows]
    total = sum(w)
    for _ in range(sweeps):
        for var, shares in margins.items():
            for cat, share in shares.items():
                idx = [i for i, r in enumerate(rows) if r.attrs[var] == cat]
                factor = share * total / sum(w[i] for i in idx)
                for i in idx:
                    w[i] *= factor
    return w


def test_two_variables_match_a_hand_run_ipf() -> None:
    rows = _rows()
    expected = _hand_ipf(_rows(), {"sex": SEX, "age": AGE}, sweeps=200)
    assert rake_rows(rows, {"sex": SEX, "age": AGE}) is True
    assert [r.weight for r in rows] == pytest.approx(expected, rel=1e-5)
    total = sum(r.weight for r in rows)
    assert total == pytest.approx(28.0)
    for var, shares in (("sex", SEX), ("age", AGE)):
        for cat, share in shares.items():
            assert sum(r.weight for r in rows if r.attrs[var] == cat) / total == pytest.approx(share, abs=1e-6)


def test_raking_converges_to_tolerance_and_reports_a_cut_short_fit() -> None:
    rows = _rows()
    assert rake_rows(rows, {"sex": SEX, "age": AGE}) is True
    assert margin_error(rows, {"sex": SEX, "age": AGE}) <= conf.RAKE_TOL
    assert conf.RAKE_MAX_ITER == 50 and conf.RAKE_TOL == 1e-6
    # One sweep fits the last margin but not yet the first: not converged, and said so.
    short = _rows()
    assert rake_rows(short, {"sex": SEX, "age": AGE}, max_iter=1) is False
    assert margin_error(short, {"sex": SEX, "age": AGE}) > conf.RAKE_TOL


def test_rows_missing_a_variable_keep_their_design_weight() -> None:
    rows = _rows()
    rows[0].attrs = {"age": "young"}  # sex not answered
    rows[1].attrs = {"sex": "f", "age": "other"}  # a category with no known share
    assert rake_rows(rows, {"sex": SEX, "age": AGE}) is True
    assert rows[0].weight == 2.0 and rows[1].weight == 2.0
    assert sum(r.weight for r in rows) == pytest.approx(28.0)
    fitted = rows[2:]
    total = sum(r.weight for r in fitted)
    assert total == pytest.approx(24.0)
    assert sum(r.weight for r in fitted if r.attrs["sex"] == "m") / total == pytest.approx(0.4, abs=1e-6)


def test_a_category_without_responses_is_dropped_and_the_rest_renormalised() -> None:
    rows = _rows()
    assert rake_rows(rows, {"sex": {"m": 0.2, "f": 0.4, "x": 0.4}}) is True
    total = sum(r.weight for r in rows)
    assert sum(r.weight for r in rows if r.attrs["sex"] == "m") / total == pytest.approx(1 / 3)
