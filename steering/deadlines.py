"""A task's deadline as the notices write it: a date ("15/3/2024") or a period ("quý I/2024",
"quý I, II/2024", "6 tháng đầu năm 2024", "tháng 3/2024", "năm 2024"), resolved to the last day of
the period; "trước quý IV/2024" (before the period) to the day before it starts."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = re.compile(r"qu[yý]\s+((?:i{1,3}|iv|[1-4])(?:\s*(?:,|và|-|–)\s*(?:i{1,3}|iv|[1-4]))*)\s*(?:/|năm\s+)\s*(\d{4})")
_HALF = re.compile(r"(6|sáu)\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})")
_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|năm\s+)\s*(\d{4})")
_YEAR = re.compile(r"năm\s+(\d{4})")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_BEFORE = re.compile(r"^\s*trước\b")


def _quarter_number(token: str) -> int:
    token = token.strip()
    return int(token) if token.isdigit() else _ROMAN[token]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _period(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the period `text` names, or None."""
    if match := _DATE.search(text):
        day, month, year = (int(g) for g in match.groups())
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        return date, date
    if match := _QUARTER.search(text):
        quarters = [_quarter_number(t) for t in re.split(r"\s*(?:,|và|-|–)\s*", match.group(1))]
        year = int(match.group(2))
        first, last = min(quarters), max(quarters)
        return dt.date(year, 3 * first - 2, 1), _month_end(year, 3 * last)
    if match := _HALF.search(text):
        year = int(match.group(3))
        return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if match.group(2) == "đầu" else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    if match := _MONTH.search(text):
        month, year = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            return None
        return dt.date(year, month, 1), _month_end(year, month)
    if match := _YEAR.search(text):
        year = int(match.group(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return None


def resolve(text: str) -> dt.date:
    """The due date `text` means; a ValidationError in Vietnamese when it names no date or period."""
    cleaned = " ".join(text.lower().split())
    period = _period(cleaned)
    if period is None:
        raise ValidationError(
            _("Không hiểu thời hạn “%(text)s”: ghi một ngày (dd/mm/yyyy) hoặc một kỳ như “quý I/2024”, “6 tháng đầu năm 2024”, “năm 2024”.")
            % {"text": text}
        )
    first, last = period
    if _BEFORE.match(cleaned) and first != last:
        return first - dt.timedelta(days=1)
    return last
