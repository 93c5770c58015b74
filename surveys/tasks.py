"""Scheduled and background jobs: each calls one service."""

from typing import Any

from celery import Task, shared_task

from surveys import services, xlsform


@shared_task
def close_ended_campaigns() -> int:
    """Daily: campaigns past their end date stop taking responses."""
    return services.close_ended_campaigns()


@shared_task
def purge_submission_receipts() -> int:
    """Daily: the public API's idempotency receipts are kept one day."""
    return services.purge_receipts()


class TimeLimitedImport(Task):  # type: ignore[misc]  # celery ships no type hints: Task is Any
    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        return super().apply_async(args, kwargs, **(xlsform.import_time_limits() | options))


@shared_task(base=TimeLimitedImport)
def run_xlsform_import(job_id: int) -> str:
    """Import one uploaded XLSForm; a worker stops it at the time limit."""
    return xlsform.run_import_job(job_id=job_id)
