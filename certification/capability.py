"""Friendly-government certification: campaigns, files, appraisal and recognition."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from certification import metrics, public_views, views
from certification.permissions import can_manage_criteria
from core.capabilities import Api, Capability, Demo, Job, MetricItem, NavItem, SectionItem, Urls, register
from core.metrics import COUNT, LATEST

MENU = _("Chính quyền thân thiện")

register(
    Capability(
        name="certification",
        urls=(
            Urls("certification.urls", "staff/chung-nhan/"),
            Urls("certification.public_urls", "chinh-quyen-than-thien/"),
        ),
        api=(Api("certification.api.router", "/certification/"),),
        jobs=(
            Job("certification-deadline-reminders", "certification.send_deadline_reminders", crontab(hour=7, minute=0)),
            Job("certification-refresh-citizen-figures", "certification.refresh_citizen_figures", crontab(hour=2, minute=30)),
        ),
        demo=Demo(load="certification.demo.load", after=("accounts",)),
        navigation=(
            NavItem(_("Các đợt đánh giá, công nhận"), "certification:campaign_list", order=200, visible=has_staff_role, group=MENU),
            NavItem(_("Bộ tiêu chí"), "certification:criteria_list", order=210, visible=can_manage_criteria, group=MENU),
            # The same people: the province's administrators edit the texts of its decisions.
            NavItem(_("Mẫu văn bản công nhận"), "certification:document_templates", order=220, visible=can_manage_criteria, group=MENU),
        ),
        sections=(
            SectionItem("portal.home", "certification/_portal_home.html", order=200, context=public_views.portal_home_section),
            SectionItem("portal.unit", "certification/_portal_unit.html", order=200, context=public_views.portal_unit_section),
            SectionItem("staff.home", "certification/_staff_home.html", order=200, context=views.staff_home_section),
        ),
        metrics=(
            MetricItem(
                "certification.recognised_share",
                _("Tỷ lệ xã đạt chuẩn chính quyền thân thiện"),
                metrics.recognised_share,
                compute_many=metrics.recognised_share_many,
            ),
            MetricItem(
                "certification.target_share",
                _("Chỉ tiêu tỷ lệ xã đạt chuẩn"),
                metrics.target_share,
                combine=LATEST,
                compute_many=metrics.target_share_many,
            ),
            MetricItem(
                "certification.waiting_on_commune",
                _("Hồ sơ đang chờ xã"),
                metrics.waiting_on_commune,
                higher_is_better=False,
                combine=COUNT,
                compute_many=metrics.waiting_on_commune_many,
            ),
            MetricItem(
                "certification.waiting_on_district",
                _("Hồ sơ đang chờ huyện"),
                metrics.waiting_on_district,
                higher_is_better=False,
                combine=COUNT,
                compute_many=metrics.waiting_on_district_many,
            ),
            MetricItem(
                "certification.waiting_on_province",
                _("Hồ sơ đang chờ tỉnh"),
                metrics.waiting_on_province,
                higher_is_better=False,
                combine=COUNT,
                compute_many=metrics.waiting_on_province_many,
            ),
            MetricItem(
                "certification.lax_appraisal_flags",
                _("Cảnh báo thẩm định dễ dãi"),
                metrics.lax_appraisal_flags,
                higher_is_better=False,
                combine=COUNT,
                compute_many=metrics.lax_appraisal_flags_many,
            ),
        ),
    )
)
