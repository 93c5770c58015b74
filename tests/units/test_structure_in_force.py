"""The structure in force on a date (issue 10): which unit a dated act may be attached to, the
successor offered for an abolished one, the level above on both sides of 1 July 2025, a unit's
lineage, scopes that include history, and two provinces on one deployment."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Role
from accounts.scope import can_reach, visible_units
from tests.conftest import DOI_NGO, LUC_NAM
from units.importing import import_official_units, national_root
from units.models import Unit, UnitKind
from units.structure import UnitNotInForce, current_unit, level_above, lineage, require_in_force, two_tier_from

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)
DEC_2026 = dt.date(2026, 12, 3)


@pytest.fixture
def merged(bac_giang):
    """Bắc Giang's 2024 list and the new Bắc Ninh's 2025 list, linked."""
    import_official_units(province_code="24", structure="2025")
    new_province = Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")
    doi_ngo = Unit.objects.get(edition="2024", code=DOI_NGO)
    return bac_giang, new_province, doi_ngo


def test_the_two_tier_date_is_a_setting(settings):
    assert two_tier_from() == AFTER
    settings.STRUCTURE_TWO_TIER_FROM = "2025-08-01"
    assert two_tier_from() == dt.date(2025, 8, 1)


def test_an_old_commune_is_in_force_until_30_june_2025_and_then_names_its_successor(merged):
    _bac_giang, new_province, doi_ngo = merged
    successor = doi_ngo.successor
    assert successor is not None and successor.edition == "2025" and successor.parent == new_province

    require_in_force(doi_ngo, BEFORE)  # the 2024 records stay on it
    with pytest.raises(UnitNotInForce) as refused:
        require_in_force(doi_ngo, DEC_2026)
    assert refused.value.successor == successor
    assert refused.value.code == "unit_not_in_force"
    assert refused.value.messages == [
        f"Thị trấn Đồi Ngô chỉ có hiệu lực đến 30/06/2025 và nay thuộc {successor.name}. Hãy chọn {successor.name}."
    ]
    require_in_force(successor, DEC_2026)
    with pytest.raises(UnitNotInForce, match="không có hiệu lực vào ngày 30/06/2025"):
        require_in_force(successor, BEFORE)  # a 2025 unit did not exist before the merger


def test_an_aware_datetime_is_judged_on_its_local_date(merged):
    _bac_giang, _new_province, doi_ngo = merged
    # 23:30 on 30 June in Hà Nội is 16:30 UTC: still the old structure.
    late_evening = dt.datetime(2025, 6, 30, 16, 30, tzinfo=dt.UTC)
    require_in_force(doi_ngo, late_evening)
    with pytest.raises(UnitNotInForce):
        require_in_force(doi_ngo, dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.UTC))


def test_current_unit_follows_the_successor_only_after_the_merger(merged):
    _bac_giang, _new_province, doi_ngo = merged
    assert current_unit(doi_ngo, BEFORE) == doi_ngo
    assert current_unit(doi_ngo, DEC_2026) == doi_ngo.successor
    assert current_unit(doi_ngo.successor, BEFORE) is None


def test_the_level_above_is_the_district_before_and_the_province_after(merged):
    bac_giang, new_province, doi_ngo = merged
    luc_nam = Unit.objects.get(edition="2024", code=LUC_NAM)
    assert level_above(doi_ngo, BEFORE) == luc_nam
    # An act dated after the merger about the old commune goes above its successor: never to the
    # abolished district (the escalation bug the review found).
    assert level_above(doi_ngo, DEC_2026) == new_province
    assert level_above(doi_ngo.successor, DEC_2026) == new_province
    assert level_above(luc_nam, BEFORE) == bac_giang
    assert level_above(new_province, DEC_2026) is None  # the national root is nobody's level above


def test_the_abolished_districts_close_with_the_old_structure(merged):
    bac_giang, new_province, _doi_ngo = merged
    districts = Unit.objects.filter(edition="2024", kind=UnitKind.DISTRICT)
    assert set(districts.values_list("valid_to", flat=True)) == {BEFORE}
    assert not districts.filter(successor__isnull=False).exists()
    assert bac_giang.__class__.objects.get(pk=bac_giang.pk).successor == new_province
    assert not Unit.objects.in_force(DEC_2026).filter(kind=UnitKind.DISTRICT).exists()
    assert Unit.objects.in_force(DEC_2026).filter(kind=UnitKind.COMMUNE).count() == 99


def test_a_new_communes_lineage_includes_its_predecessors(merged):
    bac_giang, new_province, doi_ngo = merged
    successor = doi_ngo.successor
    family = lineage(successor)
    assert family[0] == successor and doi_ngo in family
    assert all(u.successor_id == successor.pk for u in family[1:])
    assert [u.pk for u in lineage(new_province)] == [new_province.pk, bac_giang.pk]


def test_every_province_sits_under_the_national_root(merged):
    bac_giang, new_province, _doi_ngo = merged
    root = national_root()
    assert root.kind == UnitKind.NATION and root.parent is None
    assert {bac_giang.parent_id, new_province.parent_id} == {root.pk}
    assert Unit.objects.filter(kind=UnitKind.NATION).count() == 1


def test_an_official_of_the_new_province_sees_the_old_provinces_history(merged, make_user):
    bac_giang, new_province, doi_ngo = merged
    officer = make_user(Role.PROVINCE_OFFICE, new_province)
    assert can_reach(officer, doi_ngo) and can_reach(officer, doi_ngo.successor)
    assert visible_units(officer).filter(pk=bac_giang.pk).exists()


def test_a_new_communes_officer_sees_its_predecessors_but_not_their_neighbours(merged, make_user):
    _bac_giang, _new_province, doi_ngo = merged
    successor = doi_ngo.successor
    officer = make_user(Role.COMMUNE_OFFICER, successor)
    assert can_reach(officer, doi_ngo)
    neighbour = Unit.objects.filter(edition="2024", kind=UnitKind.COMMUNE).exclude(successor=successor).first()
    assert not can_reach(officer, neighbour)
    assert not can_reach(officer, successor.parent)


def test_two_provinces_on_one_deployment_see_nothing_of_each_other(merged, make_user):
    _bac_giang, new_province, _doi_ngo = merged
    import_official_units(province_code="01", structure="2025")
    ha_noi = Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="01")
    assert ha_noi.parent_id == new_province.parent_id
    bac_ninh_officer = make_user(Role.PROVINCE_OFFICE, new_province)
    ha_noi_officer = make_user(Role.PROVINCE_OFFICE, ha_noi)
    assert not visible_units(bac_ninh_officer).filter(path__startswith=ha_noi.path).exists()
    assert not visible_units(ha_noi_officer).filter(path__startswith=new_province.path).exists()
    assert not can_reach(ha_noi_officer, Unit.objects.get(edition="2024", code=DOI_NGO))
    ministry = make_user(Role.PROVINCE_OFFICE, national_root())
    assert can_reach(ministry, ha_noi) and can_reach(ministry, new_province)


def test_a_role_is_granted_only_on_a_unit_in_force_today(merged, make_user):
    from accounts.admin_views import _admin_units
    from accounts.services import grant_role

    _bac_giang, new_province, doi_ngo = merged
    admin = make_user(Role.SYSTEM_ADMIN, new_province)
    officer = make_user()
    with pytest.raises(UnitNotInForce) as refused:
        grant_role(user=officer, unit=doi_ngo, role=Role.COMMUNE_OFFICER, by=admin)
    assert refused.value.successor == doi_ngo.successor
    assert not officer.role_assignments.exists()
    grant_role(user=officer, unit=doi_ngo.successor, role=Role.COMMUNE_OFFICER, by=admin)
    # The account page offers the units in force only, though the admin's scope reads their history.
    offered = _admin_units(admin)
    assert offered.filter(pk=doi_ngo.successor.pk).exists()
    assert not offered.filter(edition="2024").exists()


def test_above_an_abolished_district_is_what_its_province_became(merged):
    bac_giang, new_province, _doi_ngo = merged
    luc_nam = Unit.objects.get(edition="2024", code=LUC_NAM)
    assert level_above(luc_nam, BEFORE) == bac_giang
    assert level_above(luc_nam, DEC_2026) == new_province


def test_each_province_edits_only_its_own_working_calendar(merged, make_user):
    from django.core.exceptions import PermissionDenied

    from accounts.services import add_calendar_day, remove_calendar_day
    from core.models import CalendarDay
    from core.workdays import province_calendar

    _bac_giang, new_province, _doi_ngo = merged
    import_official_units(province_code="01", structure="2025")
    ha_noi = Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="01")
    bac_ninh_office = make_user(Role.PROVINCE_OFFICE, new_province)
    ha_noi_office = make_user(Role.PROVINCE_OFFICE, ha_noi)
    day = dt.date(2026, 12, 14)  # a Monday
    mine = add_calendar_day(by=bac_ninh_office, date=day, kind=CalendarDay.Kind.DAY_OFF, reason="Quyết định 1/QĐ-UBND")
    assert mine.province == new_province
    assert not province_calendar(new_province).is_working_day(day)
    assert province_calendar(ha_noi).is_working_day(day)
    # Hà Nội may declare the same day for itself, but not touch Bắc Ninh's.
    add_calendar_day(by=ha_noi_office, date=day, kind=CalendarDay.Kind.DAY_OFF, reason="Quyết định 2/QĐ-UBND")
    with pytest.raises(PermissionDenied):
        add_calendar_day(by=ha_noi_office, date=day, kind=CalendarDay.Kind.DAY_OFF, reason="x", province=new_province)
    with pytest.raises(PermissionDenied):
        remove_calendar_day(by=ha_noi_office, day=mine)
    remove_calendar_day(by=bac_ninh_office, day=mine)
    assert province_calendar(new_province).is_working_day(day)
