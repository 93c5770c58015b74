"""Where a case may be transferred is one rule in the service (services.transfer_targets), the same
for the page, its POST handler and the JSON API; a unit a case is transferred to sees the
reporter's contact only if the routing rules could have sent the case there."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import ApiToken, Role, RoleAssignment
from feedback import services
from feedback.models import Action, Category
from feedback.permissions import can_see_contact

pytestmark = pytest.mark.django_db
CONTACT = {"name": "Lê Văn Cường", "phone": "0987654321"}


def api_client(user):  # type: ignore[no-untyped-def]
    _token, raw = ApiToken.issue(user=user, name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_api_cannot_transfer_outside_the_actors_handling_scope(make_case, doi_ngo, cam_son, district_officer):
    case = make_case(doi_ngo, contact=CONTACT)
    response = api_client(district_officer).post(
        f"/api/v1/feedback/staff/cases/{case.pk}/actions", {"action": "transfer", "to_unit_id": cam_son.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "to_unit" in response.json()["detail"]
    case.refresh_from_db()
    assert case.handling_unit == doi_ngo


def test_page_post_uses_the_same_rule_as_the_offered_choices(make_case, doi_ngo, dong_hung, luc_nam, commune_officer, client_for):
    # A handler at Đồi Ngô who also appraises for the district: the district is visible to them,
    # but it is not theirs to hand cases to.
    RoleAssignment.objects.create(user=commune_officer, unit=luc_nam, role=Role.DISTRICT_APPRAISER)
    case = make_case(doi_ngo)
    c = client_for(commune_officer)
    offered = c.get(f"/staff/phan-anh/{case.pk}/").context["action_forms"]
    transfer_form = next(f for action, _label, f in offered if action == Action.TRANSFER)
    assert set(transfer_form.fields["to_unit"].queryset) == set(services.transfer_targets(case=case, by=commune_officer))
    assert dong_hung not in set(services.transfer_targets(case=case, by=commune_officer))
    response = c.post(f"/staff/phan-anh/{case.pk}/xu-ly/", {"action": "transfer", "to_unit": dong_hung.pk})
    assert response.status_code == 400 and "Không được chuyển phản ánh đến đơn vị này" in response.content.decode()
    case.refresh_from_db()
    assert case.handling_unit == doi_ngo


def test_sensitive_case_is_never_offered_to_the_commune_concerned(make_case, doi_ngo, dong_hung, district_officer):
    case = make_case(doi_ngo, category=Category.CONDUCT_HARASSMENT)
    targets = set(services.transfer_targets(case=case, by=district_officer))
    assert doi_ngo not in targets and dong_hung in targets
    with pytest.raises(ValidationError):
        services.transfer_case(case=case, by=district_officer, to_unit=doi_ngo)


def test_commune_receiving_a_transfer_does_not_see_the_reporters_contact(make_case, doi_ngo, dong_hung, district_officer, make_user):
    receiving = make_user(Role.COMMUNE_CHAIRMAN, dong_hung)
    case = make_case(doi_ngo, contact=CONTACT)
    case = services.transfer_case(case=case, by=district_officer, to_unit=dong_hung, note="Thuộc địa bàn Đông Hưng")
    assert case.handling_unit == dong_hung
    assert not can_see_contact(receiving, case)
    assert can_see_contact(district_officer, case)  # the district above the commune concerned still does
