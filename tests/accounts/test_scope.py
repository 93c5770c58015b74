"""The single scoping function: a role reaches its unit and the whole subtree, nothing else."""

import pytest
from django.http import Http404

from accounts.models import Role
from accounts.scope import can_reach, get_scoped_or_404, role_roots, scope_queryset, visible_units
from units.models import SteeringCommittee, Unit, UnitKind


@pytest.mark.django_db
def test_district_role_sees_its_district_and_every_commune_below(district_officer, luc_nam, doi_ngo, cam_son):
    units = visible_units(district_officer)
    assert units.filter(pk=luc_nam.pk).exists() and units.filter(pk=doi_ngo.pk).exists()
    assert not units.filter(pk=cam_son.pk).exists()
    assert units.filter(kind=UnitKind.COMMUNE).count() == Unit.objects.filter(parent=luc_nam).count()


@pytest.mark.django_db
def test_commune_role_sees_only_its_commune(commune_officer, doi_ngo, dong_hung, luc_nam):
    assert list(visible_units(commune_officer).values_list("pk", flat=True)) == [doi_ngo.pk]
    assert can_reach(commune_officer, doi_ngo)
    assert not can_reach(commune_officer, dong_hung)
    assert not can_reach(commune_officer, luc_nam)


@pytest.mark.django_db
def test_province_role_sees_all_192_communes(province_officer):
    assert visible_units(province_officer).filter(kind=UnitKind.COMMUNE).count() == 192


@pytest.mark.django_db
def test_roles_filter_restricts_the_scope(make_user, luc_nam, doi_ngo):
    user = make_user(Role.COMMUNE_OFFICER, doi_ngo)
    assert role_roots(user, {Role.DISTRICT_COMMITTEE}) == []
    assert not can_reach(user, doi_ngo, {Role.DISTRICT_COMMITTEE})


@pytest.mark.django_db
def test_missing_and_out_of_scope_give_the_same_404(outsider, doi_ngo):
    committee = SteeringCommittee.objects.create(unit=doi_ngo, name="BCĐ Đồi Ngô")
    with pytest.raises(Http404):
        get_scoped_or_404(SteeringCommittee.objects.all(), outsider, pk=committee.pk)
    with pytest.raises(Http404):
        get_scoped_or_404(SteeringCommittee.objects.all(), outsider, pk=987654)
    with pytest.raises(Http404):
        get_scoped_or_404(SteeringCommittee.objects.all(), outsider, pk="not-a-number")


@pytest.mark.django_db
def test_anonymous_and_inactive_users_see_nothing(make_user, doi_ngo):
    from django.contrib.auth.models import AnonymousUser

    assert scope_queryset(Unit.objects.all(), AnonymousUser(), unit_path="path").count() == 0
    user = make_user(Role.COMMUNE_OFFICER, doi_ngo)
    user.is_active = False
    user.save()
    assert visible_units(user).count() == 0
