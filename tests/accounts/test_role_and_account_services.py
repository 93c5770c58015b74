"""Accounts and roles change only through audited services, within the actor's scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.models import Role, RoleAssignment, User
from core.models import AuditEntry


@pytest.mark.django_db
def test_province_officer_creates_an_official_with_a_role_and_the_trail_has_no_password(province_officer, doi_ngo):
    user = services.create_user(
        by=province_officer,
        unit=doi_ngo,
        role=Role.COMMUNE_OFFICER,
        username="can.bo.moi",
        password="Mat-khau-Manh-2024",
        data={"last_name": "Lê", "first_name": "An"},
    )
    assert RoleAssignment.objects.filter(user=user, unit=doi_ngo, role=Role.COMMUNE_OFFICER).exists()
    entry = AuditEntry.objects.get(model_label="accounts.User", object_pk=str(user.pk))
    assert entry.actor == province_officer
    assert entry.after["password"].startswith("•••") and "Mat-khau" not in str(entry.after)
    assert AuditEntry.objects.filter(model_label="accounts.RoleAssignment", action="create").exists()


@pytest.mark.django_db
def test_weak_password_and_duplicate_username_are_refused(province_officer, doi_ngo):
    with pytest.raises(ValidationError):
        services.create_user(by=province_officer, unit=doi_ngo, role=Role.COMMUNE_OFFICER, username="a.b", password="123", data={})
    services.create_user(
        by=province_officer, unit=doi_ngo, role=Role.COMMUNE_OFFICER, username="a.b", password="Mat-khau-Manh-2024", data={}
    )
    with pytest.raises(ValidationError) as exc:
        services.create_user(
            by=province_officer, unit=doi_ngo, role=Role.COMMUNE_OFFICER, username="A.B", password="Mat-khau-Manh-2024", data={}
        )
    assert "Tên đăng nhập đã có người dùng." in str(exc.value)
    assert User.objects.filter(username__iexact="a.b").count() == 1


@pytest.mark.django_db
def test_role_must_match_the_unit_level(province_officer, make_user, doi_ngo, luc_nam):
    user = make_user()
    with pytest.raises(ValidationError):
        services.grant_role(user=user, unit=doi_ngo, role=Role.DISTRICT_APPRAISER, by=province_officer)
    with pytest.raises(ValidationError):
        services.grant_role(user=user, unit=luc_nam, role=Role.COMMUNE_OFFICER, by=province_officer)
    assignment = services.grant_role(user=user, unit=luc_nam, role=Role.DISTRICT_APPRAISER, by=province_officer)
    assert services.grant_role(user=user, unit=luc_nam, role=Role.DISTRICT_APPRAISER, by=province_officer) == assignment


@pytest.mark.django_db
def test_district_and_commune_roles_cannot_grant_or_revoke(district_officer, commune_officer, make_user, doi_ngo):
    target = make_user()
    for actor in (district_officer, commune_officer):
        with pytest.raises(PermissionDenied):
            services.grant_role(user=target, unit=doi_ngo, role=Role.COMMUNE_OFFICER, by=actor)
    assignment = RoleAssignment.objects.get(user=commune_officer)
    with pytest.raises(PermissionDenied):
        services.revoke_role(assignment=assignment, by=district_officer)


@pytest.mark.django_db
def test_revoke_removes_access_and_is_audited(province_officer, commune_officer):
    assignment = RoleAssignment.objects.get(user=commune_officer)
    services.revoke_role(assignment=assignment, by=province_officer, reason="Chuyển công tác")
    assert not RoleAssignment.objects.filter(user=commune_officer).exists()
    entry = AuditEntry.objects.get(model_label="accounts.RoleAssignment", action="delete")
    assert entry.reason == "Chuyển công tác" and entry.before["role"] == Role.COMMUNE_OFFICER


@pytest.mark.django_db
def test_lock_account_and_reset_two_factor(province_officer, commune_officer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=commune_officer, name="phone", confirmed=True)
    services.set_user_active(user=commune_officer, by=province_officer, active=False, reason="Nghỉ hưu")
    commune_officer.refresh_from_db()
    assert not commune_officer.is_active
    assert services.reset_two_factor(user=commune_officer, by=province_officer) == 1
    assert not TOTPDevice.objects.filter(user=commune_officer).exists()
    with pytest.raises(ValidationError):
        services.set_user_active(user=province_officer, by=province_officer, active=False)


@pytest.mark.django_db
def test_calendar_day_validation_and_listeners(province_officer, commune_officer):
    import datetime as dt

    from core import calendar_hooks
    from core.models import CalendarDay

    seen = []

    def listener(*, changed_date, by, province=None):  # type: ignore[no-untyped-def]
        seen.append(changed_date)
        assert province is not None and province.kind == "province"  # the officer's own province

    calendar_hooks.on_calendar_change(listener)
    try:
        with pytest.raises(PermissionDenied):
            services.add_calendar_day(by=commune_officer, date=dt.date(2026, 3, 2), kind=CalendarDay.Kind.DAY_OFF, reason="x")
        with pytest.raises(ValidationError):
            services.add_calendar_day(by=province_officer, date=dt.date(2026, 3, 2), kind=CalendarDay.Kind.WORKING_DAY, reason="Làm bù")
        with pytest.raises(ValidationError):
            services.add_calendar_day(by=province_officer, date=dt.date(2026, 3, 2), kind=CalendarDay.Kind.DAY_OFF, reason=" ")
        day = services.add_calendar_day(
            by=province_officer, date=dt.date(2026, 3, 2), kind=CalendarDay.Kind.DAY_OFF, reason="QĐ 12/QĐ-UBND"
        )
        with pytest.raises(ValidationError):
            services.add_calendar_day(by=province_officer, date=dt.date(2026, 3, 2), kind=CalendarDay.Kind.DAY_OFF, reason="lặp")
        services.remove_calendar_day(by=province_officer, day=day)
    finally:
        calendar_hooks._LISTENERS.remove(listener)
    assert seen == [dt.date(2026, 3, 2), dt.date(2026, 3, 2)]
    assert AuditEntry.objects.filter(model_label="core.CalendarDay").count() == 2
