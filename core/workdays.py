"""Vietnamese working days: the calendar legal deadlines are counted in.

A day is a working day unless it is a weekend or a public holiday (Tết and the other lunar holidays,
and the government's swapped days off, from the `holidays` package), with the province's own
changes on top: extra days off it declares, and weekend days it declares make-up working days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import holidays
from django.db.models import Q


@lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


@dataclass(frozen=True)
class SkippedDay:
    date: dt.date
    reason: str


@dataclass(frozen=True)
class Deadline:
    """A due date and how it was computed, so a page can show its reasoning."""

    start: dt.date
    working_days: int
    due: dt.date
    skipped: tuple[SkippedDay, ...] = field(default_factory=tuple)

    def explanation(self) -> str:
        base = f"{self.working_days} ngày làm việc kể từ {self.start:%d/%m/%Y}"
        if not self.skipped:
            return base
        skipped = ", ".join(f"{s.date:%d/%m} ({s.reason})" for s in self.skipped)
        return f"{base}; không tính: {skipped}"


class WorkingCalendar:
    """The national calendar plus the province's declared changes."""

    def __init__(self, extra_days_off: dict[dt.date, str] | None = None, extra_working_days: dict[dt.date, str] | None = None):
        self.extra_days_off = dict(extra_days_off or {})
        self.extra_working_days = dict(extra_working_days or {})

    def non_working_reason(self, day: dt.date) -> str | None:
        """Why `day` is not a working day, or None if it is one."""
        if day in self.extra_working_days:
            return None
        if day in self.extra_days_off:
            return self.extra_days_off[day]
        national = _national(day.year)
        if national.is_working_day(day):
            return None
        return national.get(day) or ("Thứ Bảy" if day.weekday() == 5 else "Chủ nhật")

    def is_working_day(self, day: dt.date) -> bool:
        return self.non_working_reason(day) is None

    def deadline(self, start: dt.date, working_days: int) -> Deadline:
        """The `working_days`-th working day after `start` (the start day itself is not counted)."""
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        day = start
        counted = 0
        skipped: list[SkippedDay] = []
        while counted < working_days:
            day += dt.timedelta(days=1)
            reason = self.non_working_reason(day)
            if reason is None:
                counted += 1
            else:
                skipped.append(SkippedDay(day, reason))
        return Deadline(start=start, working_days=working_days, due=day, skipped=tuple(skipped))

    def add_working_days(self, start: dt.date, working_days: int) -> dt.date:
        return self.deadline(start, working_days).due

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def province_calendar(province: Any = None) -> WorkingCalendar:
    """The calendar in force for `province` (a units.Unit; None for the national default): national
    holidays, the CalendarDay rows that apply to every province, then the province's own rows,
    which win on the same date."""
    from core.models import CalendarDay

    off: dict[dt.date, str] = {}
    work: dict[dt.date, str] = {}
    rows = CalendarDay.objects.filter(province__isnull=True)
    if province is not None:
        rows = CalendarDay.objects.filter(Q(province__isnull=True) | Q(province=province))
    # The national rows first, so that the province's own row for the same date wins.
    for row in sorted(rows, key=lambda r: r.province_id is not None):
        off.pop(row.date, None)
        work.pop(row.date, None)
        (off if row.kind == CalendarDay.Kind.DAY_OFF else work)[row.date] = row.reason
    return WorkingCalendar(off, work)
