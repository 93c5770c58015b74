from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

from surveys import conf, services, xlsform


@shared_task
def close_ended_campaigns() -> int:
    """Daily: campaigns past their end date stop taking responses."""
    return services.close_ended_campaigns()


def import_time_limits() -> dict[str, int]:
    """The import job's soft and hard time limits, read from settings when the job is queued."""
    return {"soft_time_limit": conf.XLSFORM_IMPORT_SECONDS, "time_limit": conf.XLSFORM_IMPORT_SECONDS + 30}


class TimeLimitedImport(Task):  # type: ignore[misc]
    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        return super().apply_async(args, kwargs, **(import_time_limits() | options))


@shared_task(base=TimeLimitedImport)
def run_xlsform_import(job_id: int) -> str:
    """Import one uploaded XLSForm; a worker stops it at the time limit, and in-process the parse
    itself stops at the same deadline."""
    try:
        return xlsform.run_import(job_id=job_id)
    except SoftTimeLimitExceeded:
        reason = _("Nhập phiếu quá thời gian cho phép (%(s)s giây).") % {"s": conf.XLSFORM_IMPORT_SECONDS}
        xlsform.fail_import(job_id=job_id, reason=reason)
        return "failed"
