from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = "Đơn vị hành chính và Ban Chỉ đạo"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from core import navigation

        navigation.register(_("Đơn vị"), "units:unit_list", order=100, group=None)
        navigation.register(_("Ban Chỉ đạo"), "units:committee_list", order=110, group=None)
