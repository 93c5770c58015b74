"""Feedback fixtures: cases made through the services, media in a temporary folder, a clean cache
(rate limits live there) and time frozen on an ordinary working day unless a test says otherwise."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from feedback import services
from feedback.models import Case, Category, Kind

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# Tuesday 3 March 2026, 09:00 in Hà Nội: a plain working week.
WORKDAY = dt.datetime(2026, 3, 3, 9, 0, tzinfo=HCM)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    import time_machine

    with time_machine.travel(WORKDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def png() -> Callable[[], io.BytesIO]:
    return lambda: io.BytesIO(PNG)


@pytest.fixture
def make_case(db) -> Callable[..., Case]:  # type: ignore[no-untyped-def]
    def make(unit, *, category: str = Category.FACILITIES, kind: str = Kind.FEEDBACK, contact=None, **kw) -> Case:  # type: ignore[no-untyped-def]
        options = {k: kw.pop(k) for k in list(kw) if k in ("by", "received_at", "idempotency_digest", "payload_digest")}
        report = services.Report(
            category=category,
            kind=kind,
            concerned_unit=unit,
            description="Nhà văn hoá thôn bị dột mái, chưa được sửa.",
            contact=contact or {},
            **kw,
        )
        return services.submit_case(report=report, **options).case

    return make


@pytest.fixture(autouse=True)
def vietnamese():  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override("vi"):
        yield


# --- The structure in force (issue 10) -------------------------------------------------------
@pytest.fixture
def bac_ninh(bac_giang):  # type: ignore[no-untyped-def]
    """The new Bắc Ninh (2025 list, code 24), which Bắc Giang's 2024 units were linked to on
    import: they close on 30/06/2025 and point to their successors (about half a second)."""
    from units.importing import import_official_units
    from units.models import Unit, UnitKind

    import_official_units(province_code="24", structure="2025")
    return Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")


@pytest.fixture
def lai_chau(db):  # type: ignore[no-untyped-def]
    """A second province on the same deployment (Lai Châu, 2025 list: 38 communes)."""
    from units.importing import import_official_units
    from units.models import Unit, UnitKind

    import_official_units(province_code="12", structure="2025", link=False)
    return Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="12")
