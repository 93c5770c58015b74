"""The demo loader (core's load_demo, running the units' and accounts' loaders): refused outside a
local trial, creates a demo user for every role, the
provincial steering committee with its groups and one committee per district, and adds nothing
when run again."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accounts import demo as accounts_demo
from accounts.models import Role, RoleAssignment, User
from core import capabilities
from core.models import AuditEntry
from units.models import CommitteeMember, SteeringCommittee, Unit, UnitKind


@pytest.fixture(autouse=True)
def foundation_only(monkeypatch):
    """The capabilities' own demo modules have their own tests; this one checks the foundation's."""
    monkeypatch.setattr(capabilities, "registry", capabilities.registry.subset("units", "accounts"))


def _run() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count() for model in (User, RoleAssignment, SteeringCommittee, CommitteeMember, Unit, AuditEntry)
    } | {"followed": CommitteeMember.followed_units.through.objects.count()}


def test_demo_is_refused_outside_a_local_trial(bac_giang, settings):
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        _run()
    assert not User.objects.exists() and not SteeringCommittee.objects.exists()


def test_demo_creates_users_for_every_role_and_the_committees(bac_giang):
    out = _run()

    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for username, role, _where, last, first in accounts_demo.DEMO_USERS:
        user = User.objects.get(username=username)
        assert (user.last_name, user.first_name) == (last, first)
        assert user.check_password(accounts_demo.DEMO_PASSWORD)
        assert user.role_assignments.filter(role=role).exists()
        assert username in out
    assert accounts_demo.DEMO_PASSWORD in out
    assert User.objects.get(username="lucnam.bcd").role_assignments.get().unit.name == "Huyện Lục Nam"
    assert User.objects.get(username="xa.canbo").role_assignments.get().unit.parent.name == "Huyện Lục Nam"
    assert User.objects.get(username="lucngan.canbo").role_assignments.get().unit.parent.name == "Huyện Lục Ngạn"

    main = SteeringCommittee.objects.get(unit=bac_giang, kind=SteeringCommittee.Kind.COMMITTEE)
    assert {g.kind for g in main.subgroups.all()} == {
        SteeringCommittee.Kind.STANDING_OFFICE,
        SteeringCommittee.Kind.WORKING_GROUP,
        SteeringCommittee.Kind.SUBCOMMITTEE,
    }
    positions = set(main.members.values_list("position", flat=True))
    assert {CommitteeMember.Position.HEAD, CommitteeMember.Position.STANDING_DEPUTY} <= positions
    districts = Unit.objects.filter(parent=bac_giang, kind=UnitKind.DISTRICT)
    district_committees = SteeringCommittee.objects.filter(unit__in=districts, kind=SteeringCommittee.Kind.COMMITTEE)
    assert district_committees.count() == 10
    # Every district is followed by a provincial member, every commune by a district member.
    assert set(Unit.objects.filter(followers__committee=main).values_list("pk", flat=True)) == set(districts.values_list("pk", flat=True))
    followed_communes = Unit.objects.filter(followers__committee__in=district_committees, kind=UnitKind.COMMUNE).distinct()
    assert followed_communes.count() == 192
    # Written through the services, so the audit trail shows them.
    assert AuditEntry.objects.filter(model_label="units.CommitteeMember", action="create").count() == CommitteeMember.objects.count()
    assert Unit.objects.filter(kind=UnitKind.VILLAGE).exists()


def test_a_second_run_adds_nothing(bac_giang):
    _run()
    before = _counts()
    _run()
    assert _counts() == before
