"""Granting and withdrawing roles: audited like every record that decides who may act."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import ROLE_UNIT_KINDS, Role, RoleAssignment, User
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach
from core import audit
from core.models import AuditEntry
from units.models import Unit


def _may_grant(actor: Any, unit: Unit) -> bool:
    # None is the system itself (demo loader, management commands run by an operator).
    return actor is None or can_reach(actor, unit, {Role.SYSTEM_ADMIN, *PROVINCE_ADMIN_ROLES})


@transaction.atomic
def grant_role(*, user: User, unit: Unit, role: str, by: Any) -> RoleAssignment:
    """Give `user` `role` over `unit` and its subtree. Idempotent: granting twice returns the
    existing assignment."""
    if not _may_grant(by, unit):
        raise PermissionDenied(_("Bạn không có quyền phân quyền tại đơn vị này."))
    if role not in Role.values:
        raise ValidationError(_("Vai trò không hợp lệ."))
    if unit.kind not in ROLE_UNIT_KINDS[role]:
        raise ValidationError(
            _("Vai trò “%(role)s” không cấp được ở %(unit)s.") % {"role": Role(role).label, "unit": unit.get_kind_display().lower()}
        )
    existing = RoleAssignment.objects.filter(user=user, unit=unit, role=role).first()
    if existing:
        return existing
    assignment = RoleAssignment.objects.create(
        user=user, unit=unit, role=role, granted_by=by if getattr(by, "is_authenticated", False) else None
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=assignment, unit_path=unit.path)
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, by: Any, reason: str = "") -> None:
    if not _may_grant(by, assignment.unit):
        raise PermissionDenied(_("Bạn không có quyền phân quyền tại đơn vị này."))
    before = audit.snapshot(assignment)
    pk = assignment.pk
    assignment.delete()
    assignment.pk = pk
    audit.record(
        actor=by, action=AuditEntry.Action.DELETE, instance=assignment, before=before, unit_path=assignment.unit.path, reason=reason
    )
