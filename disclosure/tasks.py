"""Thin Celery tasks: each returns one service call."""

from celery import shared_task

from accounts.actors import SYSTEM
from disclosure import services


@shared_task(name="disclosure.tasks.send_reminders")
def send_reminders() -> int:
    return services.send_reminders(by=SYSTEM)
