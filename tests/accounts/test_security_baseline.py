"""Lockout after repeated failures, idle timeout, secure headers, and `check --deploy` clean."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import verified_client

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_login_is_locked_after_five_failures_even_with_the_right_password(commune_officer, settings):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": commune_officer.username, "password": "sai-mat-khau"})
    response = client.post(reverse("accounts:login"), {"username": commune_officer.username, "password": "mat-khau-thu-nghiem-1"})
    assert response.status_code == 429
    assert "Tạm khoá đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_idle_session_is_logged_out(commune_officer, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 30 * 60
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = verified_client(commune_officer)
        assert client.get(reverse("accounts:home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        assert client.get(reverse("accounts:home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=51), tick=False):
        response = client.get(reverse("accounts:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_secure_headers(bac_giang):
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DEBUG": "0",
        "SECRET_KEY": "k8Jd93-prod-like-secret-key-with-enough-entropy-0f8a7c6e5d4c3b2a1",
        "ALLOWED_HOSTS": "dancoso.example.gov.vn",
        "SITE_URL": "https://dancoso.example.gov.vn",
        "GRASSROOTS_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

    del env["SITE_URL"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1 and "core.W001" in result.stdout + result.stderr and "SITE_URL" in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DEBUG": "0",
        "GRASSROOTS_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
    }
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_activity_is_recorded_at_most_once_a_minute(commune_officer):
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = verified_client(commune_officer)
        client.get(reverse("accounts:home"))
        first = client.session["_last_seen"]
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        client.get(reverse("accounts:home"))
        assert client.session["_last_seen"] == first
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        client.get(reverse("accounts:home"))
        assert client.session["_last_seen"] == first + 90
