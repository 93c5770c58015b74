"""Writes of task 5 of the notice: good practices (proposed by a unit, published or unpublished on
the portal by the province) and criticisms of units for lax practice with their follow-up. Each
service checks its permission and writes its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor, person
from core import audit, transitions
from core.models import AuditEntry
from core.text import personal_data_found
from core.uploads import check_upload, store_upload
from steering.models import PRACTICE_TRANSITIONS, Criticism, GoodPractice, PracticeAction, PracticeAttachment
from steering.photos import PHOTO_TYPES, without_metadata
from steering.practice_queries import can_criticise, can_propose, can_publish
from units.models import Unit
from units.structure import require_in_force

Upload = tuple[IO[bytes], str]  # a file and its name as uploaded


@transaction.atomic
def propose_practice(
    *,
    by: Actor,
    unit: Unit,
    title: str,
    body: str,
    period_start: dt.date,
    period_end: dt.date | None = None,
    photos: Sequence[Upload] = (),
    documents: Sequence[Upload] = (),
) -> GoodPractice:
    """Record a good practice of `unit` (in force when it began) for the province to review. Photos
    are JPEG or PNG, stored without their metadata (no GPS position reaches the portal)."""
    if by is not SYSTEM and not can_propose(by, unit):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị hoặc cấp trên được đề xuất mô hình, cách làm hay."))
    if not title.strip() or not body.strip():
        raise ValidationError(_("Mô hình cần có tên và nội dung."))
    if period_end is not None and period_end < period_start:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    if period_start > timezone.localdate():
        raise ValidationError(_("Mô hình phải đã được thực hiện: ngày bắt đầu không thể sau hôm nay."))
    require_in_force(unit, period_start)
    practice = GoodPractice.objects.create(
        unit=unit, title=title.strip(), body=body.strip(), period_start=period_start, period_end=period_end, created_by=person(by)
    )
    for fileobj, name in photos:
        check_upload(fileobj, name=name, allowed=PHOTO_TYPES)  # type and size, before decoding it
        clean = without_metadata(fileobj, name=name)
        stored = store_upload(clean, name=name, by=by, allowed=PHOTO_TYPES)
        PracticeAttachment.objects.create(practice=practice, file=stored, is_photo=True)
    for fileobj, name in documents:
        PracticeAttachment.objects.create(practice=practice, file=store_upload(fileobj, name=name, by=by))
    after = {**audit.snapshot(practice), "attachments": sorted(a.file_id for a in practice.attachments.all())}
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=practice, after=after, unit_path=unit.path)
    return practice


def _move(*, by: Actor, practice: GoodPractice, action: str, reason: str) -> GoodPractice:
    if by is not SYSTEM and not can_publish(by, practice):
        raise PermissionDenied(_("Chỉ cơ quan thường trực, lãnh đạo Ban Chỉ đạo tỉnh được đăng hoặc gỡ mô hình trên cổng thông tin."))
    locked = GoodPractice.objects.select_for_update(of=("self",)).get(pk=practice.pk)
    found = personal_data_found(f"{locked.title}\n{locked.body}") if action == PracticeAction.PUBLISH else []
    if found:
        raise ValidationError(
            _("Nội dung mô hình có thông tin cá nhân không được đăng công khai: %(found)s. Hãy đề xuất lại mô hình không có chúng.")
            % {"found": "; ".join(found)}
        )
    before = audit.snapshot(locked)
    locked.state = transitions.move(
        PRACTICE_TRANSITIONS,
        locked.state,
        action,
        refusal=_("Mô hình đang ở trạng thái “%(state)s”: không thể %(action)s.")
        % {"state": locked.get_state_display(), "action": str(PracticeAction(action).label).lower()},
    )
    locked.published_at = timezone.now() if action == PracticeAction.PUBLISH else None
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.unit.path, reason=reason)
    practice.refresh_from_db()
    return locked


@transaction.atomic
def publish_practice(*, by: Actor, practice: GoodPractice) -> GoodPractice:
    """The province publishes the practice on the public portal (attributable: who, when). Text that
    identifies a person (a phone number, an e-mail, an ID number) is refused until it is removed."""
    return _move(by=by, practice=practice, action=PracticeAction.PUBLISH, reason="")


@transaction.atomic
def unpublish_practice(*, by: Actor, practice: GoodPractice, reason: str) -> GoodPractice:
    """The province takes the practice off the portal, saying why."""
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do gỡ mô hình khỏi cổng thông tin."))
    return _move(by=by, practice=practice, action=PracticeAction.UNPUBLISH, reason=reason.strip())


@transaction.atomic
def record_criticism(
    *,
    by: Actor,
    unit: Unit,
    criticised_on: dt.date,
    reason: str,
    document_ref: str,
    document: IO[bytes] | None = None,
    document_name: str = "",
) -> Criticism:
    """Record that `unit` (in force on the date) was criticised for lax practice, by which document."""
    if by is not SYSTEM and not can_criticise(by, unit):
        raise PermissionDenied(_("Chỉ Ban Chỉ đạo cấp trên và cơ quan thường trực được ghi đơn vị bị phê bình."))
    if not reason.strip() or not document_ref.strip():
        raise ValidationError(_("Hãy ghi lý do phê bình và số, ký hiệu văn bản phê bình."))
    if criticised_on > timezone.localdate():
        raise ValidationError(_("Ngày phê bình không thể sau hôm nay."))
    require_in_force(unit, criticised_on)
    stored = store_upload(document, name=document_name, by=by) if document is not None else None
    criticism = Criticism.objects.create(
        unit=unit,
        criticised_on=criticised_on,
        reason=reason.strip(),
        document_ref=document_ref.strip(),
        document=stored,
        recorded_by=person(by),
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=criticism, unit_path=unit.path)
    return criticism


@transaction.atomic
def record_follow_up(*, by: Actor, criticism: Criticism, follow_up: str, on: dt.date) -> Criticism:
    """Record what the criticised unit has done since (replacing the previous note; the audit keeps it)."""
    if by is not SYSTEM and not can_criticise(by, criticism.unit):
        raise PermissionDenied(_("Chỉ Ban Chỉ đạo cấp trên và cơ quan thường trực được ghi kết quả khắc phục."))
    if not follow_up.strip():
        raise ValidationError(_("Hãy ghi kết quả khắc phục."))
    if on < criticism.criticised_on or on > timezone.localdate():
        raise ValidationError(_("Ngày ghi nhận khắc phục phải từ ngày phê bình đến hôm nay."))
    locked = Criticism.objects.select_for_update(of=("self",)).get(pk=criticism.pk)
    before = audit.snapshot(locked)
    locked.follow_up = follow_up.strip()
    locked.follow_up_on = on
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=criticism.unit.path)
    criticism.refresh_from_db()
    return locked
