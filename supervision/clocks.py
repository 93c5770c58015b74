"""The answer clock of a board's recommendation: the commune answers within conf.ANSWER_DAYS calendar
days of the day it received it (DOMAIN.md: "within 15 days")."""

from __future__ import annotations

import datetime as dt

from core.workdays import Deadline, WorkingCalendar
from supervision import conf
from supervision.models import PeriodKind, Recommendation, RecommendationState


def due_on(sent_on: dt.date) -> dt.date:
    return sent_on + dt.timedelta(days=conf.ANSWER_DAYS)


def is_overdue(recommendation: Recommendation, on: dt.date) -> bool:
    """Still unanswered after its due day."""
    return recommendation.state == RecommendationState.SENT and on > recommendation.due_on


def answered_late(recommendation: Recommendation) -> bool:
    return recommendation.answered_on is not None and recommendation.answered_on > recommendation.due_on


def days_left(recommendation: Recommendation, on: dt.date) -> int:
    """Days until the due day (negative once overdue)."""
    return (recommendation.due_on - on).days


def plan_notice_short_by(*, notified_on: dt.date, starts_on: dt.date, notice_days: int) -> int:
    """How many days short of `notice_days` the plan's notice is (0 when on time)."""
    return max(0, notice_days - (starts_on - notified_on).days)


# --- The periodic results report ------------------------------------------------------------------
def period_bounds(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    """The first and last day of a reporting period: the first or second half of `year`
    (`number` 1 or 2) or the whole year."""
    if kind == PeriodKind.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if number not in (1, 2):
        raise ValueError("a half year is 1 or 2")
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if number == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))


def period_containing(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    return period_bounds(kind, day.year, 1 if day.month <= 6 else 2)


def last_ended_period(kind: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """The latest period that ended before `on`."""
    start, _end = period_containing(kind, on)
    return period_containing(kind, start - dt.timedelta(days=1))


def report_deadline(period_end: dt.date, working_days: int, calendar: WorkingCalendar) -> Deadline:
    """The report is due `working_days` working days after the period's last day."""
    return calendar.deadline(period_end, working_days)


def on_time(first_submitted_on: dt.date | None, due_on: dt.date) -> bool:
    return first_submitted_on is not None and first_submitted_on <= due_on
