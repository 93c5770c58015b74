"""One recipients query for every capability: the active holders of a role (or of any of several)
at exactly one unit."""

from __future__ import annotations

import pytest

from accounts.models import Role
from accounts.queries import users_with_role

pytestmark = pytest.mark.django_db


def test_only_active_holders_of_the_role_at_that_very_unit(make_user, doi_ngo, dong_hung, luc_nam):
    officer = make_user(Role.COMMUNE_OFFICER, doi_ngo)
    chairman = make_user(Role.COMMUNE_CHAIRMAN, doi_ngo)
    retired = make_user(Role.COMMUNE_OFFICER, doi_ngo)
    retired.is_active = False
    retired.save()
    make_user(Role.COMMUNE_OFFICER, dong_hung)  # another commune
    make_user(Role.DISTRICT_COMMITTEE, luc_nam)  # the unit above

    assert list(users_with_role(Role.COMMUNE_OFFICER, doi_ngo)) == [officer]
    assert list(users_with_role({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}, doi_ngo)) == [officer, chairman]
    assert list(users_with_role(Role.COMMUNE_OFFICER, None)) == []
