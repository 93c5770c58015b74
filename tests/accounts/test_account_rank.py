"""The standing office administers officials' accounts, but never an account that stands above it:
it cannot lock the system administrator, reset its second factor, take or withdraw its role, nor
grant a role higher than its own; a superuser is managed only by a superuser."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Role, RoleAssignment
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _enrolled(user):  # type: ignore[no-untyped-def]
    TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    return user


def test_standing_office_cannot_lock_the_system_administrator(province_officer, system_admin):
    with pytest.raises(PermissionDenied):
        services.set_user_active(user=system_admin, by=province_officer, active=False)
    system_admin.refresh_from_db()
    assert system_admin.is_active
    assert not AuditEntry.objects.filter(model_label="accounts.User", object_pk=str(system_admin.pk), action="update").exists()


def test_standing_office_cannot_reset_the_system_administrators_second_factor(province_officer, system_admin):
    _enrolled(system_admin)
    with pytest.raises(PermissionDenied):
        services.reset_two_factor(user=system_admin, by=province_officer)
    assert TOTPDevice.objects.filter(user=system_admin, confirmed=True).count() == 1


def test_standing_office_cannot_grant_or_withdraw_a_role_above_its_own(province_officer, system_admin, make_user, bac_giang, doi_ngo):
    newcomer = make_user(Role.COMMUNE_OFFICER, doi_ngo)
    for target in (newcomer, province_officer):
        with pytest.raises(PermissionDenied):
            services.grant_role(user=target, unit=bac_giang, role=Role.SYSTEM_ADMIN, by=province_officer)
    with pytest.raises(PermissionDenied):
        services.grant_role(user=system_admin, unit=doi_ngo, role=Role.COMMUNE_OFFICER, by=province_officer)
    with pytest.raises(PermissionDenied):
        services.revoke_role(assignment=RoleAssignment.objects.get(user=system_admin), by=province_officer)
    assert not RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN).exclude(user=system_admin).exists()
    assert RoleAssignment.objects.filter(user=system_admin, role=Role.SYSTEM_ADMIN).exists()


def test_the_system_administrator_administers_the_standing_office(province_officer, system_admin, doi_ngo):
    _enrolled(province_officer)
    services.set_user_active(user=province_officer, by=system_admin, active=False, reason="Nghỉ hưu")
    province_officer.refresh_from_db()
    assert not province_officer.is_active
    assert services.reset_two_factor(user=province_officer, by=system_admin) == 1
    services.grant_role(user=province_officer, unit=doi_ngo, role=Role.COMMUNE_OFFICER, by=system_admin)


def test_standing_office_still_administers_officials_below_it(province_officer, commune_officer, province_leader):
    _enrolled(province_leader)
    services.set_user_active(user=commune_officer, by=province_officer, active=False)
    assert services.reset_two_factor(user=province_leader, by=province_officer) == 1


def test_a_superuser_is_managed_only_by_a_superuser(province_officer, system_admin, make_user, doi_ngo):
    superuser = make_user(Role.COMMUNE_OFFICER, doi_ngo, username="sieu")
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    for actor in (province_officer, system_admin):
        with pytest.raises(PermissionDenied):
            services.set_user_active(user=superuser, by=actor, active=False)
    system_admin.is_superuser = True
    system_admin.save(update_fields=["is_superuser"])
    services.set_user_active(user=superuser, by=system_admin, active=False)
    superuser.refresh_from_db()
    assert not superuser.is_active


def test_account_page_hides_and_refuses_actions_on_the_system_administrator(province_officer, system_admin, client_for):
    _enrolled(system_admin)
    client = client_for(province_officer)
    page = client.get(reverse("accounts:user", args=[system_admin.pk]))
    assert page.status_code == 200
    assert reverse("accounts:user_set_active", args=[system_admin.pk]) not in page.content.decode()
    lock = client.post(reverse("accounts:user_set_active", args=[system_admin.pk]), {"active": "0"})
    assert lock.status_code == 302
    assert any("không có quyền quản lý tài khoản này" in str(m) for m in get_messages(lock.wsgi_request))
    reset = client.post(reverse("accounts:user_reset_2fa", args=[system_admin.pk]))
    assert reset.status_code == 302
    grant = client.post(
        reverse("accounts:user", args=[system_admin.pk]),
        {"role": Role.PROVINCE_OFFICE, "unit": system_admin.role_assignments.get().unit_id},
    )
    assert grant.status_code == 200
    system_admin.refresh_from_db()
    assert system_admin.is_active and TOTPDevice.objects.filter(user=system_admin).exists()
    assert system_admin.role_assignments.count() == 1
