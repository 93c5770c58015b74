from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

from surveys import conf, services, xlsform


@shared_task
def close_ended_campaigns() -> int:
    """Daily: campaigns past their end date stop taking responses."""
    return services.close_ended_campaigns()


@shared_task(soft_time_limit=conf.XLSFORM_IMPORT_SECONDS, time_limit=conf.XLSFORM_IMPORT_SECONDS + 30)
def run_xlsform_import(job_id: int) -> str:
    """Import one uploaded XLSForm; a worker stops it at the time limit, and in-process the parse
    itself stops at the same deadline."""
    try:
        return xlsform.run_import(job_id=job_id)
    except SoftTimeLimitExceeded:
        reason = _("Nhập phiếu quá thời gian cho phép (%(s)s giây).") % {"s": conf.XLSFORM_IMPORT_SECONDS}
        xlsform.fail_import(job_id=job_id, reason=reason)
        return "failed"
