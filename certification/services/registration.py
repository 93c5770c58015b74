"""Registration: a commune enters a campaign and builds its dossier."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify_role_holders
from accounts.permissions import PROVINCE_ADMIN_ROLES
from certification import conf
from certification import permissions as perms
from certification.models import (
    DOSSIER_KINDS,
    Campaign,
    CriterionKind,
    DocumentKind,
    DossierDocument,
    FileState,
    Recognition,
    Registration,
    SelfScore,
)
from certification.scoring import computed_score
from certification.services._shared import CREATE, UPDATE, _require, file_link
from core import audit
from core.audit import snapshot
from core.uploads import store_upload
from units.models import Unit, UnitKind
from units.structure import current_unit, in_force_on, require_in_force


def district_of(unit: Unit, campaign: Campaign) -> Unit | None:
    if not campaign.has_district_step:
        return None
    parent = unit.parent
    return parent if parent is not None and parent.kind == UnitKind.DISTRICT else None


def eligibility_problems(*, campaign: Campaign, unit: Unit, today: dt.date | None = None) -> list[str]:
    """Why `unit` may not register now (empty list: it may). Blocks mass registration: outside the
    window, already holding a valid recognition, or failing a mandatory computed criterion."""
    today = today or timezone.localdate()
    problems: list[str] = []
    if unit.kind != UnitKind.COMMUNE or not unit.path.startswith(campaign.province.path):
        problems.append(_("Chỉ xã, phường, thị trấn thuộc tỉnh mới đăng ký được."))
        return problems
    if Registration.objects.filter(campaign=campaign, unit=unit).exists():
        problems.append(_("Đơn vị đã đăng ký trong đợt này."))
    if today < campaign.registration_opens or today > campaign.registration_closes:
        problems.append(
            _("Ngoài thời gian đăng ký (từ %(start)s đến %(end)s).")
            % {"start": campaign.registration_opens.strftime("%d/%m/%Y"), "end": campaign.registration_closes.strftime("%d/%m/%Y")}
        )
    if not in_force_on(unit, today):
        successor = current_unit(unit, today)
        problems.append(
            _("%(unit)s không còn hiệu lực vào ngày %(day)s.") % {"unit": unit.name, "day": today.strftime("%d/%m/%Y")}
            + (" " + _("Hãy đăng ký cho %(successor)s.") % {"successor": successor.name} if successor and successor.pk != unit.pk else "")
        )
    held = (
        Recognition.objects.filter(registration__unit=unit, registration__state=FileState.RECOGNISED, valid_until__gte=today)
        .exclude(registration__campaign=campaign)
        .first()
    )
    if held is not None and not conf.REREGISTER_WHILE_VALID:
        problems.append(
            _("Đơn vị đang giữ công nhận còn hiệu lực đến %(date)s (quyết định %(number)s).")
            % {"date": held.valid_until.strftime("%d/%m/%Y"), "number": held.decision_number}
        )
    for criterion in campaign.criteria_set.criteria.filter(kind=CriterionKind.COMPUTED, mandatory_min__isnull=False):
        points, value = computed_score(criterion, unit=unit, campaign=campaign)
        if points is not None and points < criterion.mandatory_min:  # type: ignore[operator]  # the query keeps criteria that have one
            shown = f"{value.value:g}{value.unit}"
            problems.append(
                _("Không đạt tiêu chí bắt buộc %(code)s (số liệu hệ thống: %(value)s, được %(points)s/%(min)s điểm liệt).")
                % {"code": criterion.code, "value": shown, "points": points, "min": criterion.mandatory_min}
            )
    return problems


def register(*, campaign: Campaign, unit: Unit, by: User, today: dt.date | None = None) -> Registration:
    """The commune registers for the campaign if eligible; computed criteria are scored at once."""
    _require(perms.can_register(by, unit))
    require_in_force(unit, today or timezone.localdate())
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        problems = eligibility_problems(campaign=campaign, unit=unit, today=today)
        if problems:
            raise ValidationError(problems)
        registration = Registration.objects.create(campaign=campaign, unit=unit, district=district_of(unit, campaign), registered_by=by)
        _refresh_computed(registration)
        audit.record(actor=by, action=CREATE, instance=registration, unit_path=unit.path)
        notify_role_holders(
            unit=registration.district or campaign.province,
            roles={Role.DISTRICT_COMMITTEE} if registration.district else PROVINCE_ADMIN_ROLES,
            subject=_("%(unit)s đăng ký xây dựng chính quyền thân thiện %(year)s") % {"unit": unit, "year": campaign.year},
            body=_("Đơn vị đã đăng ký; hồ sơ tự đánh giá nộp trước %(date)s.")
            % {"date": campaign.self_assessment_due.strftime("%d/%m/%Y")},
            dedupe=f"cert-registered:{registration.pk}",
            link=file_link(registration),
        )
    return registration


def _refresh_computed(registration: Registration) -> None:
    for criterion in registration.campaign.criteria_set.criteria.filter(kind=CriterionKind.COMPUTED):
        points, value = computed_score(criterion, unit=registration.unit, campaign=registration.campaign)
        SelfScore.objects.update_or_create(
            registration=registration,
            criterion=criterion,
            defaults={
                "score": points,
                "metric_value": None if value.value is None else Decimal(str(round(value.value, 2))),
                "metric_note": (value.note or f"{value.source} ({value.basis})")[:300]
                if value.value is not None
                else (_("Không có số liệu") + (f": {value.note}" if value.note else ""))[:300],
                "explanation": _("Tính tự động từ số liệu hệ thống."),
            },
        )


def _editable(registration: Registration, by: User) -> None:
    _require(perms.can_edit_file(by, registration))
    registration.refresh_from_db(fields=["state"])
    if registration.is_locked_for_commune:
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được."))


def _withdraw(document: DossierDocument, *, by: User, replaced: bool) -> None:
    before = snapshot(document)
    document.withdrawn_at = timezone.now()
    document.withdrawn_by = by
    document.replaced = replaced
    document.save(update_fields=["withdrawn_at", "withdrawn_by", "replaced"])
    audit.record(
        actor=by,
        action=UPDATE,
        instance=document,
        before=before,
        unit_path=document.registration.unit.path,
        reason="replace" if replaced else "withdraw",
    )


def _point_evidence(registration: Registration, criterion_id: int) -> None:
    """Keep the self-score's evidence pointer on the criterion's latest current evidence file."""
    latest = (
        DossierDocument.objects.filter(registration=registration, criterion_id=criterion_id, withdrawn_at__isnull=True)
        .order_by("-uploaded_at", "-pk")
        .values_list("file_id", flat=True)
        .first()
    )
    SelfScore.objects.filter(registration=registration, criterion_id=criterion_id).update(evidence_file_id=latest)


def upload_document(*, registration: Registration, kind: str, fileobj: IO[bytes], name: str, by: User) -> DossierDocument:
    """Add one dossier document (checked and stored by core.uploads). It replaces the current one of
    the same kind, which stays in the file's history marked as replaced."""
    _editable(registration, by)
    if kind not in DOSSIER_KINDS:
        raise ValidationError({"kind": _("Loại tài liệu không hợp lệ.")})
    with transaction.atomic():
        stored = store_upload(fileobj, name=name, by=by)
        for doc in registration.documents.filter(kind=kind, withdrawn_at__isnull=True):
            _withdraw(doc, by=by, replaced=True)
        document = DossierDocument.objects.create(registration=registration, kind=kind, file=stored, uploaded_by=by)
        audit.record(actor=by, action=CREATE, instance=document, unit_path=registration.unit.path)
    return document


def attach_evidence(
    *, registration: Registration, criterion_id: int, fileobj: IO[bytes] | Any, name: str, by: User, replace: int | None = None
) -> DossierDocument:
    """Attach one evidence file to a criterion of the commune's self-assessment (a criterion may
    hold several). With `replace`, that current evidence file of the same criterion is replaced;
    it stays in the history. Its own act, so a bad score elsewhere on the form never loses it."""
    _editable(registration, by)
    criterion = registration.campaign.criteria_set.criteria.filter(pk=criterion_id).first()
    if criterion is None or criterion.kind == CriterionKind.COMPUTED:
        raise ValidationError({"criterion": _("Tiêu chí không thuộc bộ tiêu chí của đợt hoặc được tính tự động.")})
    with transaction.atomic():
        stored = store_upload(fileobj, name=name, by=by)
        if replace is not None:
            old = registration.documents.filter(pk=replace, criterion=criterion, withdrawn_at__isnull=True).first()
            if old is None:
                raise ValidationError({"replace": _("Không tìm thấy tệp cần thay trong tiêu chí này.")})
            _withdraw(old, by=by, replaced=True)
        document = DossierDocument.objects.create(
            registration=registration, kind=DocumentKind.EVIDENCE, criterion=criterion, file=stored, uploaded_by=by
        )
        SelfScore.objects.get_or_create(registration=registration, criterion=criterion)
        _point_evidence(registration, criterion.pk)
        audit.record(actor=by, action=CREATE, instance=document, unit_path=registration.unit.path)
    return document


def withdraw_document(*, registration: Registration, document_id: int, by: User) -> DossierDocument:
    """Withdraw a current dossier document or evidence file before submission; it stays in the
    file's history (who withdrew it and when)."""
    _editable(registration, by)
    with transaction.atomic():
        document = registration.documents.select_for_update().filter(pk=document_id, withdrawn_at__isnull=True).first()
        if document is None:
            raise ValidationError(_("Không tìm thấy tài liệu đang dùng này trong hồ sơ."))
        _withdraw(document, by=by, replaced=False)
        if document.criterion_id is not None:
            _point_evidence(registration, document.criterion_id)
    return document
