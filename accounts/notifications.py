"""Notifying the holders of a role at a unit: the one way every capability tells a unit's officials
that something awaits them."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.queries import users_with_role
from core import outbox
from units.models import Unit


def notify_role_holders(*, unit: Unit | None, roles: str | Iterable[str], subject: str, body: str, link: str, dedupe: str) -> None:
    """Queue one e-mail per active holder of `roles` at `unit` (each address once), carrying `link`
    to what it announces. Runs inside the caller's transaction (core.outbox); `dedupe` keeps a
    retried change from mailing twice."""
    emails = sorted({email for email in users_with_role(roles, unit).values_list("email", flat=True) if email})
    for email in emails:
        outbox.queue_message(recipient=email, subject=subject, body=body, link=link, dedupe_key=f"{dedupe}:{email}")
