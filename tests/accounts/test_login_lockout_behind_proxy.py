"""The login lockout counts failures per account and real client address (core.client_address):
a stranger who fails five times on an official's username is locked out, the official signing in
from their own address is not; behind the reverse proxy (TRUSTED_PROXIES) the address is the one the
proxy saw, and a forged X-Forwarded-For cannot make the stranger's failures count against the
official's address."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
OFFICIAL = "203.0.113.7"
STRANGER = "198.51.100.9"
PASSWORD = "mat-khau-thu-nghiem-1"


def _login(username: str, password: str, *, peer: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def _signed_in(response) -> bool:  # type: ignore[no-untyped-def]
    # Right password: on to the second factor (302); locked out: 429.
    return response.status_code == 302 and "/tai-khoan/xac-thuc/" in response["Location"]


@pytest.fixture(autouse=True)
def _lockout(settings):  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def test_direct_connection_a_stranger_is_locked_out_the_official_is_not(commune_officer, settings):
    settings.TRUSTED_PROXIES = []
    for _ in range(5):
        _login(commune_officer.username, "sai-mat-khau", peer=STRANGER)
    assert _login(commune_officer.username, PASSWORD, peer=STRANGER).status_code == 429
    # Whatever the stranger writes in X-Forwarded-For, with no trusted proxy the peer is the client.
    assert _login(commune_officer.username, PASSWORD, peer=STRANGER, forwarded=OFFICIAL).status_code == 429
    assert _signed_in(_login(commune_officer.username, PASSWORD, peer=OFFICIAL))


def test_behind_the_proxy_the_lockout_keys_on_the_address_the_proxy_saw(commune_officer, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for _ in range(5):
        _login(commune_officer.username, "sai-mat-khau", peer=PROXY, forwarded=STRANGER)
    assert _login(commune_officer.username, PASSWORD, peer=PROXY, forwarded=STRANGER).status_code == 429
    assert _signed_in(_login(commune_officer.username, PASSWORD, peer=PROXY, forwarded=OFFICIAL))


def test_behind_the_proxy_a_forged_forwarded_header_cannot_lock_the_official(commune_officer, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The stranger claims to be the official; the proxy appends the address it really saw.
    for _ in range(6):
        _login(commune_officer.username, "sai-mat-khau", peer=PROXY, forwarded=f"{OFFICIAL}, {STRANGER}")
    assert _signed_in(_login(commune_officer.username, PASSWORD, peer=PROXY, forwarded=OFFICIAL))
    assert _login(commune_officer.username, PASSWORD, peer=PROXY, forwarded=STRANGER).status_code == 429
