"""A district reports on a task of the 2024 notice, the province accepts or returns it; refusals;
the structure in force; reminders and escalation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts.actors import SYSTEM
from accounts.models import Role, User
from core.models import AuditEntry, OutboxMessage
from steering import services
from steering.models import Directive, DirectiveTask, TaskState
from units.models import CommitteeMember, SteeringCommittee, Unit
from units.structure import UnitNotInForce


def test_district_reports_and_province_accepts(task: DirectiveTask, district_officer: User, province_officer: User) -> None:
    services.report_progress(by=district_officer, task=task, text="12/25 xã đạt chuẩn", percent=48)
    task.refresh_from_db()
    assert (task.state, task.percent) == (TaskState.IN_PROGRESS, 48)
    services.report_progress(by=district_officer, task=task, text="Đạt 60%", percent=60, complete=True)
    task.refresh_from_db()
    assert (task.state, task.percent) == (TaskState.SUBMITTED, 100)
    assert OutboxMessage.objects.filter(recipient=province_officer.email, subject__startswith="Đề nghị công nhận").exists()
    services.accept_task(by=province_officer, task=task, text="Đạt")
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.completed_on is not None
    entries = AuditEntry.objects.filter(model_label="steering.DirectiveTask", object_pk=str(task.pk), action=AuditEntry.Action.UPDATE)
    assert entries.count() == 3
    assert entries.order_by("pk").last().before["state"] == TaskState.SUBMITTED  # type: ignore[union-attr]
    assert list(task.reports.values_list("action", flat=True)) == ["report", "submit", "accept"]


def test_return_needs_a_reason_and_reopens_the_task(task: DirectiveTask, district_officer: User, province_officer: User) -> None:
    services.report_progress(by=district_officer, task=task, text="Xong", percent=100, complete=True)
    with pytest.raises(ValidationError, match="lý do"):
        services.return_task(by=province_officer, task=task, reason="  ")
    services.return_task(by=province_officer, task=task, reason="Thiếu số liệu")
    task.refresh_from_db()
    assert task.state == TaskState.RETURNED
    assert OutboxMessage.objects.filter(recipient=district_officer.email, subject__startswith="Nhiệm vụ bị trả lại").exists()


def test_accepting_an_unsubmitted_task_is_refused(task: DirectiveTask, province_officer: User) -> None:
    with pytest.raises(ValidationError, match="Chưa báo cáo"):
        services.accept_task(by=province_officer, task=task)


def test_only_owners_report_and_only_the_issuer_accepts(
    task: DirectiveTask, outsider_district: User, commune_officer: User, district_officer: User
) -> None:
    for user in (outsider_district, commune_officer):
        with pytest.raises(PermissionDenied):
            services.report_progress(by=user, task=task, text="x", percent=10)
    services.report_progress(by=district_officer, task=task, text="x", percent=100, complete=True)
    with pytest.raises(PermissionDenied):
        services.accept_task(by=district_officer, task=task)
    with pytest.raises(ValidationError, match="0 đến 100"):
        services.report_progress(by=district_officer, task=task, text="x", percent=101)


def test_an_abolished_unit_is_refused_naming_its_successor(new_province: Unit, new_commune: Unit, doi_ngo: Unit) -> None:
    directive = services.create_directive(
        by=SYSTEM,
        unit=new_province,
        kind=Directive.Kind.PLAN,
        number="05-KH/BCĐ",
        issued_on=dt.date(2025, 9, 1),
        issuer="BCĐ",
        title="Kế hoạch",
    )
    with pytest.raises(UnitNotInForce) as caught:
        services.add_task(by=SYSTEM, directive=directive, number=1, title="x", owners=[doi_ngo], deadline_text="quý IV/2025")
    assert caught.value.successor == new_commune
    task = services.add_task(by=SYSTEM, directive=directive, number=1, title="x", owners=[new_commune], deadline_text="quý IV/2025")
    assert task.due_on == dt.date(2025, 12, 31)
    with pytest.raises(UnitNotInForce):
        services.create_directive(
            by=SYSTEM, unit=new_province, kind=Directive.Kind.PLAN, number="01", issued_on=dt.date(2025, 3, 1), issuer="BCĐ", title="x"
        )


def test_deadline_before_the_directive_and_task_without_owner_are_refused(notice: Directive) -> None:
    with pytest.raises(ValidationError, match="trước ngày ban hành"):
        services.add_task(by=SYSTEM, directive=notice, number=1, title="x", owner_agencies="Báo Bắc Giang", deadline_text="năm 2023")
    with pytest.raises(ValidationError, match="chủ trì"):
        services.add_task(by=SYSTEM, directive=notice, number=1, title="x", deadline_text="năm 2024")


def test_reminder_before_due_and_escalation_to_the_follower(
    task: DirectiveTask, district_officer: User, bac_giang: Unit, luc_nam: Unit, settings: object
) -> None:
    committee = SteeringCommittee.objects.create(unit=bac_giang, name="BCĐ tỉnh")
    member = CommitteeMember.objects.create(committee=committee, full_name="Giáp Văn A", email="thanhvien@example.invalid")
    member.followed_units.add(luc_nam)
    assert services.remind_due_tasks(by=SYSTEM, today=dt.date(2024, 12, 26)) == 1
    assert OutboxMessage.objects.filter(recipient=district_officer.email, subject__startswith="Sắp đến hạn").count() == 1
    services.remind_due_tasks(by=SYSTEM, today=dt.date(2024, 12, 27))  # once per due date
    assert OutboxMessage.objects.filter(recipient=district_officer.email, subject__startswith="Sắp đến hạn").count() == 1
    assert services.escalate_overdue_tasks(by=SYSTEM, today=dt.date(2025, 1, 3)) == 0  # not yet 7 days overdue
    assert services.escalate_overdue_tasks(by=SYSTEM, today=dt.date(2025, 1, 8)) == 1
    message = OutboxMessage.objects.get(recipient="thanhvien@example.invalid")
    assert "Huyện Lục Nam" in message.body and "quá hạn từ 31/12/2024" in message.body
    with pytest.raises(PermissionDenied):
        services.escalate_overdue_tasks(by=district_officer)


def test_pages_report_and_accept_and_outsiders_get_404(
    task: DirectiveTask,
    district_officer: User,
    province_officer: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    district = client_for(district_officer)
    page = district.get(f"/staff/chi-dao/nhiem-vu/{task.pk}/")
    assert page.status_code == 200 and "Gửi báo cáo" in page.content.decode()
    district.post(f"/staff/chi-dao/nhiem-vu/{task.pk}/bao-cao/", {"text": "Đạt 60%", "percent": "100", "complete": "on"})
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED
    province = client_for(province_officer)
    assert "Công nhận hoàn thành" in province.get(f"/staff/chi-dao/nhiem-vu/{task.pk}/").content.decode()
    province.post(f"/staff/chi-dao/nhiem-vu/{task.pk}/quyet-dinh/", {"action": "accept", "text": ""})
    task.refresh_from_db()
    assert task.state == TaskState.DONE
    listing = district.get("/staff/chi-dao/")
    assert "60% xã đạt chuẩn" in listing.content.decode()
    hanoi = Unit.objects.create(code="01", edition="2024", name="Thành phố Hà Nội", kind="province")
    stranger = client_for(make_user(Role.PROVINCE_OFFICE, hanoi))
    assert stranger.get(f"/staff/chi-dao/nhiem-vu/{task.pk}/").status_code == 404
    assert stranger.post(f"/staff/chi-dao/nhiem-vu/{task.pk}/bao-cao/", {"text": "x", "percent": "1"}).status_code == 404
    assert "60% xã đạt chuẩn" not in stranger.get("/staff/chi-dao/").content.decode()


def test_the_overdue_list_groups_tasks_per_owner(task: DirectiveTask, district_officer: User, client_for: Callable[[User], Client]) -> None:
    page = client_for(district_officer).get("/staff/chi-dao/?qua_han=1").content.decode()
    assert "Nhiệm vụ quá hạn theo đơn vị chủ trì" in page and "Huyện Lục Nam" in page and "Quá hạn" in page


def test_a_reports_document_is_stored_and_served_only_within_scope(
    task: DirectiveTask,
    district_officer: User,
    outsider_district: User,
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    import io

    pdf = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    report = services.report_progress(
        by=district_officer, task=task, text="Kèm báo cáo", percent=30, document=pdf, document_name="bao-cao.pdf"
    )
    assert report.document is not None and report.document.content_type == "application/pdf"
    url = f"/staff/chi-dao/nhiem-vu/{task.pk}/tai-lieu/{report.pk}/"
    assert client_for(district_officer).get(url).status_code == 200
    assert client_for(outsider_district).get(url).status_code == 200  # a district of the same province sees the notice
    hanoi = Unit.objects.create(code="01", edition="2024", name="Thành phố Hà Nội", kind="province")
    assert client_for(make_user(Role.PROVINCE_OFFICE, hanoi)).get(url).status_code == 404
    other = services.report_progress(by=district_officer, task=task, text="Không kèm", percent=40)
    assert client_for(district_officer).get(f"/staff/chi-dao/nhiem-vu/{task.pk}/tai-lieu/{other.pk}/").status_code == 404
