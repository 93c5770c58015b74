"""Scheduled jobs: each calls one service."""

from __future__ import annotations

from celery import shared_task

from certification import services


@shared_task(name="certification.send_deadline_reminders")
def send_deadline_reminders_task() -> int:
    """Daily: reminders before each campaign deadline and overdue notices."""
    return services.send_deadline_reminders()


@shared_task(name="certification.refresh_citizen_figures")
def refresh_citizen_figures_task() -> int:
    """Nightly: the citizens' figures the appraisal-quality page compares proposals with."""
    return services.refresh_figures_of_open_campaigns()
