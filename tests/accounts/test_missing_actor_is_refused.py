"""A missing actor never skips a permission check: granting a role, locking an account or issuing
an enrolment link with `by=None` is refused; the explicit SYSTEM actor (the demo loader, an
operator's command) may, and the trail records it as "hệ thống"."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts import services
from accounts.actors import SYSTEM
from accounts.models import Role, RoleAssignment
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_granting_a_role_without_an_actor_is_refused(make_user, doi_ngo, commune_officer):
    with pytest.raises(PermissionDenied):
        services.grant_role(user=commune_officer, unit=doi_ngo, role=Role.COMMUNE_CHAIRMAN, by=None)  # type: ignore[arg-type]
    assert not RoleAssignment.objects.filter(user=commune_officer, role=Role.COMMUNE_CHAIRMAN).exists()


def test_the_system_actor_grants_and_is_recorded_as_the_system(doi_ngo, commune_officer):
    assignment = services.grant_role(user=commune_officer, unit=doi_ngo, role=Role.COMMUNE_CHAIRMAN, by=SYSTEM)
    assert assignment.granted_by is None
    entry = AuditEntry.objects.get(model_label="accounts.RoleAssignment", object_pk=str(assignment.pk))
    assert entry.actor is None and entry.actor_label == "hệ thống"


def test_locking_an_account_or_issuing_an_enrolment_link_without_an_actor_is_refused(commune_officer):
    with pytest.raises(PermissionDenied):
        services.set_user_active(user=commune_officer, by=None, active=False)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        services.issue_enrolment_link(user=commune_officer, by=None)  # type: ignore[arg-type]
    commune_officer.refresh_from_db()
    assert commune_officer.is_active
