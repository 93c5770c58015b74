"""Fixtures for disclosure: the new Bắc Ninh (2025 list) on top of Bắc Giang's 2024 units, its
communes' officials, the obligations in force, and phone photos with or without EXIF time and GPS."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.utils import translation
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from accounts.actors import SYSTEM
from accounts.models import Role, User
from disclosure import services
from disclosure.models import Obligation, ObligationSet
from units.models import Unit, UnitKind

PHUONG_BAC_GIANG = "07210"  # 2025: Phường Bắc Giang


@pytest.fixture(autouse=True)
def vietnamese():  # type: ignore[no-untyped-def]
    with translation.override("vi"):
        yield


def _unit(code: str, name: str, kind: str, parent: Unit | None, lat: float | None = None, lon: float | None = None) -> Unit:
    unit, _created = Unit.objects.get_or_create(
        edition="2025",
        code=code,
        defaults={"name": name, "kind": kind, "parent": parent, "valid_from": dt.date(2025, 7, 1), "latitude": lat, "longitude": lon},
    )
    return unit


@pytest.fixture
def bac_ninh(bac_giang: Unit) -> Unit:
    """The new Bắc Ninh (2025 list), with two of its wards and communes: built here, not imported
    (the whole list is slow to load and these tests need two communes)."""
    return _unit("24", "Tỉnh Bắc Ninh", UnitKind.PROVINCE, None, 21.18, 106.07)


@pytest.fixture
def commune(bac_ninh: Unit) -> Unit:
    return _unit(PHUONG_BAC_GIANG, "Phường Bắc Giang", UnitKind.COMMUNE, bac_ninh, 21.2731, 106.1946)


@pytest.fixture
def other_commune(bac_ninh: Unit) -> Unit:
    return _unit("07420", "Xã Lục Nam", UnitKind.COMMUNE, bac_ninh, 21.30, 106.38)


@pytest.fixture
def village(commune: Unit) -> Unit:
    return Unit.objects.create(code="T-0001", edition="2025", name="Tổ dân phố số 1", kind=UnitKind.VILLAGE, parent=commune)


@pytest.fixture
def officer(make_user, commune) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.COMMUNE_OFFICER, commune, username="canbo-bacgiang")


@pytest.fixture
def other_officer(make_user, other_commune) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.COMMUNE_OFFICER, other_commune, username="canbo-khac")


@pytest.fixture
def province_office(make_user, bac_ninh) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.PROVINCE_OFFICE, bac_ninh, username="tinh-bacninh")


@pytest.fixture
def foreign_official(make_user, db) -> User:  # type: ignore[no-untyped-def]
    """A province officer of another province (Hà Nội, 2025 list)."""
    hanoi = _unit("01", "Thành phố Hà Nội", UnitKind.PROVINCE, None)
    return make_user(Role.PROVINCE_OFFICE, hanoi, username="tinh-hanoi")


@pytest.fixture
def obligations(db) -> ObligationSet:  # type: ignore[no-untyped-def]
    return services.ensure_obligations(by=SYSTEM)


@pytest.fixture
def category(obligations: ObligationSet) -> Callable[[int], Obligation]:
    return lambda number: obligations.obligations.get(number=number)


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60 * 100)
    return (IFDRational(d, 1), IFDRational(m, 1), IFDRational(s, 100))


def jpeg(*, taken: dt.datetime | None = None, lat: float | None = None, lon: float | None = None, size: int = 32) -> bytes:
    """A small JPEG, with EXIF capture time and GPS position when given."""
    image = Image.new("RGB", (size, size), (200, 180, 90))
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if lat is not None and lon is not None:
        gps = exif.get_ifd(0x8825)
        gps[1] = "N" if lat >= 0 else "S"
        gps[2] = _dms(lat)
        gps[3] = "E" if lon >= 0 else "W"
        gps[4] = _dms(lon)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def photo() -> Callable[..., bytes]:
    return jpeg


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
