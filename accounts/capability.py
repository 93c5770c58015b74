"""Accounts, roles and the working calendar: sign-in and administration pages, the demo users."""

from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_manage_accounts, can_manage_calendar, can_view_audit
from core.capabilities import Capability, Demo, NavItem, Urls, register

ADMINISTRATION = _("Quản trị")

register(
    Capability(
        name="accounts",
        urls=(Urls("accounts.urls", ""),),
        demo=Demo(load="accounts.demo.load", after=("units",), finish="accounts.demo.finish"),
        navigation=(
            NavItem(_("Tổng quan"), "accounts:home", order=0, group=None),
            NavItem(_("Tài khoản"), "accounts:users", order=880, visible=can_manage_accounts, group=ADMINISTRATION),
            NavItem(_("Lịch làm việc"), "accounts:calendar", order=890, visible=can_manage_calendar, group=ADMINISTRATION),
            NavItem(_("Nhật ký thay đổi"), "accounts:audit", order=900, visible=can_view_audit, group=ADMINISTRATION),
        ),
    )
)
