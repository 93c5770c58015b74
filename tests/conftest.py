"""Shared fixtures: Bắc Giang's real units (loaded once per test database), the named personas of
every access test, and clients logged in with a verified second factor."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, RoleAssignment, User
from units.importing import import_official_units
from units.models import Unit, UnitKind

LUC_NAM = "218"  # Huyện Lục Nam
LUC_NGAN = "219"  # Huyện Lục Ngạn
DOI_NGO = "07444"  # Thị trấn Đồi Ngô, Lục Nam
DONG_HUNG = "07450"  # Xã Đông Hưng, Lục Nam
CAM_SON = "07528"  # Xã Cấm Sơn, Lục Ngạn


def _ensure_units() -> None:
    if not Unit.objects.filter(edition="2024", kind=UnitKind.PROVINCE, code="24").exists():
        import_official_units(province_code="24", structure="2024")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        _ensure_units()


@pytest.fixture(autouse=True)
def _own_bucket_prefix(settings):  # type: ignore[no-untyped-def]
    """With S3 storage (the production profile's CI step) every test writes under its own key
    prefix, as the local-folder tests each get their own MEDIA_ROOT: listings, orphan clean-ups
    and deletions never see another test's (or another xdist worker's) objects."""
    default = settings.STORAGES["default"]
    if default["BACKEND"] != "storages.backends.s3.S3Storage":
        yield
        return
    prefix = f"tests/{uuid.uuid4().hex}"
    settings.STORAGES = {**settings.STORAGES, "default": {**default, "OPTIONS": {**default["OPTIONS"], "location": prefix}}}
    yield


@pytest.fixture
def bac_giang(db) -> Unit:  # type: ignore[no-untyped-def]
    """The province of Bắc Giang (2024 list: 10 districts, 192 communes)."""
    _ensure_units()
    return Unit.objects.get(edition="2024", kind=UnitKind.PROVINCE, code="24")


def unit(code: str, edition: str = "2024") -> Unit:
    return Unit.objects.get(edition=edition, code=code)


@pytest.fixture
def luc_nam(bac_giang: Unit) -> Unit:
    return unit(LUC_NAM)


@pytest.fixture
def luc_ngan(bac_giang: Unit) -> Unit:
    return unit(LUC_NGAN)


@pytest.fixture
def doi_ngo(bac_giang: Unit) -> Unit:
    return unit(DOI_NGO)


@pytest.fixture
def dong_hung(bac_giang: Unit) -> Unit:
    return unit(DONG_HUNG)


@pytest.fixture
def cam_son(bac_giang: Unit) -> Unit:
    return unit(CAM_SON)


@pytest.fixture
def make_user(db) -> Callable[..., User]:  # type: ignore[no-untyped-def]
    counter = {"n": 0}

    def make(
        role: str | None = None, at: Unit | None = None, *, username: str | None = None, password: str = "mat-khau-thu-nghiem-1"
    ) -> User:
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"user{counter['n']}-{role or 'citizen'}",
            password=password,
            last_name="Nguyễn Văn",
            first_name=f"Thử {counter['n']}",
            email=f"user{counter['n']}@example.invalid",
        )
        if role is not None:
            assert at is not None
            RoleAssignment.objects.create(user=user, unit=at, role=role)
        return user

    return make


# --- Personas: every access test names who acts --------------------------------------------
@pytest.fixture
def system_admin(make_user, bac_giang) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.SYSTEM_ADMIN, bac_giang, username="admin")


@pytest.fixture
def province_officer(make_user, bac_giang) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.PROVINCE_OFFICE, bac_giang, username="tinh")


@pytest.fixture
def province_leader(make_user, bac_giang) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.PROVINCE_LEADER, bac_giang, username="lanhdao")


@pytest.fixture
def district_officer(make_user, luc_nam) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.DISTRICT_COMMITTEE, luc_nam, username="lucnam")


@pytest.fixture
def district_appraiser(make_user, luc_nam) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.DISTRICT_APPRAISER, luc_nam, username="thamdinh")


@pytest.fixture
def commune_officer(make_user, doi_ngo) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.COMMUNE_OFFICER, doi_ngo, username="doingo")


@pytest.fixture
def commune_chairman(make_user, doi_ngo) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.COMMUNE_CHAIRMAN, doi_ngo, username="chutich")


@pytest.fixture
def outsider(make_user, cam_son) -> User:  # type: ignore[no-untyped-def]
    """A commune officer from another district (Lục Ngạn): gets 404 on everything of Lục Nam."""
    return make_user(Role.COMMUNE_OFFICER, cam_son, username="camson")


@pytest.fixture
def outsider_district(make_user, luc_ngan) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.DISTRICT_COMMITTEE, luc_ngan, username="lucngan")


def verified_client(user: User) -> Client:
    """A test client logged in as `user` with a confirmed TOTP device, verified for this session."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return verified_client
