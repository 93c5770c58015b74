"""Citizens' feedback: reports and their handling, the one-stop counters, Open311, reminders."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Api, Capability, Demo, GaugeItem, Generator, Job, MetricItem, NavItem, SectionItem, Urls, register
from core.metrics import COUNT
from feedback import metrics, public_views, services, views
from feedback.permissions import can_manage_rules

register(
    Capability(
        name="feedback",
        urls=(
            Urls("feedback.urls", "staff/phan-anh/"),
            Urls("feedback.public_urls", "phan-anh/"),
        ),
        api=(Api("feedback.api.router", "/feedback/"),),
        jobs=(
            Job("feedback-escalate-overdue", "feedback.tasks.escalate_overdue_cases", crontab(hour=6, minute=0)),
            Job("feedback-remind-due", "feedback.tasks.remind_due_cases", crontab(hour=7, minute=0)),
            # Catch-up for the dashboards' summary tables (each case write also queues a refresh).
            Job("feedback-refresh-tallies", "feedback.tasks.refresh_tallies", crontab(minute="*/10")),
        ),
        demo=Demo(load="feedback.demo.load", after=("units",)),
        generator=Generator(run="feedback.generate.run", after=("units",)),
        navigation=(
            NavItem(_("Phản ánh"), "feedback:case_list", order=300, visible=has_staff_role),
            NavItem(_("Thống kê phản ánh"), "feedback:dashboard", order=310, visible=has_staff_role),
            NavItem(_("Quầy một cửa"), "feedback:counter_list", order=320, visible=has_staff_role),
            NavItem(_("Quy tắc phản ánh"), "feedback:rules", order=330, visible=can_manage_rules),
        ),
        sections=(
            SectionItem("portal.unit", "feedback/_portal_unit.html", order=300, context=public_views.portal_unit_section),
            SectionItem("portal.home", "feedback/_portal_home.html", order=300, context=public_views.portal_home_section),
            SectionItem("staff.home", "feedback/_staff_home.html", order=300, context=views.staff_home_section),
        ),
        metrics=(
            MetricItem(
                "feedback.on_time_rate",
                _("Tỷ lệ phản ánh được trả lời đúng hạn"),
                metrics.on_time_rate,
                compute_many=metrics.on_time_rate_many,
            ),
            MetricItem("feedback.counter_satisfaction", _("Tỷ lệ hài lòng tại bộ phận một cửa"), metrics.counter_satisfaction),
            MetricItem(
                "feedback.harassment_reports",
                _("Số phản ánh gây phiền hà, sách nhiễu"),
                metrics.harassment_reports,
                higher_is_better=False,
                combine=COUNT,
            ),
            MetricItem(
                "feedback.harassment_substantiated",
                _("Phản ánh gây phiền hà, sách nhiễu đã kết luận có cơ sở"),
                metrics.harassment_substantiated,
                higher_is_better=False,
                combine=COUNT,
                compute_many=metrics.harassment_substantiated_many,
            ),
            MetricItem(
                "feedback.harassment_open",
                _("Phản ánh gây phiền hà, sách nhiễu chưa giải quyết xong"),
                metrics.harassment_open,
                higher_is_better=False,
                combine=COUNT,
                compute_many=metrics.harassment_open_many,
            ),
            MetricItem(
                "feedback.overdue_open",
                _("Phản ánh quá hạn trả lời"),
                metrics.overdue_open,
                higher_is_better=False,
                combine=COUNT,
                compute_many=metrics.overdue_open_many,
            ),
        ),
        gauges=(
            GaugeItem("feedback_overdue_cases", "Open feedback reports past their due date.", metrics.overdue_case_count),
            GaugeItem(
                "feedback_forwarding_overdue_cases",
                "Feedback reports outside the unit's competence not forwarded in time.",
                metrics.forwarding_overdue_count,
            ),
        ),
        calendar_listeners=(services.on_calendar_change,),
    )
)
