"""Writes of the members' guidance (notice, task 8): a member's guidance visit or urging of a
locality, recorded by the member or the committee's secretariat, possibly about a task."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.models import AuditEntry
from core.uploads import store_upload
from steering.member_queries import can_record_for
from steering.models import DirectiveTask, GuidanceEntry, GuidanceKind
from units.models import CommitteeMember, Unit
from units.structure import current_unit, require_in_force


def _may_guide(member: CommitteeMember, unit: Unit, task: DirectiveTask | None, on: dt.date) -> bool:
    """`unit` lies in a locality the member follows or, for an urging about a task, is (inside)
    one of the task's owners as they stand on `on`."""
    allowed = list(member.followed_units.all())
    if task is not None:
        allowed += [u for u in (current_unit(owner, on) for owner in task.owners.all()) if u is not None]
    return any(unit.path.startswith(root.path) for root in allowed)


@transaction.atomic
def record_guidance(
    *,
    by: User,
    member: CommitteeMember,
    unit: Unit,
    kind: str,
    happened_on: dt.date,
    content: str,
    task: DirectiveTask | None = None,
    file: IO[bytes] | None = None,
    file_name: str = "",
) -> GuidanceEntry:
    """Log one guidance visit or urging by `member` in `unit` (in force on its date), within the
    localities the member follows or, for an urging about `task`, the task's owners."""
    if not can_record_for(by, member):
        raise PermissionDenied(_("Chỉ thành viên Ban Chỉ đạo hoặc cơ quan thường trực được ghi hoạt động hướng dẫn, đôn đốc."))
    if kind not in GuidanceKind.values:
        raise ValidationError(_("Hình thức hoạt động không hợp lệ."))
    if task is not None and kind != GuidanceKind.URGING:
        raise ValidationError(_("Hoạt động gắn với nhiệm vụ phải là đôn đốc."))
    if not content.strip():
        raise ValidationError(_("Hãy ghi nội dung hướng dẫn, đôn đốc."))
    if happened_on > timezone.localdate():
        raise ValidationError(_("Ngày hoạt động không thể sau hôm nay."))
    if (member.since and happened_on < member.since) or (member.until and happened_on > member.until):
        raise ValidationError(
            _("Ngày %(day)s không thuộc thời gian %(name)s là thành viên Ban Chỉ đạo.")
            % {
                "day": f"{happened_on:%d/%m/%Y}",
                "name": member.full_name,
            }
        )
    require_in_force(unit, happened_on)
    if not _may_guide(member, unit, task, happened_on):
        raise ValidationError(
            _("%(unit)s không thuộc địa bàn %(name)s được phân công theo dõi.") % {"unit": unit.name, "name": member.full_name}
        )
    stored = store_upload(file, name=file_name, by=by) if file is not None else None
    entry = GuidanceEntry.objects.create(
        member=member,
        unit=unit,
        kind=kind,
        happened_on=happened_on,
        content=content.strip(),
        task=task,
        file=stored,
        recorded_by=by,
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=entry, unit_path=unit.path)
    return entry
