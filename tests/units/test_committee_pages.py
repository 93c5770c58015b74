"""Staff pages for units and steering committees: the province's standing office uses them
end to end; everyone else is refused — 404 outside their scope, 403 for roles that may look but
not manage, a login redirect for anonymous visitors."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from units import services
from units.models import CommitteeMember, SteeringCommittee

Kind = SteeringCommittee.Kind

READ_PAGES = ("units:unit", "units:committee")
WRITE_PAGES = ("units:committee_create", "units:committee_edit", "units:member_add", "units:member_edit")


def _urls(committee: SteeringCommittee) -> dict[str, str]:
    member = committee.members.first()
    return {
        "units:unit": reverse("units:unit", args=[committee.unit_id]),
        "units:committee": reverse("units:committee", args=[committee.pk]),
        "units:committee_create": reverse("units:committee_create", args=[committee.unit_id]),
        "units:committee_edit": reverse("units:committee_edit", args=[committee.pk]),
        "units:member_add": reverse("units:member_add", args=[committee.pk]),
        "units:member_edit": reverse("units:member_edit", args=[member.pk]),
        "units:member_remove": reverse("units:member_remove", args=[member.pk]),
    }


def test_province_office_browses_units_and_committees(client_for, province_officer, luc_nam_committee, luc_nam, bac_giang):
    client = client_for(province_officer)
    page = client.get(reverse("units:unit_list"))
    assert page.status_code == 200 and "Tỉnh Bắc Giang" in page.content.decode()

    page = client.get(reverse("units:unit", args=[bac_giang.pk])).content.decode()
    assert "Huyện Lục Nam" in page and "Huyện Lục Ngạn" in page

    page = client.get(reverse("units:unit", args=[luc_nam.pk])).content.decode()
    assert "Ban Chỉ đạo QCDC huyện Lục Nam" in page and "Thị trấn Đồi Ngô" in page
    assert reverse("units:committee_create", args=[luc_nam.pk]) in page

    page = client.get(reverse("units:committee_list")).content.decode()
    assert "Ban Chỉ đạo QCDC huyện Lục Nam" in page

    page = client.get(reverse("units:committee", args=[luc_nam_committee.pk])).content.decode()
    assert "Giáp Văn Hùng" in page and "Trưởng ban" in page and "Thị trấn Đồi Ngô" in page
    assert reverse("units:committee_edit", args=[luc_nam_committee.pk]) in page


def test_province_office_creates_and_edits_a_committee_through_the_forms(client_for, province_officer, luc_nam, luc_nam_committee):
    client = client_for(province_officer)
    assert client.get(reverse("units:committee_create", args=[luc_nam.pk])).status_code == 200
    response = client.post(
        reverse("units:committee_create", args=[luc_nam.pk]),
        {"kind": Kind.WORKING_GROUP, "parent": luc_nam_committee.pk, "name": "Tổ giúp việc huyện", "established_on": "15/03/2024"},
    )
    group = SteeringCommittee.objects.get(name="Tổ giúp việc huyện")
    assert response.status_code == 302 and response["Location"] == reverse("units:committee", args=[group.pk])
    assert (group.unit, group.parent, group.established_on.isoformat()) == (luc_nam, luc_nam_committee, "2024-03-15")

    assert client.get(reverse("units:committee_edit", args=[group.pk])).status_code == 200
    response = client.post(
        reverse("units:committee_edit", args=[group.pk]),
        {"kind": Kind.WORKING_GROUP, "parent": luc_nam_committee.pk, "name": "Tổ giúp việc (kiện toàn)", "is_active": "on"},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Tổ giúp việc (kiện toàn)"
    assert AuditEntry.objects.filter(model_label="units.SteeringCommittee", object_pk=str(group.pk)).count() == 2


def test_committee_form_errors_are_shown_in_vietnamese_with_what_was_typed(client_for, province_officer, luc_nam):
    client = client_for(province_officer)
    response = client.post(
        reverse("units:committee_create", args=[luc_nam.pk]),
        {"kind": Kind.SUBCOMMITTEE, "name": "Tiểu ban Dân vận chính quyền", "decision_ref": "QĐ 99", "established_on": "31/02/2024"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nhập một ngày hợp lệ" in page
    assert 'value="Tiểu ban Dân vận chính quyền"' in page and 'value="QĐ 99"' in page and 'value="31/02/2024"' in page
    response = client.post(
        reverse("units:committee_create", args=[luc_nam.pk]), {"kind": Kind.SUBCOMMITTEE, "name": "Tiểu ban Dân vận chính quyền"}
    )
    page = response.content.decode()
    assert "phải thuộc một Ban Chỉ đạo" in page and 'value="Tiểu ban Dân vận chính quyền"' in page
    assert not SteeringCommittee.objects.exists()


def test_province_office_adds_edits_and_removes_a_member(client_for, province_officer, luc_nam_committee, doi_ngo, dong_hung):
    client = client_for(province_officer)
    assert client.get(reverse("units:member_add", args=[luc_nam_committee.pk])).status_code == 200
    response = client.post(
        reverse("units:member_add", args=[luc_nam_committee.pk]),
        {
            "full_name": "Lê Thị Lan",
            "job_title": "Chủ tịch Ủy ban MTTQ huyện",
            "position": CommitteeMember.Position.MEMBER,
            "since": "01/01/2024",
            "followed_units": [doi_ngo.pk, dong_hung.pk],
        },
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get(full_name="Lê Thị Lan")
    assert set(member.followed_units.all()) == {doi_ngo, dong_hung}

    edit = client.get(reverse("units:member_edit", args=[member.pk])).content.decode()
    assert 'value="Lê Thị Lan"' in edit and 'value="01/01/2024"' in edit
    assert f'<option value="{doi_ngo.pk}" selected>' in edit and f'<option value="{dong_hung.pk}" selected>' in edit
    response = client.post(
        reverse("units:member_edit", args=[member.pk]),
        {"full_name": "Lê Thị Lan", "position": CommitteeMember.Position.DEPUTY, "since": "01/01/2024", "followed_units": [dong_hung.pk]},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.position == CommitteeMember.Position.DEPUTY and list(member.followed_units.all()) == [dong_hung]

    url = reverse("units:member_remove", args=[member.pk])
    assert client.get(url).status_code == 405
    assert CommitteeMember.objects.filter(pk=member.pk).exists()
    response = client.post(url, {"reason": "Chuyển công tác"})
    assert response.status_code == 302 and response["Location"] == reverse("units:committee", args=[luc_nam_committee.pk])
    assert not CommitteeMember.objects.filter(pk=member.pk).exists()
    assert AuditEntry.objects.get(model_label="units.CommitteeMember", action="delete").reason == "Chuyển công tác"


def test_member_form_errors_are_shown_in_vietnamese_with_what_was_typed(client_for, province_officer, luc_nam_committee, cam_son):
    client = client_for(province_officer)
    url = reverse("units:member_add", args=[luc_nam_committee.pk])
    data = {
        "full_name": "Đào Văn Sơn",
        "job_title": "Trưởng phòng Nội vụ",
        "position": "member",
        "since": "01/05/2024",
        "until": "30/04/2024",
    }
    page = client.post(url, data).content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu." in page
    assert 'value="Đào Văn Sơn"' in page and 'value="Trưởng phòng Nội vụ"' in page and 'value="30/04/2024"' in page
    # A locality of another district is not even offered; posting it anyway is refused.
    page = client.post(url, {**data, "until": "", "followed_units": [cam_son.pk]}).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page and 'value="Đào Văn Sơn"' in page
    page = client.post(url, {**data, "full_name": "", "until": ""}).content.decode()
    assert "Trường này là bắt buộc." in page
    assert luc_nam_committee.members.count() == 1


@pytest.mark.parametrize("persona", ["district_officer", "district_appraiser", "commune_officer", "commune_chairman"])
def test_lucnam_personas_get_404_for_another_districts_pages(request, client_for, persona, luc_ngan_committee):
    client = client_for(request.getfixturevalue(persona))
    for name, url in _urls(luc_ngan_committee).items():
        method = client.post if name == "units:member_remove" else client.get
        assert method(url).status_code == 404, (persona, name)
    assert luc_ngan_committee.members.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "outsider_district", "commune_officer", "commune_chairman"])
def test_personas_outside_lucnam_get_404_for_its_committee(request, client_for, persona, luc_nam_committee):
    """The outsiders are in Lục Ngạn; Đồi Ngô's commune staff are below the district committee."""
    client = client_for(request.getfixturevalue(persona))
    for name, url in _urls(luc_nam_committee).items():
        method = client.post if name == "units:member_remove" else client.get
        assert method(url).status_code == 404, (persona, name)
    assert "Ban Chỉ đạo QCDC huyện Lục Nam" not in client.get(reverse("units:committee_list")).content.decode()


@pytest.mark.parametrize("persona", ["district_officer", "district_appraiser", "province_leader"])
def test_roles_that_may_look_but_not_manage_get_403_on_writes(request, client_for, persona, luc_nam_committee):
    client = client_for(request.getfixturevalue(persona))
    urls = _urls(luc_nam_committee)
    for name in READ_PAGES:
        page = client.get(urls[name])
        assert page.status_code == 200, (persona, name)
        assert urls["units:committee_edit"] not in page.content.decode()
    for name in WRITE_PAGES:
        assert client.get(urls[name]).status_code == 403, (persona, name)
        assert client.post(urls[name], {"name": "x", "full_name": "x"}).status_code == 403, (persona, name)
    assert client.post(urls["units:member_remove"]).status_code == 403
    assert luc_nam_committee.members.count() == 1
    assert SteeringCommittee.objects.get(pk=luc_nam_committee.pk).name == "Ban Chỉ đạo QCDC huyện Lục Nam"


def test_commune_staff_may_look_at_their_communes_committee_but_not_manage_it(
    client_for, province_officer, commune_officer, commune_chairman, doi_ngo
):
    committee = services.create_committee(unit=doi_ngo, by=province_officer, data={"name": "Ban Chỉ đạo xã Đồi Ngô"})
    services.add_member(committee=committee, by=province_officer, data={"full_name": "Phạm Văn Dũng"})
    for user in (commune_officer, commune_chairman):
        client = client_for(user)
        urls = _urls(committee)
        assert client.get(urls["units:committee"]).status_code == 200
        for name in WRITE_PAGES:
            assert client.get(urls[name]).status_code == 403, name
        assert client.post(urls["units:member_remove"]).status_code == 403


def test_anonymous_visitors_are_sent_to_login(luc_nam_committee):
    client = Client()
    for name, url in {**_urls(luc_nam_committee), "units:unit_list": reverse("units:unit_list")}.items():
        response = client.post(url) if name == "units:member_remove" else client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name
    assert luc_nam_committee.members.count() == 1


def test_missing_objects_give_404(client_for, province_officer):
    client = client_for(province_officer)
    for name in ("units:unit", "units:committee", "units:committee_edit", "units:member_edit", "units:committee_create"):
        assert client.get(reverse(name, args=[999999])).status_code == 404, name


def test_committee_list_is_paginated(client_for, province_officer, bac_giang, monkeypatch):
    from units import views

    monkeypatch.setattr(views, "COMMITTEES_PER_PAGE", 2)
    for n in range(3):
        services.create_committee(unit=bac_giang, by=province_officer, data={"name": f"Ban số {n}"})
    client = client_for(province_officer)
    first = client.get(reverse("units:committee_list")).content.decode()
    assert "Ban số 0" in first and "Ban số 1" in first and "Ban số 2" not in first and "Trang 1/2" in first
    second = client.get(reverse("units:committee_list"), {"page": 2}).content.decode()
    assert "Ban số 2" in second and "Ban số 0" not in second


@pytest.mark.django_db
def test_breadcrumb_links_only_the_ancestors_the_user_may_open(client_for, commune_officer, doi_ngo, luc_nam):
    from django.urls import reverse

    page = client_for(commune_officer).get(reverse("units:unit", args=[doi_ngo.pk])).content.decode()
    assert reverse("units:unit", args=[luc_nam.pk]) not in page
    assert "Thị trấn Đồi Ngô" in page
