"""Commune-wide matters (art. 21.3): every village of the commune decides it as its own matter, by
its own threshold over all its households; under subjects 1–2 an option needs two thirds of the
villages. The result page shows both levels of arithmetic; a result on contributions is disclosed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from disclosure.models import Disclosure
from participation import rules, services
from participation.models import CommuneMatter, CommuneMatterState, Household, Matter, MatterState
from units.models import Unit, UnitKind

DAY = dt.date(2026, 11, 20)


@pytest.fixture
def villages(doi_ngo: Unit, village: Unit, households: list[Household], commune_officer: User) -> list[Unit]:
    """Three villages of Đồi Ngô: the 12 households of the fixture's, and 6 in each of two more."""
    found = [village]
    for n in (1, 2):
        v = Unit.objects.create(code=f"07444.thon-{n}", edition="2024", name=f"Tổ dân phố Số {n}", kind=UnitKind.VILLAGE, parent=doi_ngo)
        for i in range(1, 7):
            services.save_household(village=v, by=commune_officer, code=f"S{n}-{i}", head_name=f"Trần Văn {i}")
        found.append(v)
    return found


def _decide_village(matter: Matter, by: User, yes: int) -> Matter:
    """A ballot in the village: `yes` households for the first option, the rest of those present against."""
    services.announce_matter(matter=matter, by=by, on=DAY - dt.timedelta(days=5), meeting_on=DAY)
    o_yes, o_no = matter.options.order_by("position")
    total = Household.objects.filter(village=matter.village).count()
    return services.record_result(
        matter=matter,
        by=by,
        decided_on=DAY,
        votes={o_yes.pk: yes, o_no.pk: total - yes},
        minutes="Phát phiếu",
        ballots_returned=total,
    )


def _item(doi_ngo: Unit, commune_officer: User, subject: int) -> CommuneMatter:
    return services.create_commune_matter(
        commune=doi_ngo,
        by=commune_officer,
        subject=subject,
        method="ballot",
        title="Đóng góp làm đường liên thôn",
        on=DAY - dt.timedelta(days=6),
    )


def _parts(item: CommuneMatter) -> dict[str, Matter]:
    return {m.village.code: m for m in item.village_matters.select_related("village")}


def test_two_thirds_of_the_villages_each_by_its_own_households(villages: list[Unit], doi_ngo: Unit, commune_officer: User) -> None:
    item = _item(doi_ngo, commune_officer, subject=1)
    parts = _parts(item)
    assert set(parts) == {v.code for v in villages} and all(m.state == MatterState.DRAFT for m in parts.values())
    # 8/12 households pass (needs 8); 4/6 pass (needs 4); 3/6 fail: 2 of 3 villages = two thirds.
    _decide_village(parts["07444.thon-thu"], commune_officer, yes=8)
    _decide_village(parts["07444.thon-1"], commune_officer, yes=4)
    with pytest.raises(ValidationError, match="Tổ dân phố Số 2"):
        services.decide_commune_matter(item=item, by=commune_officer, on=DAY)
    _decide_village(parts["07444.thon-2"], commune_officer, yes=3)
    item = services.decide_commune_matter(item=item, by=commune_officer, on=DAY, reference="15/TB-UBND")
    assert item.state == CommuneMatterState.DECIDED and item.passed is True and item.villages_total == 3
    assert item.tally[0] == {"option": "Đồng ý", "villages_passed": 2, "needed": 2, "passed": True}
    page = Client().get(reverse("participation_public:commune_matter", args=[item.pk])).content.decode()
    assert "Đồng ý: 2/3 thôn thông qua = 66.7%; cần ít nhất 2 thôn → đạt" in page
    assert "Đồng ý: 3/6 hộ = 50.0%; cần ít nhất 4 hộ → không đạt" in page  # the village's own arithmetic
    # Subject 1 is a disclosure (category 5): the commune-wide result, not each village's part.
    entry = Disclosure.objects.get(source_key=f"participation.commune_matter:{item.pk}")
    assert (entry.obligation.number, entry.document_number) == (5, "15/TB-UBND")
    with pytest.raises(ValidationError, match="đã được tổng hợp"):
        services.decide_commune_matter(item=item, by=commune_officer, on=DAY)
    assert Disclosure.objects.filter(source_key__startswith="participation.").count() == 1


def test_one_village_of_three_is_not_enough(villages: list[Unit], doi_ngo: Unit, commune_officer: User) -> None:
    item = _item(doi_ngo, commune_officer, subject=2)
    parts = _parts(item)
    _decide_village(parts["07444.thon-thu"], commune_officer, yes=12)
    _decide_village(parts["07444.thon-1"], commune_officer, yes=3)
    _decide_village(parts["07444.thon-2"], commune_officer, yes=2)
    item = services.decide_commune_matter(item=item, by=commune_officer, on=DAY)
    assert item.passed is False and item.tally[0]["villages_passed"] == 1


def test_the_rule_counts_villages_like_households() -> None:
    assert rules.villages_needed(1, 9) == 6 and rules.villages_needed(2, 3) == 2 and rules.villages_needed(3, 4) == 3
    assert [c.passed for c in rules.assess_commune(1, 9, [("A", 6), ("B", 5)])] == [True, False]
    assert [c.passed for c in rules.assess_commune(6, 4, [("A", 2), ("B", 3)])] == [False, True]


def test_refusals_change_nothing(villages: list[Unit], doi_ngo: Unit, commune_officer: User, village_head: User) -> None:
    with pytest.raises(PermissionDenied):
        services.create_commune_matter(commune=doi_ngo, by=village_head, subject=1, method="ballot", title="X")
    with pytest.raises(ValidationError, match="nhóm 6"):
        services.create_commune_matter(commune=doi_ngo, by=commune_officer, subject=1, method="online", title="X")
    Unit.objects.create(code="07444.thon-moi", edition="2024", name="Tổ dân phố Mới", kind=UnitKind.VILLAGE, parent=doi_ngo)
    with pytest.raises(ValidationError, match="Tổ dân phố Mới"):
        services.create_commune_matter(commune=doi_ngo, by=commune_officer, subject=1, method="ballot", title="X")
    assert not CommuneMatter.objects.exists() and not Matter.objects.exists()


def test_staff_pages(
    villages: list[Unit], doi_ngo: Unit, commune_officer: User, outsider: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(commune_officer)
    response = client.post(
        reverse("participation:commune_matter_create"),
        {
            "commune": doi_ngo.pk,
            "subject": 1,
            "method": "meeting",
            "title": "Kênh mương nội đồng",
            "description": "",
            "options": "Đồng ý\nKhông đồng ý",
        },
    )
    item = CommuneMatter.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("participation:commune_matter", args=[item.pk])
    page = client.get(reverse("participation:commune_matter", args=[item.pk])).content.decode()
    assert "Tổ dân phố Số 1" in page and "Kết quả toàn xã được tính khi tất cả các thôn đã có kết quả." in page
    refused = client.post(reverse("participation:commune_matter", args=[item.pk]), {"decided_on": DAY.isoformat()}, follow=True)
    assert "các thôn chưa có kết quả" in refused.content.decode()
    assert client_for(outsider).get(reverse("participation:commune_matter", args=[item.pk])).status_code == 404


def test_staff_and_public_api(
    villages: list[Unit], doi_ngo: Unit, commune_officer: User, village_head: User, client_for: Callable[[User], Client]
) -> None:
    body = {"commune_code": "07444", "edition": "2024", "subject": 1, "method": "ballot", "title": "Đường liên thôn"}
    refused = client_for(village_head).post(
        "/api/v1/participation/staff/commune-matters", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 403 and not CommuneMatter.objects.exists()
    created = client_for(commune_officer).post(
        "/api/v1/participation/staff/commune-matters", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201 and len(created.json()["village_matters"]) == 3
    item = CommuneMatter.objects.get()
    url = f"/api/v1/participation/staff/commune-matters/{item.pk}/decide"
    early = client_for(commune_officer).post(url, json.dumps({"decided_on": DAY.isoformat()}), content_type="application/json")
    assert early.status_code == 400 and "chưa có kết quả" in early.json()["detail"]
    for matter, yes in zip(item.village_matters.order_by("village__name"), (4, 4, 8), strict=True):
        _decide_village(matter, commune_officer, yes=yes)
    done = client_for(commune_officer).post(url, json.dumps({"decided_on": DAY.isoformat()}), content_type="application/json")
    assert done.status_code == 200 and done.json()["passed"] is True
    public = Client().get(f"/api/v1/participation/commune-matters/{item.pk}").json()
    assert public["arithmetic"][0]["explanation"] == "Đồng ý: 3/3 thôn thông qua = 100.0%; cần ít nhất 2 thôn → đạt"
