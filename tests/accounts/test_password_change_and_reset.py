"""Officials change their own password (behind the second factor) and reset a forgotten one by a
mailed, single-use link; reset requests are rate-limited per client address and per e-mail address
and never reveal whether an account has the address; every change is in the audit trail."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry, OutboxMessage
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

OLD = "mat-khau-thu-nghiem-1"
NEW = "Mat-khau-Moi-Hon-2026"


@pytest.fixture(autouse=True)
def _fresh_counters():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def test_official_changes_their_password_after_the_second_factor(commune_officer):
    anonymous = Client().get(reverse("accounts:password_change"))
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    client = verified_client(commune_officer)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "Mật khẩu hiện tại" in page.content.decode()
    wrong = client.post(reverse("accounts:password_change"), {"old_password": "sai", "new_password1": NEW, "new_password2": NEW})
    assert "Mật khẩu hiện tại không đúng." in wrong.content.decode()
    weak = client.post(reverse("accounts:password_change"), {"old_password": OLD, "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    commune_officer.refresh_from_db()
    assert commune_officer.check_password(OLD)
    done = client.post(reverse("accounts:password_change"), {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("accounts:password_change_done")
    commune_officer.refresh_from_db()
    assert commune_officer.check_password(NEW)
    # Still signed in (session hash updated), and the change is in the trail without the password.
    assert client.get(reverse("accounts:home")).status_code == 200
    entry = AuditEntry.objects.get(model_label="accounts.User", object_pk=str(commune_officer.pk), action="update")
    assert entry.actor == commune_officer and NEW not in str(entry.after) and entry.reason == "Tự đổi mật khẩu"


def _reset_link(email: str) -> str:
    body = OutboxMessage.objects.filter(recipient=email).latest("pk").body
    return re.search(r"https?://[^/\s]+(/tai-khoan/dat-lai-mat-khau/\S+/)", body).group(1)  # type: ignore[union-attr]


def test_forgotten_password_is_reset_by_a_single_use_mailed_link(commune_officer):
    client = Client()
    assert "Quên mật khẩu?" in client.get(reverse("accounts:login")).content.decode()
    sent = client.post(reverse("accounts:password_reset"), {"email": commune_officer.email.upper()})
    assert sent["Location"] == reverse("accounts:password_reset_done")
    message = OutboxMessage.objects.get(recipient=commune_officer.email)
    assert message.subject.startswith("Đặt lại mật khẩu") and "dùng một lần" in message.body
    link = _reset_link(commune_officer.email)
    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode() and "no-store" in form["Cache-Control"]
    confirm_url = form.redirect_chain[-1][0]
    saved = client.post(confirm_url, {"new_password1": NEW, "new_password2": NEW})
    assert saved["Location"] == reverse("accounts:password_reset_complete")
    commune_officer.refresh_from_db()
    assert commune_officer.check_password(NEW)
    assert AuditEntry.objects.filter(
        model_label="accounts.User", object_pk=str(commune_officer.pk), reason="Đặt lại mật khẩu qua thư"
    ).exists()
    # Single use: the same link no longer works.
    again = Client().get(link, follow=True)
    assert "Đường dẫn không dùng được" in again.content.decode()


def test_reset_answer_is_the_same_for_unknown_addresses(commune_officer):
    known = Client().post(reverse("accounts:password_reset"), {"email": commune_officer.email})
    unknown = Client().post(reverse("accounts:password_reset"), {"email": "khong-ai@example.invalid"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert not OutboxMessage.objects.filter(recipient="khong-ai@example.invalid").exists()


def test_reset_requests_are_rate_limited_per_address_and_per_email(commune_officer, settings):
    settings.PASSWORD_RESET_REQUESTS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="198.51.100.9")
    for i in range(3):
        assert client.post(reverse("accounts:password_reset"), {"email": f"nguoi{i}@example.invalid"}).status_code == 302
    limited = client.post(reverse("accounts:password_reset"), {"email": commune_officer.email})
    assert limited.status_code == 429 and "quá nhiều yêu cầu" in limited.content.decode()
    assert int(limited["Retry-After"]) > 0
    assert not OutboxMessage.objects.filter(recipient=commune_officer.email).exists()
    # From several addresses, one e-mail address is still limited (the official's inbox is not flooded):
    # the refused request above counted for it too.
    for i in range(2):
        Client(REMOTE_ADDR=f"203.0.113.{i + 1}").post(reverse("accounts:password_reset"), {"email": commune_officer.email})
    flooded = Client(REMOTE_ADDR="203.0.113.50").post(reverse("accounts:password_reset"), {"email": commune_officer.email})
    assert flooded.status_code == 429
    assert OutboxMessage.objects.filter(recipient=commune_officer.email).count() == 2
