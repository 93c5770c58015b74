"""A citizen initiative backed by at least 10 % of all the village's households (each by its own
code, once) must be put to the community: the commune is told and the clock starts."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import OutboxMessage
from participation import services
from participation.models import Household, InitiativeCode, InitiativeState, Matter


def test_ten_percent_of_all_households_reaches_it(households: list[Household], village_head: User, commune_officer: User) -> None:
    commune_officer.email = "xa@example.invalid"
    commune_officer.save()
    initiative, issued = services.open_initiative(
        village=households[0].village, by=village_head, title="Lắp đèn đường ngõ 5", proposal="Ngõ tối", proposed_by="Ông Nguyễn Văn 1"
    )
    assert (initiative.households_total, initiative.needed, len(issued)) == (12, 2, 12)  # 10 % of 12 is 1.2: two households
    services.support_initiative(code=issued[0].code)
    with pytest.raises(ValidationError, match="chỉ tính một lần"):
        services.support_initiative(code=issued[0].code)
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.COLLECTING and not OutboxMessage.objects.exists()
    reached = services.support_initiative(code=services.format_code(issued[1].code))
    assert reached.state == InitiativeState.REACHED and reached.reached_on == timezone.localdate()
    assert OutboxMessage.objects.filter(recipient="xa@example.invalid", subject__contains="đủ số hộ ủng hộ").count() == 1
    services.support_initiative(code=issued[2].code)
    assert OutboxMessage.objects.count() == 1
    with pytest.raises(ValidationError, match="không đúng"):
        services.support_initiative(code="2222222222")
    assert InitiativeCode.objects.filter(supported=True).count() == 3


def test_public_page_and_staff_slips(
    households: list[Household], village_head: User, province_officer: User, client_for: Callable[[User], Client]
) -> None:
    village = households[0].village
    url = reverse("participation:initiative_open", args=[village.pk])
    data = {"title": "Làm sân bóng", "proposal": "Sân cho thiếu nhi", "proposed_by": "Bà Trần Thị B"}
    assert client_for(province_officer).post(url, data).status_code == 404
    response = client_for(village_head).post(url, data)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    page = Client().post(reverse("participation_public:initiative"), {"code": "ABCDE-FGHJK"})
    assert page.status_code == 422 and "không đúng" in page.content.decode()


def test_a_zalo_mini_app_lists_and_backs_initiatives_through_the_api(
    households: list[Household], village_head: User, doi_ngo: object
) -> None:
    initiative, issued = services.open_initiative(
        village=households[0].village, by=village_head, title="Lắp đèn đường ngõ 5", proposal="Ngõ tối", proposed_by="Ông A"
    )
    client = Client()
    listed = client.get("/api/v1/participation/initiatives", {"commune_code": "07444", "edition": "2024"}).json()
    assert [(i["id"], i["backing"], i["needed"], i["state"]) for i in listed] == [(initiative.pk, 0, 2, "collecting")]
    backed = client.post("/api/v1/participation/initiatives/support", json.dumps({"code": issued[0].code}), content_type="application/json")
    assert backed.status_code == 200 and backed.json()["backing"] == 1
    again = client.post("/api/v1/participation/initiatives/support", json.dumps({"code": issued[0].code}), content_type="application/json")
    assert again.status_code == 422 and "chỉ tính một lần" in again.json()["detail"]
    reached = client.post(
        "/api/v1/participation/initiatives/support", json.dumps({"code": issued[1].code.lower()}), content_type="application/json"
    ).json()
    assert (reached["backing"], reached["state"], reached["matter_id"]) == (2, "reached", None)
    assert (
        client.get("/api/v1/participation/initiatives", {"commune_code": "07444", "edition": "2024", "collecting_only": True}).json() == []
    )
    assert client.get("/api/v1/participation/initiatives", {"commune_code": "00000"}).status_code == 404


def test_an_initiative_that_reached_its_backing_becomes_a_matter_once(
    households: list[Household], village_head: User, commune_officer: User, client_for: Callable[[User], Client]
) -> None:
    commune_officer.email = "xa@example.invalid"
    commune_officer.save()
    initiative, issued = services.open_initiative(
        village=households[0].village, by=village_head, title="Làm sân bóng", proposal="Sân cho thiếu nhi", proposed_by="Bà B"
    )
    with pytest.raises(ValidationError, match="chưa đủ số hộ ủng hộ"):
        services.put_initiative_to_community(initiative=initiative, by=village_head, subject=6, method="meeting")
    for slip in issued[:2]:
        services.support_initiative(code=slip.code)
    url = f"/api/v1/participation/staff/initiatives/{initiative.pk}/matter"
    done = client_for(commune_officer).post(url, json.dumps({"subject": 6, "method": "meeting"}), content_type="application/json")
    assert done.status_code == 200 and done.json()["title"] == "Làm sân bóng" and done.json()["state"] == "draft"
    matter = Matter.objects.get(initiative=initiative)
    assert matter.description == "Sân cho thiếu nhi"
    assert OutboxMessage.objects.filter(recipient="xa@example.invalid", subject__contains="được đưa ra bàn").count() == 1
    twice = client_for(village_head).post(
        reverse("participation:initiative_to_matter", args=[initiative.pk]), {"subject": 6, "method": "meeting"}, follow=True
    )
    assert "đã được đưa ra cộng đồng" in twice.content.decode() and Matter.objects.filter(initiative=initiative).count() == 1
    page = client_for(village_head).get(reverse("participation:village", args=[initiative.village_id])).content.decode()
    assert reverse("participation:matter", args=[matter.pk]) in page
