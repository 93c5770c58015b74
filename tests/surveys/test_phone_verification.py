"""Optional verification by a one-time SMS code: one answer per phone, and the number is never
stored with (or anywhere near) the answers."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from surveys.models import Campaign, Response, Stratum
from surveys.sms import ConsoleBackend
from tests.surveys.conftest import pks07_answers

PHONE = "0912 345 678"


@pytest.fixture
def verified_stratum(stratum):  # type: ignore[no-untyped-def]
    Campaign.objects.filter(pk=stratum.form.campaign_id).update(verify_phone=True)
    cache.clear()
    ConsoleBackend.outbox = []
    return Stratum.objects.select_related("form__campaign").get(pk=stratum.pk)


def _code() -> str:
    match = re.search(r"\d{6}", ConsoleBackend.outbox[-1][1])
    assert match
    return match.group(0)


def test_code_then_answer_once_per_phone(client, verified_stratum) -> None:  # type: ignore[no-untyped-def]
    url = f"/khao-sat/m/{verified_stratum.open_key}/"
    assert "Số điện thoại di động" in client.get(url).content.decode()
    assert client.post(url, {"action": "send", "phone": "12345"}).status_code == 400
    assert client.post(url, {"action": "send", "phone": PHONE}).status_code == 200
    assert ConsoleBackend.outbox[-1][0] == "0912345678"
    assert client.post(url, {"action": "confirm", "phone": PHONE, "code": "000000" if _code() != "000000" else "111111"}).status_code == 400
    assert client.post(url, {"action": "confirm", "phone": PHONE, "code": _code()}).status_code == 302
    sent = client.post(url, pks07_answers())
    assert sent.status_code == 302, sent.content.decode()[-1500:]
    response = Response.objects.get()
    assert "0912345678" not in str(Response.objects.values().first()) and response.stratum_id == verified_stratum.pk
    stored = Stratum.objects.get(pk=verified_stratum.pk)
    assert len(stored.answered_phones) == 1 and "0912345678" not in str(stored.answered_phones)

    # the same phone from another device: verification refuses it
    other = client.__class__()
    other.get(url)
    cache.clear()
    other.post(url, {"action": "send", "phone": PHONE})
    refused = other.post(url, {"action": "confirm", "phone": PHONE, "code": _code()})
    assert refused.status_code == 400 and "đã trả lời" in refused.content.decode()
    assert Response.objects.count() == 1


def test_without_verification_the_questionnaire_is_not_shown(client, verified_stratum) -> None:  # type: ignore[no-untyped-def]
    url = f"/khao-sat/m/{verified_stratum.open_key}/"
    client.get(url)
    answered = client.post(url, pks07_answers())
    assert answered.status_code == 400 and "Số điện thoại di động" in answered.content.decode()  # asked to verify again
    assert not Response.objects.exists()
