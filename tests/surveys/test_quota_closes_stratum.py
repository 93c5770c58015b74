"""A stratum takes no more complete responses once its quota is reached."""

from __future__ import annotations

import pytest

from surveys import services
from surveys.models import Mode, Response, Stratum
from tests.surveys.conftest import pks07_answers


def test_quota_reached_refuses_more(stratum) -> None:  # type: ignore[no-untyped-def]
    Stratum.objects.filter(pk=stratum.pk).update(quota=2)
    for i in range(2):
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.OPEN, device_id=f"d{i}")
    with pytest.raises(services.SubmissionRefused):
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.OPEN, device_id="d3")
    stratum.refresh_from_db()
    assert stratum.received == 2 and stratum.is_full
    assert Response.objects.filter(stratum=stratum).count() == 2


def test_invited_respondents_are_never_turned_away_by_open_link_answers(stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    Stratum.objects.filter(pk=stratum.pk).update(quota=1)
    services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.OPEN, device_id="d0")
    with pytest.raises(services.SubmissionRefused):
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.OPEN, device_id="d1")
    tokens = services.issue_tokens(by=district_officer, stratum=stratum, count=2)
    for token in tokens:
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.TOKEN, token=token)
    stratum.refresh_from_db()
    assert (stratum.received, stratum.open_received) == (3, 1)
    assert sorted(Response.objects.filter(stratum=stratum).values_list("mode", flat=True)) == ["open", "token", "token"]


def test_quota_comes_from_the_sample_size_calculator(campaign, doi_ngo) -> None:  # type: ignore[no-untyped-def]
    officials = Stratum.objects.get(form__campaign=campaign, form__group="officials", unit=doi_ngo)
    # N = 23 officials, ±5 points at 95 %: 384.146 / (1 + 383.146/23) = 21.7 → 22
    assert officials.population == 23
    assert officials.quota == 22


def test_closed_campaign_takes_nothing(stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    services.change_campaign_state(by=district_officer, campaign=stratum.form.campaign, target="closed")
    stratum.refresh_from_db()
    with pytest.raises(services.SubmissionRefused):
        services.submit_response(
            stratum=Stratum.objects.select_related("form__campaign").get(pk=stratum.pk), raw=pks07_answers(), mode=Mode.OPEN, device_id="x"
        )


def test_campaigns_past_their_end_are_closed_daily(campaign) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    assert services.close_ended_campaigns(today=dt.date(2024, 12, 31)) == 0
    assert services.close_ended_campaigns(today=dt.date(2025, 1, 1)) == 1
    campaign.refresh_from_db()
    assert campaign.state == "closed"
