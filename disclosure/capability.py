"""Public disclosure (công khai): obligations, the commune's register with proof of posting and a
hash chain, the figures, and the disclosed documents on the commune's public page."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from accounts.permissions import has_staff_role
from core.capabilities import Api, Capability, Demo, Job, MetricItem, NavItem, SectionItem, Urls, register
from core.metrics import COUNT
from disclosure import public_views, queries, services

register(
    Capability(
        name="disclosure",
        urls=(
            Urls("disclosure.urls", "staff/cong-khai/"),
            Urls("disclosure.public_urls", "cong-khai/"),
        ),
        api=(Api("disclosure.api.router", "/disclosure/"),),
        jobs=(Job("disclosure-reminders", "disclosure.tasks.send_reminders", crontab(hour=6, minute=30)),),
        demo=Demo(load="disclosure.demo.load", after=("accounts",)),
        navigation=(NavItem(_("Công khai"), "disclosure:register", order=450, visible=has_staff_role),),
        disclosure_receivers=(services.receive_public_record,),
        sections=(SectionItem("portal.unit", "disclosure/_portal_unit.html", order=100, context=public_views.portal_unit_section),),
        metrics=(
            MetricItem(
                "disclosure.on_time_rate", _("Tỷ lệ công khai đúng hạn"), queries.on_time_rate, compute_many=queries.on_time_rate_many
            ),
            MetricItem(
                "disclosure.proven_rate",
                _("Tỷ lệ công khai có bằng chứng niêm yết"),
                queries.proven_rate,
                compute_many=queries.proven_rate_many,
            ),
            MetricItem(
                "disclosure.short_postings", _("Số điểm niêm yết chưa đủ thời gian"), queries.short_posting_count, higher_is_better=False
            ),
            MetricItem(
                "disclosure.overdue",
                _("Số nội dung quá hạn chưa công khai"),
                queries.overdue_count,
                higher_is_better=False,
                combine=COUNT,
                compute_many=queries.overdue_count_many,
            ),
            MetricItem(
                "disclosure.missing_categories",
                _("Số nhóm nội dung chưa công khai trong năm"),
                queries.missing_category_count,
                higher_is_better=False,
            ),
        ),
    )
)
