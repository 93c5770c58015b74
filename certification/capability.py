"""Friendly-government certification: campaigns, files, appraisal and recognition."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from certification import public_views, queries, views
from certification.permissions import can_manage_criteria
from core.capabilities import Api, Capability, Demo, Job, MetricItem, NavItem, SectionItem, Urls, register

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
                _("Tỷ lệ xã đang giữ công nhận chính quyền thân thiện"),
                queries.recognised_share,
                compute_each=queries.recognised_share_each,
            ),
        ),
    )
)
