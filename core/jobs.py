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


_ONCE: dict[str, Any] = {}


def enqueue_once(task: Task) -> None:
    """Run an argument-less `task` once after the current transaction commits, however many times
    the transaction asks for it (e.g. delivering the outbox after a change that queued several
    notifications)."""
    callback = _ONCE.setdefault(task.name, lambda: task.delay())
    connection = transaction.get_connection()
    if any(entry[1] is callback for entry in connection.run_on_commit):
        return
    transaction.on_commit(callback, robust=True)
