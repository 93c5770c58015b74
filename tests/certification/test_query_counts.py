"""The main staff pages and the public sections run the same number of queries whether a campaign
holds 3 communes' files or 12: nothing is read once per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.models import Campaign, FileState, Recognition, Registration
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

S = FileState
STATES = [S.RECOGNISED, S.REGISTERED, S.SUBMITTED, S.AT_PROVINCE]


def _add_files(campaign: Campaign, communes: list[Unit], by: Any) -> None:
    """Files for the given communes in a round of states, the recognised ones with their decision;
    written directly (the services are proven elsewhere; here only the row count matters)."""
    today = timezone.localdate()
    for i, commune in enumerate(communes):
        state = STATES[i % len(STATES)]
        reg = Registration.objects.create(
            campaign=campaign,
            unit=commune,
            district=commune.parent,
            state=state,
            registered_by=by,
            self_total=Decimal("90"),
            district_total=Decimal("88") if state != S.REGISTERED else None,
            province_total=Decimal("85") if state == S.RECOGNISED else None,
        )
        if state == S.RECOGNISED:
            Recognition.objects.create(
                registration=reg,
                stars=3,
                total=Decimal("85"),
                decision_number=f"{i}/QĐ-UBND",
                decision_date=today,
                signer="Chủ tịch UBND tỉnh",
                valid_until=today + dt.timedelta(days=3 * 365),
            )


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def grow(campaign, bac_giang, province_officer) -> Callable[[int], None]:  # type: ignore[no-untyped-def]
    """Bring the campaign to n files across two districts, every deadline already past (so the
    overdue list has rows too)."""
    districts = list(Unit.objects.filter(parent=bac_giang, kind=UnitKind.DISTRICT).order_by("code")[:2])
    pool = [c for d in districts for c in Unit.objects.filter(parent=d, kind=UnitKind.COMMUNE).order_by("code")[:6]]
    past = timezone.localdate() - dt.timedelta(days=5)
    Campaign.objects.filter(pk=campaign.pk).update(self_assessment_due=past, district_appraisal_due=past, province_appraisal_due=past)

    def to(n: int) -> None:
        have = set(campaign.registrations.values_list("unit_id", flat=True))
        _add_files(campaign, [c for c in pool[:n] if c.pk not in have], province_officer)
        assert campaign.registrations.count() == n

    return to


def _same_count(grow: Callable[[int], None], client: Any, url: str) -> None:
    grow(3)
    client.get(url)  # warm caches that are read once per process (content types, sessions)
    small = _count(client, url)
    grow(12)
    big = _count(client, url)
    assert big <= small, f"{url}: {small} queries with 3 files, {big} with 12"


@pytest.mark.parametrize("name", ["campaign_list", "campaign_detail", "targets", "overdue", "quality"])
def test_province_pages_do_not_query_per_file(name, grow, campaign, province_officer, client_for):
    args = [] if name == "campaign_list" else [campaign.pk]
    _same_count(grow, client_for(province_officer), reverse(f"certification:{name}", args=args))


@pytest.mark.parametrize("name", ["campaign_detail", "overdue"])
def test_district_pages_do_not_query_per_file(name, grow, campaign, district_officer, client_for):
    _same_count(grow, client_for(district_officer), reverse(f"certification:{name}", args=[campaign.pk]))


def test_file_list_pages_do_not_query_per_file(grow, campaign, client):
    _same_count(grow, client, reverse("certification_public:recognised"))


def test_portal_home_does_not_query_per_file(grow, campaign, client):
    _same_count(grow, client, "/")
