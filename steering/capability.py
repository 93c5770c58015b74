"""Steering the programme (issue 15): the steering committees' directives and their tasks, the
owners' progress reports, reminders before due and escalation of overdue tasks."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Capability, Demo, Job, MetricItem, NavItem, Urls, register
from steering import metrics, rating_permissions

register(
    Capability(
        name="steering",
        urls=(Urls("steering.urls", "staff/chi-dao/"),),
        jobs=(
            Job("steering-remind-due-tasks", "steering.tasks.remind_due_tasks", crontab(hour=7, minute=0)),
            Job("steering-escalate-overdue-tasks", "steering.tasks.escalate_overdue_tasks", crontab(hour=7, minute=30)),
        ),
        # after the capabilities whose figures the demo's chairman ratings read
        demo=Demo(
            load="steering.demo.load",
            after=("units", "accounts", "certification", "feedback", "surveys", "disclosure", "supervision"),
        ),
        navigation=(
            NavItem(_("Chỉ đạo, nhiệm vụ"), "steering:index", order=650, visible=has_staff_role),
            NavItem(_("Xếp loại chủ tịch UBND"), "steering:rating_index", order=660, visible=rating_permissions.reads_ratings),
        ),
        metrics=(
            MetricItem(
                "steering.tasks_on_time_rate",
                _("Tỷ lệ nhiệm vụ chỉ đạo hoàn thành đúng hạn"),
                metrics.tasks_on_time_rate,
                compute_many=metrics.tasks_on_time_rate_many,
            ),
        ),
    )
)
