"""The demo data loads a few thousand realistic cases fast, some overdue and some escalated, and a
second run adds nothing; what it publishes follows the same moderation rules as staff."""

import io
import time

import pytest
from django.db.models import F

from feedback import demo, moderation
from feedback.models import OPEN, Case, CounterRating, Status
from units.importing import import_official_units
from units.structure import in_force_on, two_tier_from

pytestmark = pytest.mark.django_db


def test_demo_loads_fast_and_is_idempotent(bac_giang):
    import_official_units(province_code="24", structure="2025")  # the new Bắc Ninh, linked to Bắc Giang's 2024 units
    started = time.monotonic()
    demo.load(stdout=io.StringIO())
    assert time.monotonic() - started < 40
    assert Case.objects.count() == demo.CASES
    assert Case.objects.filter(escalation_level__gt=0).exists()
    from django.utils import timezone

    assert Case.objects.filter(status__in=[Status.ACCEPTED, Status.IN_PROGRESS], due_on__lt=timezone.localdate()).exists()
    assert CounterRating.objects.count() > 1000
    assert Case.objects.filter(concerned_unit__parent__isnull=False, about_officials=True, handling_unit=F("concerned_unit")).count() == 0
    published = list(Case.objects.filter(published_at__isnull=False))
    assert published
    for case in published:
        assert case.public_summary != case.description and case.public_answer != case.answer
        moderation.check_publishable(case, summary=case.public_summary, answer=case.public_answer)  # raises if not
    assert not Case.objects.filter(published_at__isnull=True).exclude(public_summary="", public_answer="").exists()
    _cases_sit_on_the_units_in_force_on_their_dates()
    demo.load(stdout=io.StringIO())
    assert Case.objects.count() == demo.CASES


def _cases_sit_on_the_units_in_force_on_their_dates() -> None:
    merger = two_tier_from()
    cases = list(Case.objects.select_related("concerned_unit", "handling_unit", "register_unit"))
    before = [c for c in cases if c.received_at.date() < merger]
    after = [c for c in cases if c.received_at.date() >= merger]
    assert before and after
    # Before 1 July 2025: a 2024 commune of Bắc Giang, its register kept by a unit in force then
    # (the commune or its district); after: a 2025 commune of the new Bắc Ninh.
    assert all(c.concerned_unit.edition == "2024" and in_force_on(c.concerned_unit, c.received_at) for c in before)
    assert all(in_force_on(c.register_unit, c.received_at) for c in cases)
    assert any(c.register_unit.kind == "district" for c in before)
    assert all(c.concerned_unit.edition == "2025" for c in after)
    assert all(c.register_unit.kind != "district" for c in after)
    # No open case is held by an abolished unit.
    open_cases = [c for c in cases if c.status in OPEN]
    assert open_cases and all(in_force_on(c.handling_unit) for c in open_cases)
