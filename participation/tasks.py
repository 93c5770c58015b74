from celery import shared_task

from accounts.actors import SYSTEM
from participation import services


@shared_task
def close_ended_votes() -> int:
    """Every quarter hour: close the online votes whose time is up and publish their tallies."""
    return services.close_ended_votes(by=SYSTEM)
