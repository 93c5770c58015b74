"""The shared infrastructure's own scheduled jobs."""

from celery.schedules import crontab

from core.capabilities import Capability, Job, register

register(
    Capability(
        name="core",
        jobs=(
            Job("deliver-outbox", "core.tasks.deliver_outbox", 60.0),
            Job("purge-rate-buckets", "core.tasks.purge_rate_buckets", crontab(hour=3, minute=30)),
        ),
    )
)
