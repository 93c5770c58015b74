"""U+0000 in any input is refused with a 400 and a Vietnamese message before a view runs: PostgreSQL
cannot store it in a text column, so the API and the pages answered 500 there (schemathesis found it
on POST /api/v1/feedback/cases), while SQLite stored it silently."""

from __future__ import annotations

import pytest
from django.test import Client

from certification.models import Campaign

pytestmark = pytest.mark.django_db

MESSAGE = "Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL)."


def _campaign_payload(criteria_set_id: int, name: str) -> dict[str, object]:
    return {
        "year": 2027,
        "name": name,
        "criteria_set_id": criteria_set_id,
        "approval_chain": "cp",
        "target_share": "0.5",
        "registration_opens": "2027-03-01",
        "registration_closes": "2027-04-01",
        "self_assessment_due": "2027-05-01",
        "province_appraisal_due": "2027-06-01",
    }


def test_api_json_with_a_nul_character_is_refused_and_nothing_is_stored(client_for, province_officer):
    from certification import services
    from certification.criteria_io import load_sample_spec

    criteria_set = services.publish_criteria_set(
        criteria_set=services.create_criteria_set(spec=load_sample_spec(), by=province_officer), by=province_officer
    )
    client = client_for(province_officer)
    response = client.post(
        "/api/v1/certification/campaigns", _campaign_payload(criteria_set.pk, "Đợt\x002027"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(MESSAGE)
    assert not Campaign.objects.filter(year=2027).exists()
    ok = client.post("/api/v1/certification/campaigns", _campaign_payload(criteria_set.pk, "Đợt 2027"), content_type="application/json")
    assert ok.status_code == 201


def test_nul_in_a_key_of_a_nested_json_object_is_refused(client):
    response = client.post("/api/v1/feedback/cases", {"\x00m": {"a": [1, "b\x00"]}}, content_type="application/json")
    assert response.status_code == 400 and MESSAGE in response.json()["detail"]


def test_form_and_query_with_a_nul_character_get_a_vietnamese_page(bac_giang):
    client = Client()
    search = client.get("/tra-cuu/", {"q": "Bắc\x00Giang"})
    assert search.status_code == 400 and MESSAGE in search.content.decode()
    form = client.post("/phan-anh/", {"description": "Đường\x00làng"})
    assert form.status_code == 400 and MESSAGE in form.content.decode()
    assert client.get("/tra-cuu/", {"q": "Bắc Giang"}).status_code == 200
