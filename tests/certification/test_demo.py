"""The demo campaign covers all 192 communes with every state represented, consistently with the
pass rule, fast and idempotently."""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest

from certification import demo, queries, services
from certification.models import Campaign, FileState, Recognition, Registration

FINAL = (FileState.RECOGNISED, FileState.REFUSED, FileState.REVOKED, FileState.DISTRICT_DECLINED)

pytestmark = pytest.mark.django_db


def test_demo_spread(province_officer, district_appraiser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    started = time.monotonic()
    demo.load(stdout=io.StringIO())
    assert time.monotonic() - started < 40
    campaign = Campaign.objects.get(year=2024)
    history = queries.target_history(province=campaign.province)
    assert [h.unit.year for h in history] == [2023, 2024] and history[0].target_share == Decimal("0.30")
    assert history[0].recognised > 0 and not Registration.objects.filter(campaign__year=2023).exclude(state__in=FINAL).exists()
    states = set(Registration.objects.values_list("state", flat=True))
    assert {
        FileState.RECOGNISED,
        FileState.REFUSED,
        FileState.AT_PROVINCE,
        FileState.SUBMITTED,
        FileState.REGISTERED,
        FileState.REVOKED,
    } <= states
    assert 100 < Registration.objects.filter(campaign=campaign).count() < 192  # some communes did not register
    assert set(Recognition.objects.filter(registration__campaign=campaign, revoked_at__isnull=True).values_list("stars", flat=True)) >= {
        2,
        3,
        4,
    }
    for reg in Registration.objects.filter(state=FileState.RECOGNISED).order_by("campaign__year", "pk")[::8]:
        result, missing = services.decision_preview(reg)
        assert not missing and result.passed and result.total == reg.recognition.total
    rows, total = queries.target_progress(campaign=campaign)
    assert total.communes == 192 and len(rows) == 10 and total.still_needed > 0
    rows = {r.district.code: r for r in queries.appraisal_quality(campaign=campaign).rows}
    copier, corrector = rows[demo.COPYING_DISTRICT], rows[demo.CORRECTING_DISTRICT]
    assert copier.copies_self_scores and copier.gap.n >= 1 and any("chép điểm tự chấm" in f for f in copier.flags)
    assert (
        not corrector.copies_self_scores and corrector.copied == 0 and corrector.self_inflation is not None and corrector.self_inflation > 0
    )
    assert all(r.sampled >= 1 for r in rows.values() if r.forwarded)  # every district that forwarded has its check sample
    pending = list(Registration.objects.filter(campaign=campaign, state=FileState.AT_PROVINCE)[:3])
    assert pending and all(
        services.decision_block(reg)
        for reg in pending
        if reg.province_check.sample.checks.filter(drawn=True, checked_at__isnull=True).exists()
    )
    demo.load(stdout=io.StringIO())
    assert Campaign.objects.count() == 2


@pytest.mark.two_tier  # the demo is loaded today: the accounts sit at units in force now
def test_through_load_demo(bac_giang, monkeypatch, settings, tmp_path):
    """load_demo runs this module after the accounts' loader created the demo users: the demo
    commune officer (xa.canbo) finds their own commune's draft to self-assess."""
    from django.core.management import call_command

    from accounts.models import User
    from core import capabilities

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(capabilities, "registry", capabilities.registry.subset("units", "accounts", "certification"))
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Chính quyền thân thiện" in out.getvalue()
    officer = User.objects.get(username="xa.canbo")
    commune = officer.role_assignments.get().unit
    # the 2026 round of the new Bắc Ninh runs commune → province on the 2025 communes, the officer's in progress
    reg = Registration.objects.get(campaign__year=2026, unit=commune)
    assert reg.state == FileState.REGISTERED and reg.district is None and not reg.campaign.has_district_step
    assert reg.campaign.province.edition == "2025" and reg.campaign.criteria_set.province == reg.campaign.province
    assert Registration.objects.filter(campaign__year=2026, state=FileState.AT_PROVINCE).exists()
    # the 2023 and 2024 rounds stay on the 2024 units, with the district step
    old = Registration.objects.filter(campaign__year__in=[2023, 2024])
    assert old.exists() and not old.exclude(unit__edition="2024").exists() and not old.filter(district__isnull=True).exists()
    assert Registration.objects.filter(district__code="218", campaign__year=2024, members__user__username="lucnam.thamdinh").exists()
