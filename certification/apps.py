from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Chính quyền thân thiện – đánh giá, công nhận"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from accounts.permissions import has_staff_role
        from certification import public_views, views
        from certification.permissions import can_manage_criteria
        from core import navigation, sections

        menu = _("Chính quyền thân thiện")
        navigation.register(_("Các đợt đánh giá, công nhận"), "certification:campaign_list", order=200, visible=has_staff_role, group=menu)
        navigation.register(_("Bộ tiêu chí"), "certification:criteria_list", order=210, visible=can_manage_criteria, group=menu)
        sections.register("portal.home", "certification/_portal_home.html", order=200, context=public_views.portal_home_section)
        sections.register("portal.unit", "certification/_portal_unit.html", order=200, context=public_views.portal_unit_section)
        sections.register("staff.home", "certification/_staff_home.html", order=200, context=views.staff_home_section)
