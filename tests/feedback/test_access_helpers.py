"""Feedback objects are loaded through one access_<thing>(*, actor, <thing>_id, write=False) each, in
permissions.py, on pages and in the API alike: a missing id and an object outside the actor's scope
give the same 404; `write` narrows to the roles that may change the object."""

import pytest
from django.http import Http404

from feedback import services
from feedback.permissions import access_case, access_counter, access_routing_rule

pytestmark = pytest.mark.django_db


def _refused(load, **kwargs) -> bool:  # type: ignore[no-untyped-def]
    try:
        load(**kwargs)
    except Http404:
        return True
    return False


def test_case_outsider_and_missing_give_the_same_404(make_case, doi_ngo, commune_officer, district_appraiser, outsider):
    case = make_case(doi_ngo)
    assert access_case(actor=commune_officer, case_id=case.pk, write=True) == case
    assert access_case(actor=district_appraiser, case_id=case.pk) == case  # sees the district's cases
    assert _refused(access_case, actor=district_appraiser, case_id=case.pk, write=True)  # but handles none
    assert _refused(access_case, actor=outsider, case_id=case.pk)
    assert _refused(access_case, actor=commune_officer, case_id=case.pk + 10_000)
    assert _refused(access_case, actor=commune_officer, case_id="x")


def test_counter_and_rule_are_the_provinces_to_change(province_officer, commune_officer, outsider, doi_ngo, luc_nam):
    counter = services.save_counter(by=province_officer, unit=doi_ngo, name="Quầy một cửa xã Đồi Ngô")
    rule = services.save_routing_rule(by=province_officer, category="", unit=doi_ngo, responsible_unit=luc_nam)
    assert access_counter(actor=commune_officer, counter_id=counter.pk) == counter
    assert access_counter(actor=province_officer, counter_id=counter.pk, write=True) == counter
    assert _refused(access_counter, actor=commune_officer, counter_id=counter.pk, write=True)
    assert _refused(access_counter, actor=outsider, counter_id=counter.pk)
    assert access_routing_rule(actor=province_officer, rule_id=rule.pk, write=True) == rule
    assert _refused(access_routing_rule, actor=commune_officer, rule_id=rule.pk, write=True)
    assert _refused(access_routing_rule, actor=outsider, rule_id=rule.pk)
    assert _refused(access_routing_rule, actor=province_officer, rule_id=rule.pk + 10_000)
