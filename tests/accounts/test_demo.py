"""The demo loader (core's load_demo, running the units' and accounts' loaders): refused outside a
local trial, creates a demo user for every role, the
steering committee of the province in force (the new Bắc Ninh) with its groups, and adds nothing
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
    # Commune staff serve the communes in force today (2025 list), formed from the demo districts' communes.
    new_bac_ninh = Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")
    for username, district in (("xa.canbo", "Huyện Lục Nam"), ("lucngan.canbo", "Huyện Lục Ngạn")):
        commune = User.objects.get(username=username).role_assignments.get().unit
        assert (commune.edition, commune.parent) == ("2025", new_bac_ninh)
        assert commune.predecessors.filter(parent__name=district).exists()

    # Another province on the same deployment: its officer's scope holds none of Bắc Ninh's units.
    from accounts.scope import visible_units

    ha_noi_officer = User.objects.get(username="hanoi.thuongtruc")
    assert ha_noi_officer.role_assignments.get().unit.name == "Thành phố Hà Nội"
    assert not visible_units(ha_noi_officer).filter(path__startswith=new_bac_ninh.path).exists()
    assert not visible_units(ha_noi_officer).filter(path__startswith=bac_giang.path).exists()

    # The steering committee is the new province's (Bắc Giang's districts were abolished on 30/06/2025).
    assert not SteeringCommittee.objects.filter(unit=bac_giang).exists()
    main = SteeringCommittee.objects.get(unit=new_bac_ninh, kind=SteeringCommittee.Kind.COMMITTEE)
    assert main.name == "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh Bắc Ninh"
    assert {g.kind for g in main.subgroups.all()} == {
        SteeringCommittee.Kind.STANDING_OFFICE,
        SteeringCommittee.Kind.WORKING_GROUP,
        SteeringCommittee.Kind.SUBCOMMITTEE,
    }
    positions = set(main.members.values_list("position", flat=True))
    assert {CommitteeMember.Position.HEAD, CommitteeMember.Position.STANDING_DEPUTY} <= positions
    assert not SteeringCommittee.objects.filter(unit__kind=UnitKind.DISTRICT).exists()
    # Each former district (of Bắc Giang and of the old Bắc Ninh) is one provincial member's area: the
    # communes formed from its communes, so every commune of the new province is followed.
    former_districts = Unit.objects.filter(kind=UnitKind.DISTRICT, parent__successor=new_bac_ninh)
    assert former_districts.count() == 18
    followed = Unit.objects.filter(followers__committee=main).distinct()
    new_communes = Unit.objects.filter(parent=new_bac_ninh, kind=UnitKind.COMMUNE)
    assert set(followed.values_list("pk", flat=True)) == set(new_communes.values_list("pk", flat=True))
    assert main.members.filter(job_title__endswith="(cũ)").count() == 18
    # The communes with sample villages have their own committees.
    commune_committees = SteeringCommittee.objects.filter(unit__kind=UnitKind.COMMUNE)
    assert commune_committees.exists() and set(commune_committees.values_list("unit__edition", flat=True)) == {"2025"}
    # Written through the services, so the audit trail shows them.
    assert AuditEntry.objects.filter(model_label="units.CommitteeMember", action="create").count() == CommitteeMember.objects.count()
    assert Unit.objects.filter(kind=UnitKind.VILLAGE).exists()


def test_a_second_run_adds_nothing(bac_giang):
    _run()
    before = _counts()
    _run()
    assert _counts() == before
