"""The demo data loads a few thousand realistic cases fast, some overdue and some escalated, and a
second run adds nothing; what it publishes follows the same moderation rules as staff."""

import io
import time

import pytest
from django.db.models import F

from feedback import demo, moderation
from feedback.models import Case, CounterRating, Status

pytestmark = pytest.mark.django_db


def test_demo_loads_fast_and_is_idempotent(bac_giang):
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
    demo.load(stdout=io.StringIO())
    assert Case.objects.count() == demo.CASES
