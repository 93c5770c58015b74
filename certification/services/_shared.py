"""Helpers shared by the certification services of every stage: the permission refusal, notifying a
unit's role holders, moving a file through the transitions table with its audit entry, checking
reasons, lengths and single scores."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Field, Model
from django.utils.translation import gettext as _

from accounts.models import User
from certification.models import DOSSIER_KINDS, Criterion, CriterionKind, Registration
from core import audit
from core.audit import snapshot
from core.links import absolute_url
from core.models import AuditEntry

CREATE, UPDATE, DELETE = AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE
REQUIRED_DOCUMENTS = DOSSIER_KINDS


# --- Helpers -------------------------------------------------------------------------------
def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def file_link(registration: Registration) -> str:
    """The absolute address of a commune's file, for the messages that announce a step on it."""
    return absolute_url("certification:file_detail", registration.pk)


def _move(registration: Registration, action: str, *, by: User, reason: str = "") -> None:
    # The state is re-read under a row lock: a stale object or a concurrent request cannot move the
    # file from a state it has already left.
    registration.state = Registration.objects.select_for_update().values_list("state", flat=True).get(pk=registration.pk)
    before = snapshot(registration)
    registration.state = registration.check_move(action)
    if reason:
        registration.last_reason = reason
    registration.save()
    audit.record(actor=by, action=UPDATE, instance=registration, before=before, unit_path=registration.unit.path, reason=reason or action)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Vui lòng ghi rõ lý do.")})
    return reason


def _too_long(model: type[Model], **values: str) -> dict[str, str]:
    """An error for each value longer than its column: PostgreSQL refuses such a value with a server
    error where SQLite would keep it whole."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        assert isinstance(field, Field)
        limit = field.max_length
        if limit is not None and len(value) > limit:
            label = str(field.verbose_name)
            errors[name] = _("“%(label)s” dài tối đa %(limit)s ký tự.") % {"label": label[:1].upper() + label[1:], "limit": limit}
    return errors


def _points(raw: Any, criterion: Criterion) -> Decimal | None:
    """Parse and check one score against the criterion's range and kind (None when left blank)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).replace(",", ".").strip()).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValidationError(_("%(code)s: “%(raw)s” không phải là số.") % {"code": criterion.code, "raw": raw}) from exc
    if value < 0:
        raise ValidationError(_("%(code)s: điểm không được âm.") % {"code": criterion.code})
    if value > criterion.max_points:
        raise ValidationError(
            _("%(code)s: điểm %(value)s vượt quá điểm tối đa %(max)s.")
            % {"code": criterion.code, "value": value, "max": criterion.max_points}
        )
    if criterion.kind == CriterionKind.YES_NO and value not in (Decimal("0"), criterion.max_points):
        raise ValidationError(
            _("%(code)s: tiêu chí Có/Không chỉ nhận 0 hoặc %(max)s điểm.") % {"code": criterion.code, "max": criterion.max_points}
        )
    return value
