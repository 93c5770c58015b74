from celery import shared_task

from surveys import services


@shared_task
def close_ended_campaigns() -> int:
    """Daily: campaigns past their end date stop taking responses."""
    return services.close_ended_campaigns()
