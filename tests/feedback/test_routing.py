"""Reports go to the responsible unit: the commune for ordinary feedback, one level up for
anything about the commune's own officials (the district, or the province where there is no
district), whatever the province's rules say; the most specific rule wins otherwise."""

import pytest

from feedback import services
from feedback.models import Category, Kind
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def route(unit, category=Category.FACILITIES, kind=Kind.FEEDBACK, about=False):
    return services.route_case(category=category, kind=kind, about_officials=about, concerned_unit=unit)


def test_ordinary_feedback_stays_with_the_commune(dong_hung):
    assert route(dong_hung) == dong_hung


@pytest.mark.parametrize("category", [Category.CONDUCT_HARASSMENT, Category.CONDUCT_EXTRA_DEMANDS, Category.CONDUCT_DELAY])
def test_report_about_commune_officials_is_routed_to_district(category, dong_hung, luc_nam):
    assert route(dong_hung, category) == luc_nam


@pytest.mark.parametrize("kind", [Kind.COMPLAINT, Kind.DENUNCIATION])
def test_complaints_and_denunciations_go_up(kind, dong_hung, luc_nam):
    assert route(dong_hung, Category.OTHER, kind) == luc_nam


def test_about_officials_flag_routes_up_any_category(dong_hung, luc_nam):
    assert route(dong_hung, Category.DEMOCRACY_NOT_CONSULTED, about=True) == luc_nam


def test_a_rule_can_never_send_a_report_about_officials_back_to_the_commune(dong_hung, luc_nam, province_officer):
    services.save_routing_rule(by=province_officer, category=Category.CONDUCT_HARASSMENT, unit=dong_hung, responsible_unit=dong_hung)
    assert route(dong_hung, Category.CONDUCT_HARASSMENT) == luc_nam


def test_most_specific_rule_wins(dong_hung, doi_ngo, luc_nam, bac_giang, province_officer):
    services.save_routing_rule(by=province_officer, category="", unit=luc_nam, responsible_unit=luc_nam)
    services.save_routing_rule(by=province_officer, category=Category.FACILITIES, unit=dong_hung, responsible_unit=dong_hung)
    assert route(dong_hung, Category.FACILITIES) == dong_hung
    assert route(doi_ngo, Category.FACILITIES) == luc_nam
    assert route(dong_hung, Category.OTHER) == luc_nam


def test_two_tier_structure_sends_reports_about_officials_to_the_province(bac_giang):
    commune = Unit.objects.create(code="99001", edition="2024", name="Xã Thử Hai Cấp", kind=UnitKind.COMMUNE, parent=bac_giang)
    assert route(commune, Category.CONDUCT_HARASSMENT) == bac_giang


def test_case_about_officials_is_registered_at_the_district(make_case, dong_hung, luc_nam):
    case = make_case(dong_hung, category=Category.CONDUCT_EXTRA_DEMANDS)
    assert case.handling_unit == luc_nam and case.register_unit == luc_nam


def test_only_the_province_sets_rules(dong_hung, district_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_routing_rule(by=district_officer, category="", unit=dong_hung, responsible_unit=dong_hung)
