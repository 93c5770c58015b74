"""The index from stored responses: weights from the strata, suppression under the threshold, the
metric other capabilities read, rank ranges that do not separate overlapping intervals."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from core import metrics
from surveys import queries, services, statistics
from surveys.models import Mode, Stratum
from surveys.statistics import IndexCell, Interval
from tests.surveys.conftest import pks07_answers


def _answer(stratum: Stratum, levels: list[int]) -> None:
    for i, level in enumerate(levels):
        services.submit_response(
            stratum=stratum, raw=pks07_answers(level), mode=Mode.OPEN, device_id=f"{stratum.pk}-{i}-{level}-{uuid.uuid4()}"
        )


def test_suppressed_under_threshold_and_shown_at_it(campaign, stratum, dong_hung) -> None:  # type: ignore[no-untyped-def]
    _answer(stratum, [5, 4])  # threshold is 3
    [cell] = queries.index_cells(view=queries.reading(campaign=campaign), by="commune")
    assert cell.suppressed and cell.share is None and cell.n is None  # not even the count
    _answer(Stratum.objects.get(pk=stratum.pk), [2])
    [cell] = queries.index_cells(view=queries.reading(campaign=campaign), by="commune")
    assert not cell.suppressed and cell.n == 3
    # published figures are rounded: shares to 0.1 point, mean scores to 2 decimals
    assert cell.share is not None and cell.share.est == 0.667
    assert cell.mean is not None and cell.mean.est == 3.67


def test_design_weight_is_population_over_responses(campaign, stratum) -> None:  # type: ignore[no-untyped-def]
    _answer(stratum, [4, 4, 4, 4])
    rows = queries.response_rows(campaign=campaign)
    assert {r.weight for r in rows} == {stratum.population / 4}


def test_metric_is_registered_and_suppresses(campaign, stratum, luc_nam, doi_ngo) -> None:  # type: ignore[no-untyped-def]
    assert metrics.get("surveys.satisfaction_index") is not None
    _answer(stratum, [5, 5])
    value = metrics.compute("surveys.satisfaction_index", unit=doi_ngo, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert value.value is None and value.basis == 0  # a suppressed figure does not show its count
    _answer(Stratum.objects.get(pk=stratum.pk), [1, 4])
    value = metrics.compute("surveys.satisfaction_index", unit=luc_nam, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert value.value == pytest.approx(75.0) and value.basis == 4 and "95" in value.note


def test_results_page_shows_suppression_not_numbers(campaign, stratum, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    _answer(stratum, [5, 5])
    body = client_for(district_officer).get(f"/staff/khao-sat/dot/{campaign.pk}/ket-qua/").content.decode()
    assert "Chưa đủ phiếu để công bố" in body
    assert "100.0" not in body and "100,0" not in body


def _cell(label: str, est: float, half: float) -> IndexCell:
    return IndexCell(key=label, label=label, n=50, share=Interval(est, est - half, est + half, half / 2), mean=Interval(4, 3.9, 4.1, 0.05))


def test_overlapping_intervals_share_a_rank_range() -> None:
    a, b, c = _cell("A", 0.90, 0.03), _cell("B", 0.88, 0.03), _cell("C", 0.70, 0.03)
    assert statistics.intervals_differ(a.share, c.share)
    assert not statistics.intervals_differ(a.share, b.share)
