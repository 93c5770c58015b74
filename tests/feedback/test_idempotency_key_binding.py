"""An Idempotency-Key is bound to the client and to the content it came with: replaying someone
else's key never reveals their tracking code and never swallows the second report; the same key
with other content is refused; a true retry gets the same code. Only keyed hashes are stored."""

import json

import pytest
from django.test import Client

from feedback.models import Case, Category

from .test_public_submission import URL, form_data

pytestmark = pytest.mark.django_db
API = "/api/v1/feedback/cases"
OPEN311 = "/phan-anh/open311/v2/requests.json"
ALICE, MALLORY = "203.0.113.10", "198.51.100.66"
KEY = "6f1c2a0e-3b7d-4f51-9e0a-2d8c7b5e1a44"


def api(unit, text, *, addr, key=KEY):
    body = json.dumps({"category": Category.FACILITIES, "commune_code": unit.code, "description": text})
    return Client().post(API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, REMOTE_ADDR=addr)


def test_api_another_clients_replay_of_a_key_gets_its_own_case_not_the_first_code(dong_hung):
    first = api(dong_hung, "Cán bộ xã đòi tiền khi làm giấy tờ.", addr=ALICE)
    code = first.json()["tracking_code"]
    other = api(dong_hung, "Đèn đường thôn Đông tắt cả tháng nay.", addr=MALLORY)
    assert other.status_code == 201 and other.json()["tracking_code"] != code and code not in other.content.decode()
    same_body = api(dong_hung, "Cán bộ xã đòi tiền khi làm giấy tờ.", addr="192.0.2.44")
    assert same_body.status_code == 201 and code not in same_body.content.decode()
    assert Case.objects.count() == 3


def test_api_same_client_same_key_other_content_is_refused_with_422(dong_hung):
    first = api(dong_hung, "Cán bộ xã đòi tiền khi làm giấy tờ.", addr=ALICE)
    code = first.json()["tracking_code"]
    reused = api(dong_hung, "Một phản ánh hoàn toàn khác.", addr=ALICE)
    assert reused.status_code == 422 and code not in reused.content.decode() and "uuidgen" in reused.json()["detail"]
    assert Case.objects.count() == 1


def test_api_true_retry_gets_the_same_code_even_with_other_spacing(dong_hung):
    first = api(dong_hung, "Cán bộ xã đòi tiền khi làm giấy tờ.", addr=ALICE)
    again = api(dong_hung, "  Cán bộ xã  đòi tiền khi làm giấy tờ. ", addr=ALICE)
    assert again.status_code == 200 and again.json()["tracking_code"] == first.json()["tracking_code"]
    assert Case.objects.count() == 1


def open311(unit, text, *, addr, key=KEY):
    data = {"service_code": "facilities", "attribute[commune]": unit.code, "description": text}
    return Client().post(OPEN311, data, HTTP_IDEMPOTENCY_KEY=key, REMOTE_ADDR=addr)


def test_open311_key_replay_is_refused_or_separate_never_the_first_code(dong_hung):
    first = open311(dong_hung, "Cán bộ xã đòi tiền khi làm giấy tờ.", addr=ALICE)
    assert first.status_code == 201
    code = first.json()[0]["token"]
    reused = open311(dong_hung, "Một phản ánh hoàn toàn khác.", addr=ALICE)
    assert reused.status_code == 422 and reused.json()[0]["code"] == 422 and code not in reused.content.decode()
    other = open311(dong_hung, "Một phản ánh hoàn toàn khác.", addr=MALLORY)
    assert other.status_code == 201 and code not in other.content.decode()
    retry = open311(dong_hung, "Cán bộ xã đòi tiền khi làm giấy tờ.", addr=ALICE)
    assert retry.status_code == 200 and retry.json()[0]["token"] == code
    assert Case.objects.count() == 2


def test_web_form_key_with_other_content_is_refused_and_nothing_is_lost(dong_hung, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    original = form_data(dong_hung, key="same", description="Đường vào nhà văn hoá thôn ngập nước mỗi khi mưa.")
    first = Client().post(URL, original, REMOTE_ADDR=ALICE).content.decode()
    code = first.split('id="tracking-code">')[1].split("<")[0]
    changed = form_data(dong_hung, key="same", description="Một phản ánh hoàn toàn khác về đường thôn.")
    refused = Client().post(URL, changed, REMOTE_ADDR=ALICE)
    body = refused.content.decode()
    assert refused.status_code == 400 and code not in body and "tải lại trang" in body
    assert "Một phản ánh hoàn toàn khác về đường thôn." in body  # what was typed is kept
    stranger = Client().post(URL, changed, REMOTE_ADDR=MALLORY).content.decode()
    assert code not in stranger and 'id="tracking-code">' in stranger
    assert Case.objects.count() == 2


def test_rate_limit_applies_before_a_replay(dong_hung, settings):
    settings.FEEDBACK_SUBMIT_BURST = 1
    settings.FEEDBACK_SUBMIT_PER_HOUR = 1
    api(dong_hung, "Cán bộ xã đòi tiền khi làm giấy tờ.", addr=ALICE)
    assert api(dong_hung, "Cán bộ xã đòi tiền khi làm giấy tờ.", addr=ALICE).status_code == 429


def test_only_keyed_hashes_of_key_content_and_client_are_stored(dong_hung):
    api(dong_hung, "Cán bộ xã đòi tiền khi làm giấy tờ.", addr=ALICE)
    stored = json.dumps(list(Case.objects.values()), default=str)
    assert KEY not in stored and ALICE not in stored
    case = Case.objects.get()
    assert len(case.idempotency_digest) == 64 and len(case.idempotency_payload_digest) == 64
