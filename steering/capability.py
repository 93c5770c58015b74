"""Steering the programme (issue 15): the steering committees' directives and their tasks, the
owners' progress reports, reminders before due and escalation of overdue tasks; the members'
guidance of their localities (task 8); good practices and criticism (task 5); the committees'
meetings and their regime, dissemination and training, inspections; the leaders' overview and the
periodic report to the Steering Committee."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Capability, Demo, Job, MetricItem, NavItem, SectionItem, Urls, register
from core.metrics import COUNT
from steering import metrics, overview, overview_views, public_views, rating_permissions, work_queries

register(
    Capability(
        name="steering",
        urls=(
            Urls("steering.urls", "staff/chi-dao/"),
            Urls("steering.public_urls", "mo-hinh-hay/"),
        ),
        jobs=(
            Job("steering-remind-due-tasks", "steering.tasks.remind_due_tasks", crontab(hour=7, minute=0)),
            Job("steering-escalate-overdue-tasks", "steering.tasks.escalate_overdue_tasks", crontab(hour=7, minute=30)),
            # Before the leaders open the overview in the morning.
            Job("steering-refresh-overviews", "steering.tasks.refresh_overviews", crontab(hour=5, minute=0)),
        ),
        # after the capabilities whose figures the demo's chairman ratings read
        demo=Demo(
            load="steering.demo.load",
            after=("units", "accounts", "certification", "feedback", "surveys", "disclosure", "supervision"),
            finish="steering.demo.finish",
        ),
        navigation=(
            NavItem(_("Tổng quan chỉ đạo"), "steering:overview", order=640, visible=overview.can_open_overview),
            NavItem(_("Chỉ đạo, nhiệm vụ"), "steering:index", order=650, visible=has_staff_role),
            NavItem(_("Họp ban chỉ đạo"), "steering:meetings_index", order=651, visible=has_staff_role),
            NavItem(_("Tuyên truyền, tập huấn"), "steering:dissemination_index", order=652, visible=has_staff_role),
            NavItem(_("Kiểm tra, giám sát của BCĐ"), "steering:inspection_index", order=653, visible=has_staff_role),
            NavItem(_("Thành viên BCĐ, địa bàn"), "steering:members_index", order=655, visible=has_staff_role),
            NavItem(_("Mô hình hay, phê bình"), "steering:practices_index", order=657, visible=has_staff_role),
            NavItem(_("Xếp loại chủ tịch UBND"), "steering:rating_index", order=660, visible=rating_permissions.reads_ratings),
        ),
        sections=(
            # The leader's overview heads the staff home page (before the capabilities' own lines).
            SectionItem("staff.home", "steering/overview/_staff_home.html", order=100, context=overview_views.staff_home_section),
            SectionItem("portal.unit", "steering/public/_portal_unit.html", order=700, context=public_views.portal_unit_section),
        ),
        metrics=(
            MetricItem(
                "steering.tasks_overdue",
                _("Nhiệm vụ chỉ đạo quá hạn"),
                metrics.tasks_overdue,
                higher_is_better=False,
                combine=COUNT,
                compute_many=metrics.tasks_overdue_many,
            ),
            MetricItem(
                "steering.tasks_on_time_rate",
                _("Tỷ lệ nhiệm vụ chỉ đạo hoàn thành đúng hạn"),
                metrics.tasks_on_time_rate,
                compute_many=metrics.tasks_on_time_rate_many,
            ),
            MetricItem(
                "steering.meetings_regime_kept",
                _("Tỷ lệ kỳ họp ban chỉ đạo thực hiện đúng chế độ họp"),
                work_queries.meetings_regime_kept,
            ),
        ),
    )
)
