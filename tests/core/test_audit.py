"""core.audit: entries only inside a transaction, nothing for an update that changed nothing, and
each entry carries the actor, before/after values and the request id."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse

from core import audit
from core.models import AuditEntry, CalendarDay


def test_record_outside_a_transaction_is_refused():
    # No database access is allowed here: the refusal must come before anything is written.
    with pytest.raises(RuntimeError, match=r"must run inside transaction\.atomic\(\)"):
        audit.record(actor=None, action=AuditEntry.Action.CREATE, instance=CalendarDay(reason="x"))


@pytest.mark.django_db
def test_creation_records_actor_and_after_image(province_officer):
    with transaction.atomic():
        day = CalendarDay.objects.create(date=dt.date(2025, 9, 1), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù")
        entry = audit.record(actor=province_officer, action=AuditEntry.Action.CREATE, instance=day, unit_path="/1/")
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_label, entry.action) == (province_officer, "Nguyễn Văn Thử 1", "create")
    assert (entry.model_label, entry.object_pk, entry.unit_path, entry.before) == ("core.CalendarDay", str(day.pk), "/1/", None)
    assert entry.after == {"id": day.pk, "province_id": None, "date": "2025-09-01", "kind": "off", "reason": "Nghỉ bù"}
    assert entry.request_id == ""


@pytest.mark.django_db
def test_update_records_before_and_after_and_unchanged_update_records_nothing(province_officer):
    with transaction.atomic():
        day = CalendarDay.objects.create(date=dt.date(2025, 9, 1), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù")
        before = audit.snapshot(day)
        assert audit.record(actor=province_officer, action=AuditEntry.Action.UPDATE, instance=day, before=before) is None
        day.reason = "Nghỉ bù Quốc khánh"
        day.save()
        entry = audit.record(actor=province_officer, action=AuditEntry.Action.UPDATE, instance=day, before=before)
    assert AuditEntry.objects.count() == 1
    assert entry.changed_fields() == [("reason", "Nghỉ bù", "Nghỉ bù Quốc khánh")]


@pytest.mark.django_db
def test_deletion_keeps_the_before_image_and_the_object_id():
    with transaction.atomic():
        day = CalendarDay.objects.create(date=dt.date(2025, 9, 1), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù")
        before = audit.snapshot(day)
        pk = day.pk
        day.delete()
        entry = audit.record(actor=AnonymousUser(), action=AuditEntry.Action.DELETE, instance=day, before=before, reason="Nhập nhầm")
    assert (entry.object_pk, entry.after, entry.before["reason"]) == (str(pk), None, "Nghỉ bù")
    assert (entry.actor, entry.actor_label, entry.reason) == (None, "hệ thống", "Nhập nhầm")


@pytest.mark.django_db
def test_secret_fields_are_masked_but_a_change_shows(make_user):
    user = make_user()
    first = audit.snapshot(user)
    user.set_password("mat-khau-moi-hoan-toan")
    second = audit.snapshot(user)
    assert first["password"].startswith("•••") and user.password not in str(second)
    assert first["password"] != second["password"]


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_audit_entry():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        day = CalendarDay.objects.create(date=dt.date(2025, 9, 1), kind=CalendarDay.Kind.DAY_OFF, reason="Nghỉ bù")
        audit.record(actor=None, action=AuditEntry.Action.CREATE, instance=day)
        1 / 0  # noqa: B018
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_entries_written_during_a_request_carry_its_request_id(client_for, province_officer, luc_nam):
    client = client_for(province_officer)
    response = client.post(
        reverse("units:committee_create", args=[luc_nam.pk]),
        {"kind": "committee", "name": "Ban Chỉ đạo huyện Lục Nam"},
        headers={"X-Request-ID": "req-audit-0001"},
    )
    assert response.status_code == 302 and response["X-Request-ID"] == "req-audit-0001"
    entry = AuditEntry.objects.get(model_label="units.SteeringCommittee")
    assert (entry.request_id, entry.actor) == ("req-audit-0001", province_officer)


def test_snapshot_of_a_record_without_its_file_does_not_crash():
    from core.models import StoredFile

    empty = StoredFile(original_name="x.pdf", content_type="application/pdf", size=0, sha256="0" * 64)
    assert audit.snapshot(empty)["file"] is None
    with_file = StoredFile(file="uploads/2025/01/x.pdf", original_name="x.pdf", content_type="application/pdf", size=1, sha256="0" * 64)
    assert audit.snapshot(with_file)["file"] == "uploads/2025/01/x.pdf"
