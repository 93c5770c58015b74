"""The OpenAPI document describes what each endpoint really returns: two apps' schemas with the same
class name used to collapse into one component, so certification's campaigns were declared with the
surveys' campaign fields (schemathesis: "response violates schema")."""

from __future__ import annotations

import pytest

from certification.models import Campaign

pytestmark = pytest.mark.django_db


def _response_schema(document: dict, path: str, method: str, status: str) -> dict:  # type: ignore[type-arg]
    content = document["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    ref = content.get("$ref") or content["items"]["$ref"]
    return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]  # type: ignore[no-any-return]


def test_certification_and_survey_campaigns_have_their_own_schemas(client):
    document = client.get("/api/openapi.json").json()
    certification = _response_schema(document, "/api/v1/certification/campaigns", "get", "200")
    created = _response_schema(document, "/api/v1/certification/campaigns", "post", "201")
    surveys = _response_schema(document, "/api/v1/surveys/campaigns", "get", "200")
    assert {"year", "name", "approval_chain", "registration_opens"} <= set(certification["properties"])
    assert created == certification
    assert {"title", "anonymous"} <= set(surveys["properties"])
    assert certification != surveys


def test_api_refuses_a_campaign_with_an_unknown_approval_chain_or_year(client_for, province_officer, criteria_set):
    client = client_for(province_officer)
    payload = {
        "year": 0,
        "name": "Xã Vân Sơn",
        "criteria_set_id": criteria_set.pk,
        "approval_chain": "",
        "target_share": "0.5",
        "registration_opens": "2024-09-01",
        "registration_closes": "2024-09-01",
        "self_assessment_due": "2024-09-01",
        "province_appraisal_due": "2024-09-01",
    }
    response = client.post("/api/v1/certification/campaigns", payload, content_type="application/json")
    assert response.status_code == 422, response.content
    body = response.content.decode("unicode_escape")
    assert "Quy trình xét duyệt không hợp lệ." in body and "Năm đánh giá phải từ 2020 đến 2100." in body
    assert not Campaign.objects.filter(name="Xã Vân Sơn").exists()
