from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from accounts.permissions import can_manage_accounts, can_manage_calendar, can_view_audit
        from core import navigation

        admin = _("Quản trị")
        navigation.register(_("Tổng quan"), "accounts:home", order=0, group=None)
        navigation.register(_("Tài khoản"), "accounts:users", order=880, visible=can_manage_accounts, group=admin)
        navigation.register(_("Lịch làm việc"), "accounts:calendar", order=890, visible=can_manage_calendar, group=admin)
        navigation.register(_("Nhật ký thay đổi"), "accounts:audit", order=900, visible=can_view_audit, group=admin)
