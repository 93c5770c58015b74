from celery import shared_task

from feedback import services, summaries


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
