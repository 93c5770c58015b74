from celery import shared_task

from core import jobs
from feedback import services, summaries
from feedback.models import Case


@shared_task
def escalate_overdue_cases() -> int:
    """Daily: overdue cases go one level up."""
    return services.escalate_overdue_cases()


@shared_task
def remind_due_cases() -> int:
    """Daily: remind handling units of cases due soon."""
    return services.remind_due_cases()


@shared_task
def refresh_tallies() -> int:
    """After each case write (queued on commit), and periodically to catch up: the dashboards'
    summary tables brought up to date (feedback.summaries)."""
    return summaries.refresh()


def on_case_written(sender: object, instance: Case, raw: bool = False, **kwargs: object) -> None:
    """A case was saved or deleted: its day's tallies are stale; refresh them after the commit."""
    if raw or not summaries.mark_stale(instance):
        return
    jobs.enqueue_once(refresh_tallies)
