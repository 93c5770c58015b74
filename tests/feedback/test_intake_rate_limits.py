"""Rate limits a commune can live with: a burst and a sustained rate per client in the database,
counting only accepted reports, with Retry-After on every 429 (web form, JSON API, Open311,
tracking, counter ratings)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from feedback import conf
from feedback.models import Case, Category, Counter, CounterRating

from .test_public_submission import URL, form_data

pytestmark = pytest.mark.django_db
API = "/api/v1/feedback/cases"
OPEN311 = "/phan-anh/open311/v2/requests.json"
NAT = "198.51.100.9"


@pytest.fixture
def one_per_hour(settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    settings.FEEDBACK_SUBMIT_BURST = 1
    settings.FEEDBACK_SUBMIT_PER_HOUR = 1


def api_body(unit, text="Cầu treo thôn Mới bị gãy tay vịn."):
    return json.dumps({"category": Category.FACILITIES, "commune_code": unit.code, "description": text})


def open311_body(unit, text="Cầu treo thôn Mới bị gãy tay vịn."):
    return {"service_code": "facilities", "attribute[commune]": unit.code, "description": text}


def test_a_commune_hall_behind_one_address_can_send_twenty_reports(dong_hung, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    codes = [Client().post(URL, form_data(dong_hung, key=f"hall{i}"), REMOTE_ADDR=NAT).status_code for i in range(20)]
    assert codes == [200] * 20 and Case.objects.count() == 20


def test_every_edge_answers_429_with_retry_after(one_per_hour, dong_hung):
    assert Client().post(API, api_body(dong_hung), content_type="application/json", REMOTE_ADDR=NAT).status_code == 201
    cache.clear()  # the count is in the database: a worker with an empty cache still sees it
    api = Client().post(API, api_body(dong_hung, "Một phản ánh khác về cầu treo."), content_type="application/json", REMOTE_ADDR=NAT)
    form = Client().post(URL, form_data(dong_hung, key="second"), REMOTE_ADDR=NAT)
    open311 = Client().post(OPEN311, open311_body(dong_hung), REMOTE_ADDR=NAT)
    for response in (api, form, open311):
        assert response.status_code == 429 and 3000 <= int(response["Retry-After"]) <= 3600
    assert open311.json()[0]["code"] == 429 and "thử lại sau" in open311.json()[0]["description"]
    assert "Nội dung bạn nhập vẫn được giữ" in form.content.decode()
    assert Case.objects.count() == 1


def test_refused_and_invalid_submissions_use_up_nothing(one_per_hour, dong_hung):
    c = Client()
    for _i in range(5):
        assert c.post(API, api_body(dong_hung, "ngắn"), content_type="application/json", REMOTE_ADDR=NAT).status_code == 400
        assert c.post(OPEN311, {"service_code": "nope"}, REMOTE_ADDR=NAT).status_code == 400
    assert c.post(API, api_body(dong_hung), content_type="application/json", REMOTE_ADDR=NAT).status_code == 201


def test_a_retried_submission_uses_up_nothing(dong_hung, settings):
    settings.FEEDBACK_SUBMIT_BURST = 2
    settings.FEEDBACK_SUBMIT_PER_HOUR = 1
    c = Client()
    for _i in range(4):
        c.post(API, api_body(dong_hung), content_type="application/json", HTTP_IDEMPOTENCY_KEY="same", REMOTE_ADDR=NAT)
    other = c.post(API, api_body(dong_hung, "Một phản ánh khác về cầu treo."), content_type="application/json", REMOTE_ADDR=NAT)
    assert other.status_code == 201 and Case.objects.count() == 2


def test_tracking_lookups_are_limited_with_retry_after(settings):
    settings.FEEDBACK_TRACK_BURST = 2
    settings.FEEDBACK_TRACK_PER_HOUR = 2
    codes = [Client().post("/phan-anh/tra-cuu/", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}, REMOTE_ADDR=NAT) for _i in range(3)]
    assert [r.status_code for r in codes] == [400, 400, 429]
    assert int(codes[2]["Retry-After"]) == 1800


def test_counter_ratings_refused_with_retry_after_and_refusals_cost_nothing(dong_hung, settings):
    counter = Counter.objects.create(unit=dong_hung, name="Quầy 1")
    url = f"/phan-anh/quay/{counter.token}/"
    settings.FEEDBACK_RATING_BURST = 2
    settings.FEEDBACK_RATING_PER_HOUR = 1
    phone = Client()
    assert phone.post(url, {"score": "satisfied"}, REMOTE_ADDR=NAT).status_code == 200
    again = phone.post(url, {"score": "satisfied"}, REMOTE_ADDR=NAT)  # same device, same counter
    assert again.status_code == 429 and int(again["Retry-After"]) == conf.RATING_WINDOW_SECONDS
    # The device's refusal took nothing from the hall's bucket: one more phone may still rate.
    assert Client().post(url, {"score": "acceptable"}, REMOTE_ADDR=NAT).status_code == 200
    third = Client().post(url, {"score": "acceptable"}, REMOTE_ADDR=NAT)
    assert third.status_code == 429 and int(third["Retry-After"]) > 0
    assert CounterRating.objects.count() == 2


def test_json_api_code_lookups_are_limited_with_retry_after(settings, dong_hung):
    # Guessing tracking codes through the JSON API meets the same limit as Open311 and the web page.
    import json as _json

    from django.test import Client as _Client

    settings.FEEDBACK_TRACK_BURST, settings.FEEDBACK_TRACK_PER_HOUR = 2, 1
    client = _Client(REMOTE_ADDR="198.51.100.77")
    body = _json.dumps({"code": "AAAA-BBBB-CCCC-DDDD"})
    statuses = [client.post("/api/v1/feedback/track", body, content_type="application/json") for _ in range(3)]
    assert [r.status_code for r in statuses] == [404, 404, 429]
    assert int(statuses[-1]["Retry-After"]) > 0
    other = _Client(REMOTE_ADDR="198.51.100.78").post("/api/v1/feedback/track/confirm", body, content_type="application/json")
    assert other.status_code == 404
