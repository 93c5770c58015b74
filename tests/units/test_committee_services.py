"""Steering committee services: creating and updating committees, adding, updating and removing
members with the localities they follow; who may do it; and the audit entries they write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import audit
from core.models import AuditEntry
from units import services
from units.models import CommitteeMember, SteeringCommittee

Kind = SteeringCommittee.Kind
Position = CommitteeMember.Position


def _entries(instance: object) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model_label=instance._meta.label, object_pk=str(instance.pk)).order_by("id"))


def test_province_office_creates_a_committee_with_its_working_group(province_officer, luc_nam):
    committee = services.create_committee(
        unit=luc_nam,
        by=province_officer,
        data={"kind": Kind.COMMITTEE, "name": "Ban Chỉ đạo huyện", "decision_ref": "QĐ 12-QĐ/HU", "established_on": dt.date(2024, 3, 1)},
    )
    group = services.create_committee(
        unit=luc_nam, by=province_officer, data={"kind": Kind.WORKING_GROUP, "name": "Tổ giúp việc", "parent": committee}
    )
    assert list(committee.subgroups.all()) == [group]
    [entry] = _entries(committee)
    assert (entry.action, entry.actor, entry.before, entry.unit_path) == (AuditEntry.Action.CREATE, province_officer, None, luc_nam.path)
    assert entry.after["name"] == "Ban Chỉ đạo huyện" and entry.after["established_on"] == "2024-03-01"
    assert _entries(group)[0].after["parent_id"] == committee.pk


def test_system_admin_may_manage_committees_too(system_admin, doi_ngo):
    committee = services.create_committee(unit=doi_ngo, by=system_admin, data={"name": "Ban Chỉ đạo xã Đồi Ngô"})
    assert committee.kind == Kind.COMMITTEE


@pytest.mark.parametrize(
    "persona", ["commune_officer", "commune_chairman", "district_officer", "district_appraiser", "province_leader", "outsider"]
)
def test_roles_without_the_standing_office_remit_may_not_manage(request, persona, luc_nam_committee, doi_ngo):
    actor = request.getfixturevalue(persona)
    member = luc_nam_committee.members.get()
    count = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_committee(unit=doi_ngo, by=actor, data={"name": "Ban Chỉ đạo xã"})
    with pytest.raises(PermissionDenied):
        services.update_committee(committee=luc_nam_committee, by=actor, data={"name": "Đổi tên"})
    with pytest.raises(PermissionDenied):
        services.add_member(committee=luc_nam_committee, by=actor, data={"full_name": "Người Lạ"})
    with pytest.raises(PermissionDenied):
        services.update_member(member=member, by=actor, data={"full_name": "Người Lạ"})
    with pytest.raises(PermissionDenied):
        services.remove_member(member=member, by=actor)
    assert AuditEntry.objects.count() == count
    assert SteeringCommittee.objects.get(pk=luc_nam_committee.pk).name == "Ban Chỉ đạo QCDC huyện Lục Nam"
    assert CommitteeMember.objects.get(pk=member.pk).full_name == "Giáp Văn Hùng"


def test_anonymous_may_not_manage(luc_nam):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.create_committee(unit=luc_nam, by=AnonymousUser(), data={"name": "Ban"})


def test_sub_committee_needs_a_committee_of_the_same_unit_as_parent(province_officer, luc_nam, luc_ngan, luc_nam_committee):
    with pytest.raises(ValidationError) as excinfo:
        services.create_committee(unit=luc_nam, by=province_officer, data={"kind": Kind.SUBCOMMITTEE, "name": "Tiểu ban"})
    assert "phải thuộc một Ban Chỉ đạo" in excinfo.value.message_dict["parent"][0]
    with pytest.raises(ValidationError, match="cùng đơn vị"):
        services.create_committee(
            unit=luc_ngan, by=province_officer, data={"kind": Kind.SUBCOMMITTEE, "name": "Tiểu ban", "parent": luc_nam_committee}
        )
    with pytest.raises(ValidationError, match="không thuộc ban nào khác"):
        services.create_committee(
            unit=luc_nam, by=province_officer, data={"kind": Kind.COMMITTEE, "name": "Ban 2", "parent": luc_nam_committee}
        )
    assert SteeringCommittee.objects.count() == 1


def test_a_group_belongs_to_a_committee_not_to_another_group(province_officer, luc_nam, luc_nam_committee):
    group = services.create_committee(
        unit=luc_nam, by=province_officer, data={"kind": Kind.WORKING_GROUP, "name": "Tổ giúp việc", "parent": luc_nam_committee}
    )
    with pytest.raises(ValidationError, match="phải thuộc một Ban Chỉ đạo"):
        services.create_committee(unit=luc_nam, by=province_officer, data={"kind": Kind.SUBCOMMITTEE, "name": "Tiểu ban", "parent": group})
    with pytest.raises(ValidationError, match="phải thuộc một Ban Chỉ đạo"):
        services.update_committee(committee=group, by=province_officer, data={"parent": group})
    group.refresh_from_db()
    assert group.parent_id == luc_nam_committee.pk


def test_update_committee_records_before_and_after(province_officer, luc_nam_committee):
    services.update_committee(
        committee=luc_nam_committee, by=province_officer, data={"name": "Ban Chỉ đạo (kiện toàn)", "is_active": False}
    )
    entry = _entries(luc_nam_committee)[-1]
    assert entry.action == AuditEntry.Action.UPDATE
    assert (entry.before["name"], entry.after["name"]) == ("Ban Chỉ đạo QCDC huyện Lục Nam", "Ban Chỉ đạo (kiện toàn)")
    assert {k: (b, a) for k, b, a in entry.changed_fields()} == {
        "name": ("Ban Chỉ đạo QCDC huyện Lục Nam", "Ban Chỉ đạo (kiện toàn)"),
        "is_active": (True, False),
    }


def test_an_update_that_changes_nothing_writes_no_audit_entry(province_officer, luc_nam_committee):
    count = AuditEntry.objects.count()
    services.update_committee(committee=luc_nam_committee, by=province_officer, data={"name": luc_nam_committee.name})
    member = luc_nam_committee.members.get()
    services.update_member(
        member=member, by=province_officer, data={"full_name": member.full_name}, followed=list(member.followed_units.all())
    )
    assert AuditEntry.objects.count() == count


def test_add_member_with_followed_localities(province_officer, luc_nam_committee, doi_ngo, dong_hung):
    member = services.add_member(
        committee=luc_nam_committee,
        by=province_officer,
        data={
            "full_name": "Lê Thị Lan",
            "position": Position.STANDING_DEPUTY,
            "since": dt.date(2024, 1, 1),
            "email": "lan@example.invalid",
        },
        followed=[doi_ngo, dong_hung],
    )
    assert set(member.followed_units.all()) == {doi_ngo, dong_hung}
    [entry] = _entries(member)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.after["followed_units"] == sorted([doi_ngo.pk, dong_hung.pk])
    assert entry.after["full_name"] == "Lê Thị Lan" and entry.after["committee_id"] == luc_nam_committee.pk


def test_update_member_records_followed_units_before_and_after(province_officer, luc_nam_committee, doi_ngo, dong_hung):
    member = luc_nam_committee.members.get()
    services.update_member(member=member, by=province_officer, data={"job_title": "Bí thư Huyện ủy"}, followed=[dong_hung])
    assert list(member.followed_units.all()) == [dong_hung]
    entry = _entries(member)[-1]
    assert (entry.before["followed_units"], entry.after["followed_units"]) == ([doi_ngo.pk], [dong_hung.pk])
    assert (entry.before["job_title"], entry.after["job_title"]) == ("Phó Bí thư Huyện ủy", "Bí thư Huyện ủy")


def test_update_member_without_followed_keeps_them(province_officer, luc_nam_committee, doi_ngo):
    member = luc_nam_committee.members.get()
    services.update_member(member=member, by=province_officer, data={"phone": "0912345678"})
    assert list(member.followed_units.all()) == [doi_ngo]


def test_remove_member_records_what_was_removed(province_officer, luc_nam_committee, doi_ngo):
    member = luc_nam_committee.members.get()
    services.remove_member(member=member, by=province_officer, reason="Nghỉ hưu")
    assert not CommitteeMember.objects.filter(pk=member.pk).exists()
    entry = AuditEntry.objects.filter(model_label="units.CommitteeMember", action=AuditEntry.Action.DELETE).get()
    assert entry.object_pk == str(member.pk) and entry.after is None and entry.reason == "Nghỉ hưu"
    assert entry.before["full_name"] == "Giáp Văn Hùng" and entry.before["followed_units"] == [doi_ngo.pk]


def test_followed_unit_must_lie_inside_the_committees_unit(province_officer, luc_nam_committee, cam_son, luc_nam, bac_giang):
    for outside in (cam_son, luc_nam, bac_giang):
        with pytest.raises(ValidationError) as excinfo:
            services.add_member(committee=luc_nam_committee, by=province_officer, data={"full_name": "Ngô Văn Bình"}, followed=[outside])
        assert outside.name in excinfo.value.message_dict["followed_units"][0]
    member = luc_nam_committee.members.get()
    with pytest.raises(ValidationError):
        services.update_member(member=member, by=province_officer, data={}, followed=[cam_son])
    assert luc_nam_committee.members.count() == 1
    assert [u.code for u in member.followed_units.all()] == ["07444"]


def test_until_must_not_be_before_since(province_officer, luc_nam_committee):
    with pytest.raises(ValidationError) as excinfo:
        services.add_member(
            committee=luc_nam_committee,
            by=province_officer,
            data={"full_name": "Đào Văn Sơn", "since": dt.date(2024, 5, 1), "until": dt.date(2024, 4, 30)},
        )
    assert "until" in excinfo.value.message_dict
    member = luc_nam_committee.members.get()
    with pytest.raises(ValidationError):
        services.update_member(member=member, by=province_officer, data={"since": dt.date(2024, 5, 1), "until": dt.date(2024, 1, 1)})
    member.refresh_from_db()
    assert (member.since, member.until) == (None, None)


def test_the_audit_entry_is_written_in_the_same_transaction_as_the_change(province_officer, luc_nam, monkeypatch):
    def broken_record(**kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", broken_record)
    with pytest.raises(RuntimeError):
        services.create_committee(unit=luc_nam, by=province_officer, data={"name": "Ban Chỉ đạo"})
    assert not SteeringCommittee.objects.exists()


def test_a_rolled_back_caller_takes_the_audit_entry_with_it(province_officer, luc_nam):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.create_committee(unit=luc_nam, by=province_officer, data={"name": "Ban Chỉ đạo"})
        1 / 0  # noqa: B018
    assert not SteeringCommittee.objects.exists()
    assert not AuditEntry.objects.filter(model_label="units.SteeringCommittee").exists()


def test_a_committee_with_groups_cannot_become_a_group_itself(province_officer, luc_nam, luc_nam_committee):
    services.create_committee(
        unit=luc_nam, by=province_officer, data={"kind": Kind.WORKING_GROUP, "name": "Tổ giúp việc", "parent": luc_nam_committee}
    )
    other = services.create_committee(unit=luc_nam, by=province_officer, data={"name": "Ban Chỉ đạo khác"})
    with pytest.raises(ValidationError, match="không đổi thành nhóm"):
        services.update_committee(committee=luc_nam_committee, by=province_officer, data={"kind": Kind.SUBCOMMITTEE, "parent": other})
    luc_nam_committee.refresh_from_db()
    assert (luc_nam_committee.kind, luc_nam_committee.parent) == (Kind.COMMITTEE, None)
