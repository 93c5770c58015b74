import datetime as dt

import pytest

from core.models import CalendarDay
from core.workdays import WorkingCalendar, province_calendar

D = dt.date


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Tết Giáp Thìn 2024: 08/02 (Thu) – 14/02 (Wed) off; next working day is Thu 15/02.
        (D(2024, 2, 7), 1, D(2024, 2, 15)),
        (D(2024, 2, 5), 5, D(2024, 2, 19)),
        # Tết Ất Tỵ 2025: 25/01 (Sat) – 02/02 (Sun) off; Mon 03/02 is the first working day.
        (D(2025, 1, 24), 1, D(2025, 2, 3)),
        (D(2025, 1, 22), 3, D(2025, 2, 3)),
        # 2025: 30/4 (Wed), 1/5 (Thu) holidays, 2/5 (Fri) swapped with Sat 26/4 (a make-up working day).
        (D(2025, 4, 25), 1, D(2025, 4, 26)),
        (D(2025, 4, 29), 1, D(2025, 5, 5)),
        # 2024: 29/4 (Mon) swapped with Sat 04/05, so Saturday 4 May 2024 counts.
        (D(2024, 4, 26), 1, D(2024, 5, 2)),
        (D(2024, 5, 3), 1, D(2024, 5, 4)),
        # An ordinary week: Friday + 1 working day is Monday.
        (D(2024, 3, 8), 1, D(2024, 3, 11)),
        (D(2024, 3, 8), 0, D(2024, 3, 8)),
    ],
)
def test_deadline_counts_vietnamese_working_days(start, days, due):
    assert WorkingCalendar().add_working_days(start, days) == due


def test_explanation_names_the_skipped_holidays():
    deadline = WorkingCalendar().deadline(D(2024, 2, 7), 1)
    text = deadline.explanation()
    assert "1 ngày làm việc kể từ 07/02/2024" in text
    assert "10/02" in text and "Tết" in text


def test_make_up_saturday_is_a_working_day_and_ordinary_saturday_is_not():
    cal = WorkingCalendar()
    assert cal.is_working_day(D(2025, 4, 26))
    assert not cal.is_working_day(D(2025, 4, 19))
    assert not cal.is_working_day(D(2025, 5, 2))


def test_province_declared_day_off_and_make_up_day(db):
    CalendarDay.objects.create(date=D(2024, 3, 12), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù lễ hội tỉnh")
    CalendarDay.objects.create(date=D(2024, 3, 16), kind=CalendarDay.Kind.WORKING_DAY, reason="Làm bù")
    cal = province_calendar()
    assert cal.non_working_reason(D(2024, 3, 12)) == "Nghỉ bù lễ hội tỉnh"
    assert cal.is_working_day(D(2024, 3, 16))
    # Mon 11/03 + 2 working days: Tue 12 is off, so Wed 13 and Thu 14.
    assert cal.add_working_days(D(2024, 3, 11), 2) == D(2024, 3, 14)


def test_working_days_between_and_negative_input():
    cal = WorkingCalendar()
    assert cal.working_days_between(D(2024, 3, 8), D(2024, 3, 15)) == 5
    assert cal.working_days_between(D(2024, 3, 15), D(2024, 3, 8)) == 0
    with pytest.raises(ValueError):
        cal.deadline(D(2024, 3, 8), -1)
