"""Scheduled and background jobs: each calls one service."""

from celery import shared_task

from surveys import conf, services, xlsform


@shared_task
def close_ended_campaigns() -> int:
    """Daily: campaigns past their end date stop taking responses."""
    return services.close_ended_campaigns()


@shared_task(soft_time_limit=conf.XLSFORM_IMPORT_SECONDS, time_limit=conf.XLSFORM_IMPORT_SECONDS + 30)
def run_xlsform_import(job_id: int) -> str:
    """Import one uploaded XLSForm; a worker stops it at the time limit."""
    return xlsform.run_import_job(job_id=job_id)
