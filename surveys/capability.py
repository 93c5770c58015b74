"""Satisfaction surveys: questionnaires, campaigns, responses on paper, web and SMS, the index."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Api, Capability, Demo, Job, MetricItem, NavItem, SectionItem, Urls, register
from core.metrics import LATEST
from surveys import public_views, queries, views

register(
    Capability(
        name="surveys",
        urls=(
            Urls("surveys.urls", "staff/khao-sat/"),
            Urls("surveys.public_urls", "khao-sat/"),
        ),
        api=(Api("surveys.api.router", "/surveys/"),),
        jobs=(
            Job("surveys-close-ended-campaigns", "surveys.tasks.close_ended_campaigns", crontab(hour=0, minute=20)),
            Job("surveys-purge-submission-receipts", "surveys.tasks.purge_submission_receipts", crontab(hour=0, minute=25)),
        ),
        on_demand_tasks=("surveys.tasks.run_xlsform_import",),
        demo=Demo(load="surveys.demo.load", after=("units",)),
        navigation=(NavItem(_("Khảo sát hài lòng"), "surveys:campaign_list", order=400, visible=has_staff_role),),
        sections=(
            SectionItem("staff.home", "surveys/_staff_home.html", order=400, context=views.staff_home_section),
            SectionItem("portal.unit", "surveys/_portal_unit.html", order=450, context=public_views.portal_unit_section),
        ),
        metrics=(
            MetricItem(
                "surveys.satisfaction_index",
                _("Tỷ lệ hài lòng (khảo sát, có trọng số)"),
                queries.satisfaction_index,
                combine=LATEST,
                compute_many=queries.satisfaction_index_many,
            ),
            MetricItem(
                "surveys.chairman_index",
                _("Tỷ lệ hài lòng với chủ tịch UBND (phiếu PKS02)"),
                queries.chairman_index,
                combine=LATEST,
                compute_many=queries.chairman_index_many,
            ),
        ),
    )
)
