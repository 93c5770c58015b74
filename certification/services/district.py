"""The district's step: propose, return to the commune, decline, and forward its list to the province."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify_role_holders
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach
from certification import permissions as perms
from certification.models import COMMUNE_EDITABLE, DISTRICT_PENDING, Campaign, DistrictForward, FileState, Registration
from certification.services._shared import CREATE, _move, _reason, _require, file_link
from certification.services.checks import draw_sample
from core import audit
from core.links import absolute_url
from units.models import Unit


def district_propose(*, registration: Registration, by: User) -> Registration:
    """The district proposes recognition: needs the team's agreed score and a site visit."""
    _require(perms.can_run_district_step(by, registration))
    registration.refresh_from_db()
    problems = []
    if registration.district_agreed_at is None:
        problems.append(_("Tổ thẩm định chưa thống nhất điểm."))
    if not registration.site_visits.exists():
        problems.append(_("Chưa có biên bản kiểm tra thực tế."))
    registration.refresh_from_db()
    registration.check_move("district_propose")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        _move(registration, "district_propose", by=by)
        notify_role_holders(
            unit=registration.unit,
            roles={Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN},
            subject=_("Huyện đề nghị công nhận %(unit)s") % {"unit": registration.unit},
            body=_("Hồ sơ sẽ được gửi tỉnh khi huyện gửi danh sách."),
            dedupe=f"cert-proposed:{registration.pk}:{timezone.now().isoformat()}",
            link=file_link(registration),
        )
    return registration


def _return_to_commune(registration: Registration, action: str, *, reason: str, by: User) -> Registration:
    with transaction.atomic():
        _move(registration, action, by=by, reason=reason)
        notify_role_holders(
            unit=registration.unit,
            roles={Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN},
            subject=_("Hồ sơ chính quyền thân thiện được trả lại để bổ sung"),
            body=reason,
            dedupe=f"cert-return:{registration.pk}:{timezone.now().isoformat()}",
            link=file_link(registration),
        )
    return registration


def district_return(*, registration: Registration, reason: str, by: User) -> Registration:
    _require(perms.can_run_district_step(by, registration))
    return _return_to_commune(registration, "district_return", reason=_reason(reason), by=by)


def district_decline(*, registration: Registration, reason: str, by: User) -> Registration:
    _require(perms.can_run_district_step(by, registration))
    return _return_to_commune(registration, "district_decline", reason=_reason(reason), by=by)


def forward_district(*, campaign: Campaign, district: Unit, by: User) -> DistrictForward:
    """Send the district's proposals to the province — only once every file the district must
    decide (submitted or returned by the province) has been decided. The province's check sample
    is drawn among the files sent for the first time."""
    _require(can_reach(by, district, {Role.DISTRICT_COMMITTEE}))
    files = Registration.objects.filter(campaign=campaign, district=district)
    # Every commune that registered must have submitted and been appraised: the district's list
    # goes up once, complete. A commune still drafting holds the list back until the
    # self-assessment deadline; after it, its file no longer does (it missed the round).
    holding = [*DISTRICT_PENDING]
    if timezone.localdate() <= campaign.self_assessment_due:
        holding += [*COMMUNE_EDITABLE]
    waiting = list(files.filter(state__in=holding).select_related("unit"))
    if waiting:
        raise ValidationError(
            _("Còn %(n)s hồ sơ chưa nộp hoặc chưa thẩm định xong: %(units)s.")
            % {"n": len(waiting), "units": ", ".join(str(r.unit) for r in waiting[:10])}
        )
    proposed = list(files.filter(state=FileState.DISTRICT_PROPOSED).select_related("unit"))
    if not proposed:
        raise ValidationError(_("Không có hồ sơ đề nghị công nhận để gửi tỉnh."))
    with transaction.atomic():
        for registration in proposed:
            _move(registration, "forward", by=by)
        forward = DistrictForward.objects.create(campaign=campaign, district=district, forwarded_by=by, file_count=len(proposed))
        audit.record(actor=by, action=CREATE, instance=forward, unit_path=district.path)
        draw_sample(forward=forward, files=proposed, by=by)
        notify_role_holders(
            unit=campaign.province,
            roles=PROVINCE_ADMIN_ROLES,
            subject=_("%(district)s đề nghị công nhận %(n)s xã") % {"district": district, "n": len(proposed)},
            body=", ".join(str(r.unit) for r in proposed),
            dedupe=f"cert-forward:{forward.pk}",
            link=absolute_url("certification:campaign_detail", campaign.pk),
        )
    return forward
