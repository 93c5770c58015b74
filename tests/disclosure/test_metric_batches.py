"""The disclosure figures the chairman rating reads for many units at once: the same as each unit's
own figure (a province's as the total of its communes), with numerator and the register's link."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core import metrics
from tests.disclosure.test_permissions_and_pages import items  # noqa: F401 - the fixture
from units.models import Unit, UnitKind


def test_batches_match_the_single_figures(bac_ninh, commune, items) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    communes = list(Unit.objects.filter(parent=bac_ninh, kind=UnitKind.COMMUNE).order_by("code")[:3])
    units = [*communes, bac_ninh] if commune in communes else [commune, *communes, bac_ninh]
    for key in ("disclosure.on_time_rate", "disclosure.proven_rate"):
        batch = metrics.compute_many(key, units=units, start=start, end=today)
        for unit in units:
            single = metrics.compute(key, unit=unit, start=start, end=today)
            assert (batch[unit.pk].value, batch[unit.pk].basis, batch[unit.pk].numerator) == (single.value, single.basis, single.numerator)
            assert batch[unit.pk].link == single.link == f"/staff/cong-khai/?don_vi={unit.pk}"
    on_time = metrics.compute("disclosure.on_time_rate", unit=commune, start=start, end=today)
    assert (on_time.value, on_time.numerator, on_time.basis) == (100.0, 1.0, 1)
