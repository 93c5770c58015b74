"""Steering the programme (issue 15): the steering committees' directives and their tasks, the
owners' progress reports, reminders before due and escalation of overdue tasks."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Capability, Demo, Job, MetricItem, NavItem, Urls, register
from steering import work_queries

register(
    Capability(
        name="steering",
        urls=(Urls("steering.urls", "staff/chi-dao/"),),
        jobs=(
            Job("steering-remind-due-tasks", "steering.tasks.remind_due_tasks", crontab(hour=7, minute=0)),
            Job("steering-escalate-overdue-tasks", "steering.tasks.escalate_overdue_tasks", crontab(hour=7, minute=30)),
        ),
        demo=Demo(load="steering.demo.load", after=("units", "accounts")),
        navigation=(
            NavItem(_("Chỉ đạo, nhiệm vụ"), "steering:index", order=650, visible=has_staff_role),
            NavItem(_("Họp ban chỉ đạo"), "steering:meetings_index", order=651, visible=has_staff_role),
            NavItem(_("Tuyên truyền, tập huấn"), "steering:dissemination_index", order=652, visible=has_staff_role),
            NavItem(_("Kiểm tra, giám sát của BCĐ"), "steering:inspection_index", order=653, visible=has_staff_role),
        ),
        metrics=(
            MetricItem(
                "steering.meetings_regime_kept",
                _("Tỷ lệ kỳ họp ban chỉ đạo thực hiện đúng chế độ họp"),
                work_queries.meetings_regime_kept,
            ),
        ),
    )
)
