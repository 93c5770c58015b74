"""Every write to steering committees and their members: one function per use case, each in one
transaction with its permission check and audit entry."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditEntry
from units.models import CommitteeMember, SteeringCommittee, Unit
from units.permissions import can_manage_committees

COMMITTEE_FIELDS = ("kind", "name", "decision_ref", "established_on", "is_active", "parent")
MEMBER_FIELDS = ("full_name", "job_title", "position", "user", "email", "phone", "since", "until")


def _require(actor: Any, unit: Unit) -> None:
    if not can_manage_committees(actor, unit):
        raise PermissionDenied(_("Bạn không có quyền quản lý Ban Chỉ đạo của đơn vị này."))


def _check_parent(unit: Unit, parent: SteeringCommittee | None, kind: str) -> None:
    if kind == SteeringCommittee.Kind.COMMITTEE and parent is not None:
        raise ValidationError({"parent": _("Ban Chỉ đạo không thuộc ban nào khác.")})
    # One level only: a group hangs under a committee, never under another group (or itself).
    if kind != SteeringCommittee.Kind.COMMITTEE and (parent is None or parent.kind != SteeringCommittee.Kind.COMMITTEE):
        raise ValidationError({"parent": _("Tiểu ban, tổ giúp việc, cơ quan thường trực phải thuộc một Ban Chỉ đạo.")})
    if parent is not None and parent.unit_id != unit.pk:
        raise ValidationError({"parent": _("Ban Chỉ đạo cấp trên phải cùng đơn vị.")})


@transaction.atomic
def create_committee(*, unit: Unit, by: AbstractBaseUser, data: dict[str, Any]) -> SteeringCommittee:
    """Create a committee, sub-committee, working group or standing office at `unit`."""
    _require(by, unit)
    values = {k: data[k] for k in COMMITTEE_FIELDS if k in data}
    _check_parent(unit, values.get("parent"), values.get("kind", SteeringCommittee.Kind.COMMITTEE))
    committee = SteeringCommittee(unit=unit, **values)
    committee.full_clean()
    committee.save()
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=committee, unit_path=unit.path)
    return committee


@transaction.atomic
def update_committee(*, committee: SteeringCommittee, by: AbstractBaseUser, data: dict[str, Any]) -> SteeringCommittee:
    _require(by, committee.unit)
    committee = SteeringCommittee.objects.select_for_update().get(pk=committee.pk)
    before = audit.snapshot(committee)
    for key in COMMITTEE_FIELDS:
        if key in data:
            setattr(committee, key, data[key])
    _check_parent(committee.unit, committee.parent, committee.kind)
    if committee.kind != SteeringCommittee.Kind.COMMITTEE and committee.subgroups.exists():
        raise ValidationError({"kind": _("Ban Chỉ đạo đang có tiểu ban, tổ giúp việc nên không đổi thành nhóm trực thuộc được.")})
    committee.full_clean()
    committee.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=committee, before=before, unit_path=committee.unit.path)
    return committee


def _check_member_dates(member: CommitteeMember) -> None:
    if member.since and member.until and member.until < member.since:
        raise ValidationError({"until": _("Ngày kết thúc phải sau ngày bắt đầu.")})


def _check_followed(committee: SteeringCommittee, followed: list[Unit]) -> None:
    outside = [u.name for u in followed if not u.path.startswith(committee.unit.path) or u.pk == committee.unit_id]
    if outside:
        raise ValidationError(
            {"followed_units": _("Địa bàn phụ trách phải thuộc đơn vị của Ban Chỉ đạo: %(u)s") % {"u": ", ".join(outside)}}
        )


def _member_snapshot(member: CommitteeMember) -> dict[str, Any]:
    data = audit.snapshot(member)
    data["followed_units"] = sorted(member.followed_units.values_list("pk", flat=True)) if member.pk else []
    return data


@transaction.atomic
def add_member(
    *, committee: SteeringCommittee, by: AbstractBaseUser, data: dict[str, Any], followed: list[Unit] | None = None
) -> CommitteeMember:
    """Add a member with their position and, optionally, the localities they follow (notice, task 8)."""
    _require(by, committee.unit)
    member = CommitteeMember(committee=committee, **{k: data[k] for k in MEMBER_FIELDS if k in data})
    _check_member_dates(member)
    member.full_clean()
    followed = followed or []
    _check_followed(committee, followed)
    member.save()
    member.followed_units.set(followed)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=member, after=_member_snapshot(member), unit_path=committee.unit.path)
    return member


@transaction.atomic
def update_member(
    *, member: CommitteeMember, by: AbstractBaseUser, data: dict[str, Any], followed: list[Unit] | None = None
) -> CommitteeMember:
    committee = member.committee
    _require(by, committee.unit)
    member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    before = _member_snapshot(member)
    for key in MEMBER_FIELDS:
        if key in data:
            setattr(member, key, data[key])
    _check_member_dates(member)
    member.full_clean()
    if followed is not None:
        _check_followed(committee, followed)
    member.save()
    if followed is not None:
        member.followed_units.set(followed)
    audit.record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        instance=member,
        before=before,
        after=_member_snapshot(member),
        unit_path=committee.unit.path,
    )
    return member


@transaction.atomic
def remove_member(*, member: CommitteeMember, by: AbstractBaseUser, reason: str = "") -> None:
    committee = member.committee
    _require(by, committee.unit)
    before = _member_snapshot(member)
    pk = member.pk
    member.followed_units.clear()
    member.delete()
    member.pk = pk
    audit.record(actor=by, action=AuditEntry.Action.DELETE, instance=member, before=before, unit_path=committee.unit.path, reason=reason)
