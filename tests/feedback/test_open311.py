"""Open311 GeoReport v2: our categories as services; POST requests.json with the same anonymity,
idempotency, rate limit and routing as the web form; GET by id and the public list."""

import pytest
from django.test import Client

from feedback import services
from feedback.models import Case, Category, RegisterClass

pytestmark = pytest.mark.django_db
BASE = "/phan-anh/open311/v2"


def test_service_list_and_definition():
    c = Client()
    listing = c.get(f"{BASE}/services.json").json()
    assert {s["service_code"] for s in listing} == set(Category.values)
    definition = c.get(f"{BASE}/services/conduct_harassment.json").json()
    assert definition["attributes"][0]["code"] == "commune"
    assert c.get(f"{BASE}/services/nope.json").status_code == 404


def test_post_request_is_routed_idempotent_and_trackable(dong_hung, luc_nam):
    c = Client()
    data = {
        "service_code": "conduct_harassment",
        "attribute[commune]": dong_hung.code,
        "description": "Cán bộ một cửa gợi ý nộp thêm tiền.",
    }
    first = c.post(f"{BASE}/requests.json", data, HTTP_IDEMPOTENCY_KEY="zalo-1")
    again = c.post(f"{BASE}/requests.json", data, HTTP_IDEMPOTENCY_KEY="zalo-1")
    assert first.status_code == 201 and again.status_code == 200
    rid, code = first.json()[0]["service_request_id"], first.json()[0]["token"]
    assert again.json()[0]["service_request_id"] == rid and again.json()[0]["token"] == code
    assert code in first.json()[0]["service_notice"] and "chỉ hiện một lần" in first.json()[0]["service_notice"]
    case = Case.objects.get()
    assert case.handling_unit == luc_nam and case.contact_encrypted == "" and rid == case.public_id
    detail = c.get(f"{BASE}/requests/{rid}.json").json()[0]
    assert detail["status"] == "open" and detail["agency_responsible"] == luc_nam.name
    own = c.get(f"{BASE}/requests/{rid}.json", HTTP_X_TRACKING_CODE=code).json()[0]
    assert own["description"] == data["description"] and own["events"][0]["action"] == "Gửi phản ánh"


def test_post_errors_are_open311_shaped_and_vietnamese(dong_hung):
    c = Client()
    assert c.post(f"{BASE}/requests.json", {"service_code": "x"}).json()[0]["code"] == 400
    missing = c.post(f"{BASE}/requests.json", {"service_code": "other", "description": "Nội dung đủ dài để gửi"}).json()[0]
    assert "attribute[commune]" in missing["description"] and "address_id" in missing["description"]
    unknown = c.post(
        f"{BASE}/requests.json", {"service_code": "other", "attribute[commune]": "00000", "description": "Nội dung đủ dài để gửi"}
    )
    assert unknown.status_code == 400 and "Không xác định được xã" in unknown.json()[0]["description"]
    assert Case.objects.count() == 0


def test_public_list_shows_only_published_without_personal_data(make_case, doi_ngo, commune_officer):
    case = make_case(doi_ngo, contact={"name": "Phạm Thị Dung"})
    hidden = make_case(doi_ngo)
    services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    services.answer_case(case=case, by=commune_officer, answer="Xã đã sửa xong mái nhà.")
    services.publish_case(
        case=case,
        by=commune_officer,
        public_summary="Phản ánh mái nhà văn hoá bị dột.",
        public_answer="Xã đã sửa xong mái nhà văn hoá.",
    )
    listing = Client().get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in listing] == [case.public_id]
    assert listing[0]["description"] == "Phản ánh mái nhà văn hoá bị dột." and "Phạm Thị Dung" not in str(listing)
    assert listing[0]["answer"] == "Xã đã sửa xong mái nhà văn hoá."
    unpublished = Client().get(f"{BASE}/requests/{hidden.public_id}.json").json()[0]
    assert unpublished["description"] == "" and unpublished["status"] == "open"
    assert unpublished["answer"] == "" and unpublished["lat"] is None
