"""The production profile end to end: PostgreSQL, a real Celery worker (its own process, the
`celery` program) taking jobs from Redis, S3-compatible storage, notifications leaving by SMTP.

Run by `make test-postgres` (CI's step on the production profile), which starts an S3 server and
sets S3_BUCKET, S3_ENDPOINT_URL and REDIS_URL. Elsewhere these tests are skipped, except on CI,
where a missing engine is a failure."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import OutboxMessage
from feedback import throttle
from feedback.models import Case, Category
from grassroots.celery import app
from tests.conftest import verified_client
from tests.production.mailbox import Mailbox
from tests.production.processes import Worker, database_url, service_env
from units.importing import import_official_units
from units.models import Unit, UnitKind

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
WAIT_SECONDS = 60


def _missing() -> str:
    if connection.vendor != "postgresql":
        return "the production tests need PostgreSQL (TEST_DATABASE_URL)"
    if not os.environ.get("REDIS_URL"):
        return "the production tests need REDIS_URL (make test-postgres sets it)"
    if django_settings.STORAGES["default"]["BACKEND"] != "storages.backends.s3.S3Storage":
        return "the production tests need S3 storage (S3_BUCKET; make test-postgres starts a local server)"
    return ""


def _use_broker(url: str | None) -> None:
    """Send this process's jobs to `url` (None: run them in-process again), on fresh connections."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url
    app.conf.task_always_eager = url is None


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as box:
        yield box


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, mailbox) -> Iterator[Worker]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    broker = os.environ["REDIS_URL"]
    with app.connection_for_write(broker) as conn:  # jobs left by an earlier, interrupted run
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    started = time.monotonic()
    process = Worker(service_env(database=database_url(connection.settings_dict), broker=broker, mail_port=mailbox.port), name="e2e")
    process.start()
    print(f"celery worker ready in {time.monotonic() - started:.1f} s")
    _use_broker(broker)
    try:
        yield process
    finally:
        _use_broker(None)
        process.stop()


def _wait_for(what: str, found: Callable[[], Any], worker: Worker) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: nothing after {WAIT_SECONDS} s. Worker log:\n{worker.text()[-4000:]}")


@pytest.fixture
def commune(mailbox) -> Unit:  # type: ignore[no-untyped-def]
    """A commune of the new Bắc Ninh (2025 list, in force today), with an officer who handles its
    reports and reads his e-mail."""
    mailbox.clear()
    import_official_units(province_code="24", structure="2025", link=False)
    return Unit.objects.filter(edition="2025", kind=UnitKind.COMMUNE, parent__code="24").order_by("code").first()


def test_a_public_report_is_stored_on_s3_read_back_and_announced_by_the_worker(worker, mailbox, commune, make_user, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    officer = make_user(Role.COMMUNE_OFFICER, commune, username="canbo-xa")
    response = Client().post(
        "/phan-anh/",
        {
            "kind": "feedback",
            "category": Category.FACILITIES,
            "unit": commune.pk,
            "description": "Đèn đường thôn Đông bị hỏng cả tháng nay, tối đi lại rất nguy hiểm.",
            "website": "",
            "started": throttle.form_started_token(),
            "idempotency_key": "e2e-san-xuat-1",
            "files": SimpleUploadedFile("den-duong.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 200 and 'id="tracking-code">' in response.content.decode()
    case = Case.objects.get()
    attachment = case.attachments.select_related("file").get()

    # The photo is an object in the bucket, byte for byte (read with S3's own client)…
    options = settings.STORAGES["default"]["OPTIONS"]
    s3 = boto3.client("s3", endpoint_url=options["endpoint_url"], region_name=options["region_name"])
    key = f"{options['location']}/{attachment.file.file.name}"
    assert s3.get_object(Bucket=options["bucket_name"], Key=key)["Body"].read() == PNG
    # …and the app serves it back to the officer who handles the report.
    served = verified_client(officer).get(reverse("feedback:attachment", args=[attachment.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG

    # The outbox message committed with the case was delivered by the worker over SMTP: this
    # process sends no mail (its backend is Django's in-memory one), the worker's goes to the mailbox.
    [inbox] = _wait_for("the new report's notification", lambda: mailbox.view(officer.email) or None, worker)
    assert f"Phản ánh mới số {case.register_label}" in inbox["Subject"]
    assert inbox["Message-ID"].startswith("<outbox-")
    assert f"/staff/phan-anh/{case.pk}/" in inbox.get_content()
    message = OutboxMessage.objects.get(recipient=officer.email)
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)
    assert re.search(r"Task core\.tasks\.deliver_outbox\[[0-9a-f-]+\] succeeded", worker.text())


def test_a_scheduled_job_sent_by_beat_is_run_by_the_worker(worker, mailbox, commune, make_user):
    """Celery beat's own scheduler (the code `celery beat` runs, on the capabilities' manifests) with
    the daily reminder job due: it sends that job, and only that one, to Redis; the worker runs it,
    and the reminder of a report due today reaches its handler's mailbox."""
    from celery.beat import Scheduler

    from feedback import services

    officer = make_user(Role.COMMUNE_OFFICER, commune, username="canbo-nhac")
    case = services.submit_case(
        report=services.Report(
            category=Category.FACILITIES,
            kind="feedback",
            concerned_unit=commune,
            description="Mương thoát nước bị tắc ở đầu thôn.",
            contact={},
        )
    ).case
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate())

    scheduler = Scheduler(app=app, lazy=False)
    assert {"deliver-outbox", "feedback-remind-due", "feedback-escalate-overdue"} <= set(scheduler.schedule)
    entry = scheduler.schedule["feedback-remind-due"]
    entry.last_run_at = timezone.now() - dt.timedelta(days=1, hours=1)  # yesterday's run was the last
    assert scheduler.tick() == 0  # 0: it sent a due job
    assert scheduler.tick() > 0  # nothing else is due
    assert scheduler.schedule["feedback-remind-due"].total_run_count == entry.total_run_count + 1

    reminder = _wait_for(
        "the reminder of the report due today",
        lambda: [m for m in mailbox.view(officer.email) if "Sắp đến hạn trả lời" in m["Subject"]],
        worker,
    )
    assert len(reminder) == 1 and case.register_label in reminder[0]["Subject"]
    assert re.search(r"Task feedback\.tasks\.remind_due_cases\[[0-9a-f-]+\] succeeded", worker.text())
    case.refresh_from_db()
    assert case.reminded_for == case.due_on
