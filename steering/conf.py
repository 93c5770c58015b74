"""Steering's knobs. Environment settings are read when used (core.knobs), so tests override them
with the `settings` fixture."""

from __future__ import annotations

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
