from celery import shared_task

from core import outbox


@shared_task(name="core.tasks.deliver_outbox")
def deliver_outbox() -> dict[str, int]:
    """Deliver every due notification; scheduled every minute by Celery beat and run after each
    commit that queues one."""
    return outbox.deliver_pending()


@shared_task(name="core.tasks.purge_rate_buckets")
def purge_rate_buckets() -> int:
    """Daily: forget rate-limit buckets nobody touched for two days (they are full again)."""
    from core import ratelimit

    return ratelimit.purge_idle()
