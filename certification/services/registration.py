"""Registration: a commune enters a campaign and builds its dossier."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify_role_holders
from accounts.permissions import PROVINCE_ADMIN_ROLES
from certification import permissions as perms
from certification.models import Campaign, CriterionKind, DocumentKind, DossierDocument, FileState, Recognition, Registration, SelfScore
from certification.scoring import computed_score
from certification.services._shared import CREATE, DELETE, _require, file_link
from core import audit
from core.audit import snapshot
from core.uploads import store_upload
from units.models import Unit, UnitKind


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
    held = (
        Recognition.objects.filter(registration__unit=unit, registration__state=FileState.RECOGNISED, valid_until__gte=today)
        .exclude(registration__campaign=campaign)
        .first()
    )
    if held is not None:
        problems.append(
            _("Đơn vị đang giữ công nhận còn hiệu lực đến %(date)s (quyết định %(number)s).")
            % {"date": held.valid_until.strftime("%d/%m/%Y"), "number": held.decision_number}
        )
    for criterion in campaign.criteria_set.criteria.filter(kind=CriterionKind.COMPUTED, mandatory_min__isnull=False):
        points, value = computed_score(criterion, unit=unit, campaign=campaign)
        if points < criterion.mandatory_min:  # type: ignore[operator]  # the query keeps criteria that have one
            shown = "—" if value.value is None else f"{value.value:g}{value.unit}"
            problems.append(
                _("Không đạt tiêu chí bắt buộc %(code)s (số liệu hệ thống: %(value)s, được %(points)s/%(min)s điểm liệt).")
                % {"code": criterion.code, "value": shown, "points": points, "min": criterion.mandatory_min}
            )
    return problems


def register(*, campaign: Campaign, unit: Unit, by: User, today: dt.date | None = None) -> Registration:
    """The commune registers for the campaign if eligible; computed criteria are scored at once."""
    _require(perms.can_register(by, unit))
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
                "metric_note": (value.note or f"{value.source} ({value.basis})")[:300],
                "explanation": _("Tính tự động từ số liệu hệ thống."),
            },
        )


def upload_document(*, registration: Registration, kind: str, fileobj: IO[bytes], name: str, by: User) -> DossierDocument:
    """Add one dossier document (checked and stored by core.uploads); replaces one of the same kind."""
    _require(perms.can_edit_file(by, registration))
    if registration.is_locked_for_commune:
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được."))
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Loại tài liệu không hợp lệ.")})
    with transaction.atomic():
        stored = store_upload(fileobj, name=name, by=by)
        old = list(registration.documents.filter(kind=kind))
        for doc in old:
            audit.record(actor=by, action=DELETE, instance=doc, before=snapshot(doc), unit_path=registration.unit.path)
            doc.delete()
        document = DossierDocument.objects.create(registration=registration, kind=kind, file=stored)
        audit.record(actor=by, action=CREATE, instance=document, unit_path=registration.unit.path)
    return document
