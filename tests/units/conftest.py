"""Fixtures for the unit tree's tests: the 2025 list of the new Bắc Ninh on top of the 2024 one,
and spreadsheets of villages built in the test."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.utils import translation
from openpyxl import Workbook

from units.importing import import_official_units
from units.models import Unit, UnitKind

VILLAGE_HEADER = ["Mã xã", "Tên thôn", "Loại", "Mã thôn", "Số hộ"]


@pytest.fixture(autouse=True)
def vietnamese():  # type: ignore[no-untyped-def]
    """Messages in Vietnamese, the source language, whatever an earlier request in this thread
    activated (LocaleMiddleware leaves its language active after a test-client request)."""
    with translation.override("vi"):
        yield


@pytest.fixture
def bac_ninh_2025(bac_giang: Unit) -> Unit:
    """The new Bắc Ninh (2025 list, 99 communes), linked to Bắc Giang's 2024 units."""
    import_official_units(province_code="24", structure="2025")
    return Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")


def csv_bytes(rows: list[list[object]], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or VILLAGE_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or VILLAGE_HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def village_file() -> Callable[..., bytes]:
    def make(rows: list[list[object]], *, kind: str = "csv", header: list[str] | None = None) -> bytes:
        return xlsx_bytes(rows, header) if kind == "xlsx" else csv_bytes(rows, header)

    return make


@pytest.fixture
def luc_nam_committee(luc_nam, province_officer):  # type: ignore[no-untyped-def]
    """Lục Nam's steering committee with one member following Đồi Ngô, made through the services."""
    from units import services
    from units.models import CommitteeMember, SteeringCommittee

    committee = services.create_committee(
        unit=luc_nam, by=province_officer, data={"kind": SteeringCommittee.Kind.COMMITTEE, "name": "Ban Chỉ đạo QCDC huyện Lục Nam"}
    )
    doi_ngo = Unit.objects.get(edition="2024", code="07444")
    services.add_member(
        committee=committee,
        by=province_officer,
        data={"full_name": "Giáp Văn Hùng", "job_title": "Phó Bí thư Huyện ủy", "position": CommitteeMember.Position.HEAD},
        followed=[doi_ngo],
    )
    return committee


@pytest.fixture
def luc_ngan_committee(luc_ngan, province_officer):  # type: ignore[no-untyped-def]
    from units import services
    from units.models import CommitteeMember, SteeringCommittee

    committee = services.create_committee(
        unit=luc_ngan, by=province_officer, data={"kind": SteeringCommittee.Kind.COMMITTEE, "name": "Ban Chỉ đạo QCDC huyện Lục Ngạn"}
    )
    services.add_member(
        committee=committee,
        by=province_officer,
        data={"full_name": "Vũ Thị Mai", "job_title": "Trưởng Ban Dân vận", "position": CommitteeMember.Position.STANDING_DEPUTY},
    )
    return committee
