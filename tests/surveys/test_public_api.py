"""The public survey API a Zalo mini app uses: the questionnaire by one-time token or open link in a
documented JSON shape, and answers sent through the same service as the web form (same stored
response, one answer per token, Idempotency-Key replays, rate limits with Retry-After, nothing
identifying stored)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client, override_settings

from core.models import RateBucket
from surveys import expressions, services, xlsform
from surveys.models import Response, Stratum, SubmissionReceipt, Token
from tests.surveys.conftest import pks07_answers
from tests.surveys.test_xlsform_pyxform import RICH, RICH_CHOICES, RICH_SETTINGS, _workbook

API = "/api/v1/surveys/public"
VI, EN = "Tiếng Việt (vi)", "English (en)"
DEVICE = "thiet-bi-ngau-nhien-0123456789"


def _post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def _stored(response: Response) -> tuple[Any, ...]:
    return (response.stratum_id, response.mode, response.is_complete, response.duration_seconds, response.answers, response.flags)


def test_token_round_trip_stores_what_the_web_form_stores(client, stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    web_token, api_token = services.issue_tokens(by=district_officer, stratum=stratum, count=2)
    answers = pks07_answers(4, q2="5", q9="Cán bộ một cửa hướng dẫn tận tình")
    assert client.post("/khao-sat/t/", {"token": web_token, "action": "answer", **answers}).status_code == 302
    web = Response.objects.get()

    shown = client.get(f"{API}/token/form", headers={"Survey-Token": api_token})
    assert shown.status_code == 200
    form = shown.json()
    assert form["instrument"] == "PKS07" and form["languages"] == ["default"]
    codes = [q["code"] for s in form["sections"] for q in s["questions"]]
    assert codes[:9] == [f"q{i}" for i in range(1, 10)]
    q1 = form["sections"][0]["questions"][0]
    assert q1["kind"] == "likert" and q1["required"] and [c["value"] for c in q1["choices"]] == ["1", "2", "3", "4", "5"]

    sent = _post(client, f"{API}/token/responses", {"answers": answers}, **{"Survey-Token": api_token})
    assert sent.status_code == 201, sent.content
    assert sent.json() == {"accepted": True, "replayed": False, "message": "Phiếu đã được gửi thành công. Cảm ơn ông/bà!"}
    api = Response.objects.exclude(pk=web.pk).get()
    web.refresh_from_db()  # both copies are flagged as duplicates of each other, as on the web
    assert _stored(api) == _stored(web) and api.flags == ["duplicate"]
    assert {api.excluded, web.excluded} == {True, False}  # the index keeps one copy (by random id) of the pair
    assert set(Token.objects.values_list("used", flat=True)) == {True}
    stratum.refresh_from_db()
    assert stratum.received == 2

    # a used token is refused, on both endpoints, in Vietnamese
    again = _post(client, f"{API}/token/responses", {"answers": answers}, **{"Survey-Token": api_token})
    assert again.status_code == 409 and "đã được sử dụng" in again.json()["detail"]
    assert client.get(f"{API}/token/form", headers={"Survey-Token": api_token}).status_code == 409
    assert client.get(f"{API}/token/form", headers={"Survey-Token": "khong-co-ma"}).status_code == 404
    assert Response.objects.count() == 2


def test_replay_with_the_same_key_gives_the_same_result(client, stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    [token] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)
    headers = {"Survey-Token": token, "Idempotency-Key": "9b2f6c1e-4a57-4f0e-8a43-2d1c9e7b5a10"}
    first = _post(client, f"{API}/token/responses", {"answers": pks07_answers(3)}, **headers)
    replay = _post(client, f"{API}/token/responses", {"answers": pks07_answers(3)}, **headers)
    assert (first.status_code, replay.status_code) == (201, 200)
    assert {k: v for k, v in first.json().items() if k != "replayed"} == {k: v for k, v in replay.json().items() if k != "replayed"}
    assert replay.json()["replayed"] is True and Response.objects.count() == 1
    other = _post(client, f"{API}/token/responses", {"answers": pks07_answers(5)}, **headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    assert Response.objects.count() == 1


def test_open_link_one_answer_per_device_and_replay(client, stratum) -> None:  # type: ignore[no-untyped-def]
    url = f"{API}/open/{stratum.open_key}"
    form = client.get(f"{url}/form").json()
    body = {"answers": pks07_answers(), "device": DEVICE, "started": form["started"]}
    assert _post(client, f"{url}/responses", body, **{"Idempotency-Key": "k-1"}).status_code == 201
    assert _post(client, f"{url}/responses", body, **{"Idempotency-Key": "k-1"}).status_code == 200
    second = _post(client, f"{url}/responses", body, **{"Idempotency-Key": "k-2"})
    assert second.status_code == 409 and "Thiết bị này đã gửi phiếu" in second.json()["detail"]
    no_device = _post(client, f"{url}/responses", {"answers": pks07_answers()})
    assert no_device.status_code == 422 and "mã thiết bị" in no_device.json()["detail"]
    stored = Response.objects.get()
    assert stored.duration_seconds is not None and "too_fast" in stored.flags  # the signed start, as on the web
    assert client.get(f"{API}/open/khong-co/form").status_code == 404
    forged = {"answers": pks07_answers(), "device": DEVICE + "x", "started": "1700000000.0"}
    assert _post(client, f"{url}/responses", forged).status_code == 201
    assert Response.objects.filter(duration_seconds__isnull=True).count() == 1  # an unsigned start is ignored


def test_invalid_answer_names_the_question(client, stratum) -> None:  # type: ignore[no-untyped-def]
    url = f"{API}/open/{stratum.open_key}/responses"
    bad = _post(client, url, {"answers": pks07_answers(q1="9", q2=""), "device": DEVICE})
    assert bad.status_code == 422
    body = bad.json()
    assert set(body["errors"]) == {"q1", "q2"}
    assert "Câu “q1”" in body["detail"] and "Câu “q2”" in body["detail"] and "Vui lòng trả lời câu này." in body["detail"]
    assert not Response.objects.exists() and not SubmissionReceipt.objects.exists()
    # nothing was lost: the corrected answers are then accepted from the same device
    assert _post(client, url, {"answers": pks07_answers(), "device": DEVICE}).status_code == 201


def test_closed_campaign_is_refused(client, stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    [token] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)
    services.change_campaign_state(by=district_officer, campaign=stratum.form.campaign, target="closed")
    closed = client.get(f"{API}/open/{stratum.open_key}/form")
    assert closed.status_code == 410 and "đã kết thúc" in closed.json()["detail"]
    sent = _post(client, f"{API}/token/responses", {"answers": pks07_answers()}, **{"Survey-Token": token})
    assert sent.status_code == 410 and not Response.objects.exists()


@override_settings(SURVEYS_SUBMIT_BURST=2, SURVEYS_SUBMIT_PER_HOUR=1)
def test_rate_limit_counts_accepted_answers_and_says_when_to_return(client, stratum) -> None:  # type: ignore[no-untyped-def]
    url = f"{API}/open/{stratum.open_key}/responses"
    assert _post(client, url, {"answers": pks07_answers(q1="9"), "device": DEVICE + "a"}).status_code == 422  # costs nothing
    for n in range(2):
        assert _post(client, url, {"answers": pks07_answers(), "device": f"{DEVICE}{n}"}).status_code == 201
    limited = _post(client, url, {"answers": pks07_answers(), "device": DEVICE + "z"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "thử lại sau" in limited.json()["detail"]
    assert Response.objects.count() == 2


def test_nothing_identifying_is_stored(client, stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    [token] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)
    key = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"
    sent = _post(
        client,
        f"{API}/token/responses",
        {"answers": pks07_answers()},
        **{"Survey-Token": token, "Idempotency-Key": key},
        REMOTE_ADDR="203.0.113.7",
    )
    assert sent.status_code == 201
    response = Response.objects.get()
    receipt = SubmissionReceipt.objects.get()
    stored = json.dumps(
        [
            [str(v) for v in Response.objects.values().get().values()],
            [str(v) for v in SubmissionReceipt.objects.values().get().values()],
            [str(v) for row in RateBucket.objects.values() for v in row.values()],
        ]
    )
    for secret in (token, key, "203.0.113.7", DEVICE):
        assert secret not in stored
    assert response.duration_seconds is None  # no signed start sent: no duration guessed
    assert receipt.created_on is not None and not hasattr(receipt, "response")


@pytest.fixture
def bilingual(province_officer, district_officer, luc_nam, doi_ngo) -> Stratum:  # type: ignore[no-untyped-def]
    version = xlsform.import_xlsform(by=province_officer, upload=io.BytesIO(_workbook(RICH, RICH_CHOICES, RICH_SETTINGS)), code="THU")
    version = services.publish_version(by=province_officer, version=version)
    campaign = services.create_campaign(
        by=district_officer,
        unit=luc_nam,
        title="Khảo sát thử song ngữ",
        year=2024,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 12, 31),
        forms=[("citizens", version)],
        min_responses=3,
    )
    services.change_campaign_state(by=district_officer, campaign=campaign, target="open")
    return Stratum.objects.select_related("form__version").get(form__campaign=campaign, unit=doi_ngo)


def test_form_carries_languages_groups_and_expressions(client, bilingual) -> None:  # type: ignore[no-untyped-def]
    form = client.get(f"{API}/open/{bilingual.open_key}/form").json()
    assert form["languages"] == [VI, EN] and form["default_language"] == VI
    questions = {q["code"]: q for s in form["sections"] for q in s["questions"]}
    members = questions["members"]
    assert members["labels"][EN] == "Household size" and members["hints"][EN] == "Children included"
    assert members["constraint_messages"] == {VI: "Ít nhất 1 người", EN: "At least 1"}
    assert members["min_value"] == 1  # ". >= 1", read as a bound
    comment = questions["comment"]
    assert comment["constraint"]["text"] == "string-length(.) <= 500"
    assert comment["constraint"]["tree"] == expressions.parse("string-length(.) <= 500")
    assert comment["relevant"]["text"] == "count-selected(${used}) >= 2" and comment["hints"] == {}
    assert [c["labels"][EN] for c in questions["used"]["choices"]] == ["Land", "Civil status"]
    area = questions["area"]
    assert [g["name"] for g in area["groups"]] and area["groups"][-1]["labels"][EN] == "Land"
    group_condition = area["groups"][-1]["relevant"]
    assert "selected(" in group_condition["text"] and group_condition["tree"] == expressions.parse(group_condition["text"])
    assert questions["per_head"]["kind"] == "calculate" and questions["per_head"]["calculation"]["text"]
    assert questions["consent"]["kind"] == "note" and not questions["consent"]["takes_answer"]

    # answered in English, through the same service: the constraint message in English
    url = f"{API}/open/{bilingual.open_key}/responses"
    bad = _post(client, url, {"answers": {"members": "0", "used": ["civil"], "satisfied": "2"}, "language": EN, "device": DEVICE})
    assert bad.status_code == 422 and bad.json()["errors"] == {"members": "At least 1"}
    good = {"members": 3, "used": ["land"], "area": "150.5", "applied": "2026-11-30", "satisfied": "2"}
    assert _post(client, url, {"answers": good, "language": EN, "device": DEVICE}).status_code == 201
    assert Response.objects.get().answers == services.validate_answers(bilingual.form.version, good)
