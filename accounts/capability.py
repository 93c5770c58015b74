"""Accounts, roles and the working calendar: sign-in and administration pages, the demo users."""

from django.utils.translation import gettext_lazy as _

from accounts import scope
from accounts.api_auth import STAFF_AUTH
from accounts.permissions import administers_unit, can_manage_accounts, can_manage_calendar, can_view_audit, staff_view
from core import staff_access
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

# The apps below accounts (units' staff pages, API and committee services) use these through core.
staff_access.provide(
    staff_access.StaffAccess(
        staff_view=staff_view,
        staff_auth=STAFF_AUTH,
        role_roots=scope.role_roots,
        scope_queryset=scope.scope_queryset,
        get_scoped_or_404=scope.get_scoped_or_404,
        can_reach=scope.can_reach,
        administers_unit=administers_unit,
    )
)
