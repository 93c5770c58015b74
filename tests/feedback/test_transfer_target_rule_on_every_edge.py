"""The rule for where a case may be transferred lives in the service (services.transfer_targets);
the staff page's form choices, the page's POST handler and the JSON API each refuse a unit outside
it: a unit outside the actor's handling scope, and the commune a sensitive report is about."""

import pytest
from django.test import Client

from accounts.models import ApiToken
from feedback import services
from feedback.models import Action, Category

pytestmark = pytest.mark.django_db


def _offered_units(client: Client, case_pk: int) -> set:  # type: ignore[type-arg]
    forms = client.get(f"/staff/phan-anh/{case_pk}/").context["action_forms"]
    transfer_form = next(f for action, _label, f in forms if action == Action.TRANSFER)
    return set(transfer_form.fields["to_unit"].queryset)


def _api(user) -> Client:  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user=user, name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture(params=["outside_scope", "commune_concerned"])
def refused(request, make_case, doi_ngo, cam_son):  # type: ignore[no-untyped-def]
    """A case at Đồi Ngô and a unit the district officer of Lục Nam may not transfer it to."""
    if request.param == "outside_scope":
        return make_case(doi_ngo), cam_son  # another district: not the officer's to hand cases to
    # A sensitive report handled by the district may never go back to the commune it is about.
    return make_case(doi_ngo, category=Category.CONDUCT_HARASSMENT), doi_ngo


def test_the_rule_in_the_service_refuses_the_unit(refused, district_officer):
    case, unit = refused
    assert unit not in set(services.transfer_targets(case=case, by=district_officer))


def test_page_form_does_not_offer_the_unit(refused, district_officer, client_for):
    case, unit = refused
    offered = _offered_units(client_for(district_officer), case.pk)
    assert offered == set(services.transfer_targets(case=case, by=district_officer))
    assert unit not in offered


def test_page_post_refuses_the_unit(refused, district_officer, client_for):
    case, unit = refused
    handling = case.handling_unit
    response = client_for(district_officer).post(f"/staff/phan-anh/{case.pk}/xu-ly/", {"action": "transfer", "to_unit": unit.pk})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.handling_unit == handling and case.events.filter(action=Action.TRANSFER).count() == 0


def test_json_api_refuses_the_unit(refused, district_officer):
    case, unit = refused
    handling = case.handling_unit
    response = _api(district_officer).post(
        f"/api/v1/feedback/staff/cases/{case.pk}/actions", {"action": "transfer", "to_unit_id": unit.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "to_unit" in response.json()["detail"]
    case.refresh_from_db()
    assert case.handling_unit == handling and case.events.filter(action=Action.TRANSFER).count() == 0


def test_every_edge_accepts_a_unit_inside_the_rule(make_case, doi_ngo, dong_hung, district_officer, client_for):
    page_case, api_case = make_case(doi_ngo), make_case(doi_ngo)
    assert dong_hung in _offered_units(client_for(district_officer), page_case.pk)
    client_for(district_officer).post(f"/staff/phan-anh/{page_case.pk}/xu-ly/", {"action": "transfer", "to_unit": dong_hung.pk})
    response = _api(district_officer).post(
        f"/api/v1/feedback/staff/cases/{api_case.pk}/actions",
        {"action": "transfer", "to_unit_id": dong_hung.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    page_case.refresh_from_db()
    api_case.refresh_from_db()
    assert page_case.handling_unit == dong_hung and api_case.handling_unit == dong_hung
