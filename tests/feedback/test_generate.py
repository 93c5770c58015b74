"""Issue 17: feedback's share of the national-scale data set (manage.py generate_national), at a
tiny scale: the count asked for, every report about a commune in force on the day received (a 2024
commune before 1 July 2025, a 2025 one after), the demo's distributions, register numbers that go on
from the sequences, deadlines as the province's calendar computes them, and the summary tables
holding every case. A second run adds as many again."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max
from django.utils import timezone

from core.workdays import province_calendar
from feedback.generate import _Calendar
from feedback.models import OPEN, Case, DailyTally, Kind, RegisterSequence, Status
from units.models import UnitKind
from units.structure import two_tier_from

pytestmark = pytest.mark.django_db


def _generate(scale: float) -> str:
    out = io.StringIO()
    call_command("generate_national", scale=scale, only=["units", "feedback"], seed=5, stdout=out)
    return out.getvalue()


def test_the_generated_reports_follow_the_structure_and_the_demo_distributions(bac_ninh, frozen):
    output = _generate(0.0003)
    assert "feedback: 3000 phản ánh" in output and "units: danh mục 2025 đã có" in output
    assert Case.objects.count() == 3000
    merger = two_tier_from()
    for received_at, edition, valid_from, valid_to in Case.objects.values_list(
        "received_at", "concerned_unit__edition", "concerned_unit__valid_from", "concerned_unit__valid_to"
    ):
        day = timezone.localtime(received_at).date()
        assert (edition == "2024") == (day < merger)
        assert (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)
    assert set(Case.objects.values_list("concerned_unit__kind", flat=True)) == {UnitKind.COMMUNE}
    # Open cases are held by units in force today (never an abolished district or commune).
    assert not Case.objects.filter(status__in=OPEN, handling_unit__valid_to__isnull=False).exists()
    shares = {row["kind"]: row["n"] / 3000 for row in Case.objects.values("kind").annotate(n=Count("id"))}
    assert 0.88 < shares[Kind.FEEDBACK] < 0.96
    answered = Case.objects.filter(answered_at__isnull=False).count() / 3000
    assert 0.6 < answered < 0.9
    assert Case.objects.filter(status=Status.DECLINED).exists() and Case.objects.filter(status=Status.AWAITING_INFO).exists()
    assert Case.objects.filter(escalation_level=1).exists() and Case.objects.filter(published_at__isnull=False).exists()
    # Register numbers: unique per unit and year (the constraint), and the sequences at the highest.
    highest = {
        (r["register_unit"], r["register_year"]): r["m"]
        for r in Case.objects.values("register_unit", "register_year").annotate(m=Max("register_number"))
    }
    assert {(s.unit_id, s.year): s.last_number for s in RegisterSequence.objects.all()} == highest
    assert sum(DailyTally.objects.values_list("total", flat=True)) == 3000
    # A second run goes on from the sequences and the tallies are rebuilt over both.
    _generate(0.0001)
    assert Case.objects.count() == 4000 and sum(DailyTally.objects.values_list("total", flat=True)) == 4000


def test_the_generators_deadlines_are_the_calendars(bac_ninh):
    calendar = province_calendar(bac_ninh)
    fast = _Calendar(calendar, dt.date(2024, 1, 1), dt.date(2027, 1, 1))
    rng = random.Random(3)
    for _ in range(300):
        start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
        days = rng.randint(0, 45)
        assert fast.deadline(start, days) == calendar.deadline(start, days)
        assert fast.add(start, days) == calendar.add_working_days(start, days)


def test_the_command_refuses_a_scale_out_of_range_and_an_unknown_part(db):
    with pytest.raises(CommandError, match="Hệ số quy mô"):
        call_command("generate_national", scale=0, stdout=io.StringIO())
    with pytest.raises(CommandError, match="Không có phần sinh dữ liệu của: nothing"):
        call_command("generate_national", scale=0.1, only=["nothing"], stdout=io.StringIO())
