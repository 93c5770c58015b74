"""The units API: the public tree, search and one-unit endpoints, the staff committee endpoints
(scoped like the pages) and the OpenAPI document."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import ApiToken
from tests.conftest import DOI_NGO

UNIT_KEYS = {
    "id",
    "code",
    "edition",
    "name",
    "short_name",
    "type_name",
    "kind",
    "parent_id",
    "depth",
    "valid_from",
    "valid_to",
    "successor_id",
    "latitude",
    "longitude",
    "households",
}


def test_tree_gives_the_province_with_its_districts_and_communes(bac_giang):
    body = Client().get("/api/v1/units/tree").json()
    assert set(body) == UNIT_KEYS | {"children"}
    assert (body["id"], body["name"], body["kind"], body["depth"]) == (bac_giang.pk, "Tỉnh Bắc Giang", "province", 1)
    assert len(body["children"]) == 10
    assert sum(len(d["children"]) for d in body["children"]) == 192
    luc_nam = next(d for d in body["children"] if d["code"] == "218")
    assert luc_nam["parent_id"] == bac_giang.pk and luc_nam["kind"] == "district"
    doi_ngo = next(c for c in luc_nam["children"] if c["code"] == DOI_NGO)
    assert doi_ngo["children"] == [] and isinstance(doi_ngo["latitude"], float)


def test_tree_depth_is_limited(bac_giang):
    body = Client().get("/api/v1/units/tree", {"depth": 1}).json()
    assert len(body["children"]) == 10 and all(d["children"] == [] for d in body["children"])
    body = Client().get("/api/v1/units/tree", {"depth": 0}).json()
    assert body["children"] == []


def test_tree_of_the_2025_list(bac_ninh_2025):
    body = Client().get("/api/v1/units/tree", {"edition": "2025", "province_code": "24"}).json()
    assert body["name"] == "Tỉnh Bắc Ninh" and body["valid_from"] == "2025-07-01"
    assert len(body["children"]) == 99 and {c["kind"] for c in body["children"]} == {"commune"}


@pytest.mark.parametrize("params", [{"province_code": "99"}, {"edition": "1999"}])
def test_tree_of_an_unknown_province_is_404(bac_giang, params):
    assert Client().get("/api/v1/units/tree", params).status_code == 404


def test_search_ignores_diacritics_and_puts_higher_levels_first(bac_giang):
    body = Client().get("/api/v1/units/search", {"q": "luc nam"}).json()
    assert body[0]["name"] == "Huyện Lục Nam" and set(body[0]) == UNIT_KEYS
    assert "Xã Đông Hưng" in {u["name"] for u in Client().get("/api/v1/units/search", {"q": "DONG HUNG"}).json()}
    assert len(Client().get("/api/v1/units/search", {"q": "xa", "limit": 5}).json()) == 5
    assert Client().get("/api/v1/units/search", {"q": "khong co don vi nay"}).json() == []
    assert Client().get("/api/v1/units/search", {"q": ""}).json() == []
    assert Client().get("/api/v1/units/search").status_code == 422


def test_search_within_one_edition(bac_ninh_2025):
    body = Client().get("/api/v1/units/search", {"q": "bac giang", "edition": "2025"}).json()
    assert {u["edition"] for u in body} == {"2025"} and "Phường Bắc Giang" in {u["name"] for u in body}


def test_one_unit_and_its_successor(bac_ninh_2025, bac_giang):
    from units.models import Unit

    tho_xuong = Unit.objects.get(edition="2024", code="07201")
    body = Client().get(f"/api/v1/units/{tho_xuong.pk}").json()
    assert body["name"] == "Phường Thọ Xương" and body["valid_to"] == "2025-06-30"
    assert body["successor_id"] == Unit.objects.get(edition="2025", code="07210").pk
    assert Client().get("/api/v1/units/999999").status_code == 404
    assert Client().get("/api/v1/units/abc").status_code == 422


def test_openapi_is_valid_json_listing_the_units_endpoints(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/units/tree",
        "/api/v1/units/search",
        "/api/v1/units/{unit_id}",
        "/api/v1/committees",
        "/api/v1/committees/{committee_id}",
    ):
        assert path in schema["paths"], path
    assert not schema["paths"]["/api/v1/units/tree"]["get"].get("security")
    assert schema["paths"]["/api/v1/committees"]["get"]["security"]


# --- Staff endpoints: committees --------------------------------------------------------------


def test_province_office_reads_committees_with_members(client_for, province_officer, luc_nam_committee, luc_ngan_committee, doi_ngo):
    client = client_for(province_officer)
    listed = client.get("/api/v1/committees").json()
    assert {c["name"] for c in listed} == {"Ban Chỉ đạo QCDC huyện Lục Nam", "Ban Chỉ đạo QCDC huyện Lục Ngạn"}
    body = client.get(f"/api/v1/committees/{luc_nam_committee.pk}").json()
    assert body["unit_id"] == luc_nam_committee.unit_id and body["kind"] == "committee"
    assert [(m["full_name"], m["position"], m["followed_unit_ids"]) for m in body["members"]] == [("Giáp Văn Hùng", "head", [doi_ngo.pk])]


def test_district_staff_see_only_their_districts_committees(client_for, district_officer, luc_nam_committee, luc_ngan_committee):
    client = client_for(district_officer)
    assert [c["id"] for c in client.get("/api/v1/committees").json()] == [luc_nam_committee.pk]
    assert client.get(f"/api/v1/committees/{luc_nam_committee.pk}").status_code == 200


@pytest.mark.parametrize(
    ("persona", "committee"),
    [
        ("outsider", "luc_nam_committee"),
        ("outsider_district", "luc_nam_committee"),
        ("commune_officer", "luc_nam_committee"),
        ("commune_chairman", "luc_nam_committee"),
        ("district_officer", "luc_ngan_committee"),
        ("district_appraiser", "luc_ngan_committee"),
    ],
)
def test_committee_outside_scope_is_404_and_not_listed(request, client_for, persona, committee):
    client = client_for(request.getfixturevalue(persona))
    target = request.getfixturevalue(committee)
    assert client.get(f"/api/v1/committees/{target.pk}").status_code == 404
    assert target.pk not in {c["id"] for c in client.get("/api/v1/committees").json()}


def test_missing_committee_is_404(client_for, province_officer):
    assert client_for(province_officer).get("/api/v1/committees/999999").status_code == 404


def test_committee_endpoints_need_a_verified_staff_session_or_a_token(luc_nam_committee, outsider, make_user, commune_officer):
    url = f"/api/v1/committees/{luc_nam_committee.pk}"
    assert Client().get("/api/v1/committees").status_code == 401
    assert Client().get(url).status_code == 401
    unverified = Client()
    unverified.force_login(commune_officer)
    assert unverified.get("/api/v1/committees").status_code == 401
    citizen = Client()
    citizen.force_login(make_user())
    assert citizen.get("/api/v1/committees").status_code == 401
    assert Client().get(url, headers={"Authorization": "Bearer gr_not-a-token"}).status_code == 401


def test_bearer_token_is_scoped_like_the_session(district_officer, outsider, luc_nam_committee):
    _token, raw = ApiToken.issue(user=district_officer, name="thử")
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get(f"/api/v1/committees/{luc_nam_committee.pk}", headers=headers).status_code == 200
    _token, raw = ApiToken.issue(user=outsider, name="thử")
    assert Client().get(f"/api/v1/committees/{luc_nam_committee.pk}", headers={"Authorization": f"Bearer {raw}"}).status_code == 404
