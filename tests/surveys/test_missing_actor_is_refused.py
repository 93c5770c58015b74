"""A missing actor never skips a permission check: survey services called with `by=None` are refused
like any outsider; only the explicit SYSTEM actor (scheduled jobs, the demo, operators' commands)
acts as the platform."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accounts.actors import SYSTEM
from surveys import services
from surveys.models import Campaign, CampaignState, InstrumentVersion, VersionState

pytestmark = pytest.mark.django_db


def test_loading_instruments_without_an_actor_is_refused(db):
    with pytest.raises(PermissionDenied):
        services.load_instruments(by=None)  # type: ignore[arg-type]
    assert not InstrumentVersion.objects.exists()
    assert services.load_instruments(by=SYSTEM)


def test_creating_a_campaign_without_an_actor_is_refused(instruments, luc_nam):
    with pytest.raises(PermissionDenied):
        services.create_campaign(
            by=None,  # type: ignore[arg-type]
            unit=luc_nam,
            title="Không ai tạo",
            year=2024,
            starts_on=dt.date(2024, 9, 1),
            ends_on=dt.date(2024, 12, 31),
            forms=[("citizens", instruments["PKS07"])],
        )
    assert not Campaign.objects.exists()


def test_changing_state_setting_margins_and_issuing_tokens_without_an_actor_are_refused(campaign, stratum):
    with pytest.raises(PermissionDenied):
        services.change_campaign_state(by=None, campaign=campaign, target=CampaignState.CLOSED)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        services.issue_tokens(by=None, stratum=stratum, count=3)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        services.remove_margins(by=None, campaign=campaign, variable="gioi_tinh")  # type: ignore[arg-type]
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.OPEN


def test_the_daily_job_closes_ended_campaigns_as_the_system(campaign):
    assert services.close_ended_campaigns(today=campaign.ends_on + dt.timedelta(days=1)) == 1
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.CLOSED
    assert InstrumentVersion.objects.filter(state=VersionState.PUBLISHED).exists()
