"""Who wants to know when the province changes its working calendar (a day off added or removed):
feedback recomputes open cases' due dates, for instance. Capabilities declare a callback in their
manifest (`capability.py`); the calendar service calls them inside its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_LISTENERS: list[Callable[..., object]] = []


def on_calendar_change(listener: Callable[..., object]) -> None:
    """`listener(*, changed_date: date, by, province)` runs inside the transaction that changed the
    calendar; `province` is the unit whose calendar changed (None: the rows for every province)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def calendar_changed(*, changed_date: dt.date, by: object, province: object = None) -> None:
    # `province` is passed only when given, so listeners written before calendars were per province
    # keep working for the rows that apply everywhere.
    extra = {"province": province} if province is not None else {}
    for listener in list(_LISTENERS):
        listener(changed_date=changed_date, by=by, **extra)
