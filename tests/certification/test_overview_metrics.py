"""The certification figures the steering overview reads (core.metrics): files waiting at each
level, the target, the recognised share, and the lax-appraisal flags, for many units at once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from certification import services
from core import metrics

pytestmark = pytest.mark.django_db


def test_a_registered_file_waits_on_its_commune(campaign, people, dong_hung, luc_nam, bac_giang, cam_son):
    p = people(dong_hung)
    services.register(campaign=campaign, unit=dong_hung, by=p["officer"])
    today = timezone.localdate()
    units = [bac_giang, luc_nam, dong_hung, cam_son]
    waiting = metrics.compute_many("certification.waiting_on_commune", units=units, start=today, end=today)
    assert [waiting[u.pk].value for u in units] == [1, 1, 1, 0]
    assert f"/dot/{campaign.pk}/?state=registered" in waiting[luc_nam.pk].link
    district = metrics.compute_many("certification.waiting_on_district", units=units, start=today, end=today)
    assert district[bac_giang.pk].value == 0
    target = metrics.compute_many("certification.target_share", units=units, start=today, end=today)
    assert target[bac_giang.pk].value == 60.0
    share = metrics.compute("certification.recognised_share", unit=luc_nam, start=today, end=today)
    assert share.value == 0.0 and share.basis > 10  # none of Lục Nam's communes recognised yet
    flags = metrics.compute_many("certification.lax_appraisal_flags", units=units, start=today, end=today)
    assert flags[luc_nam.pk].value == 0 and flags[dong_hung.pk].value is None
