"""A citizen initiative backed by at least 10 % of all the village's households (each by its own
code, once) must be put to the community: the commune is told and the clock starts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import OutboxMessage
from participation import services
from participation.models import Household, InitiativeCode, InitiativeState


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
