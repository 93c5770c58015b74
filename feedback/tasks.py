from celery import shared_task

from feedback import services


@shared_task
def escalate_overdue_cases() -> int:
    """Daily: overdue cases go one level up."""
    return services.escalate_overdue_cases()


@shared_task
def remind_due_cases() -> int:
    """Daily: remind handling units of cases due soon."""
    return services.remind_due_cases()
