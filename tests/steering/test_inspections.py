"""The committee's inspections: a plan, visits to units below it, findings, and recommendations
whose follow-up is a task the inspected unit reports on; refusals and pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts.models import User
from core.models import AuditEntry
from steering import committee_work, services
from steering.models import InspectionFinding, InspectionPlan, InspectionVisit, TaskState, VisitState
from tests.steering.committee_builders import committee_with_members
from units.models import SteeringCommittee, Unit


@pytest.fixture
def province_committee(bac_giang: Unit) -> SteeringCommittee:
    return committee_with_members(bac_giang, "Ban Chỉ đạo QCDC tỉnh Bắc Giang")


@pytest.fixture
def plan(province_committee: SteeringCommittee, province_officer: User) -> InspectionPlan:
    return committee_work.create_inspection_plan(
        by=province_officer,
        committee=province_committee,
        number="15-KH/BCĐ",
        title="Kiểm tra thực hiện QCDC năm 2024",
        adopted_on=dt.date(2024, 3, 1),
    )


@pytest.fixture
def visit(plan: InspectionPlan, province_officer: User, luc_nam: Unit) -> InspectionVisit:
    return committee_work.add_visit(by=province_officer, plan=plan, target=luc_nam, planned_on=dt.date(2024, 5, 10), team="Đoàn số 1")


def test_findings_and_a_recommendation_followed_up_as_a_task(
    visit: InspectionVisit, province_officer: User, district_officer: User, luc_nam: Unit
) -> None:
    with pytest.raises(ValidationError, match="đã ghi kết quả"):
        committee_work.add_recommendation(by=province_officer, visit=visit, text="x", deadline_text="quý III/2024")
    committee_work.record_visit(
        by=province_officer,
        visit=visit,
        visited_on=dt.date(2024, 5, 14),
        summary="Ban Chỉ đạo huyện hoạt động chưa nền nếp.",
        findings=[("shortcoming", "Chế độ họp quý II chưa thực hiện."), ("strength", "Công khai đầy đủ."), ("violation", "  ")],
    )
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE and visit.findings.count() == 2
    recommendation = committee_work.add_recommendation(
        by=province_officer, visit=visit, text="Thực hiện nghiêm chế độ họp hằng quý.", deadline_text="quý III/2024"
    )
    task = recommendation.task
    assert task is not None and list(task.owners.all()) == [luc_nam] and task.due_on == dt.date(2024, 9, 30)
    assert task.directive.issued_on == dt.date(2024, 5, 14)
    services.report_progress(by=district_officer, task=task, text="Đã họp quý III.", percent=100, complete=True)
    task.refresh_from_db()
    assert task.state == TaskState.SUBMITTED
    services.accept_task(by=province_officer, task=task)
    task.refresh_from_db()
    assert task.state == TaskState.DONE
    entry = AuditEntry.objects.filter(model_label="steering.InspectionVisit", action=AuditEntry.Action.UPDATE).order_by("pk").first()
    assert entry is not None and entry.before["state"] == "planned" and len(entry.after["findings"]) == 2


def test_refusals_change_nothing(
    plan: InspectionPlan, visit: InspectionVisit, province_officer: User, district_officer: User, luc_nam: Unit, bac_giang: Unit
) -> None:
    with pytest.raises(PermissionDenied):
        committee_work.create_inspection_plan(
            by=district_officer, committee=plan.committee, number="1", title="x", adopted_on=dt.date(2024, 3, 1)
        )
    with pytest.raises(PermissionDenied):
        committee_work.record_visit(by=district_officer, visit=visit, visited_on=dt.date(2024, 5, 14), summary="x", findings=[])
    with pytest.raises(ValidationError, match="không thuộc địa bàn"):
        committee_work.add_visit(by=province_officer, plan=plan, target=bac_giang, planned_on=dt.date(2024, 5, 10))
    with pytest.raises(ValidationError, match="trước ngày ban hành"):
        committee_work.add_visit(by=province_officer, plan=plan, target=luc_nam, planned_on=dt.date(2024, 1, 10))
    with pytest.raises(ValidationError, match="nhận xét chung"):
        committee_work.record_visit(
            by=province_officer, visit=visit, visited_on=dt.date(2024, 5, 14), summary=" ", findings=[("strength", " ")]
        )
    with pytest.raises(ValidationError, match="Loại kết quả"):
        committee_work.record_visit(by=province_officer, visit=visit, visited_on=dt.date(2024, 5, 14), summary="", findings=[("bad", "x")])
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED and not InspectionFinding.objects.exists()
    committee_work.cancel_visit(by=province_officer, visit=visit, reason="Lùi sang quý sau")
    with pytest.raises(ValidationError, match="Đã hủy"):
        committee_work.record_visit(by=province_officer, visit=visit, visited_on=dt.date(2024, 5, 14), summary="x", findings=[])


def test_pages_the_inspected_unit_sees_its_visit_and_outsiders_get_404(
    visit: InspectionVisit,
    plan: InspectionPlan,
    province_officer: User,
    district_officer: User,
    outsider_district: User,
    client_for: Callable[[User], Client],
) -> None:
    province = client_for(province_officer)
    response = province.post(
        f"/staff/chi-dao/kiem-tra/dot/{visit.pk}/ket-qua/",
        {
            "visited_on": "2024-05-14",
            "summary": "Chưa nền nếp",
            "finding_kind_0": "shortcoming",
            "finding_text_0": "Chưa họp quý II",
            "finding_kind_1": "strength",
            "finding_text_1": "",
            "finding_kind_2": "strength",
            "finding_text_2": "",
        },
    )
    assert response.status_code == 302
    province.post(f"/staff/chi-dao/kiem-tra/dot/{visit.pk}/kien-nghi/", {"text": "Họp đủ các quý", "deadline_text": "quý III/2024"})
    visit.refresh_from_db()
    assert visit.recommendations.get().task is not None
    district_page = client_for(district_officer).get(f"/staff/chi-dao/kiem-tra/dot/{visit.pk}/").content.decode()
    assert "Chưa họp quý II" in district_page and "Ghi kết quả kiểm tra" not in district_page
    assert client_for(district_officer).post(f"/staff/chi-dao/kiem-tra/dot/{visit.pk}/kien-nghi/", {"text": "x"}).status_code == 404
    stranger = client_for(outsider_district)
    assert stranger.get(f"/staff/chi-dao/kiem-tra/dot/{visit.pk}/").status_code == 404
    assert stranger.get(f"/staff/chi-dao/kiem-tra/{plan.pk}/").status_code == 404
    assert plan.title not in stranger.get("/staff/chi-dao/kiem-tra/").content.decode()
