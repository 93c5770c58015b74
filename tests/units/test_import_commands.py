"""The import_units and import_villages management commands: a summary on success, CommandError
with the reason on bad input."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import DOI_NGO
from units.models import Unit, UnitKind


def _run(*args: str, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_import_units_prints_a_summary(bac_giang):
    out, _err = _run("import_units", province="24", structure="2024")
    assert "0 tạo mới, 0 cập nhật, 203 không đổi, 0 liên kết kế thừa, 0 hết hiệu lực, 0 lỗi" in out


def test_import_units_loads_the_2025_list(bac_giang):
    out, _err = _run("import_units", "--province", "24", "--structure", "2025")
    assert "100 tạo mới" in out and "193 liên kết kế thừa, 10 hết hiệu lực" in out
    assert Unit.objects.filter(edition="2025").count() == 100


def test_import_units_fails_on_an_unknown_province(bac_giang):
    with pytest.raises(CommandError, match="Không tìm thấy tỉnh có mã 99"):
        _run("import_units", province="99")


def test_import_units_refuses_an_unknown_structure(bac_giang):
    with pytest.raises(CommandError, match="2023"):
        _run("import_units", "--province", "24", "--structure", "2023")


def test_import_villages_prints_a_summary(bac_giang, village_file, tmp_path):
    path = tmp_path / "thon.xlsx"
    path.write_bytes(village_file([[DOI_NGO, "Thôn Mới", "Thôn", "", 120]], kind="xlsx"))
    out, _err = _run("import_villages", str(path))
    assert "1 tạo mới" in out
    assert Unit.objects.get(kind=UnitKind.VILLAGE).households == 120


def test_import_villages_lists_bad_rows_and_fails(bac_giang, village_file, tmp_path):
    path = tmp_path / "thon.csv"
    path.write_bytes(village_file([[DOI_NGO, "Thôn Mới", "", "", 120], ["99999", "Thôn Ma", "", "", 5]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 dòng lỗi; chưa nạp dòng nào"):
        call_command("import_villages", str(path), stdout=io.StringIO(), stderr=err)
    assert "Dòng 3: Mã xã “99999” không có trong danh mục 2024." in err.getvalue()
    assert not Unit.objects.filter(kind=UnitKind.VILLAGE).exists()


def test_import_villages_fails_on_an_unreadable_or_missing_file(bac_giang, tmp_path):
    broken = tmp_path / "thon.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CommandError, match="Không đọc được tệp Excel"):
        _run("import_villages", str(broken))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        _run("import_villages", str(tmp_path / "khong-co.csv"))
