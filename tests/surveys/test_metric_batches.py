"""The survey figures the chairman rating reads: the batch over many units gives each unit what
the per-unit figure gives, reading each campaign once; the chairman questionnaire (PKS02) figure
says when it was not fielded or not yet published, never 0."""

from __future__ import annotations

import datetime as dt
import uuid

from core import metrics
from surveys import services
from surveys.models import CampaignState, Mode, Stratum
from tests.surveys.conftest import pks07_answers

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def _answer(stratum: Stratum, levels: list[int]) -> None:
    for i, level in enumerate(levels):
        services.submit_response(stratum=stratum, raw=pks07_answers(level), mode=Mode.OPEN, device_id=f"{stratum.pk}-{i}-{uuid.uuid4()}")


def test_satisfaction_batch_matches_single(campaign, stratum, doi_ngo, dong_hung, luc_nam, cam_son) -> None:  # type: ignore[no-untyped-def]
    _answer(stratum, [5, 4, 2, 5])
    _answer(Stratum.objects.get(form__campaign=campaign, form__group="citizens", unit=dong_hung), [5, 5, 5])
    units = [doi_ngo, dong_hung, luc_nam, cam_son]
    batch = metrics.compute_many("surveys.satisfaction_index", units=units, start=START, end=END)
    for unit in units:
        single = metrics.compute("surveys.satisfaction_index", unit=unit, start=START, end=END)
        assert (batch[unit.pk].value, batch[unit.pk].basis, batch[unit.pk].note) == (single.value, single.basis, single.note), unit
    assert batch[doi_ngo.pk].value == 75.0 and batch[cam_son.pk].value is None


def test_chairman_questionnaire_not_fielded_or_not_published(campaign, instruments, luc_nam, doi_ngo, district_officer) -> None:  # type: ignore[no-untyped-def]
    value = metrics.compute("surveys.chairman_index", unit=doi_ngo, start=START, end=END)
    assert value.value is None and "Chưa có đợt khảo sát nào dùng phiếu PKS02" in value.note  # the campaign fields PKS07 only
    c = services.create_campaign(
        by=district_officer,
        unit=luc_nam,
        title="Khảo sát về chủ tịch UBND",
        year=2024,
        starts_on=dt.date(2024, 10, 1),
        ends_on=dt.date(2024, 11, 30),
        forms=[("citizens", instruments["PKS02"])],
        min_responses=3,
    )
    services.change_campaign_state(by=district_officer, campaign=c, target=CampaignState.OPEN)
    single = metrics.compute("surveys.chairman_index", unit=doi_ngo, start=START, end=END)
    batch = metrics.compute_many("surveys.chairman_index", units=[doi_ngo], start=START, end=END)[doi_ngo.pk]
    assert single.value is None and batch.value is None and single.basis == batch.basis == 0
    assert "PKS02 chưa công bố" in single.note and single.link == batch.link == f"/staff/khao-sat/dot/{c.pk}/ket-qua/"
