"""The appraisal-quality page and API run the same number of queries with 4 files or 16, with
self-scores, district and province scores, samples, checks, recognitions and citizens' figures for
every file: nothing is read per file or per commune (the old table read citizens' figures once per
proposed commune, about 480 queries on the demo data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, Role
from certification.models import (
    AppraisalScore,
    Campaign,
    CitizenFigure,
    DistrictForward,
    FileState,
    Level,
    ProvinceCheck,
    ProvinceSample,
    Recognition,
    Registration,
    SelfScore,
)
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def _build(campaign: Campaign, communes: list[Unit], by: Any) -> None:
    """Files written directly (the services are proven elsewhere; here only the row counts matter):
    every one proposed with self- and district scores, every other one drawn and re-scored by the
    province, every file recognised, figures for every commune."""
    criteria = [c for c in campaign.criteria_set.criteria.all() if c.kind != "computed"]
    today = timezone.localdate()
    now = timezone.now()
    samples: dict[int, ProvinceSample] = {}
    for i, commune in enumerate(communes):
        district = commune.parent
        assert district is not None
        if district.pk not in samples:
            forward = DistrictForward.objects.create(campaign=campaign, district=district, forwarded_by=by)
            samples[district.pk] = ProvinceSample.objects.create(
                campaign=campaign, district=district, forward=forward, seed=i, share=Decimal("0.5"), minimum=1, population=0, drawn_by=by
            )
        reg = Registration.objects.create(
            campaign=campaign,
            unit=commune,
            district=district,
            state=FileState.RECOGNISED,
            registered_by=by,
            self_total=Decimal("90"),
            district_total=Decimal("88"),
            province_total=Decimal("85"),
        )
        SelfScore.objects.bulk_create(SelfScore(registration=reg, criterion=c, score=c.max_points) for c in criteria)
        AppraisalScore.objects.bulk_create(
            AppraisalScore(registration=reg, level=Level.DISTRICT, criterion=c, score=c.max_points - (i % 2), scored_by=by)
            for c in criteria
        )
        drawn = i % 2 == 0
        if drawn:
            AppraisalScore.objects.bulk_create(
                AppraisalScore(registration=reg, level=Level.PROVINCE, criterion=c, score=c.max_points - 1, scored_by=by) for c in criteria
            )
        ProvinceCheck.objects.create(
            sample=samples[district.pk],
            registration=reg,
            stratum="2",
            drawn=drawn,
            district_total=Decimal("88"),
            province_total=Decimal("80") + i if drawn else None,
            checked_at=now if drawn else None,
            checked_by=by if drawn else None,
        )
        Recognition.objects.create(
            registration=reg,
            stars=2,
            total=Decimal("85"),
            decision_number=f"{i}/QĐ-UBND",
            decision_date=today,
            signer="Chủ tịch UBND tỉnh",
            valid_until=today + dt.timedelta(days=365),
        )
        for key in ("feedback.on_time_rate", "surveys.satisfaction_index"):
            CitizenFigure.objects.create(
                campaign=campaign, unit=commune, key=key, value=40.0 + i, measure="%", basis=10, source="thử", computed_at=now
            )


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["province", "district"])
def test_quality_page_and_api_do_not_query_per_file(who, campaign, bac_giang, province_officer, make_user, client_for):
    districts = list(Unit.objects.filter(parent=bac_giang, kind=UnitKind.DISTRICT).order_by("code")[:2])
    pool = [c for d in districts for c in Unit.objects.filter(parent=d, kind=UnitKind.COMMUNE).order_by("code")[:8]]
    user = province_officer if who == "province" else make_user(Role.DISTRICT_COMMITTEE, districts[0])
    client = client_for(user)
    _token, raw = ApiToken.issue(user=user, name="app")
    api = client.__class__(HTTP_AUTHORIZATION=f"Bearer {raw}")
    urls = [
        (client, reverse("certification:quality", args=[campaign.pk])),
        (api, f"/api/v1/certification/campaigns/{campaign.pk}/appraisal-quality"),
        (api, f"/api/v1/certification/campaigns/{campaign.pk}/samples"),
    ]
    small_set = pool[:2] + pool[8:10]
    _build(campaign, small_set, province_officer)
    for c, url in urls:
        c.get(url)  # warm per-process caches (content types, sessions)
    small = [_count(c, url) for c, url in urls]
    _build(campaign, [u for u in pool if u not in small_set], province_officer)
    assert campaign.registrations.count() == 16
    big = [_count(c, url) for c, url in urls]
    assert big == small, f"{small} queries with 4 files, {big} with 16"
    page = client.get(urls[0][1]).content.decode()
    # 8 files in the first district: every other one drawn and re-scored (4/4), every other one copied (4/8)
    assert "<td>4/4</td>" in page and "<td>4/8</td>" in page
