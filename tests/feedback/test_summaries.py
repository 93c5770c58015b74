"""Issue 17: the dashboards read summary tables (feedback.summaries), kept current after every case
write and caught up by a periodic job. Each figure read from the tallies equals the same figure
counted from the cases, on generated data (core.generation at a tiny scale, over three years across
1 July 2025) and again after cases are answered, recategorised, moved, deleted, escalated and
submitted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from django.utils import timezone

from core import generation
from feedback import queries, services, summaries
from feedback.models import Case, Category, DailyTally, MonthlyTally, Status, TallyBacklog
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(bac_ninh, lai_chau, frozen):  # type: ignore[no-untyped-def]
    plan = generation.Plan(scale=0.0003, seed=17, end=timezone.localdate(), stdout=io.StringIO())
    generation.run(plan, only=["feedback"])
    return plan


def _same(unit: Unit, start: dt.date, end: dt.date, seen_from: Unit | None = None) -> queries.Figures:
    tallied = queries.figures(unit=unit, start=start, end=end, seen_from=seen_from)
    counted = queries.figures(unit=unit, start=start, end=end, seen_from=seen_from, from_cases=True)
    assert dataclasses.asdict(tallied) == dataclasses.asdict(counted), (unit, start, end, seen_from)
    return tallied


def _same_children(unit: Unit, start: dt.date, end: dt.date, seen_from: Unit | None = None) -> None:
    tallied = queries.child_figures(unit=unit, start=start, end=end, seen_from=seen_from)
    counted = queries.child_figures(unit=unit, start=start, end=end, seen_from=seen_from, from_cases=True)
    assert [(u.pk, dataclasses.asdict(f)) for u, f in tallied] == [(u.pk, dataclasses.asdict(f)) for u, f in counted]


def _every_view(plan: generation.Plan, bac_ninh: Unit, lai_chau: Unit) -> None:
    end = plan.end
    periods = [
        (plan.start, end),  # three years, across the merger
        (end - dt.timedelta(days=365), end),
        (dt.date(2025, 5, 17), dt.date(2025, 8, 9)),  # partial months on both sides of 1 July 2025
        (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),  # whole months only
        (dt.date(2025, 11, 12), dt.date(2025, 11, 12)),  # one day
    ]
    commune = Unit.objects.filter(parent=bac_ninh, kind=UnitKind.COMMUNE, predecessors__isnull=False).order_by("code").first()
    district = Unit.objects.filter(edition="2024", kind=UnitKind.DISTRICT, parent__code="24").order_by("code").first()
    assert commune is not None and district is not None
    for start, stop in periods:
        _same(bac_ninh, start, stop)
        _same(lai_chau, start, stop)
        _same(commune, start, stop)  # as the commune sees itself: reports routed away are withheld
        _same(commune, start, stop, seen_from=bac_ninh)
        _same(district, start, stop)
        _same_children(bac_ninh, start, stop)
        _same_children(district.parent, start, stop)  # type: ignore[arg-type]
        _same_children(district, start, stop, seen_from=district)


def test_every_dashboard_figure_equals_the_count_over_the_cases(generated, bac_ninh, lai_chau):
    assert Case.objects.count() == 3000
    whole = _same(bac_ninh, generated.start, generated.end)
    assert whole.total > 500 and whole.answered > 0 and whole.from_predecessors > 0 and whole.overdue > 0
    assert len(whole.by_category) == len(Category.values)
    # The tallies hold every case once, and the months the days.
    days = sum(DailyTally.objects.values_list("total", flat=True))
    assert days == sum(MonthlyTally.objects.values_list("total", flat=True)) == Case.objects.count()
    _every_view(generated, bac_ninh, lai_chau)


def test_figures_stay_equal_after_changes_once_the_backlog_is_refreshed(generated, bac_ninh, lai_chau, make_case, frozen):
    cases = list(Case.objects.order_by("id")[:40])
    for case in cases[:10]:  # answered
        case.status, case.answered_at, case.answered_on_time = Status.ANSWERED, timezone.now(), True
        case.save()
    for case in cases[10:20]:  # recategorised, reopened
        case.category, case.reopen_count = Category.CONDUCT_HARASSMENT, 1
        case.save()
    for case in cases[20:25]:  # moved to another day (a correction)
        case.received_at -= dt.timedelta(days=40)
        case.save()
    for case in cases[25:30]:
        case.delete()
    commune = Unit.objects.in_force().filter(parent=bac_ninh, kind=UnitKind.COMMUNE).order_by("code").first()
    for _ in range(5):
        make_case(commune)
    make_case(commune, category=Category.CONDUCT_EXTRA_DEMANDS)  # sensitive: registered at the province
    frozen.move_to(timezone.now() + dt.timedelta(days=60))
    assert services.escalate_overdue_cases() > 0
    assert TallyBacklog.objects.exists()
    summaries.refresh()  # what the job after the commit (or the periodic catch-up) runs
    assert not TallyBacklog.objects.exists()
    generated.end = timezone.localdate()
    _every_view(generated, bac_ninh, lai_chau)

    # An incremental refresh and a full rebuild leave the same rows.
    def rows() -> list[tuple[object, ...]]:
        fields = ("unit_id", "day", "sensitive_register_id", *summaries.MEASURES)
        return sorted(DailyTally.objects.values_list(*fields), key=lambda row: (row[0], row[1], row[2] or 0))

    before = rows()
    summaries.rebuild()
    assert rows() == before


def test_a_case_write_queues_the_refresh_after_the_commit(bac_ninh, make_case, frozen, django_capture_on_commit_callbacks):
    commune = Unit.objects.in_force().filter(parent=bac_ninh, kind=UnitKind.COMMUNE).order_by("code").first()
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(commune)
    assert not TallyBacklog.objects.exists()
    row = DailyTally.objects.get(unit=commune, day=timezone.localdate())
    assert (row.total, row.category_facilities, row.channel_web) == (1, 1, 1)
    assert MonthlyTally.objects.get(unit=commune, day=timezone.localdate().replace(day=1)).total == 1
    # The test's transaction never commits, so the refresh queued above stays queued (enqueue_once
    # adds it once per transaction): the deletion's stale day is left in the backlog, for the
    # refresh to take.
    case.delete()
    assert TallyBacklog.objects.filter(unit_id=commune.pk).exists()
    summaries.refresh()
    assert not DailyTally.objects.filter(unit=commune).exists() and not MonthlyTally.objects.filter(unit=commune).exists()


def test_a_lost_refresh_is_caught_up_by_the_periodic_job(bac_ninh, make_case, frozen):
    from core.capabilities import beat_schedule
    from feedback import tasks

    assert beat_schedule()["feedback-refresh-tallies"]["task"] == "feedback.tasks.refresh_tallies"
    commune = Unit.objects.in_force().filter(parent=bac_ninh, kind=UnitKind.COMMUNE).order_by("code").first()
    make_case(commune)  # the test's transaction never commits: the queued refresh never runs
    assert TallyBacklog.objects.count() == 1 and not DailyTally.objects.exists()
    assert tasks.refresh_tallies() == 1
    assert DailyTally.objects.get(unit=commune).total == 1 and not TallyBacklog.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "days", "months"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), [], (dt.date(2026, 1, 1), dt.date(2026, 3, 1))),
        (
            dt.date(2026, 1, 15),
            dt.date(2026, 3, 10),
            [(dt.date(2026, 1, 15), dt.date(2026, 1, 31)), (dt.date(2026, 3, 1), dt.date(2026, 3, 10))],
            (dt.date(2026, 2, 1), dt.date(2026, 2, 1)),
        ),
        (dt.date(2026, 1, 15), dt.date(2026, 1, 20), [(dt.date(2026, 1, 15), dt.date(2026, 1, 20))], None),
        (dt.date(2026, 1, 15), dt.date(2026, 2, 20), [(dt.date(2026, 1, 15), dt.date(2026, 2, 20))], None),
        (dt.date(2025, 12, 1), dt.date(2025, 12, 31), [], (dt.date(2025, 12, 1), dt.date(2025, 12, 1))),
    ],
)
def test_a_period_is_read_as_whole_months_and_the_days_around_them(start, end, days, months):
    assert queries._period_split(start, end) == (days, months)
