"""Thin scheduled jobs: each returns one service call."""

from __future__ import annotations

from celery import shared_task

from accounts.actors import SYSTEM
from steering import overview, services


@shared_task
def remind_due_tasks() -> int:
    return services.remind_due_tasks(by=SYSTEM)


@shared_task
def escalate_overdue_tasks() -> int:
    return services.escalate_overdue_tasks(by=SYSTEM)


@shared_task
def refresh_overviews() -> int:
    return overview.refresh_overviews()
