"""The figure the chairman rating reads from certification: of the files decided in the period's
campaigns, the share recognised, with its numerator, denominator and the file behind it; one query
for many units. (Decided files are plain rows here: the metric reads states, however reached.)"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.models import FileState, Registration
from core import metrics

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def _file(campaign, unit, state, by):  # type: ignore[no-untyped-def]
    return Registration.objects.create(campaign=campaign, unit=unit, district=unit.parent, state=state, registered_by=by)


def test_recognised_share_per_unit_and_in_one_query(campaign, doi_ngo, dong_hung, cam_son, luc_nam, province_officer) -> None:  # type: ignore[no-untyped-def]
    recognised = _file(campaign, doi_ngo, FileState.RECOGNISED, province_officer)
    _file(campaign, dong_hung, FileState.REFUSED, province_officer)
    _file(campaign, cam_son, FileState.SUBMITTED, province_officer)  # not decided: not counted
    value = metrics.compute("certification.recognised_share", unit=doi_ngo, start=START, end=END)
    assert (value.value, value.numerator, value.basis) == (100.0, 1.0, 1)
    assert value.link == f"/staff/chung-nhan/ho-so/{recognised.pk}/"
    district = metrics.compute("certification.recognised_share", unit=luc_nam, start=START, end=END)
    assert (district.value, district.numerator, district.basis) == (50.0, 1.0, 2)
    assert district.link == f"/staff/chung-nhan/dot/{campaign.pk}/"
    undecided = metrics.compute("certification.recognised_share", unit=cam_son, start=START, end=END)
    assert undecided.value is None and undecided.basis == 0 and undecided.note  # no data, not 0
    other_year = metrics.compute("certification.recognised_share", unit=doi_ngo, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    assert other_year.value is None
    with CaptureQueriesContext(connection) as queries:
        batch = metrics.compute_for_units(
            "certification.recognised_share", units=[doi_ngo, dong_hung, cam_son, luc_nam], start=START, end=END
        )
    assert len(queries) == 1 and batch[luc_nam.pk] == district and batch[dong_hung.pk].value == 0.0
