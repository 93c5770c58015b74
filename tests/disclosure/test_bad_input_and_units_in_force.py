"""Bad input is refused in Vietnamese and saves nothing; a dated act names a unit in force on its
date (a 2024 commune after the merger is refused, naming its successor)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from accounts.actors import SYSTEM
from core.models import StoredFile
from disclosure import services
from disclosure.models import Disclosure, RegisterEntry
from tests.disclosure.conftest import PDF
from units.structure import UnitNotInForce

D = dt.date
TODAY = D(2026, 12, 3)


def _record(unit, obligation, **kwargs):
    base = {
        "by": SYSTEM,
        "unit": unit,
        "obligation": obligation,
        "title": "Kế hoạch năm 2026",
        "document_number": "3/KH-UBND",
        "document_date": D(2026, 3, 2),
        "issuer": "UBND xã",
        "today": TODAY,
    }
    return services.record_disclosure(**{**base, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"document_date": D(2026, 12, 4)}, "Ngày văn bản 04/12/2026 ở tương lai"),
        ({"disclosed_on": D(2026, 12, 5), "forms": ["portal"]}, "Ngày công khai 05/12/2026 ở tương lai"),
        ({"disclosed_on": D(2026, 3, 1), "forms": ["portal"]}, "trước ngày văn bản 02/03/2026"),
        ({"disclosed_on": D(2026, 3, 3)}, "Chọn ít nhất một hình thức"),
        ({"disclosed_on": D(2026, 3, 3), "forms": ["fax"]}, "Hình thức công khai không hợp lệ"),
        ({"disclosed_on": D(2026, 3, 3), "forms": ["notice_board"], "at_office": False}, "ít nhất một nơi"),
        ({"title": "   "}, "Nhập trích yếu"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(commune, category, kwargs, message):
    with pytest.raises(ValidationError) as exc:
        _record(commune, category(1), **kwargs)
    assert any(message in m for m in exc.value.messages)
    assert not Disclosure.objects.exists() and not RegisterEntry.objects.exists()


def test_a_document_file_that_is_not_pdf_jpeg_or_png_is_refused(commune, category):
    with pytest.raises(ValidationError, match="không đúng định dạng"):
        _record(commune, category(1), document=io.BytesIO(b"PK\x03\x04" + b"\x00" * 100), document_name="van-ban.pdf")
    assert not Disclosure.objects.exists() and not StoredFile.objects.exists()
    d = _record(commune, category(1), document=io.BytesIO(PDF), document_name="ke-hoach.pdf")
    assert d.document_file.content_type == "application/pdf" and len(d.document_file.sha256) == 64


def test_a_village_of_another_commune_is_refused(commune, other_commune, category):
    from units.models import Unit, UnitKind

    stranger = Unit.objects.create(code="T-9", edition="2025", name="Thôn Xa", kind=UnitKind.VILLAGE, parent=other_commune)
    with pytest.raises(ValidationError, match="Thôn Xa không thuộc Phường Bắc Giang"):
        _record(commune, category(1), disclosed_on=D(2026, 3, 3), forms=["notice_board"], villages=[stranger])
    assert not Disclosure.objects.exists()


def test_a_2024_commune_is_refused_after_the_merger_naming_its_successor(doi_ngo, commune, category):
    doi_ngo.successor = commune
    doi_ngo.valid_to = D(2025, 6, 30)
    doi_ngo.save()
    with pytest.raises(UnitNotInForce) as exc:
        _record(doi_ngo, category(1))
    assert exc.value.successor == commune and "Phường Bắc Giang" in exc.value.messages[0]


def test_a_draft_obligation_cannot_be_used(commune, category, province_office):
    draft = services.revise_obligations(by=province_office)
    with pytest.raises(ValidationError, match="không thuộc bộ nghĩa vụ đang áp dụng"):
        _record(commune, draft.obligations.get(number=1))
