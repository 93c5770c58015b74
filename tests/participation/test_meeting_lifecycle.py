"""A village meeting: notice, attendance, result with the arithmetic over all households, minutes,
sent within 5 working days and recognised by the commune, each step refused out of order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import OutboxMessage
from participation import services
from participation.models import Household, Matter, MatterState
from units.models import Unit, UnitKind
from units.structure import UnitNotInForce


def _decided(make_matter: Callable[..., Matter], village_head: User, households: list[Household], yes: int) -> Matter:
    matter = make_matter(subject=1, method="meeting")
    day = dt.date(2026, 11, 20)  # a Friday
    services.announce_matter(matter=matter, by=village_head, on=day - dt.timedelta(days=5), meeting_on=day)
    o_yes, o_no = matter.options.order_by("position")
    present = households[:10]
    return services.record_result(
        matter=matter,
        by=village_head,
        decided_on=day,
        votes={o_yes.pk: yes, o_no.pk: 10 - yes},
        minutes="Họp thôn",
        attendance=[(h, "Đại diện " + h.code) for h in present],
    )


def test_two_thirds_of_all_households_not_of_those_present(
    make_matter: Callable[..., Matter], village_head: User, households: list[Household]
) -> None:
    matter = _decided(make_matter, village_head, households, yes=7)  # 7 of 10 present, but of 12 households
    assert matter.state == MatterState.DECIDED and matter.passed is False
    assert (matter.households_total, matter.represented) == (12, 10)
    # 5 working days after Friday 20/11/2026, skipping the weekends and 24/11 (Ngày Văn hóa Việt Nam):
    # 23, 25, 26, 27 and Monday 30/11.
    assert matter.send_due_on == dt.date(2026, 11, 30)
    assert matter.attendance.count() == 10


def test_send_and_recognise_with_their_clocks(
    make_matter: Callable[..., Matter], village_head: User, households: list[Household], commune_officer: User
) -> None:
    commune_officer.email = "xa@example.invalid"
    commune_officer.save()
    matter = _decided(make_matter, village_head, households, yes=8)
    assert matter.passed is True
    with pytest.raises(PermissionDenied):
        services.recognise_matter(matter=matter, by=village_head, on=dt.date(2026, 11, 25), reference="1/QĐ")
    with pytest.raises(ValidationError, match="Không thể"):
        services.recognise_matter(matter=matter, by=commune_officer, on=dt.date(2026, 11, 25), reference="1/QĐ")
    matter = services.send_to_commune(matter=matter, by=village_head, on=dt.date(2026, 11, 23))
    assert matter.recognise_due_on == dt.date(2026, 12, 1)  # 25, 26, 27, 30/11 and 01/12
    assert OutboxMessage.objects.filter(recipient="xa@example.invalid").exists()
    matter = services.recognise_matter(matter=matter, by=commune_officer, on=dt.date(2026, 11, 25), reference="12/QĐ-UBND")
    assert matter.state == MatterState.RECOGNISED


def test_result_refusals_change_nothing(make_matter: Callable[..., Matter], village_head: User, households: list[Household]) -> None:
    matter = make_matter(subject=3, method="meeting")
    services.announce_matter(matter=matter, by=village_head, on=timezone.localdate(), meeting_on=timezone.localdate())
    o_yes, _o_no = matter.options.order_by("position")
    with pytest.raises(ValidationError, match="vượt số hộ tham gia"):
        services.record_result(
            matter=matter,
            by=village_head,
            decided_on=timezone.localdate(),
            votes={o_yes.pk: 3},
            minutes="x",
            attendance=[(households[0], "A")],
        )
    with pytest.raises(ValidationError, match="biên bản"):
        services.record_result(matter=matter, by=village_head, decided_on=timezone.localdate(), votes={}, minutes=" ")
    matter.refresh_from_db()
    assert matter.state == MatterState.ANNOUNCED and not matter.attendance.exists()


def test_a_unit_not_in_force_is_refused_with_its_successor(village_head: User, village: Unit, make_user: Callable[..., User]) -> None:
    village.valid_to = dt.date(2025, 6, 30)
    new = Unit(code="thu-2025", edition="2025", name="Thôn Mới", kind=UnitKind.VILLAGE, parent=village.parent)
    new.save()
    village.successor = new
    village.save()
    with pytest.raises(UnitNotInForce) as caught:
        services.create_matter(village=village, by=village_head, subject=6, method="meeting", title="X")
    assert caught.value.successor == new


def test_staff_page_and_public_page_show_the_arithmetic(
    make_matter: Callable[..., Matter],
    village_head: User,
    households: list[Household],
    province_officer: User,
    outsider: User,
    client_for: Callable[[User], Client],
) -> None:
    matter = _decided(make_matter, village_head, households, yes=7)
    staff = client_for(province_officer).get(reverse("participation:matter", args=[matter.pk])).content.decode()
    assert "Đồng ý: 7/12 hộ = 58.3%; cần ít nhất 8 hộ → không đạt" in staff
    assert "Đại diện H01" not in staff  # who represented whom: the commune and the village head only
    assert client_for(outsider).get(reverse("participation:matter", args=[matter.pk])).status_code == 404
    public = Client().get(reverse("participation_public:matter", args=[matter.pk])).content.decode()
    assert "cần ít nhất 8 hộ" in public and "Họp thôn" in public and "Nguyễn Văn" not in public
    draft = make_matter(title="Nháp")
    assert Client().get(reverse("participation_public:matter", args=[draft.pk])).status_code == 404
    portal = Client().get(reverse("portal:unit", args=[matter.village.parent.edition, matter.village.parent.code]))
    assert matter.title in portal.content.decode()
