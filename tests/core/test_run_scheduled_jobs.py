import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction

from core.models import OutboxMessage
from core.outbox import queue_message


@pytest.mark.django_db
def test_runs_the_scheduled_outbox_delivery_in_process(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with transaction.atomic():
        queue_message(recipient="a@example.invalid", subject="Nhắc hạn", body="…", link="http://127.0.0.1:8000/staff/")
    out = io.StringIO()
    call_command("run_scheduled_jobs", only=["deliver-outbox"], stdout=out)
    assert "deliver-outbox: {'sent': 1" in out.getvalue()
    assert [m.subject for m in mail.outbox] == ["Nhắc hạn"]
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


@pytest.mark.django_db
def test_unknown_job_is_refused_with_the_list_of_jobs():
    with pytest.raises(CommandError, match="Không có công việc: khong-co"):
        call_command("run_scheduled_jobs", only=["khong-co"])
