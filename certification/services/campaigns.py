"""Campaigns: one recognition round a year per province, pinned to a published criteria set."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach
from certification import conf
from certification.models import ApprovalChain, Campaign, CriteriaSet, DistrictTarget
from certification.services._shared import CREATE, _require, _too_long
from core import audit
from units.models import Unit
from units.structure import in_force_on, two_tier_from


def create_campaign(
    *,
    by: User,
    province: Unit,
    year: int,
    name: str,
    criteria_set: CriteriaSet,
    approval_chain: str,
    target_share: Decimal,
    registration_opens: dt.date,
    registration_closes: dt.date,
    self_assessment_due: dt.date,
    province_appraisal_due: dt.date,
    district_appraisal_due: dt.date | None = None,
    district_targets: dict[Unit, Decimal] | None = None,
) -> Campaign:
    """A yearly campaign pinned to a published set; the approval chain is chosen here, not in code."""
    _require(can_reach(by, province, PROVINCE_ADMIN_ROLES))
    errors: dict[str, str] = {}
    if not criteria_set.is_published:
        errors["criteria_set"] = _("Chỉ dùng được bộ tiêu chí đã ban hành.")
    elif criteria_set.province_id not in (None, province.pk):
        errors["criteria_set"] = _("Bộ tiêu chí này thuộc tỉnh khác.")
    if not (Decimal("0") <= target_share <= Decimal("1")):
        errors["target_share"] = _("Chỉ tiêu phải nằm trong 0..100%.")
    if registration_closes < registration_opens:
        errors["registration_closes"] = _("Hạn đăng ký phải sau ngày mở đăng ký.")
    errors.update(_too_long(Campaign, name=name))
    if approval_chain not in ApprovalChain.values:
        errors["approval_chain"] = _("Quy trình xét duyệt không hợp lệ.")
    if approval_chain == ApprovalChain.COMMUNE_DISTRICT_PROVINCE and district_appraisal_due is None:
        errors["district_appraisal_due"] = _("Quy trình có cấp huyện cần hạn thẩm định cấp huyện.")
    dates = [d for d in (registration_opens, registration_closes, self_assessment_due, district_appraisal_due, province_appraisal_due) if d]
    if approval_chain == ApprovalChain.COMMUNE_DISTRICT_PROVINCE and dates:
        merger = two_tier_from()
        if min(dates) >= merger:
            errors["approval_chain"] = _("Từ %(day)s không còn cấp huyện: đợt này chỉ dùng quy trình Xã → Tỉnh.") % {
                "day": merger.strftime("%d/%m/%Y")
            }
        elif max(dates) >= merger:
            errors["approval_chain"] = _(
                "Các mốc của đợt trải qua ngày %(day)s, khi cấp huyện chấm dứt hoạt động: một đợt có cấp huyện phải "
                "kết thúc trước ngày đó, nếu không hãy dùng quy trình Xã → Tỉnh và đặt mọi mốc từ ngày đó."
            ) % {"day": merger.strftime("%d/%m/%Y")}
    for day in (registration_opens, province_appraisal_due):
        if not in_force_on(province, day):
            errors["province"] = _("%(unit)s không có hiệu lực vào ngày %(day)s.") % {
                "unit": province.name,
                "day": day.strftime("%d/%m/%Y"),
            }
    if not conf.CAMPAIGN_FIRST_YEAR <= year <= conf.CAMPAIGN_LAST_YEAR:
        bounds = {"first": conf.CAMPAIGN_FIRST_YEAR, "last": conf.CAMPAIGN_LAST_YEAR}
        errors["year"] = _("Năm đánh giá phải từ %(first)s đến %(last)s.") % bounds
    elif Campaign.objects.filter(province=province, year=year).exists():
        errors["year"] = _("Năm %(year)s đã có đợt đánh giá.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            province=province,
            year=year,
            name=name,
            criteria_set=criteria_set,
            approval_chain=approval_chain,
            target_share=target_share,
            registration_opens=registration_opens,
            registration_closes=registration_closes,
            self_assessment_due=self_assessment_due,
            district_appraisal_due=district_appraisal_due,
            province_appraisal_due=province_appraisal_due,
        )
        for district, share in (district_targets or {}).items():
            DistrictTarget.objects.create(campaign=campaign, district=district, target_share=share)
        audit.record(actor=by, action=CREATE, instance=campaign, unit_path=province.path)
    return campaign
