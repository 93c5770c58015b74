"""The audit trail: record every change to a record of legal weight, in the caller's transaction.

Services call `snapshot()` before a change and `record()` after it; `record()` refuses to run outside
a transaction so an audit entry can never be committed without its change, or the reverse.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from core.middleware import current_request_id
from core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, FieldFile):  # by name: asking an empty one for its url raises
        return value.name or None
    return value


# Secrets never enter the trail; a change to one still shows, as a changed marker.
SECRET_FIELDS = frozenset({"password", "digest", "key", "contact_encrypted"})


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values as JSON-ready data (foreign keys by id); secret fields
    are replaced by a short fingerprint so a change is visible but the value is not."""
    import hashlib

    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if field.name in SECRET_FIELDS and value:
            data[field.attname] = "•••" + hashlib.sha256(str(value).encode()).hexdigest()[:6]
        else:
            data[field.attname] = _plain(value)
    return data


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit_path: str = "",
    reason: str = "",
) -> AuditEntry | None:
    """Write one audit entry for `instance`. `before` is the snapshot taken before the change
    (None for a creation); the after-image is `after` when given (for data beyond the row's own
    fields, such as many-to-many links), else read from the instance (None for a deletion).
    An update that changed nothing writes nothing and returns None."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("core.audit.record() must run inside transaction.atomic()")
    if action == AuditEntry.Action.DELETE:
        after = None
    elif after is None:
        after = snapshot(instance)
    if action == AuditEntry.Action.UPDATE and before == after:
        return None
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.get_full_name() or actor.get_username()) if is_user else "hệ thống",
        action=action,
        model_label=instance._meta.label,
        object_pk=str(instance.pk if instance.pk is not None else (before or {}).get("id", "")),
        object_repr=str(instance)[:300],
        unit_path=unit_path,
        before=before,
        after=after,
        reason=reason[:500],
        request_id=current_request_id(),
    )
