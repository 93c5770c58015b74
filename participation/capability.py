"""Discuss and decide (Law 10/2022 arts. 15–22): household registers, community matters, the
online household vote the province must provide (Decree 59/2023 art. 5.6)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Api, Capability, Demo, Job, MetricItem, NavItem, SectionItem, Urls, register
from participation import metrics, public_views

register(
    Capability(
        name="participation",
        urls=(
            Urls("participation.urls", "staff/ban-va-quyet-dinh/"),
            Urls("participation.public_urls", "bieu-quyet/"),
        ),
        api=(Api("participation.api.router", "/participation/"),),
        jobs=(Job("participation-close-votes", "participation.tasks.close_ended_votes", crontab(minute="*/15")),),
        demo=Demo(load="participation.demo.load", after=("units", "accounts")),
        navigation=(
            NavItem(_("Bàn và quyết định"), "participation:index", order=600, visible=has_staff_role),
            NavItem(_("Lấy ý kiến nhân dân"), "participation:consultations", order=610, visible=has_staff_role),
        ),
        sections=(SectionItem("portal.unit", "participation/_portal_unit.html", order=350, context=public_views.portal_unit_section),),
        metrics=(
            MetricItem("participation.consultations_held", _("Số cuộc lấy ý kiến nhân dân về dự thảo"), metrics.consultations_held),
            MetricItem("participation.opinions_received", _("Số ý kiến nhân dân nhận được về dự thảo"), metrics.opinions_received),
            MetricItem(
                "participation.opinions_answered_share",
                _("Tỷ lệ ý kiến được tổng hợp, tiếp thu, giải trình"),
                metrics.opinions_answered_share,
            ),
        ),
    )
)
