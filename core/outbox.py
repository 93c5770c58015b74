"""The notifications outbox: a message is a row written in the caller's transaction, delivered by a
background job after commit, retried with back-off until it goes or runs out of attempts."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import OutboxMessage

log = logging.getLogger(__name__)


def queue_message(
    *, recipient: str, subject: str, body: str, link: str, channel: str = "email", dedupe_key: str | None = None
) -> OutboxMessage | None:
    """Queue one notification. Must run inside the transaction that makes the change it announces;
    delivery is scheduled for after the commit. With a dedupe_key already queued, nothing is added.
    `link` is the absolute address of the case, file or page the message announces
    (core.links.absolute_url); the message ends with it unless the body already carries it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("queue_message() must run inside transaction.atomic()")
    if not link:
        raise ValueError("queue_message() needs the link to what the message announces (core.links.absolute_url)")
    if not recipient:
        return None
    dedupe_key = dedupe_key or None  # "" is no key: stored as NULL, which the unique index ignores
    if dedupe_key and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        # A savepoint: a concurrent transaction that queued the same key first must not break
        # the caller's transaction, only make this message unnecessary.
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                channel=channel,
                recipient=recipient,
                subject=subject[:300],
                body=body if link in body else f"{body}\n\n{link}",
                dedupe_key=dedupe_key,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None
    from core import jobs, tasks

    jobs.enqueue_once(tasks.deliver_outbox)
    return message


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2**attempts, 24 * 60))


def message_id(message: OutboxMessage) -> str:
    """The e-mail's Message-ID, the same on every attempt to send this outbox message. Delivery is
    at least once (a worker that dies after the mail server accepted the message but before the
    row says so sends it again); the recipient's mail program shows one message per Message-ID, so
    a repeat is never a second notification in the recipient's view."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "grassroots.local"
    return f"<outbox-{message.pk}-{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def send_mail(subject: str, body: str, from_email: str, recipients: list[str], *, message_id: str) -> int:
    return EmailMessage(subject, body, from_email, recipients, headers={"Message-ID": message_id}).send(fail_silently=False)


def _send(message: OutboxMessage) -> None:
    if message.channel == "email":
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient], message_id=message_id(message))
    else:
        raise ValueError(f"no sender for channel {message.channel!r}")


def deliver_pending(*, now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Try every message that is due. Each message is claimed in its own short transaction
    (skip_locked on PostgreSQL) so two workers never send the same one."""
    now = now or timezone.now()
    sent = failed = retried = 0
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    for message_id in ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True).filter(id=message_id, status=OutboxMessage.Status.PENDING).first()
            )
            if message is None:
                continue
            message.attempts += 1
            try:
                _send(message)
            except Exception as exc:  # noqa: BLE001 - any sending error is recorded and retried
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    message.status = OutboxMessage.Status.FAILED
                    failed += 1
                    log.error("outbox message %s failed for good", message.id, extra={"error": message.last_error})
                else:
                    message.next_attempt_at = now + _backoff(message.attempts)
                    retried += 1
                    log.warning("outbox message %s will be retried", message.id, extra={"error": message.last_error})
            else:
                message.status = OutboxMessage.Status.SENT
                message.sent_at = timezone.now()
                message.last_error = ""
                sent += 1
            message.save()
    return {"sent": sent, "retried": retried, "failed": failed}
