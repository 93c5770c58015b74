"""Open311 GeoReport v2 as the spec and its clients expect: a public service_request_id apart from
the secret tracking code, the list's filters and paging, ISO 8601 times with the +07:00 offset,
Open311-shaped errors for every status on the prefix, XML output, discovery, address_id and
address_string, and consent to publish given explicitly."""

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
import time_machine
from django.test import Client

from feedback import services
from feedback.models import Case, RegisterClass

from .conftest import HCM

pytestmark = pytest.mark.django_db
BASE = "/phan-anh/open311/v2"
KEY = "3f0b8d8e-6a43-4a52-9c55-0f3f8a6f8d11"


def parse_xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 - our own test server's answer


def post(unit, **extra):
    data = {"service_code": "facilities", "attribute[commune]": unit.code, "description": "Cầu treo thôn Mới bị gãy tay vịn.", **extra}
    return Client().post(f"{BASE}/requests.json", data)


def published(make_case, unit, officer, *, category="facilities", at=None):
    with time_machine.travel(at or dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM), tick=False):
        case = make_case(unit, category=category, allow_publication=True)
        services.accept_case(case=case, by=officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
        services.answer_case(case=case, by=officer, answer="Đã sửa xong.")
        services.publish_case(case=case, by=officer, public_summary="Tóm tắt công khai.", public_answer="Xã đã sửa xong.")
    return case


def test_the_secret_code_is_never_the_id_and_never_needed_in_a_url(dong_hung):
    answer = post(dong_hung).json()[0]
    rid, code = answer["service_request_id"], answer["token"]
    assert rid.startswith("PA-") and rid != code and code not in rid
    assert Client().get(f"{BASE}/requests/{code}.json").status_code == 404  # the code in a URL opens nothing
    public = Client().get(f"{BASE}/requests/{rid}.json").json()[0]
    assert public["description"] == "" and public["answer"] == "" and public["service_code"] == "facilities"
    by_post = Client().post(f"{BASE}/requests/{rid}.json", {"token": code}).json()[0]
    assert by_post["description"] == "Cầu treo thôn Mới bị gãy tay vịn." and by_post["events"]
    wrong = Client().get(f"{BASE}/requests/{rid}.json", HTTP_X_TRACKING_CODE="AAAA-BBBB-CCCC-DDDD")
    assert wrong.status_code == 403 and wrong.json()[0]["code"] == 403


def test_times_are_iso_8601_with_the_vietnam_offset(frozen, dong_hung):
    answer = post(dong_hung).json()[0]
    rid = answer["service_request_id"]
    out = Client().get(f"{BASE}/requests/{rid}.json", HTTP_X_TRACKING_CODE=answer["token"]).json()[0]
    assert out["requested_datetime"] == "2026-03-03T09:00:00+07:00"
    public = Client().get(f"{BASE}/requests/{rid}.json").json()[0]
    assert public["requested_datetime"] == "2026-03-03T00:00:00+07:00"  # the public sees the day only
    assert out["updated_datetime"].endswith("+07:00")
    expected = dt.datetime.fromisoformat(out["expected_datetime"])
    assert expected.utcoffset() == dt.timedelta(hours=7) and expected.date() == Case.objects.get().due_on


def test_list_honours_ids_service_code_status_dates_and_pages_beyond_200(make_case, doi_ngo, commune_officer):
    a = published(make_case, doi_ngo, commune_officer, at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=HCM))
    b = published(make_case, doi_ngo, commune_officer, category="other", at=dt.datetime(2026, 2, 5, 9, 0, tzinfo=HCM))
    unpublished = make_case(doi_ngo)
    c = Client()

    def ids(**params):
        response = c.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert ids() == [b.public_id, a.public_id]
    assert ids(service_request_id=f"{a.public_id},{unpublished.public_id}") == [unpublished.public_id, a.public_id]
    assert ids(service_code="other") == [b.public_id]
    assert ids(status="closed") == [b.public_id, a.public_id] and ids(status="open") == []
    assert ids(start_date="2026-02-01T00:00:00+07:00") == [b.public_id]
    assert ids(end_date="2026-01-31") == [a.public_id]
    assert ids(page_size="1", page="2") == [a.public_id]
    for bad in ({"page": "-1"}, {"page_size": "x"}, {"start_date": "hôm qua"}, {"status": "done"}):
        assert c.get(f"{BASE}/requests.json", bad).json()[0]["code"] == 400


def test_more_than_200_published_cases_are_reachable_page_by_page(make_case, doi_ngo, commune_officer):
    first = published(make_case, doi_ngo, commune_officer)
    Case.objects.filter(pk=first.pk).update(public_id="PA-TEMPLATE")
    template = Case.objects.get(pk=first.pk)
    for i in range(205):
        template.pk, template.public_id, template.code_digest, template.register_number = None, f"PA-{i:05d}", f"d{i}", 1000 + i
        template.save()
    c = Client()
    pages = [c.get(f"{BASE}/requests.json", {"page": p, "page_size": 200}).json() for p in (1, 2)]
    assert [len(p) for p in pages] == [200, 6]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("delete", "services.json", 405),
        ("put", "requests.json", 405),
        ("get", "nothing-here.json", 404),
        ("get", "tokens/ABC.json", 404),
        ("get", "services/nope.json", 404),
        ("get", "requests/PA-NOTEXIST.json", 404),
        ("get", "requests/cong-khai-²³.json", 404),
        ("get", "requests/ĐƠN-1.json", 404),
        ("post", "requests.json", 400),
    ],
)
def test_every_error_on_the_prefix_is_open311_shaped_json(method, path, status, bac_giang):
    response = getattr(Client(), method)(f"{BASE}/{path}")
    assert response.status_code == status and response["Content-Type"].startswith("application/json")
    [error] = response.json()
    assert error["code"] == status and error["description"]


def test_errors_in_xml_for_xml_paths_and_oversized_bodies_are_413(settings, bac_giang):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post(f"{BASE}/requests.xml", {"service_code": "other", "description": "x" * 5000})
    assert response.status_code == 413
    root = parse_xml(response.content)
    assert root.tag == "errors" and root.find("error/code").text == "413"
    assert parse_xml(Client().get(f"{BASE}/nothing.xml").content).find("error/code").text == "404"


def test_xml_output_for_services_definition_requests_and_post(dong_hung):
    c = Client()
    services_xml = parse_xml(c.get(f"{BASE}/services.xml").content)
    assert services_xml.tag == "services" and services_xml.find("service/service_code") is not None
    definition = parse_xml(c.get(f"{BASE}/services/facilities.xml").content)
    assert definition.tag == "service_definition"
    assert "allow_publication" in [a.text for a in definition.findall("attributes/attribute/code")]
    created = Client().post(
        f"{BASE}/requests.xml",
        {"service_code": "facilities", "attribute[commune]": dong_hung.code, "description": "Cầu treo thôn Mới bị gãy tay vịn."},
    )
    assert created.status_code == 201 and created["Content-Type"].startswith("text/xml")
    request_xml = parse_xml(created.content)
    rid = request_xml.find("request/service_request_id").text
    assert request_xml.tag == "service_requests" and request_xml.find("request/token").text
    single = parse_xml(c.get(f"{BASE}/requests/{rid}.xml").content)
    assert single.find("request/service_request_id").text == rid and single.find("request/status").text == "open"
    assert parse_xml(c.get(f"{BASE}/requests.xml").content).tag == "service_requests"


def test_discovery_in_json_and_xml():
    c = Client()
    endpoint = c.get(f"{BASE}/discovery.json").json()["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2" and endpoint["url"].endswith("/open311/v2")
    assert parse_xml(c.get(f"{BASE}/discovery.xml").content).find("endpoints/endpoint/formats/format") is not None


def test_address_id_and_address_string_are_used(dong_hung):
    response = Client().post(
        f"{BASE}/requests.json",
        {
            "service_code": "facilities",
            "address_id": dong_hung.code,
            "address_string": "Cổng chợ thôn Mới",
            "description": "Cầu treo thôn Mới bị gãy tay vịn.",
        },
    )
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.concerned_unit == dong_hung and case.location_text == "Cổng chợ thôn Mới"


def test_consent_to_publish_is_explicit_and_stored(dong_hung):
    post(dong_hung)
    post(dong_hung, **{"attribute[allow_publication]": "true", "description": "Đèn đường thôn Đông tắt cả tháng nay."})
    assert sorted(Case.objects.values_list("allow_publication", flat=True)) == [False, True]


def test_an_oversized_form_encoded_body_is_an_open311_413_too(settings, bac_giang):
    # Both body encodings pass core.nul_bytes' check first; neither may reach the view as an empty form.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = "service_code=other&description=" + "x" * 5000
    response = Client().post(f"{BASE}/requests.json", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and response.json()[0]["code"] == 413
