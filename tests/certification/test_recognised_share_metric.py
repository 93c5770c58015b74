"""The figure other pages read by key ("certification.recognised_share"): the share of a unit's
communes holding a recognition valid on the period's end, for many units in a few queries; no
figure where no commune has registered, never 0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from certification.models import Campaign, FileState, Recognition, Registration
from core import metrics
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _file(campaign: Campaign, commune: Unit, state: str, by: User, *, revoked: bool = False) -> Registration:
    registration = Registration.objects.create(campaign=campaign, unit=commune, district=commune.parent, state=state, registered_by=by)
    if state in (FileState.RECOGNISED, FileState.REVOKED):
        Recognition.objects.create(
            registration=registration,
            stars=3,
            total=Decimal("85"),
            decision_number="1/QĐ-UBND",
            decision_date=TODAY - dt.timedelta(days=10),
            signer="Chủ tịch UBND tỉnh",
            valid_until=TODAY + dt.timedelta(days=365),
            revoked_at=timezone.now() if revoked else None,
        )
    return registration


def test_the_share_of_communes_holding_a_recognition(
    campaign: Campaign, luc_nam: Unit, luc_ngan: Unit, doi_ngo: Unit, dong_hung: Unit, cam_son: Unit, province_officer: User
) -> None:
    _file(campaign, doi_ngo, FileState.RECOGNISED, province_officer)
    _file(campaign, dong_hung, FileState.SUBMITTED, province_officer)
    _file(campaign, cam_son, FileState.REVOKED, province_officer, revoked=True)
    units = [luc_nam, luc_ngan, doi_ngo, dong_hung, cam_son]
    with CaptureQueriesContext(connection) as ctx:
        values = metrics.compute_many("certification.recognised_share", units=units, start=dt.date(TODAY.year, 1, 1), end=TODAY)
    assert len(ctx.captured_queries) <= 5  # the units' and communes' predecessors, communes, files, campaigns
    communes_of_luc_nam = Unit.objects.filter(kind=UnitKind.COMMUNE, parent=luc_nam).count()
    assert values[luc_nam.pk].value == round(100 / communes_of_luc_nam, 1) and values[luc_nam.pk].basis == communes_of_luc_nam
    assert values[luc_ngan.pk].value == 0.0  # Cấm Sơn's recognition was revoked
    assert (values[doi_ngo.pk].value, values[doi_ngo.pk].note) == (100.0, "Đã công nhận")
    assert (values[dong_hung.pk].value, values[dong_hung.pk].note) == (0.0, "Đã nộp – chờ huyện thẩm định")
    assert values[cam_son.pk].value == 0.0


def test_no_file_gives_no_figure(campaign: Campaign, doi_ngo: Unit) -> None:
    value = metrics.compute("certification.recognised_share", unit=doi_ngo, start=dt.date(TODAY.year, 1, 1), end=TODAY)
    assert value.value is None and "Chưa có hồ sơ" in value.note
