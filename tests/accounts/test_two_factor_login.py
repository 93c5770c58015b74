"""Staff roles must pass a TOTP second factor; enrolment, verification and refusal."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "mat-khau-thu-nghiem-1"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def login(client: Client, user) -> object:  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


@pytest.mark.django_db
def test_officer_without_device_is_sent_to_enrol_and_confirms_with_a_code(commune_officer, province_officer):
    from accounts.services import issue_enrolment_link

    client = Client()
    raw = issue_enrolment_link(user=commune_officer, by=province_officer)
    assert client.get(reverse("accounts:enrol", args=[raw]))["Location"] == reverse("accounts:login")
    response = login(client, commune_officer)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_setup")
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=commune_officer, confirmed=False)
    # A staff page is still closed before the code is confirmed.
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:otp")
    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    # Right after a failure the device is throttled: even the right code must wait.
    throttled = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert "Vui lòng chờ ít giây" in throttled.content.decode()
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=3)):
        ok = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert ok.status_code == 302 and ok["Location"] == reverse("accounts:home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("accounts:home")).status_code == 200


@pytest.mark.django_db
def test_officer_with_device_must_enter_the_current_code(commune_officer):
    device = TOTPDevice.objects.create(user=commune_officer, name="phone", confirmed=True)
    client = Client()
    response = login(client, commune_officer)
    assert response["Location"] == reverse("accounts:otp")
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:otp")
    bad = client.post(reverse("accounts:otp"), {"token": "12345"})
    assert "Mã xác thực gồm đúng 6 chữ số." in bad.content.decode()
    good = client.post(reverse("accounts:otp"), {"token": code_for(device)})
    assert good["Location"] == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200


@pytest.mark.django_db
def test_next_url_survives_the_second_factor(commune_officer, doi_ngo):
    device = TOTPDevice.objects.create(user=commune_officer, name="phone", confirmed=True)
    client = Client()
    target = reverse("units:unit", args=[doi_ngo.pk])
    client.post(reverse("accounts:login"), {"username": commune_officer.username, "password": PASSWORD, "next": target})
    response = client.post(reverse("accounts:otp"), {"token": code_for(device)})
    assert response["Location"] == target


@pytest.mark.django_db
def test_wrong_password_gives_a_vietnamese_error(commune_officer):
    response = Client().post(reverse("accounts:login"), {"username": commune_officer.username, "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


@pytest.mark.django_db
def test_account_without_role_is_refused_the_staff_area(make_user):
    user = make_user()
    client = Client()
    client.force_login(user)
    assert client.get(reverse("accounts:home")).status_code == 403


@pytest.mark.django_db
def test_api_session_without_second_factor_is_unauthorised(commune_officer):
    client = Client()
    client.force_login(commune_officer)
    assert client.get("/api/v1/committees").status_code == 401


@pytest.mark.django_db
def test_relaxed_two_factor_setting_is_ignored_when_debug_is_off(tmp_path):
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "OTP_REQUIRED": "0",
        "SECRET_KEY": "x" * 60,
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "GRASSROOTS_VAR_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.OTP_REQUIRED)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True"
