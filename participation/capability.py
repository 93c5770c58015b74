"""Discuss and decide (Law 10/2022 arts. 15–22): household registers, community matters, the
online household vote the province must provide (Decree 59/2023 art. 5.6)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Api, Capability, Demo, Job, NavItem, SectionItem, Urls, register
from participation import public_views

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
        navigation=(NavItem(_("Bàn và quyết định"), "participation:index", order=600, visible=has_staff_role),),
        sections=(SectionItem("portal.unit", "participation/_portal_unit.html", order=350, context=public_views.portal_unit_section),),
    )
)
