"""The seed notice's shape: a conclusion of Bắc Giang's committee dated 2024, a task owned by Lục
Nam; and the 2025 side: the new province and a commune formed from Đồi Ngô."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.actors import SYSTEM
from steering import services
from steering.models import Directive, DirectiveTask
from units.models import Unit, UnitKind

ISSUED = dt.date(2024, 1, 31)


@pytest.fixture
def notice(bac_giang: Unit) -> Directive:
    return services.create_directive(
        by=SYSTEM,
        unit=bac_giang,
        kind=Directive.Kind.CONCLUSION,
        number="12-TB/BCĐ",
        issued_on=ISSUED,
        issuer="Trưởng Ban Chỉ đạo QCDC tỉnh",
        title="Kết luận về nhiệm vụ năm 2024",
    )


@pytest.fixture
def task(notice: Directive, luc_nam: Unit) -> DirectiveTask:
    return services.add_task(
        by=SYSTEM, directive=notice, number=7, title="60% xã đạt chuẩn", owners=[luc_nam], deadline_text="năm 2024", expected_output="60%"
    )


@pytest.fixture
def new_province(bac_giang: Unit) -> Unit:
    """The new Bắc Ninh (2025) and Đồi Ngô's successor commune; the 2024 units closed on 30/06/2025."""
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="24", edition="2025").first()
    if province is None:
        province = Unit(code="24", edition="2025", name="Tỉnh Bắc Ninh", kind=UnitKind.PROVINCE, valid_from=dt.date(2025, 7, 1))
        province.save()
    Unit.objects.filter(edition="2024", path__startswith=bac_giang.path).update(valid_to=dt.date(2025, 6, 30))
    Unit.objects.filter(pk=bac_giang.pk).update(successor=province)
    bac_giang.refresh_from_db()
    return province


@pytest.fixture
def new_commune(new_province: Unit, doi_ngo: Unit) -> Unit:
    commune = Unit(
        code="07444", edition="2025", name="Xã Đồi Ngô Mới", kind=UnitKind.COMMUNE, parent=new_province, valid_from=dt.date(2025, 7, 1)
    )
    commune.save()
    Unit.objects.filter(pk=doi_ngo.pk).update(successor=commune)
    doi_ngo.refresh_from_db()
    return commune
