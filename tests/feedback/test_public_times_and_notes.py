"""Everything public gives the day only and coarse coordinates; the reporter's tracking timeline
shows only citizen-facing steps, and a staff note only when it is addressed to the reporter."""

import json

import pytest
from django.test import Client

from feedback import crypto, services
from feedback.models import RegisterClass

pytestmark = pytest.mark.django_db
INTERNAL = "Ghi chú nội bộ: người gửi có lẽ là ông hàng xóm."


def _publish(case, by):  # type: ignore[no-untyped-def]
    case = services.accept_case(case=case, by=by, register_class=RegisterClass.RULES_IN_COMPETENCE)
    case = services.answer_case(case=case, by=by, answer="Xã đã sửa xong mái nhà văn hoá.")
    return services.publish_case(case=case, by=by, public_summary="Kiến nghị sửa mái nhà văn hoá.", public_answer="Xã đã sửa xong mái nhà.")


def test_open311_public_list_gives_days_and_two_decimal_coordinates(make_case, doi_ngo, commune_officer, frozen):
    _publish(make_case(doi_ngo, latitude=21.2987654, longitude=106.3912345), commune_officer)
    item = Client().get("/phan-anh/open311/v2/requests.json").json()[0]
    assert (item["lat"], item["long"]) == (21.3, 106.39)
    assert item["requested_datetime"] == "2026-03-03T00:00:00+07:00" and item["updated_datetime"] == "2026-03-03T00:00:00+07:00"
    detail = Client().get(f"/phan-anh/open311/v2/requests/{item['service_request_id']}.json").json()[0]
    assert detail["requested_datetime"] == "2026-03-03T00:00:00+07:00" and detail["lat"] == 21.3


def test_public_tracking_gives_days_not_times(make_case, doi_ngo, frozen):
    case = make_case(doi_ngo)
    code = crypto.decrypt(case.code_encrypted)
    body = Client().post("/api/v1/feedback/track", json.dumps({"code": code}), content_type="application/json").json()
    assert body["received_at"] == "2026-03-03" and body["events"][0]["at"] == "2026-03-03"
    page = Client().post("/phan-anh/tra-cuu/", {"code": code}).content.decode()
    assert "03/03/2026" in page and "09:00" not in page


def _timeline(case):  # type: ignore[no-untyped-def]
    code = crypto.decrypt(case.code_encrypted)
    api = Client().post("/api/v1/feedback/track", json.dumps({"code": code}), content_type="application/json").json()
    page = Client().post("/phan-anh/tra-cuu/", {"code": code}).content.decode()
    return api, page


def test_staff_notes_stay_internal_unless_marked_for_the_reporter(make_case, doi_ngo, dong_hung, district_officer, commune_officer):
    case = make_case(doi_ngo)
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE, note=INTERNAL)
    case = services.assign_case(case=case, by=commune_officer, assignee=commune_officer)
    api, page = _timeline(case)
    assert INTERNAL not in json.dumps(api, ensure_ascii=False) and INTERNAL not in page
    assert [e["action"] for e in api["events"]] == ["submit", "accept"]  # the assignment is internal
    for_reporter = "Phản ánh được chuyển về xã Đông Hưng theo địa bàn."
    case = services.transfer_case(case=case, by=district_officer, to_unit=dong_hung, note=for_reporter, note_for_reporter=True)
    api, page = _timeline(case)
    assert for_reporter in page and api["events"][-1]["note"] == for_reporter


def test_answer_and_request_for_information_reach_the_reporter(make_case, doi_ngo, commune_officer):
    case = make_case(doi_ngo)
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    case = services.request_information(case=case, by=commune_officer, question="Cho biết thôn nào.")
    _api, page = _timeline(case)
    assert "Cho biết thôn nào." in page
