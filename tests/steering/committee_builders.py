"""Plain rows for the committee's work tests: a committee with its members (units' models)."""

from __future__ import annotations

import datetime as dt

from units.models import CommitteeMember, SteeringCommittee, Unit


def committee_with_members(unit: Unit, name: str, *, established_on: dt.date | None = None, members: int = 3) -> SteeringCommittee:
    committee = SteeringCommittee.objects.create(unit=unit, name=name, established_on=established_on)
    positions = [CommitteeMember.Position.HEAD, CommitteeMember.Position.STANDING_DEPUTY, CommitteeMember.Position.MEMBER]
    for i in range(members):
        CommitteeMember.objects.create(committee=committee, full_name=f"Thành viên {i + 1}", position=positions[min(i, 2)])
    return committee


def all_present(committee: SteeringCommittee) -> dict[int, tuple[bool, str]]:
    return {m.pk: (True, "") for m in committee.members.all()}
