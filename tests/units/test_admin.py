"""The Django admin for units and committees: committees and members are read-only there (every
change goes through the audited staff pages), and a unit cannot be moved under itself."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.fixture
def admin_client(client_for, system_admin):  # type: ignore[no-untyped-def]
    system_admin.is_staff = system_admin.is_superuser = True
    system_admin.save()
    return client_for(system_admin)


def test_committees_and_members_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, luc_nam_committee):
    member = luc_nam_committee.members.get()
    assert admin_client.get(f"/{settings.ADMIN_URL}units/steeringcommittee/").status_code == 200
    for model, obj in (("steeringcommittee", luc_nam_committee), ("committeemember", member)):
        assert admin_client.get(reverse(f"admin:units_{model}_add")).status_code == 403
        assert admin_client.post(reverse(f"admin:units_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
        page = admin_client.get(reverse(f"admin:units_{model}_change", args=[obj.pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert luc_nam_committee.members.count() == 1


def test_moving_a_unit_under_its_own_commune_is_a_form_error(admin_client, luc_nam, doi_ngo, bac_giang):
    url = reverse("admin:units_unit_change", args=[luc_nam.pk])
    data = {
        "code": luc_nam.code,
        "edition": luc_nam.edition,
        "name": luc_nam.name,
        "short_name": luc_nam.short_name,
        "type_name": luc_nam.type_name,
        "kind": luc_nam.kind,
        "parent": doi_ngo.pk,
        "latitude": luc_nam.latitude,
        "longitude": luc_nam.longitude,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Không thể đặt một đơn vị vào dưới chính nó" in response.content.decode()
    luc_nam.refresh_from_db()
    assert luc_nam.parent == bac_giang
