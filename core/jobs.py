"""Run a background job after the current transaction commits.

In production the job goes to the Celery broker; in embedded mode (no broker) Celery runs it eagerly
in this process, still only after the commit, so a job never sees uncommitted or rolled-back data.
"""

from __future__ import annotations

from typing import Any

from celery import Task
from django.db import transaction


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: task.delay(*args, **kwargs), robust=True)
