"""Loading the official code lists from the vietnamadminunits dataset: Bắc Giang's 2024 three-level
tree, the 2025 two-level new Bắc Ninh, the links from old to new units, and idempotence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms.models import model_to_dict

from tests.conftest import DOI_NGO, LUC_NAM
from units.importing import import_official_units
from units.models import Unit, UnitKind

LAST_DAY_2024_LIST = dt.date(2025, 6, 30)


def _rows(**filters: object) -> dict[tuple[str, str], dict[str, object]]:
    return {(u.edition, u.code): model_to_dict(u, exclude=[]) | {"path": u.path, "depth": u.depth} for u in Unit.objects.filter(**filters)}


def test_2024_list_gives_bac_giang_with_10_districts_and_192_communes(bac_giang):
    units = Unit.objects.filter(edition="2024", path__startswith=bac_giang.path)
    assert bac_giang.name == "Tỉnh Bắc Giang"
    root = bac_giang.parent
    assert (root.kind, root.code, root.depth, root.parent_id) == (UnitKind.NATION, "VN", 0, None)
    assert (bac_giang.depth, bac_giang.path) == (1, f"{root.path}{bac_giang.pk}/")
    districts = units.filter(kind=UnitKind.DISTRICT)
    communes = units.filter(kind=UnitKind.COMMUNE)
    assert districts.count() == 10
    assert communes.count() == 192
    assert set(districts.values_list("parent_id", flat=True)) == {bac_giang.pk}
    assert set(districts.values_list("depth", flat=True)) == {2}
    assert set(communes.values_list("depth", flat=True)) == {3}
    assert set(communes.values_list("parent__kind", flat=True)) == {UnitKind.DISTRICT}
    assert not communes.filter(latitude__isnull=True).exists()
    assert not communes.filter(longitude__isnull=True).exists()
    for commune in communes.select_related("parent"):
        assert commune.path == f"{commune.parent.path}{commune.pk}/"
        assert 20.5 < commune.latitude < 22 and 105.5 < commune.longitude < 107.5


def test_names_are_tidy_and_searchable(bac_giang):
    luc_nam = Unit.objects.get(edition="2024", code=LUC_NAM)
    doi_ngo = Unit.objects.get(edition="2024", code=DOI_NGO)
    assert (luc_nam.name, luc_nam.type_name, luc_nam.short_name) == ("Huyện Lục Nam", "Huyện", "Lục Nam")
    assert (doi_ngo.name, doi_ngo.type_name, doi_ngo.parent) == ("Thị trấn Đồi Ngô", "Thị trấn", luc_nam)
    assert doi_ngo.search_text == "thi tran doi ngo doi ngo 07444"


def test_running_the_2024_import_again_changes_nothing(bac_giang):
    before = _rows(edition="2024")
    report = import_official_units(province_code="24", structure="2024")
    assert (report.created, report.updated, report.unchanged, report.linked) == (0, 0, 203, 0)
    assert _rows(edition="2024") == before


def test_2025_list_gives_the_new_bac_ninh_with_99_communes_and_no_districts(bac_ninh_2025):
    province = bac_ninh_2025
    assert province.name == "Tỉnh Bắc Ninh"
    assert province.valid_from == dt.date(2025, 7, 1)
    below = Unit.objects.filter(edition="2025").exclude(pk=province.pk)
    assert below.count() == 99
    assert set(below.values_list("kind", flat=True)) == {UnitKind.COMMUNE}
    assert set(below.values_list("parent_id", flat=True)) == {province.pk}
    assert set(below.values_list("depth", flat=True)) == {2}
    assert not below.filter(latitude__isnull=True).exists()
    new_ward = Unit.objects.get(edition="2025", code="07210")
    assert new_ward.name == "Phường Bắc Giang" and new_ward.path == f"{province.path}{new_ward.pk}/"


def test_2025_import_links_every_bac_giang_unit_to_its_successor_and_keeps_history(bac_giang):
    old_communes = Unit.objects.filter(edition="2024", kind=UnitKind.COMMUNE, path__startswith=bac_giang.path)
    history = {u.pk: (u.code, u.parent_id, u.path, u.depth, u.name) for u in Unit.objects.filter(edition="2024")}

    report = import_official_units(province_code="24", structure="2025")

    assert (report.created, report.linked, report.closed) == (100, 193, 10)
    assert not old_communes.filter(successor__isnull=True).exists()
    assert set(old_communes.values_list("successor__edition", flat=True)) == {"2025"}
    tho_xuong = Unit.objects.get(edition="2024", code="07201")
    assert tho_xuong.name == "Phường Thọ Xương"
    assert (tho_xuong.successor.code, tho_xuong.successor.name) == ("07210", "Phường Bắc Giang")
    assert tho_xuong.valid_to == LAST_DAY_2024_LIST
    bac_giang.refresh_from_db()
    assert bac_giang.successor.name == "Tỉnh Bắc Ninh" and bac_giang.valid_to == LAST_DAY_2024_LIST
    districts = Unit.objects.filter(edition="2024", kind=UnitKind.DISTRICT)
    assert set(districts.values_list("valid_to", flat=True)) == {LAST_DAY_2024_LIST}
    assert not old_communes.exclude(valid_to=LAST_DAY_2024_LIST).exists()
    # The old units keep their place in the 2024 tree.
    assert {u.pk: (u.code, u.parent_id, u.path, u.depth, u.name) for u in Unit.objects.filter(edition="2024")} == history
    # Seven wards of the old city became Phường Bắc Giang.
    assert tho_xuong.successor.predecessors.count() == 7

    # A second run changes nothing, old or new.
    before = _rows()
    again = import_official_units(province_code="24", structure="2025")
    assert (again.created, again.updated, again.linked, again.closed) == (0, 0, 0, 0)
    assert _rows() == before


def _successor_links() -> dict[str, tuple[str | None, dt.date | None]]:
    return {
        code: (successor, valid_to)
        for code, successor, valid_to in Unit.objects.filter(edition="2024").values_list("code", "successor__code", "valid_to")
    }


def test_loading_2025_before_2024_gives_the_same_links(bac_giang):
    import_official_units(province_code="24", structure="2025")
    links_2024_first = _successor_links()

    for kind in (UnitKind.COMMUNE, UnitKind.DISTRICT, UnitKind.PROVINCE, UnitKind.NATION):
        Unit.objects.filter(kind=kind).delete()
    assert not Unit.objects.exists()
    import_official_units(province_code="24", structure="2025")
    report = import_official_units(province_code="24", structure="2024")

    assert (report.created, report.linked, report.closed) == (203, 193, 10)
    assert _successor_links() == links_2024_first


@pytest.mark.parametrize(
    ("province", "structure", "message"),
    [
        ("99", "2024", "Không tìm thấy tỉnh có mã 99"),
        ("99", "2025", "Không tìm thấy tỉnh có mã 99"),
        ("24", "2023", "Cấu trúc không hợp lệ"),
        ("", "2024", "Không tìm thấy tỉnh"),
    ],
)
def test_unknown_province_or_structure_is_refused_in_vietnamese(bac_giang, province, structure, message):
    count = Unit.objects.count()
    with pytest.raises(ValueError, match=message):
        import_official_units(province_code=province, structure=structure)
    assert Unit.objects.count() == count


def test_stored_names_do_not_depend_on_the_active_language(bac_giang):
    from django.utils import translation

    with translation.override("en"):
        report = import_official_units(province_code="24", structure="2024")
    assert report.updated == 0
    bac_giang.refresh_from_db()
    assert bac_giang.type_name == "Tỉnh"
