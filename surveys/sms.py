"""The SMS adapter: one method, `send(phone, text)`. The backend is named by the setting
SURVEYS_SMS_BACKEND (a dotted path); the default writes to the log and keeps the last messages in
memory (for development and tests). A carrier gateway is a class with the same method."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("surveys.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Logs the message with the number masked; keeps the last 50 in `outbox` for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        ConsoleBackend.outbox = [*ConsoleBackend.outbox[-49:], (phone, text)]
        log.info("SMS to %s: %s", phone[:3] + "****" + phone[-3:], text)


def get_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SURVEYS_SMS_BACKEND)()
    return backend
