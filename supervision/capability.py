"""Inspect and supervise: People's Inspection Boards, Community Investment Supervision Boards, their
recommendations to the commune with the answer clock."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Api, Capability, Demo, Job, MetricItem, NavItem, Urls, register
from core.metrics import COUNT
from supervision import metrics

register(
    Capability(
        name="supervision",
        urls=(Urls("supervision.urls", "staff/giam-sat/"),),
        api=(Api("supervision.api.router", "/supervision/"),),
        jobs=(
            Job("supervision-remind-recommendations", "supervision.tasks.remind_recommendations", crontab(hour=7, minute=10)),
            Job("supervision-remind-reports", "supervision.tasks.remind_reports", crontab(hour=7, minute=20)),
        ),
        demo=Demo(load="supervision.demo.load", after=("accounts",)),
        navigation=(NavItem(_("Giám sát"), "supervision:board_list", order=450, visible=has_staff_role),),
        metrics=(
            MetricItem("supervision.recommendations_sent", _("Kiến nghị của Ban TTND, Ban GSĐTCĐ"), metrics.recommendations_sent),
            MetricItem(
                "supervision.recommendations_answered_on_time",
                _("Tỷ lệ kiến nghị được trả lời đúng hạn"),
                metrics.recommendations_answered_on_time,
            ),
            MetricItem(
                "supervision.reports_overdue",
                _("Số báo cáo định kỳ quá hạn chưa gửi"),
                metrics.reports_overdue,
                higher_is_better=False,
                combine=COUNT,
                compute_many=metrics.reports_overdue_many,
            ),
            MetricItem(
                "supervision.report_completeness",
                _("Tỷ lệ đơn vị đã gửi báo cáo định kỳ"),
                metrics.report_completeness,
                compute_many=metrics.report_completeness_many,
            ),
            MetricItem(
                "supervision.reports_on_time_rate",
                _("Tỷ lệ báo cáo định kỳ gửi đúng hạn"),
                metrics.reports_on_time_rate,
                compute_many=metrics.reports_on_time_rate_many,
            ),
        ),
    )
)
