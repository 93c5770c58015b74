"""The JSON API: public submit with Idempotency-Key, tracking by code in the body, reporter
actions; staff list and act with the same services and scope; Vietnamese errors on bad input."""

import json

import pytest
from django.test import Client

from accounts.models import ApiToken
from feedback import services
from feedback.models import Case, Category, RegisterClass

pytestmark = pytest.mark.django_db
API = "/api/v1/feedback"


def submit(body, key="", client=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return (client or Client()).post(
        f"{API}/cases",
        data=body if isinstance(body, str | bytes) else json.dumps(body),
        content_type="application/json",
        **headers,
        **extra,
    )


def payload(unit, **kw):
    return {"category": Category.FACILITIES, "commune_code": unit.code, "description": "Cầu treo thôn Mới bị gãy tay vịn.", **kw}


def test_submit_is_idempotent(dong_hung):
    first = submit(payload(dong_hung), key="app-1")
    second = submit(payload(dong_hung), key="app-1")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["tracking_code"] == second.json()["tracking_code"] and second.json()["created"] is False
    assert Case.objects.count() == 1 and Case.objects.get().channel == "api"


def test_malformed_json_unknown_unit_and_missing_fields(dong_hung):
    bad = submit("{category: ", key="x")
    assert bad.status_code == 400 and "không phải JSON hợp lệ" in bad.json()["detail"]
    unknown = submit(payload(dong_hung, commune_code="00000"))
    assert unknown.status_code == 400 and "Không tìm thấy xã" in json.dumps(unknown.json(), ensure_ascii=False)
    missing = submit({"category": "facilities"})
    assert missing.status_code == 400 and "Thiếu hoặc sai trường" in missing.json()["detail"]
    short = submit(payload(dong_hung, description="ngắn"))
    assert short.status_code == 400 and "ít nhất 10 ký tự" in json.dumps(short.json(), ensure_ascii=False)
    assert Case.objects.count() == 0


def test_rate_limited_with_429(dong_hung, settings):

    settings.FEEDBACK_SUBMIT_BURST = 1
    settings.FEEDBACK_SUBMIT_PER_HOUR = 1
    assert submit(payload(dong_hung), key="a").status_code == 201
    limited = submit(payload(dong_hung), key="b")
    assert limited.status_code == 429 and "nhiều phản ánh" in limited.json()["detail"]
    assert int(limited["Retry-After"]) > 0


def test_track_add_info_confirm_reopen(doi_ngo, commune_officer):
    code = submit(payload(doi_ngo)).json()["tracking_code"]
    c = Client()
    tracked = c.post(f"{API}/track", {"code": code}, content_type="application/json").json()
    assert tracked["status"] == "received" and tracked["events"][0]["action"] == "submit"
    assert c.post(f"{API}/track", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}, content_type="application/json").status_code == 404
    assert c.post(f"{API}/track/info", {"code": code, "text": "Thêm ảnh ở cổng thôn"}, content_type="application/json").status_code == 200
    case = Case.objects.get()
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    assert c.post(f"{API}/track/confirm", {"code": code}, content_type="application/json").status_code == 400
    services.answer_case(case=case, by=commune_officer, answer="Đã hàn lại tay vịn cầu.")
    assert c.post(f"{API}/track/confirm", {"code": code}, content_type="application/json").json()["status"] == "closed"
    reopened = c.post(f"{API}/track/reopen", {"code": code, "reason": "Tay vịn lại gãy"}, content_type="application/json")
    assert reopened.json()["status"] == "in_progress"


def test_staff_endpoints_need_login_and_scope(make_case, doi_ngo, outsider, province_leader, commune_officer, client_for):
    case = make_case(doi_ngo)
    anon = Client()
    assert anon.get(f"{API}/staff/cases").status_code == 401
    assert anon.get(f"{API}/staff/cases/{case.pk}").status_code == 401
    assert anon.post(f"{API}/staff/cases/{case.pk}/actions", {"action": "accept"}, content_type="application/json").status_code == 401
    out = client_for(outsider)
    assert out.get(f"{API}/staff/cases").json() == []
    assert out.get(f"{API}/staff/cases/{case.pk}").status_code == 404
    assert out.post(f"{API}/staff/cases/{case.pk}/actions", {"action": "accept"}, content_type="application/json").status_code == 404
    leader = client_for(province_leader)
    assert leader.get(f"{API}/staff/cases/{case.pk}").status_code == 200
    assert leader.post(f"{API}/staff/cases/{case.pk}/actions", {"action": "start"}, content_type="application/json").status_code == 403


def test_staff_acts_with_bearer_token(make_case, doi_ngo, commune_officer):
    case = make_case(doi_ngo)
    _token, raw = ApiToken.issue(user=commune_officer, name="app")
    c = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    bad = c.post(f"{API}/staff/cases/{case.pk}/actions", {"action": "accept"}, content_type="application/json")
    assert bad.status_code == 400 and "Nghị định 20/2008" in json.dumps(bad.json(), ensure_ascii=False)
    ok = c.post(f"{API}/staff/cases/{case.pk}/actions", {"action": "accept", "register_class": "rules_in"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert [r["id"] for r in c.get(f"{API}/staff/cases?status=accepted").json()] == [case.pk]
