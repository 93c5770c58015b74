"""The new Bắc Ninh (2025 list) with two communes of it, villages in the first, and the personas of
the access tests at 2025 units; a second province whose officer sees nothing of Bắc Ninh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import translation

from accounts.actors import SYSTEM
from accounts.models import Role, User
from supervision import services
from supervision.models import Board, BoardKind, Position
from units.importing import import_official_units
from units.models import Unit, UnitKind

TERM_START = dt.date(2025, 10, 1)
TERM_END = dt.date(2030, 9, 30)


@pytest.fixture(autouse=True)
def vietnamese():  # type: ignore[no-untyped-def]
    with translation.override("vi"):
        yield


@pytest.fixture
def bac_ninh(bac_giang: Unit) -> Unit:
    if not Unit.objects.filter(edition="2025", kind=UnitKind.PROVINCE, code="24").exists():
        import_official_units(province_code="24", structure="2025")
    return Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")


@pytest.fixture
def commune(bac_ninh: Unit) -> Unit:
    return Unit.objects.filter(parent=bac_ninh, kind=UnitKind.COMMUNE).order_by("code")[0]


@pytest.fixture
def other_commune(bac_ninh: Unit) -> Unit:
    return Unit.objects.filter(parent=bac_ninh, kind=UnitKind.COMMUNE).order_by("code")[1]


@pytest.fixture
def villages(commune: Unit) -> list[Unit]:
    return [
        Unit.objects.create(
            parent=commune,
            kind=UnitKind.VILLAGE,
            edition="2025",
            code=f"{commune.code}-T{i}",
            name=f"Thôn {i}",
            valid_from=dt.date(2025, 7, 1),
        )
        for i in range(1, 7)
    ]


@pytest.fixture
def other_province(db) -> Unit:  # type: ignore[no-untyped-def]
    province = Unit.objects.create(kind=UnitKind.PROVINCE, edition="2025", code="T99", name="Tỉnh Thử")
    Unit.objects.create(parent=province, kind=UnitKind.COMMUNE, edition="2025", code="T9901", name="Xã Thử")
    return province


@pytest.fixture
def officer(make_user: Callable[..., User], commune: Unit) -> User:
    return make_user(Role.COMMUNE_OFFICER, commune, username="xa.canbo")


@pytest.fixture
def chairman(make_user: Callable[..., User], commune: Unit) -> User:
    return make_user(Role.COMMUNE_CHAIRMAN, commune, username="xa.chutich")


@pytest.fixture
def neighbour(make_user: Callable[..., User], other_commune: Unit) -> User:
    """An officer of another commune of the same province: sees nothing of `commune`."""
    return make_user(Role.COMMUNE_OFFICER, other_commune, username="xa.khac")


@pytest.fixture
def office(make_user: Callable[..., User], bac_ninh: Unit) -> User:
    return make_user(Role.PROVINCE_OFFICE, bac_ninh, username="tinh.vanphong")


@pytest.fixture
def leader(make_user: Callable[..., User], bac_ninh: Unit) -> User:
    return make_user(Role.PROVINCE_LEADER, bac_ninh, username="tinh.lanhdao")


@pytest.fixture
def foreigner(make_user: Callable[..., User], other_province: Unit) -> User:
    """The standing office of another province: sees nothing of Bắc Ninh."""
    return make_user(Role.PROVINCE_OFFICE, other_province, username="tinhkhac")


def full_board(commune: Unit, villages: list[Unit]) -> Board:
    board = services.create_board(
        by=SYSTEM, unit=commune, kind=BoardKind.INSPECTION, name="Ban Thanh tra nhân dân", term_start=TERM_START, term_end=TERM_END
    )
    for i, village in enumerate(villages):
        position = Position.HEAD if i == 0 else Position.DEPUTY if i in (1, 2) else Position.MEMBER
        services.add_member(by=SYSTEM, board=board, full_name=f"Thành viên {i}", position=position, village=village, term_start=TERM_START)
    return board


@pytest.fixture
def board(commune: Unit, villages: list[Unit]) -> Board:
    return full_board(commune, villages)
