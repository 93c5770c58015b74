"""core.outbox: a message is a row in the caller's transaction, delivered after the commit (here in
the embedded mode, by Celery running eagerly, to Django's in-memory mailbox), retried with
back-off when sending fails and marked failed after OUTBOX_MAX_ATTEMPTS."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from core import outbox
from core.models import OutboxMessage

START = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.UTC)
LINK = "http://127.0.0.1:8000/staff/phan-anh/1/"


def _queue(**kwargs: object) -> OutboxMessage | None:
    values = {
        "recipient": "can-bo@example.invalid",
        "subject": "Hồ sơ đã được tiếp nhận",
        "body": "Kính gửi ông/bà...",
        "link": LINK,
    } | kwargs
    return outbox.queue_message(**values)  # type: ignore[arg-type]


def test_queue_outside_a_transaction_is_refused():
    # No database access is allowed here: the refusal must come before anything is written.
    with pytest.raises(RuntimeError, match=r"must run inside transaction\.atomic\(\)"):
        _queue()


@pytest.mark.django_db
def test_message_is_delivered_only_after_the_commit(django_capture_on_commit_callbacks, settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = _queue()
            assert OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.PENDING).exists()
        assert mail.outbox == []
    [sent] = mail.outbox
    assert (sent.subject, sent.to, sent.body) == ("Hồ sơ đã được tiếp nhận", ["can-bo@example.invalid"], f"Kính gửi ông/bà...\n\n{LINK}")
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL
    # The Message-ID names the outbox row: a repeated send after a crash is the same message to the
    # recipient's mail program, never a second notification.
    assert sent.extra_headers["Message-ID"] == outbox.message_id(message)
    assert sent.message()["Message-ID"].startswith(f"<outbox-{message.pk}-") and "@" in sent.message()["Message-ID"]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxMessage.Status.SENT, 1, "")
    assert message.sent_at is not None


@pytest.mark.django_db
def test_message_is_rolled_back_with_its_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ZeroDivisionError), transaction.atomic():
        _queue()
        1 / 0  # noqa: B018
    assert callbacks == [] and mail.outbox == []
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_dedupe_key_queues_a_message_once():
    with transaction.atomic():
        first = _queue(dedupe_key="han-xu-ly:42")
        second = _queue(dedupe_key="han-xu-ly:42")
        third = _queue(dedupe_key="han-xu-ly:43")
    assert first is not None and second is None and third is not None
    assert OutboxMessage.objects.count() == 2


@pytest.mark.django_db
def test_a_key_queued_concurrently_does_not_break_the_callers_transaction(monkeypatch):
    """Two transactions may both see the key as free; the loser's insert must not abort its caller."""
    with transaction.atomic():
        _queue(dedupe_key="han-xu-ly:42")
    exists = OutboxMessage.objects.filter(dedupe_key="han-xu-ly:42").exists

    class SeesNothingYet:
        def exists(self) -> bool:
            return False

    monkeypatch.setattr(OutboxMessage.objects, "filter", lambda **kw: SeesNothingYet())
    with transaction.atomic():
        assert _queue(dedupe_key="han-xu-ly:42") is None
        monkeypatch.undo()
        assert exists() and OutboxMessage.objects.count() == 1  # the caller's transaction still works


@pytest.mark.django_db
def test_an_empty_dedupe_key_means_no_dedupe():
    with transaction.atomic():
        _queue(dedupe_key="")
        _queue(dedupe_key="")
        _queue()
    assert OutboxMessage.objects.count() == 3


@pytest.mark.django_db
def test_no_recipient_queues_nothing():
    with transaction.atomic():
        assert _queue(recipient="") is None
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_failing_sends_are_retried_with_back_off_then_marked_failed(settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    attempts: list[dt.datetime] = []

    def refuse(*args: object, **kwargs: object) -> None:
        from django.utils import timezone

        attempts.append(timezone.now())
        raise smtplib.SMTPServerDisconnected("máy chủ thư không trả lời")

    monkeypatch.setattr(outbox, "send_mail", refuse)
    with time_machine.travel(START, tick=False):
        with transaction.atomic():
            message = _queue()
        assert outbox.deliver_pending() == {"sent": 0, "retried": 1, "failed": 0}
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
        assert message.next_attempt_at == START + dt.timedelta(minutes=2)
        assert message.last_error == "SMTPServerDisconnected: máy chủ thư không trả lời"
        # Not due yet: nothing is tried.
        assert outbox.deliver_pending() == {"sent": 0, "retried": 0, "failed": 0}

    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        assert outbox.deliver_pending() == {"sent": 0, "retried": 1, "failed": 0}
        message.refresh_from_db()
        assert message.next_attempt_at == START + dt.timedelta(minutes=2 + 4)
    with time_machine.travel(START + dt.timedelta(minutes=6), tick=False):
        assert outbox.deliver_pending()["retried"] == 1
        message.refresh_from_db()
        assert message.next_attempt_at == START + dt.timedelta(minutes=6 + 8)
    with time_machine.travel(START + dt.timedelta(minutes=14), tick=False):
        assert outbox.deliver_pending() == {"sent": 0, "retried": 0, "failed": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == (OutboxMessage.Status.FAILED, 4, None)
    assert len(attempts) == 4
    with time_machine.travel(START + dt.timedelta(days=3), tick=False):
        assert outbox.deliver_pending() == {"sent": 0, "retried": 0, "failed": 0}


@pytest.mark.django_db
def test_a_message_that_fails_once_goes_on_the_next_try(monkeypatch):
    real_send = outbox.send_mail
    calls = {"n": 0}

    def flaky(*args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("tạm thời lỗi")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(outbox, "send_mail", flaky)
    with time_machine.travel(START, tick=False):
        with transaction.atomic():
            message = _queue()
        outbox.deliver_pending()
    with time_machine.travel(START + dt.timedelta(minutes=3), tick=False):
        assert outbox.deliver_pending() == {"sent": 1, "retried": 0, "failed": 0}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxMessage.Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_back_off_doubles_and_is_capped_at_one_day():
    assert outbox._backoff(20) == dt.timedelta(days=1)
    assert outbox._backoff(3) == dt.timedelta(minutes=8)


@pytest.mark.django_db
def test_the_celery_task_delivers_due_messages():
    from core.tasks import deliver_outbox

    with transaction.atomic():
        _queue(subject="Một")
        _queue(subject="Hai")
    assert deliver_outbox.delay().get() == {"sent": 2, "retried": 0, "failed": 0}
    assert sorted(m.subject for m in mail.outbox) == ["Hai", "Một"]


@pytest.mark.django_db
def test_several_messages_in_one_transaction_schedule_one_delivery(django_capture_on_commit_callbacks):
    from core.outbox import queue_message as queue

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(3):
            queue(recipient=f"u{n}@example.invalid", subject="Nhắc hạn", body="…", link=LINK)
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_message_without_the_link_to_what_it_announces_is_refused():
    with transaction.atomic(), pytest.raises(ValueError, match="needs the link"):
        _queue(link="")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_body_that_already_carries_the_link_is_left_as_it_is():
    with transaction.atomic():
        message = _queue(body=f"Mở đường dẫn: {LINK}")
    assert message is not None and message.body == f"Mở đường dẫn: {LINK}"
