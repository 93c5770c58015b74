"""Self-assessment: the commune scores itself and submits, signed off by its chairman."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify_role_holders
from accounts.permissions import PROVINCE_ADMIN_ROLES
from certification import permissions as perms
from certification.models import CriterionKind, DocumentKind, Registration, SelfScore
from certification.scoring import evaluate
from certification.services._shared import CREATE, REQUIRED_DOCUMENTS, UPDATE, _move, _require, file_link
from certification.services.entries import SelfScoreEntry, _parse_entries
from certification.services.registration import _refresh_computed, attach_evidence
from core import audit
from core.audit import snapshot


def save_self_scores(*, registration: Registration, entries: list[SelfScoreEntry], by: User) -> None:
    """Save a draft self-assessment. Every entry is checked first (range, kind); on any error
    nothing is saved and each bad criterion is named."""
    _require(perms.can_edit_file(by, registration))
    if registration.is_locked_for_commune:
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được."))
    parsed = _parse_entries(registration, entries, skip_blank=False)
    with transaction.atomic():
        existing = {s.criterion_id: s for s in registration.self_scores.all()}
        for criterion, points, entry in parsed:
            row = existing.get(criterion.pk) or SelfScore(registration=registration, criterion=criterion)
            before = snapshot(row) if row.pk else None
            row.score = points
            row.evidence_link = (entry.evidence_link or "").strip()
            row.explanation = (entry.explanation or "").strip()
            row.full_clean(exclude=["registration", "criterion", "evidence_file"])
            row.save()
            audit.record(actor=by, action=UPDATE if before else CREATE, instance=row, before=before, unit_path=registration.unit.path)
        _refresh_computed(registration)
    for criterion, _points, entry in parsed:
        if entry.evidence_upload is not None:
            fileobj, name = entry.evidence_upload
            attach_evidence(registration=registration, criterion_id=criterion.pk, fileobj=fileobj, name=name, by=by)


def submission_problems(registration: Registration) -> list[str]:
    problems = []
    present = set(registration.documents.filter(withdrawn_at__isnull=True).values_list("kind", flat=True))
    for kind in REQUIRED_DOCUMENTS:
        if kind not in present:
            problems.append(_("Thiếu tài liệu: %(kind)s.") % {"kind": DocumentKind(kind).label})
    scores = {s.criterion_id: s for s in registration.self_scores.all()}
    for criterion in registration.campaign.criteria_set.criteria.all():
        row = scores.get(criterion.pk)
        if criterion.kind == CriterionKind.COMPUTED:
            continue  # the platform's figure, or "no data": nothing for the commune to score
        if row is None or row.score is None:
            problems.append(_("%(code)s: chưa tự chấm điểm.") % {"code": criterion.code})
        elif row.score > 0 and not row.has_evidence:
            problems.append(_("%(code)s: điểm tự chấm cần tài liệu kiểm chứng, đường dẫn hoặc giải trình.") % {"code": criterion.code})
    return problems


def submit_self_assessment(*, registration: Registration, by: User) -> Registration:
    """The commune chairman signs off and sends the file up (to the district, or the province where
    the campaign's chain has no district step)."""
    _require(perms.can_sign_off(by, registration))
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("campaign", "unit", "district").get(pk=registration.pk)
        )
        _refresh_computed(registration)
        problems = submission_problems(registration)
        if problems:
            raise ValidationError(problems)
        action = "submit_to_district" if registration.district_id else "submit_to_province"
        registration.check_move(action)
        result = evaluate(registration.campaign.criteria_set, {s.criterion_id: s.score for s in registration.self_scores.all()})
        registration.self_total = result.total
        registration.submitted_at = timezone.now()
        registration.signed_off_by = by
        registration.district_agreed_at = None
        _move(registration, action, by=by)
        target, roles = (
            (registration.district, {Role.DISTRICT_COMMITTEE})
            if registration.district_id
            else (registration.campaign.province, PROVINCE_ADMIN_ROLES)
        )
        notify_role_holders(
            unit=target,
            roles=roles,
            subject=_("Hồ sơ của %(unit)s chờ thẩm định") % {"unit": registration.unit},
            body=_("Tổng điểm tự chấm: %(total)s.") % {"total": result.total},
            dedupe=f"cert-submitted:{registration.pk}:{registration.submitted_at.isoformat()}",
            link=file_link(registration),
        )
    return registration
