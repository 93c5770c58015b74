"""Reminders before each campaign deadline and overdue notices (a daily job)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.notifications import notify_role_holders
from accounts.permissions import PROVINCE_ADMIN_ROLES
from certification import conf
from certification.models import Campaign, FileState, Registration
from certification.services._shared import file_link


def send_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Remind whoever must act before each deadline, `conf.REMINDER_DAYS_BEFORE` days ahead and on
    the day; once a step is overdue, list the late files to the level above daily. Deduplicated per
    file, step and day, so a re-run sends nothing twice. Returns the number of files concerned."""
    today = today or timezone.localdate()
    count = 0
    for campaign in Campaign.objects.filter(province_appraisal_due__gte=today - dt.timedelta(days=60)).select_related("province"):
        steps = [
            ((FileState.REGISTERED, FileState.RETURNED_TO_COMMUNE), campaign.self_assessment_due, "commune", "tự đánh giá"),
            (
                (FileState.SUBMITTED, FileState.RETURNED_TO_DISTRICT, FileState.DISTRICT_PROPOSED),
                campaign.district_appraisal_due,
                "district",
                "thẩm định cấp huyện",
            ),
            ((FileState.AT_PROVINCE,), campaign.province_appraisal_due, "province", "thẩm định cấp tỉnh"),
        ]
        with transaction.atomic():
            for states, due, who, label in steps:
                if due is None:
                    continue
                days_left = (due - today).days
                if days_left not in (*conf.REMINDER_DAYS_BEFORE, 0) and days_left >= 0:
                    continue
                for reg in Registration.objects.filter(campaign=campaign, state__in=states).select_related("unit", "district"):
                    count += 1
                    if days_left >= 0:
                        subject = f"Nhắc hạn {label} ({due:%d/%m/%Y}): {reg.unit}"
                    else:
                        subject = f"Quá hạn {label} {-days_left} ngày: {reg.unit}"
                    target, roles = {
                        "commune": (reg.unit, {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}),
                        "district": (reg.district, {Role.DISTRICT_COMMITTEE}),
                        "province": (campaign.province, PROVINCE_ADMIN_ROLES),
                    }[who]
                    notify_role_holders(
                        unit=target,
                        roles=roles,
                        subject=subject,
                        body=subject,
                        dedupe=f"cert-remind:{reg.pk}:{who}:{today.isoformat()}",
                        link=file_link(reg),
                    )
                    if days_left < 0 and who != "province":
                        # overdue: the level above hears about it too
                        above = (
                            (reg.district, {Role.DISTRICT_COMMITTEE})
                            if who == "commune" and reg.district
                            else (campaign.province, PROVINCE_ADMIN_ROLES)
                        )
                        notify_role_holders(
                            unit=above[0],
                            roles=above[1],
                            subject=subject,
                            body=subject,
                            dedupe=f"cert-overdue:{reg.pk}:{who}:{today.isoformat()}",
                            link=file_link(reg),
                        )
    return count
