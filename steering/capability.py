"""Steering the programme (issue 15): the steering committees' directives and their tasks, the
owners' progress reports, reminders before due and escalation of overdue tasks."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Capability, Demo, Job, NavItem, Urls, register

register(
    Capability(
        name="steering",
        urls=(Urls("steering.urls", "staff/chi-dao/"),),
        jobs=(
            Job("steering-remind-due-tasks", "steering.tasks.remind_due_tasks", crontab(hour=7, minute=0)),
            Job("steering-escalate-overdue-tasks", "steering.tasks.escalate_overdue_tasks", crontab(hour=7, minute=30)),
        ),
        demo=Demo(load="steering.demo.load", after=("units", "accounts")),
        navigation=(NavItem(_("Chỉ đạo, nhiệm vụ"), "steering:index", order=650, visible=has_staff_role),),
    )
)
