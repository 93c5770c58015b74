"""The demo campaign covers all 192 communes with every state represented, consistently with the
pass rule, fast and idempotently."""

from __future__ import annotations

import io
import time

import pytest

from certification import demo, queries, services
from certification.models import Campaign, FileState, Recognition, Registration

pytestmark = pytest.mark.django_db


def test_demo_spread(province_officer, district_appraiser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    started = time.monotonic()
    demo.load(stdout=io.StringIO())
    assert time.monotonic() - started < 40
    campaign = Campaign.objects.get(year=2024)
    states = set(Registration.objects.values_list("state", flat=True))
    assert {
        FileState.RECOGNISED,
        FileState.REFUSED,
        FileState.AT_PROVINCE,
        FileState.SUBMITTED,
        FileState.REGISTERED,
        FileState.REVOKED,
    } <= states
    assert 100 < Registration.objects.count() < 192  # some communes did not register
    assert set(Recognition.objects.filter(revoked_at__isnull=True).values_list("stars", flat=True)) >= {2, 3, 4}
    for reg in Registration.objects.filter(state=FileState.RECOGNISED)[:20]:
        result, missing = services.decision_preview(reg)
        assert not missing and result.passed and result.total == reg.recognition.total
    rows, total = queries.target_progress(campaign=campaign)
    assert total.communes == 192 and len(rows) == 10 and total.still_needed > 0
    quality = queries.appraisal_quality(campaign=campaign)
    assert quality[0].district.code in demo.LAX_DISTRICTS  # lax appraisal comes out on top
    demo.load(stdout=io.StringIO())
    assert Campaign.objects.count() == 1
