from __future__ import annotations

import datetime as dt

import pytest

from accounts.actors import SYSTEM
from surveys import services
from surveys.models import Campaign, CampaignState, InstrumentVersion, Stratum, VersionState


@pytest.fixture
def instruments(db):  # type: ignore[no-untyped-def]
    services.load_instruments(by=SYSTEM)
    return {v.instrument.code: v for v in InstrumentVersion.objects.filter(state=VersionState.PUBLISHED).select_related("instrument")}


@pytest.fixture
def campaign(instruments, luc_nam, district_officer) -> Campaign:  # type: ignore[no-untyped-def]
    """An open Lục Nam campaign: citizens answer PKS07, officials PKS01."""
    c = services.create_campaign(
        by=district_officer,
        unit=luc_nam,
        title="Khảo sát thử Lục Nam",
        year=2024,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 12, 31),
        forms=[("citizens", instruments["PKS07"]), ("officials", instruments["PKS01"])],
        min_responses=3,
    )
    return services.change_campaign_state(by=district_officer, campaign=c, target=CampaignState.OPEN)


@pytest.fixture
def stratum(campaign, doi_ngo) -> Stratum:  # type: ignore[no-untyped-def]
    return Stratum.objects.select_related("form__campaign", "form__version", "unit").get(
        form__campaign=campaign, form__group="citizens", unit=doi_ngo
    )


def pks07_answers(level: int = 4, **overrides: object) -> dict[str, object]:
    answers: dict[str, object] = {f"q{i}": str(level) for i in range(1, 9)}
    answers.update(overrides)
    return answers
