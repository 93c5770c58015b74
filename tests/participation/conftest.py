"""A village of Đồi Ngô with its register, its head, and a matter factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from accounts.models import Role, User
from participation import services
from participation.models import Household, Matter
from units.models import Unit, UnitKind


@pytest.fixture
def village(doi_ngo: Unit) -> Unit:
    v = Unit(code="07444.thon-thu", edition="2024", name="Tổ dân phố Thử", kind=UnitKind.VILLAGE, parent=doi_ngo, households=12)
    v.save()
    return v


@pytest.fixture
def other_village(cam_son: Unit) -> Unit:
    v = Unit(code="07528.ban-khac", edition="2024", name="Bản Khác", kind=UnitKind.VILLAGE, parent=cam_son, households=5)
    v.save()
    return v


@pytest.fixture
def village_head(make_user: Callable[..., User], village: Unit) -> User:
    return make_user(Role.VILLAGE_HEAD, village, username="truongthon")


@pytest.fixture
def households(village: Unit, village_head: User) -> list[Household]:
    """Twelve households in residence (the count every threshold uses)."""
    return [
        services.save_household(village=village, by=village_head, code=f"H{i:02d}", head_name=f"Nguyễn Văn {i}", phone=f"09120000{i:02d}")
        for i in range(1, 13)
    ]


@pytest.fixture
def make_matter(village: Unit, village_head: User) -> Callable[..., Matter]:
    def make(subject: int = 6, method: str = "online", **kwargs: object) -> Matter:
        return services.create_matter(
            village=village, by=village_head, subject=subject, method=method, title=kwargs.pop("title", "Làm đường bê tông ngõ 3"), **kwargs
        )  # type: ignore[arg-type]

    return make


@pytest.fixture
def voting(make_matter: Callable[..., Matter], village_head: User, households: list[Household]) -> tuple[Matter, list[services.IssuedCode]]:
    """A subject-6 matter open for the online vote, 7 of 12 households having agreed; its codes."""
    matter = make_matter()
    services.record_online_agreement(
        matter=matter, by=village_head, households_agreed=7, agreed_on=timezone.localdate(), basis="Biên bản họp 01/12"
    )
    matter = services.announce_matter(
        matter=matter, by=village_head, on=timezone.localdate(), closes_at=timezone.now() + dt.timedelta(days=3)
    )
    codes = services.open_vote(matter=matter, by=village_head)
    matter.refresh_from_db()
    return matter, codes
