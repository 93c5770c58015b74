"""Villages and residential groups (thôn, tổ dân phố) from a CSV or Excel file: good files load
under the right commune and re-running changes nothing; bad rows are each reported with their row
number and nothing is written."""

from __future__ import annotations

import pytest

from tests.conftest import CAM_SON, DOI_NGO, DONG_HUNG
from units.importing import import_villages
from units.models import Unit, UnitKind

GOOD_ROWS = [
    [DOI_NGO, "Tổ dân phố số 1", "Tổ dân phố", "", 285],
    [DOI_NGO, "Tổ dân phố Chính", "", "", "1.204"],
    [DONG_HUNG, "Thôn Đồng Cống", "Thôn", "", ""],
    ["7528", "Bản Khuôn Thần", "", "CS-KT", 96],  # Excel drops the leading zero of 07528
]


def _load(content: bytes, filename: str = "thon.csv"):  # type: ignore[no-untyped-def]
    return import_villages(content=content, filename=filename, edition="2024")


def _villages() -> dict[str, tuple[str, str, str, int | None, int]]:
    return {
        v.code: (v.name, v.type_name, v.parent.code, v.households, v.depth)
        for v in Unit.objects.filter(kind=UnitKind.VILLAGE).select_related("parent")
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_good_file_creates_villages_with_households_under_their_commune(bac_giang, village_file, kind):
    report = _load(village_file(GOOD_ROWS, kind=kind), f"thon.{kind}")

    assert (report.created, report.updated, report.unchanged, report.errors) == (4, 0, 0, [])
    by_name = {v.name: v for v in Unit.objects.filter(kind=UnitKind.VILLAGE).select_related("parent")}
    assert set(by_name) == {"Tổ dân phố số 1", "Tổ dân phố Chính", "Thôn Đồng Cống", "Bản Khuôn Thần"}
    first = by_name["Tổ dân phố số 1"]
    assert (first.parent.code, first.households, first.type_name) == (DOI_NGO, 285, "Tổ dân phố")
    assert first.depth == first.parent.depth + 1 == 4
    assert first.path == f"{first.parent.path}{first.pk}/"
    # The type is taken from the name when the column is empty; "1.204" is a thousands separator.
    assert (by_name["Tổ dân phố Chính"].type_name, by_name["Tổ dân phố Chính"].households) == ("Tổ dân phố", 1204)
    assert (by_name["Thôn Đồng Cống"].parent.code, by_name["Thôn Đồng Cống"].households) == (DONG_HUNG, None)
    assert (by_name["Bản Khuôn Thần"].parent.code, by_name["Bản Khuôn Thần"].code) == (CAM_SON, "CS-KT")
    assert by_name["Bản Khuôn Thần"].type_name == "Bản"
    assert Unit.objects.subtree_of(first.parent).filter(kind=UnitKind.VILLAGE).count() == 2


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_running_the_same_file_again_changes_nothing(bac_giang, village_file, kind):
    content = village_file(GOOD_ROWS, kind=kind)
    _load(content, f"thon.{kind}")
    before = _villages()

    report = _load(content, f"thon.{kind}")

    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 4, [])
    assert _villages() == before


def test_a_changed_household_count_updates_only_that_village(bac_giang, village_file):
    _load(village_file(GOOD_ROWS))
    changed = [row[:] for row in GOOD_ROWS]
    changed[0][4] = 300
    report = _load(village_file(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert Unit.objects.get(kind=UnitKind.VILLAGE, name="Tổ dân phố số 1").households == 300


def test_long_village_names_get_a_code_that_fits_the_code_column(bac_giang, village_file):
    long_name = "Tổ dân phố Khu công nghiệp Đồi Ngô số 2 mở rộng"
    report = _load(village_file([[DOI_NGO, long_name, "", "", 40], [DOI_NGO, long_name + " phía Bắc", "", "", 41]]))
    assert report.created == 2
    max_length = Unit._meta.get_field("code").max_length
    codes = list(Unit.objects.filter(kind=UnitKind.VILLAGE).values_list("code", flat=True))
    assert len(set(codes)) == 2
    assert all(len(code) <= max_length and code.startswith(DOI_NGO) for code in codes)
    again = _load(village_file([[DOI_NGO, long_name, "", "", 40], [DOI_NGO, long_name + " phía Bắc", "", "", 41]]))
    assert (again.created, again.unchanged) == (0, 2)


BAD_ROWS = [
    [DOI_NGO, "Tổ dân phố số 1", "", "", 285],  # row 2: good
    ["99999", "Thôn Ma", "", "", 10],  # row 3: unknown commune
    [DOI_NGO, "   ", "", "", 10],  # row 4: missing name
    [DOI_NGO, "Tổ dân phố số 5", "", "", -3],  # row 5: negative households
    [DOI_NGO, "Tổ dân phố số 6", "", "", "khoảng 50"],  # row 6: not a number
    [DOI_NGO, "Tổ dân phố số 1", "", "", 285],  # row 7: same village twice
    [],  # row 8: blank lines are skipped
    [DONG_HUNG, "Thôn Mới", "", DONG_HUNG, 12],  # row 9: a village code that is a commune's code
    [DONG_HUNG, "Thôn Xa", "", "X" * 30, 12],  # row 10: code longer than the code column
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_bad_rows_are_each_reported_with_their_row_number_and_nothing_is_written(bac_giang, village_file, kind):
    dong_hung_before = Unit.objects.get(edition="2024", code=DONG_HUNG)

    report = _load(village_file(BAD_ROWS, kind=kind), f"thon.{kind}")

    errors = dict(report.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 9, 10]
    assert "99999" in errors[3] and "không có trong danh mục" in errors[3]
    assert "Thiếu tên" in errors[4]
    assert "không âm" in errors[5]
    assert "khoảng 50" in errors[6]
    assert "lặp" in errors[7]
    assert DONG_HUNG in errors[9] and "Xã Đông Hưng" in errors[9]
    assert "20" in errors[10]
    assert report.created == report.updated == 0
    assert not Unit.objects.filter(kind=UnitKind.VILLAGE).exists()
    dong_hung = Unit.objects.get(pk=dong_hung_before.pk)
    assert (dong_hung.kind, dong_hung.path, dong_hung.name) == (UnitKind.COMMUNE, dong_hung_before.path, "Xã Đông Hưng")


def test_a_code_already_used_by_a_village_of_another_commune_is_refused(bac_giang, village_file):
    _load(village_file([[DOI_NGO, "Thôn Một", "", "T01", 10]]))
    report = _load(village_file([[DONG_HUNG, "Thôn Một", "", "T01", 10]]))
    assert [row for row, _message in report.errors] == [2]
    assert "T01" in report.errors[0][1]
    assert Unit.objects.get(kind=UnitKind.VILLAGE, code="T01").parent.code == DOI_NGO


def test_non_integer_household_count_in_excel_is_refused(bac_giang, village_file):
    report = _load(village_file([[DOI_NGO, "Thôn Lẻ", "", "", 12.5]], kind="xlsx"), "thon.xlsx")
    assert [row for row, _message in report.errors] == [2]
    assert not Unit.objects.filter(kind=UnitKind.VILLAGE).exists()


@pytest.mark.parametrize("value", ["inf", "1e999", "nan", "99999999999999"])
def test_absurd_household_counts_are_row_errors_not_crashes(bac_giang, village_file, value):
    report = _load(village_file([[DOI_NGO, "Thôn Lạ", "", "", value]]))
    assert [row for row, _message in report.errors] == [2]


def test_missing_required_column_is_refused(bac_giang, village_file):
    with pytest.raises(ValueError, match="Thiếu cột bắt buộc: tên thôn"):
        _load(village_file([[DOI_NGO, 10]], header=["Mã xã", "Số hộ"]))
    assert not Unit.objects.filter(kind=UnitKind.VILLAGE).exists()


def test_a_csv_not_saved_as_utf8_is_refused(bac_giang, village_file):
    content = "ma xa,ten thon\n07444,Thôn Đông\n".encode("cp1258")
    with pytest.raises(ValueError, match="UTF-8"):
        _load(content)


def test_a_corrupt_excel_file_is_refused_in_vietnamese(bac_giang, village_file):
    good = village_file(GOOD_ROWS, kind="xlsx")
    with pytest.raises(ValueError, match="Không đọc được tệp Excel") as excinfo:
        _load(good[: len(good) // 2], "thon.xlsx")
    assert "zip" not in str(excinfo.value).lower()
    assert not Unit.objects.filter(kind=UnitKind.VILLAGE).exists()


def test_an_empty_file_is_refused(bac_giang):
    with pytest.raises(ValueError, match="không có dữ liệu"):
        _load(b"")
