from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Khảo sát sự hài lòng"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from accounts.permissions import has_staff_role
        from core import metrics, navigation, sections
        from surveys import queries, views

        navigation.register(_("Khảo sát hài lòng"), "surveys:campaign_list", order=400, visible=has_staff_role)
        sections.register("staff.home", "surveys/_staff_home.html", order=400, context=views.staff_home_section)
        metrics.register("surveys.satisfaction_index", _("Tỷ lệ hài lòng (khảo sát, có trọng số)"), queries.satisfaction_index)
