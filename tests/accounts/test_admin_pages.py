"""The administration pages, used as the province's standing office would."""

import pytest
from django.urls import reverse

from accounts.models import ApiToken, Role, RoleAssignment, User
from core.models import AuditEntry, CalendarDay
from tests.conftest import verified_client


@pytest.mark.django_db
def test_standing_office_creates_an_account_through_the_form(province_officer, doi_ngo):
    client = verified_client(province_officer)
    assert client.get(reverse("accounts:user_create")).status_code == 200
    data = {
        "username": "xa.moi",
        "last_name": "Trần Thị",
        "first_name": "Hoa",
        "unit": doi_ngo.pk,
        "role": Role.COMMUNE_OFFICER,
        "password1": "Mat-khau-Manh-2024",
        "password2": "Mat-khau-Khac-2024",
    }
    mismatch = client.post(reverse("accounts:user_create"), data)
    assert "Hai mật khẩu không khớp." in mismatch.content.decode()
    assert 'value="Trần Thị"' in mismatch.content.decode()
    data["password2"] = data["password1"]
    response = client.post(reverse("accounts:user_create"), data)
    user = User.objects.get(username="xa.moi")
    assert response["Location"] == reverse("accounts:user", args=[user.pk])
    page = client.get(reverse("accounts:user", args=[user.pk])).content.decode()
    assert "Cán bộ, công chức cấp xã" in page and "Thị trấn Đồi Ngô" in page


@pytest.mark.django_db
def test_users_list_and_detail_only_show_accounts_in_scope(province_officer, commune_officer, outsider):
    client = verified_client(province_officer)
    listing = client.get(reverse("accounts:users")).content.decode()
    assert commune_officer.username in listing and outsider.username in listing


@pytest.mark.django_db
def test_grant_and_revoke_from_the_user_page(province_officer, commune_officer, dong_hung):
    client = verified_client(province_officer)
    url = reverse("accounts:user", args=[commune_officer.pk])
    wrong = client.post(url, {"unit": dong_hung.pk, "role": Role.DISTRICT_APPRAISER})
    assert "không cấp được" in wrong.content.decode()
    client.post(url, {"unit": dong_hung.pk, "role": Role.COMMUNE_OFFICER})
    assignment = RoleAssignment.objects.get(user=commune_officer, unit=dong_hung)
    client.post(reverse("accounts:role_revoke", args=[assignment.pk]))
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.django_db
def test_own_api_token_is_shown_once_and_can_be_revoked(commune_officer, outsider):
    client = verified_client(commune_officer)
    response = client.post(reverse("accounts:tokens"), {"name": "Ứng dụng của xã"})
    token = ApiToken.objects.get(user=commune_officer)
    body = response.content.decode()
    assert token.prefix in body and "chỉ hiển thị một lần" in body
    assert "gr_" not in client.get(reverse("accounts:tokens")).content.decode().replace(token.prefix, "")
    # Another user's token id is not found.
    assert verified_client(outsider).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_bearer_token_authenticates_within_the_owners_scope(client, commune_officer, doi_ngo, cam_son):
    from accounts import services
    from units.models import SteeringCommittee

    mine = SteeringCommittee.objects.create(unit=doi_ngo, name="BCĐ Đồi Ngô")
    theirs = SteeringCommittee.objects.create(unit=cam_son, name="BCĐ Cấm Sơn")
    token, raw = services.issue_api_token(user=commune_officer, by=commune_officer, name="app")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/committees/{mine.pk}", **auth).status_code == 200
    assert client.get(f"/api/v1/committees/{theirs.pk}", **auth).status_code == 404
    assert [c["id"] for c in client.get("/api/v1/committees", **auth).json()] == [mine.pk]
    assert client.get("/api/v1/committees", HTTP_AUTHORIZATION="Bearer gr_wrong").status_code == 401
    services.revoke_api_token(token=token, by=commune_officer)
    assert client.get("/api/v1/committees", **auth).status_code == 401


@pytest.mark.django_db
def test_calendar_page_adds_and_removes_a_day_off(province_officer):
    client = verified_client(province_officer)
    page = client.get(reverse("accounts:calendar") + "?nam=2025").content.decode()
    assert "29/01/2025" in page  # Tết Ất Tỵ
    bad = client.post(reverse("accounts:calendar"), {"date": "31/02/2026", "kind": "off", "reason": "x"})
    assert "dd/mm/yyyy" in bad.content.decode()
    client.post(reverse("accounts:calendar"), {"date": "02/03/2026", "kind": "off", "reason": "QĐ 12/QĐ-UBND"})
    day = CalendarDay.objects.get()
    client.post(reverse("accounts:calendar_remove", args=[day.pk]))
    assert not CalendarDay.objects.exists()
    assert AuditEntry.objects.filter(model_label="core.CalendarDay").count() == 2


@pytest.mark.django_db
def test_audit_page_shows_before_and_after(province_officer, doi_ngo):
    from units import services as unit_services

    committee = unit_services.create_committee(unit=doi_ngo, by=province_officer, data={"name": "BCĐ cũ"})
    unit_services.update_committee(committee=committee, by=province_officer, data={"name": "BCĐ mới"})
    page = verified_client(province_officer).get(reverse("accounts:audit") + "?model=units.SteeringCommittee").content.decode()
    assert "BCĐ cũ" in page and "BCĐ mới" in page
