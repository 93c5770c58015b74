"""The province's step and the decision: send back, recognise, refuse, reopen and revoke."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify_role_holders
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach
from certification import permissions as perms
from certification.models import DECIDED, Level, Recognition, Registration
from certification.scoring import Result, evaluate, open_harassment, substantiated_harassment
from certification.services._shared import CREATE, DELETE, UPDATE, _move, _reason, _require, _too_long, file_link
from certification.services.appraisal import _level_scores
from certification.services.checks import decision_block
from certification.services.district import _return_to_commune
from core import audit
from core.audit import snapshot
from units.structure import require_in_force


def province_send_back(*, registration: Registration, reason: str, by: User) -> Registration:
    """The province returns the file to the district (or to the commune where there is none)."""
    _require(perms.can_run_province_step(by, registration))
    reason = _reason(reason)
    if registration.district_id:
        with transaction.atomic():
            _move(registration, "province_return_district", by=by, reason=reason)
            notify_role_holders(
                unit=registration.district,
                roles={Role.DISTRICT_COMMITTEE},
                subject=_("Tỉnh trả lại hồ sơ của %(unit)s") % {"unit": registration.unit},
                body=reason,
                dedupe=f"cert-back:{registration.pk}:{timezone.now().isoformat()}",
                link=file_link(registration),
            )
        return registration
    return _return_to_commune(registration, "province_return_commune", reason=reason, by=by)


def final_scores(registration: Registration) -> dict[int, Decimal | None]:
    """The province's score where it re-scored, else the district's; every criterion must have one."""
    scores: dict[int, Decimal | None] = dict(_level_scores(registration, Level.DISTRICT))
    scores.update(_level_scores(registration, Level.PROVINCE))
    return scores


def decision_preview(registration: Registration) -> tuple[Result, list[str]]:
    scores = final_scores(registration)
    missing = [c.code for c in registration.campaign.criteria_set.criteria.all() if c.pk not in scores]
    return evaluate(registration.campaign.criteria_set, scores), missing


def recognise(
    *,
    registration: Registration,
    decision_number: str,
    decision_date: dt.date,
    signer: str,
    valid_until: dt.date,
    by: User,
    override_reason: str = "",
) -> Recognition:
    """Recognise with the star level the set's bands give; refused when the pass rule fails, when
    the commune is not in force on the decision's date (its successor is named), and while the
    citizens' register holds an open harassment report against the commune, unless the decider
    records a reasoned override (kept on the recognition with who recorded it)."""
    _require(perms.can_run_province_step(by, registration))
    registration.refresh_from_db()
    registration.check_move("recognise")
    require_in_force(registration.unit, decision_date)
    result, missing = decision_preview(registration)
    errors = decision_block(registration)
    override_reason = (override_reason or "").strip()
    open_cases = open_harassment(unit=registration.unit, campaign=registration.campaign)
    if open_cases and not override_reason:
        errors.append(
            _(
                "Có %(n)s phản ánh gây phiền hà, sách nhiễu đối với đơn vị chưa giải quyết xong: chưa công nhận được "
                "ở tiêu chí điểm liệt. Muốn vẫn công nhận, ghi rõ lý do."
            )
            % {"n": open_cases}
        )
    substantiated = substantiated_harassment(unit=registration.unit, campaign=registration.campaign)
    if substantiated and not override_reason:
        errors.append(
            _(
                "Có %(n)s phản ánh gây phiền hà, sách nhiễu đối với đơn vị đã được kết luận có cơ sở trong kỳ: chưa công nhận được "
                "ở tiêu chí điểm liệt. Muốn vẫn công nhận, ghi rõ lý do."
            )
            % {"n": substantiated}
        )
    overridden = bool(open_cases or substantiated)
    if missing:
        errors.append(_("Chưa có điểm thẩm định cho: %(codes)s.") % {"codes": ", ".join(missing)})
    elif not result.passed:
        if result.failed_mandatory:
            errors.append(_("Không đạt điểm liệt ở: %(codes)s.") % {"codes": ", ".join(result.failed_mandatory)})
        if result.total < registration.campaign.criteria_set.pass_mark:
            errors.append(
                _("Tổng điểm %(total)s thấp hơn điểm đạt chuẩn %(mark)s.")
                % {"total": result.total, "mark": registration.campaign.criteria_set.pass_mark}
            )
    if not decision_number.strip() or not signer.strip():
        errors.append(_("Cần số quyết định và người ký."))
    errors.extend(_too_long(Recognition, decision_number=decision_number.strip(), signer=signer.strip()).values())
    if valid_until < decision_date:
        errors.append(_("Ngày hết hiệu lực phải sau ngày quyết định."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        registration.province_total = result.total
        _move(registration, "recognise", by=by)
        recognition = Recognition.objects.create(
            registration=registration,
            stars=result.stars,
            total=result.total,
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            signer=signer.strip(),
            valid_until=valid_until,
            override_reason=override_reason if overridden else "",
            override_by=by if overridden else None,
        )
        audit.record(
            actor=by, action=CREATE, instance=recognition, unit_path=registration.unit.path, reason=override_reason if overridden else ""
        )
        _notify_decision(
            registration, _("%(unit)s được công nhận đạt chuẩn %(stars)s sao") % {"unit": registration.unit, "stars": result.stars}
        )
    return recognition


def _notify_decision(registration: Registration, subject: str) -> None:
    body = _("Xem hồ sơ trên hệ thống.")
    dedupe = f"cert-decision:{registration.pk}:{timezone.now().isoformat()}"
    link = file_link(registration)
    notify_role_holders(
        unit=registration.unit, roles={Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}, subject=subject, body=body, dedupe=dedupe, link=link
    )
    notify_role_holders(unit=registration.district, roles={Role.DISTRICT_COMMITTEE}, subject=subject, body=body, dedupe=dedupe, link=link)


def refuse(*, registration: Registration, reason: str, by: User) -> Registration:
    _require(perms.can_run_province_step(by, registration))
    reason = _reason(reason)
    registration.refresh_from_db()
    registration.check_move("refuse")
    if blocked := decision_block(registration):
        raise ValidationError(blocked)
    result, _missing = decision_preview(registration)
    with transaction.atomic():
        registration.province_total = result.total
        registration.refusal_reason = reason
        _move(registration, "refuse", by=by, reason=reason)
        _notify_decision(registration, _("%(unit)s không được công nhận") % {"unit": registration.unit})
    return registration


def reopen(*, registration: Registration, reason: str, by: User) -> Registration:
    """Unlock a decided file for a new decision: an explicit, audited act of the standing office."""
    _require(can_reach(by, registration.campaign.province, PROVINCE_ADMIN_ROLES))
    reason = _reason(reason)
    with transaction.atomic():
        recognition = Recognition.objects.filter(registration=registration).first()
        _move(registration, "reopen", by=by, reason=reason)
        if recognition is not None:
            audit.record(
                actor=by, action=DELETE, instance=recognition, before=snapshot(recognition), unit_path=registration.unit.path, reason=reason
            )
            recognition.delete()
    return registration


def revoke(*, registration: Registration, reason: str, by: User) -> Recognition:
    """Withdraw a recognition (e.g. a substantiated harassment case); the decision stays on record."""
    _require(can_reach(by, registration.campaign.province, perms.PROVINCE_DECIDERS))
    reason = _reason(reason)
    with transaction.atomic():
        # The move is checked first: a file never recognised has no recognition to withdraw, and
        # gets the same clear refusal as any other move its state does not allow.
        _move(registration, "revoke", by=by, reason=reason)
        recognition = Recognition.objects.select_for_update().get(registration=registration)
        before = snapshot(recognition)
        recognition.revoked_at = timezone.now()
        recognition.revoked_reason = reason
        recognition.save()
        audit.record(actor=by, action=UPDATE, instance=recognition, before=before, unit_path=registration.unit.path, reason=reason)
        _notify_decision(registration, _("Thu hồi công nhận chính quyền thân thiện của %(unit)s") % {"unit": registration.unit})
    return recognition


def is_decided(registration: Registration) -> bool:
    return registration.state in DECIDED
