"""Celery application. Without CELERY_BROKER_URL tasks run eagerly in-process (embedded mode)."""

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")

app = Celery("grassroots")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def schedule_from_manifests(sender: Celery, **kwargs: Any) -> None:
    """Celery beat's schedule is every capability's declared jobs (core.capabilities), read once
    the apps are loaded; `manage.py run_scheduled_jobs` runs the same schedule in-process."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from core import capabilities

    sender.conf.beat_schedule = capabilities.beat_schedule()
