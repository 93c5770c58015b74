"""Steering's knobs. Environment settings are read when used (core.knobs), so tests override them
with the `settings` fixture."""

from __future__ import annotations

import datetime as dt

from core.knobs import read_from_settings

__getattr__ = read_from_settings(
    __name__,
    {
        # Days before a task's due date when its owners are reminded.
        "REMINDER_DAYS": "STEERING_REMINDER_DAYS",
        # Days past due after which the committee member following the locality is urged.
        "ESCALATION_DAYS": "STEERING_ESCALATION_DAYS",
        # The overview shows a rate below this share (%) in red.
        "OVERVIEW_RATE_ALERT": "STEERING_OVERVIEW_RATE_ALERT",
    },
)

# Law 10/2022/QH15 on Grassroots Democracy, art. 91: in force from 1 July 2023. Sessions
# disseminating it are counted from this day (the notice's footnote 1: who has not yet held one).
LAW_IN_FORCE_FROM = dt.date(2023, 7, 1)
