"""Honest statistics, checked against hand computations: no finite population correction without
known population sizes; a year-over-year change tested with its interval and p-value; the pooled
figure's make-up stated."""

from __future__ import annotations

import math

import pytest

from surveys import statistics
from surveys.statistics import Interval, Row
from tests.surveys.conftest import pks07_answers


def _rows(shares: list[float], *, known: bool, population: int = 10, group: str = "citizens", weight: float = 2.0) -> list[Row]:
    return [
        Row(
            stratum=1,
            weight=weight,
            population=population,
            commune=1,
            district=1,
            group=group,
            scores={"all": (4.0, y)},
            population_known=known,
        )
        for y in shares
    ]


def test_no_fpc_without_known_population_sizes() -> None:
    shares = [1.0, 1.0, 0.0, 1.0, 0.0]
    # by hand: mean 0.6; s² = (3 × 0.4² + 2 × 0.6²) / 4 = 0.3
    unknown = statistics.estimate(_rows(shares, known=False), element="all")["all"]["share"]
    assert unknown.est == pytest.approx(0.6)
    assert unknown.se == pytest.approx(math.sqrt(0.3 / 5), rel=1e-9)  # s²/n: no correction
    known = statistics.estimate(_rows(shares, known=True), element="all")["all"]["share"]
    assert known.se == pytest.approx(math.sqrt((1 - 5 / 10) * 0.3 / 5), rel=1e-9)  # (1 − n/N) s²/n
    # one stratum of unknown size is enough to drop the correction for the whole estimate
    mixed = [
        *_rows(shares, known=True),
        Row(
            stratum=2,
            weight=2.0,
            population=10,
            commune=2,
            district=1,
            group="citizens",
            scores={"all": (4.0, 1.0)},
            population_known=False,
        ),
    ]
    assert statistics.estimate(mixed, element="all")["all"]["share"].se > 0


def test_a_year_change_is_tested_not_read_off_overlapping_intervals() -> None:
    now = Interval(est=0.620, lci=0.5965, uci=0.6435, se=0.0120)
    before = Interval(est=0.664, lci=0.6350, uci=0.6930, se=0.0148)
    assert not statistics.intervals_differ(now, before)  # the intervals overlap...
    diff = statistics.difference(now, before)
    # by hand: d = −0.044; se = √(0.0120² + 0.0148²) = √0.00036304 = 0.0190536; z = −2.30927
    assert diff.est == pytest.approx(-0.044)
    assert diff.z == pytest.approx(-2.30927, abs=1e-4)
    # p = 2 × (1 − Φ(2.30927)) = 0.02093
    assert diff.p == pytest.approx(0.02093, abs=1e-4)
    assert (diff.lci, diff.uci) == (
        pytest.approx(-0.044 - 1.959964 * 0.0190536, abs=1e-6),
        pytest.approx(-0.044 + 1.959964 * 0.0190536, abs=1e-6),
    )
    assert diff.significant  # ...yet the change is significant at 5 %
    same = statistics.difference(Interval(0.6, 0.6, 0.6, 0.0), Interval(0.6, 0.6, 0.6, 0.0))
    assert same.p is None and not same.significant


def test_pooled_figure_states_its_composition() -> None:
    rows = _rows([1.0] * 4, known=False, weight=240.0) + _rows([1.0] * 6, known=False, group="officials", weight=4.0)
    # by hand: citizens 4 × 240 = 960, officials 6 × 4 = 24; 960 / 984 = 97.56 %
    composition = statistics.composition(rows)
    assert composition["citizens"] == (pytest.approx(960 / 984), 4)
    assert composition["officials"] == (pytest.approx(24 / 984), 6)


@pytest.mark.django_db
def test_results_page_says_when_no_fpc_and_populations_are_entered_with_their_source(  # type: ignore[no-untyped-def]
    campaign, stratum, district_officer, client_for
) -> None:
    from django.core.exceptions import ValidationError

    from surveys import queries, services
    from surveys.models import Mode, Stratum

    for i, level in enumerate([5, 4, 2, 4]):
        services.submit_response(stratum=stratum, raw=pks07_answers(level), mode=Mode.OPEN, device_id=f"d{i}")
    client = client_for(district_officer)
    url = f"/staff/khao-sat/dot/{campaign.pk}/ket-qua/"
    body = client.get(url).content.decode()
    assert "KHÔNG áp dụng hiệu chỉnh tổng thể hữu hạn" in body
    assert "Không có đợt khảo sát năm trước" in body
    assert "Theo phiếu khảo sát" in body and "PKS07 –" in body
    # the province enters its figures with their source, through the page
    strata = Stratum.objects.filter(form__campaign=campaign)
    for group in ("citizens", "officials"):
        lines = "\n".join(
            f"{s.unit.code} = {1000 if group == 'citizens' else 25}" for s in strata.filter(form__group=group).select_related("unit")
        )
        response = client.post(
            f"/staff/khao-sat/dot/{campaign.pk}/quy-mo/", {"group": group, "source": "Sổ hộ tháng 6/2026", "values": lines}
        )
        assert response.status_code == 302
    assert queries.population_note(campaign)["all_known"]
    rows = queries.response_rows(campaign=campaign)
    assert {r.weight for r in rows} == {1000 / 4} and all(r.population_known for r in rows)
    body = client.get(url).content.decode()
    assert "mọi tầng có quy mô từ số liệu của tỉnh (Sổ hộ tháng 6/2026)" in body
    with pytest.raises(ValidationError):
        services.set_populations(by=district_officer, campaign=campaign, group="citizens", values={"99999": 5}, source="x")
    with pytest.raises(ValidationError):
        services.set_populations(by=district_officer, campaign=campaign, group="citizens", values={stratum.unit.code: 5}, source=" ")
