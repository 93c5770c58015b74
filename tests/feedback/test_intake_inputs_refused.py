"""Bad input at every intake edge is refused with a clear Vietnamese message, never a 500 and never
stored: nan/inf and out-of-province coordinates, NUL bytes, an over-long description (limit
stated, not silently cut), yes/no spellings other than the usual ones, a negative offset."""

import json

import pytest
from django.test import Client

from core.text import parse_yes_no
from feedback.models import Case, Category

from .test_public_submission import URL, form_data

pytestmark = pytest.mark.django_db
API = "/api/v1/feedback/cases"
OPEN311 = "/phan-anh/open311/v2/requests.json"
TEXT = "Cầu treo thôn Mới bị gãy tay vịn."


def api(unit, **fields):
    body = json.dumps({"category": Category.FACILITIES, "commune_code": unit.code, "description": TEXT, **fields})
    return Client().post(API, body, content_type="application/json")


def open311(unit, **fields):
    return Client().post(OPEN311, {"service_code": "facilities", "attribute[commune]": unit.code, "description": TEXT, **fields})


def said(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.mark.parametrize(("lat", "lon"), [("nan", "106.4"), ("inf", "106.4"), ("21.3", "-inf"), ("95", "106.4"), ("1e400", "1")])
def test_open311_not_a_real_coordinate_is_refused(dong_hung, lat, lon):
    response = open311(dong_hung, lat=lat, long=lon)
    assert response.status_code == 400 and response.json()[0]["code"] == 400
    assert Case.objects.count() == 0


def test_open311_coordinates_without_commune_that_are_not_real_are_refused_not_500(bac_giang):
    response = Client().post(OPEN311, {"service_code": "facilities", "description": TEXT, "lat": "inf", "long": "inf"})
    assert response.status_code == 400 and Case.objects.count() == 0


def test_coordinates_outside_the_province_are_refused_even_with_a_commune(dong_hung):
    saigon = open311(dong_hung, lat="10.78", long="106.70")
    assert saigon.status_code == 400 and "ngoài địa bàn tỉnh" in saigon.json()[0]["description"]
    assert api(dong_hung, latitude=10.78, longitude=106.70).status_code == 400
    assert open311(dong_hung, lat="21.39", long="106.44").status_code == 201  # inside: kept
    assert Case.objects.get().latitude == 21.39


@pytest.mark.parametrize("raw", ['{"latitude": NaN, "longitude": 106.4}', '{"latitude": 21.3, "longitude": Infinity}'])
def test_api_nan_and_infinity_coordinates_are_refused(dong_hung, raw):
    body = json.loads(raw) | {"category": Category.FACILITIES, "commune_code": dong_hung.code, "description": TEXT}
    response = Client().post(API, json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and "Toạ độ" in said(response)
    assert Case.objects.count() == 0


def test_nul_byte_is_refused_on_every_edge(dong_hung, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    text = "Nội dung có ký tự\x00 lạ ở giữa câu."
    assert api(dong_hung, description=text).status_code == 400
    assert api(dong_hung, contact_name="An\x00").status_code == 400
    assert open311(dong_hung, description=text).status_code == 400
    assert open311(dong_hung, address_string="thôn\x00").status_code == 400
    assert Client().post(URL, form_data(dong_hung, description=text)).status_code == 400
    assert Case.objects.count() == 0
    code = api(dong_hung).json()["tracking_code"]
    info = Client().post("/api/v1/feedback/track/info", {"code": code, "text": "thêm\x00 ảnh"}, content_type="application/json")
    assert info.status_code == 400 and "NUL" in said(info)


def test_an_over_long_description_is_refused_with_the_limit_not_cut(dong_hung, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    long_text = "Cầu treo bị gãy. " * 60000  # about 1 MB
    for response in (api(dong_hung, description=long_text), open311(dong_hung, description=long_text)):
        assert response.status_code == 400 and "10000" in said(response)
    form = Client().post(URL, form_data(dong_hung, description="a" * 10001))
    assert form.status_code == 400 and "10000" in said(form)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("có", True),
        ("Có", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("off", False),
        ("không", False),
    ],
)
def test_usual_yes_no_spellings_are_read_on_every_edge(dong_hung, value, expected, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    assert api(dong_hung, about_officials=value).status_code == 201
    assert open311(dong_hung, **{"attribute[about_officials]": value}).status_code == 201
    assert Client().post(URL, form_data(dong_hung, about_officials=value)).status_code == 200
    assert list(Case.objects.values_list("about_officials", flat=True)) == [expected] * 3


@pytest.mark.parametrize("value", ["maybe", "True!", "2", "yess"])
def test_other_yes_no_values_are_refused_on_every_edge(dong_hung, value, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    assert api(dong_hung, about_officials=value).status_code == 400
    assert open311(dong_hung, **{"attribute[about_officials]": value}).status_code == 400
    assert open311(dong_hung, **{"attribute[allow_publication]": value}).status_code == 400
    assert Client().post(URL, form_data(dong_hung, about_officials=value)).status_code == 400
    assert Case.objects.count() == 0


def test_parse_yes_no_reads_booleans_and_blank_and_refuses_the_rest():
    assert parse_yes_no(True) is True and parse_yes_no(None) is False and parse_yes_no(" ") is False
    assert parse_yes_no("KHÔNG") is False and parse_yes_no("nope") is None


def test_json_api_publishes_only_with_explicit_consent(dong_hung):
    api(dong_hung)
    api(dong_hung, allow_publication=True, description="Đèn đường thôn Đông tắt cả tháng nay.")
    assert sorted(Case.objects.values_list("allow_publication", flat=True)) == [False, True]


def test_negative_offset_in_the_staff_api_is_refused(client_for, province_leader):
    response = client_for(province_leader).get("/api/v1/feedback/staff/cases?offset=-1")
    assert response.status_code == 400 and "offset" in said(response)


def test_an_offset_past_the_databases_integer_range_is_refused(client_for, province_leader):
    # schemathesis found ?offset=17859858957074640896 answered 500 on PostgreSQL.
    response = client_for(province_leader).get("/api/v1/feedback/staff/cases?offset=17859858957074640896&limit=-824845")
    assert response.status_code == 400 and "offset" in said(response)
    assert client_for(province_leader).get("/api/v1/feedback/staff/cases?offset=1000000000&limit=-5").status_code == 200
