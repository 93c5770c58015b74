"""Scheduled jobs: each calls one service."""

from celery import shared_task

from supervision import services


@shared_task
def remind_recommendations() -> int:
    """Daily: remind communes of recommendations about to fall due, and of those overdue."""
    return services.remind_recommendations()


@shared_task
def remind_reports() -> int:
    """Daily: remind units of periodic reports about to fall due, and once of those overdue."""
    return services.remind_reports()
