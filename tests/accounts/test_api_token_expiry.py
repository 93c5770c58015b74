"""API tokens expire: a lifetime chosen at creation (default and maximum from settings), an expired
token is refused with 401, the tokens page shows last use and expiry and is never cached, and the
last use is written at most once a minute."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _call(client, raw: str):  # type: ignore[no-untyped-def]
    return client.get("/api/v1/committees", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_token_gets_the_default_lifetime_and_stops_working_when_it_ends(client, commune_officer, settings):
    settings.API_TOKEN_DEFAULT_DAYS = 30
    with time_machine.travel(NOW, tick=False):
        token, raw = services.issue_api_token(user=commune_officer, by=commune_officer, name="app")
        assert token.expires_at == NOW + dt.timedelta(days=30)
        assert _call(client, raw).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=30, seconds=-1), tick=False):
        assert _call(client, raw).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        assert _call(client, raw).status_code == 401


def test_lifetime_is_chosen_at_creation_and_bounded(commune_officer, settings):
    settings.API_TOKEN_MAX_DAYS = 180
    token, _raw = services.issue_api_token(user=commune_officer, by=commune_officer, name="ngắn", lifetime_days=7)
    assert dt.timedelta(days=7) - (token.expires_at - timezone.now()) < dt.timedelta(minutes=1)
    for days in (0, -3, 181, 10_000):
        with pytest.raises(ValidationError) as refused:
            services.issue_api_token(user=commune_officer, by=commune_officer, name="dài", lifetime_days=days)
        assert "Thời hạn của khoá từ 1 đến 180 ngày." in str(refused.value)
    assert ApiToken.objects.filter(user=commune_officer).count() == 1


def test_last_use_is_recorded_at_most_once_a_minute(client, commune_officer):
    with time_machine.travel(NOW, tick=False):
        token, raw = services.issue_api_token(user=commune_officer, by=commune_officer, name="app")
        _call(client, raw)
        token.refresh_from_db()
        assert token.last_used_at == NOW
    with time_machine.travel(NOW + dt.timedelta(seconds=59), tick=False):
        _call(client, raw)
        token.refresh_from_db()
        assert token.last_used_at == NOW
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        _call(client, raw)
        token.refresh_from_db()
        assert token.last_used_at == NOW + dt.timedelta(seconds=61)


def test_tokens_page_sets_lifetime_shows_expiry_and_last_use_and_is_not_cached(commune_officer):
    client = verified_client(commune_officer)
    response = client.post(reverse("accounts:tokens"), {"name": "Ứng dụng của xã", "lifetime_days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=commune_officer)
    assert dt.timedelta(days=30) - (token.expires_at - timezone.now()) < dt.timedelta(minutes=1)
    page = client.get(reverse("accounts:tokens"))
    body = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert "Hết hạn" in body and timezone.localtime(token.expires_at).strftime("%d/%m/%Y") in body
    assert "Dùng gần nhất" in body
    refused = client.post(reverse("accounts:tokens"), {"name": "Quá dài", "lifetime_days": "100000"})
    assert refused.status_code == 200 and ApiToken.objects.filter(user=commune_officer).count() == 1
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert "Đã hết hạn" in client.get(reverse("accounts:tokens")).content.decode()
