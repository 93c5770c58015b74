"""The first second factor needs more than the password: an administrator's one-time, expiring
enrolment link (issued when the account is created, when its second factor is reset, or by an
operator's command). Without it, a password-only login is told to ask the administrator; the pages
showing the authenticator's secret or a new link are never cached."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EnrolmentLink, Role
from accounts.services import issue_enrolment_link
from core.models import AuditEntry, OutboxMessage
from tests.accounts.test_two_factor_login import code_for, login
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def _enrol(client: Client, user) -> object:  # type: ignore[no-untyped-def]
    login(client, user)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})


def test_password_alone_cannot_enrol_a_second_factor(commune_officer):
    client = Client()
    response = login(client, commune_officer)
    assert response["Location"] == reverse("accounts:otp_setup")
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 403
    assert "đề nghị quản trị viên" in page.content.decode()
    assert "data:image/svg+xml" not in page.content.decode()
    assert client.post(reverse("accounts:otp_setup"), {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=commune_officer).exists()
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:otp")


def test_link_enrols_once_and_is_spent(commune_officer, province_officer):
    raw = issue_enrolment_link(user=commune_officer, by=province_officer)
    client = Client()
    client.get(reverse("accounts:enrol", args=[raw]))
    page = (login(client, commune_officer), client.get(reverse("accounts:otp_setup")))[1]
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=commune_officer, confirmed=False)
    ok = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert ok["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200
    link = EnrolmentLink.objects.get(user=commune_officer)
    assert link.used_at is not None
    assert AuditEntry.objects.filter(model_label="accounts.EnrolmentLink", object_pk=str(link.pk), action="update").exists()
    # Used once: a second visit is refused, and a new device cannot be enrolled with it.
    TOTPDevice.objects.filter(user=commune_officer).delete()
    again = Client()
    assert again.get(reverse("accounts:enrol", args=[raw])).status_code == 404
    login(again, commune_officer)
    assert again.get(reverse("accounts:otp_setup")).status_code == 403


def test_expired_link_and_another_accounts_link_are_refused(commune_officer, commune_chairman, province_officer, settings):
    settings.TWO_FACTOR_ENROLMENT_HOURS = 72
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        raw = issue_enrolment_link(user=commune_officer, by=province_officer)
    with time_machine.travel(now + dt.timedelta(hours=72), tick=False):
        expired = Client().get(reverse("accounts:enrol", args=[raw]))
        assert expired.status_code == 404 and "đã hết hạn" in expired.content.decode()
    other = Client()
    login(other, commune_chairman)
    assert other.get(reverse("accounts:enrol", args=[raw])).status_code == 404
    assert other.get(reverse("accounts:otp_setup")).status_code == 403
    assert Client().get(reverse("accounts:enrol", args=["khong-co-that"])).status_code == 404


def test_a_new_link_replaces_the_earlier_one(commune_officer, province_officer):
    first = issue_enrolment_link(user=commune_officer, by=province_officer)
    second = issue_enrolment_link(user=commune_officer, by=province_officer)
    assert Client().get(reverse("accounts:enrol", args=[first])).status_code == 404
    client = Client()
    assert client.get(reverse("accounts:enrol", args=[second])).status_code == 302
    assert _enrol(client, commune_officer)["Location"] == reverse("accounts:home")


def test_creating_an_account_shows_its_link_once_and_mails_it(province_officer, doi_ngo):
    admin = verified_client(province_officer)
    data = {
        "username": "xa.moi",
        "last_name": "Trần Thị",
        "first_name": "Hoa",
        "email": "hoa@example.invalid",
        "unit": doi_ngo.pk,
        "role": Role.COMMUNE_OFFICER,
        "password1": "Mat-khau-Manh-2024",
        "password2": "Mat-khau-Manh-2024",
    }
    created = admin.post(reverse("accounts:user_create"), data)
    page = admin.get(created["Location"])
    assert "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert 'id="enrolment-link"' in body
    url = body.split('id="enrolment-link" class="user-select-all text-break">', 1)[1].split("<", 1)[0]
    assert "/tai-khoan/xac-thuc/kich-hoat/" in url
    assert 'id="enrolment-link"' not in admin.get(created["Location"]).content.decode()
    message = OutboxMessage.objects.get(recipient="hoa@example.invalid")
    assert url in message.body and "một lần" in message.body
    official = Client()
    official.get(url.split("testserver", 1)[1])
    official.post(reverse("accounts:login"), {"username": "xa.moi", "password": "Mat-khau-Manh-2024"})
    official.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user__username="xa.moi", confirmed=False)
    assert official.post(reverse("accounts:otp_setup"), {"token": code_for(device)})["Location"] == reverse("accounts:home")


def test_resetting_the_second_factor_issues_a_new_link(province_officer, commune_officer):
    TOTPDevice.objects.create(user=commune_officer, name="Điện thoại cũ", confirmed=True)
    admin = verified_client(province_officer)
    reset = admin.post(reverse("accounts:user_reset_2fa", args=[commune_officer.pk]))
    body = admin.get(reset["Location"]).content.decode()
    assert 'id="enrolment-link"' in body
    assert not TOTPDevice.objects.filter(user=commune_officer).exists()
    assert EnrolmentLink.objects.filter(user=commune_officer, used_at__isnull=True).count() == 1


def test_only_an_administrator_of_the_account_issues_a_link(district_officer, system_admin, province_officer, commune_officer):
    from django.core.exceptions import PermissionDenied

    for actor, target in ((district_officer, commune_officer), (province_officer, system_admin)):
        with pytest.raises(PermissionDenied):
            issue_enrolment_link(user=target, by=actor)
    assert not EnrolmentLink.objects.exists()


def test_operator_command_prints_a_link_for_the_first_administrator(system_admin):
    out = StringIO()
    call_command("enrolment_link", system_admin.username, stdout=out)
    path = out.getvalue().splitlines()[0]
    client = Client()
    assert client.get(path)["Location"] == reverse("accounts:login")
    assert _enrol(client, system_admin)["Location"] == reverse("accounts:home")


def test_first_superuser_without_a_role_enrols_with_the_operators_link(make_user):
    superuser = make_user(username="sieu.quantri")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save(update_fields=["is_superuser", "is_staff"])
    out = StringIO()
    call_command("enrolment_link", superuser.username, stdout=out)
    client = Client()
    client.get(out.getvalue().splitlines()[0])
    assert login(client, superuser)["Location"] == reverse("accounts:otp_setup")
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
