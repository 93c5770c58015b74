from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from accounts.permissions import has_staff_role
        from core import calendar_hooks, metrics, navigation, sections
        from feedback import metrics as feedback_metrics
        from feedback import public_views, services, views
        from feedback.permissions import can_manage_rules

        navigation.register(_("Phản ánh"), "feedback:case_list", order=300, visible=has_staff_role)
        navigation.register(_("Thống kê phản ánh"), "feedback:dashboard", order=310, visible=has_staff_role)
        navigation.register(_("Quầy một cửa"), "feedback:counter_list", order=320, visible=has_staff_role)
        navigation.register(_("Quy tắc phản ánh"), "feedback:rules", order=330, visible=can_manage_rules)
        sections.register("portal.unit", "feedback/_portal_unit.html", order=300, context=public_views.portal_unit_section)
        sections.register("portal.home", "feedback/_portal_home.html", order=300, context=public_views.portal_home_section)
        sections.register("staff.home", "feedback/_staff_home.html", order=300, context=views.staff_home_section)
        calendar_hooks.on_calendar_change(services.on_calendar_change)
        metrics.register("feedback.on_time_rate", _("Tỷ lệ phản ánh được trả lời đúng hạn"), feedback_metrics.on_time_rate)
        metrics.register("feedback.counter_satisfaction", _("Tỷ lệ hài lòng tại bộ phận một cửa"), feedback_metrics.counter_satisfaction)
        metrics.register(
            "feedback.harassment_reports",
            _("Số phản ánh gây phiền hà, sách nhiễu"),
            feedback_metrics.harassment_reports,
            higher_is_better=False,
        )
