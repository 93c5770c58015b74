"""Members guide their localities (notice, task 8): a member's page shows each followed locality's
status across the capabilities (read through core.metrics in a fixed number of queries), and the
log of visits and urgings the member or the secretariat records; an urging from an overdue task."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import Role, User
from core import metrics
from core.models import AuditEntry
from feedback import services as feedback_services
from feedback.models import Case, Category, Kind
from steering import member_services, services
from steering.member_queries import locality_status
from steering.models import Directive, DirectiveTask, GuidanceEntry, GuidanceKind
from units.models import CommitteeMember, SteeringCommittee, Unit, UnitKind
from units.structure import UnitNotInForce

TODAY = timezone.localdate()


@pytest.fixture
def member_user(make_user, bac_giang: Unit) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.PROVINCE_LEADER, bac_giang, username="thanhvien")


@pytest.fixture
def member(bac_giang: Unit, doi_ngo: Unit, dong_hung: Unit, member_user: User) -> CommitteeMember:
    committee = SteeringCommittee.objects.create(unit=bac_giang, name="Ban Chỉ đạo QCDC tỉnh")
    member = CommitteeMember.objects.create(committee=committee, full_name="Nguyễn Văn Theo Dõi", user=member_user)
    member.followed_units.set([doi_ngo, dong_hung])
    return member


@pytest.fixture
def overdue_task(bac_giang: Unit, doi_ngo: Unit) -> DirectiveTask:
    directive = services.create_directive(
        by=SYSTEM,
        unit=bac_giang,
        kind=Directive.Kind.NOTICE,
        number="5-TB/BCĐ",
        issued_on=dt.date(2024, 1, 31),
        issuer="BCĐ tỉnh",
        title="Thông báo",
    )
    return services.add_task(
        by=SYSTEM, directive=directive, number=1, title="Quán triệt Luật", owners=[doi_ngo], deadline_text="quý I/2024"
    )


def _overdue_case(unit: Unit) -> Case:
    report = feedback_services.Report(
        category=Category.FACILITIES, kind=Kind.FEEDBACK, concerned_unit=unit, description="Đèn đường hỏng đã lâu.", contact={}
    )
    case = feedback_services.submit_case(report=report).case
    Case.objects.filter(pk=case.pk).update(due_on=TODAY - dt.timedelta(days=5))
    return case


def test_member_page_shows_the_localities_status_and_marks_the_overdue_red(
    member: CommitteeMember, member_user: User, overdue_task: DirectiveTask, dong_hung: Unit, client_for: Callable[[User], Client]
) -> None:
    _overdue_case(dong_hung)
    response = client_for(member_user).get(f"/staff/chi-dao/thanh-vien/{member.pk}/")
    assert response.status_code == 200
    rows = {row.unit.name: row for row in response.context["status"]}
    doi_ngo_row, dong_hung_row = rows["Thị trấn Đồi Ngô"], rows["Xã Đông Hưng"]
    cells = {c.key: c for c in doi_ngo_row.cells}
    assert cells["steering.tasks_overdue"].value.value == 1 and cells["steering.tasks_overdue"].alarming
    assert cells["feedback.overdue_open"].value.value == 0
    assert {c.key: c.value.value for c in dong_hung_row.cells}["feedback.overdue_open"] == 1
    assert doi_ngo_row.needs_urging and dong_hung_row.needs_urging
    assert response.context["needing_urging"] == 2
    assert [key for key, _h in [(c.key, 0) for c in doi_ngo_row.cells]] == [
        "certification.recognised_share",
        "feedback.overdue_open",
        "disclosure.overdue",
        "supervision.reports_overdue",
        "steering.tasks_overdue",
    ]
    assert cells["certification.recognised_share"].value.value is None  # no file: no figure, not 0 %
    html = response.content.decode()
    assert "Cần đôn đốc" in html and "table-danger" in html


def test_the_status_takes_the_same_queries_for_two_localities_as_for_twelve(bac_giang: Unit, doi_ngo: Unit) -> None:
    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=bac_giang.path).order_by("code")[:12])
    _overdue_case(communes[3])
    counts = []
    for localities in (communes[:2], communes):
        with CaptureQueriesContext(connection) as ctx:
            rows = locality_status(localities, start=dt.date(TODAY.year, 1, 1), end=TODAY)
        counts.append(len(ctx.captured_queries))
        assert len(rows) == len(localities)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 15, counts  # each figure reads its rows and its units' predecessors (LineageIndex)
    assert [c.value.value for c in rows[3].cells if c.key == "feedback.overdue_open"] == [1.0]


def test_batch_figures_equal_the_one_unit_figures(luc_nam: Unit, doi_ngo: Unit, dong_hung: Unit, overdue_task: DirectiveTask) -> None:
    _overdue_case(doi_ngo)
    start, end = dt.date(TODAY.year, 1, 1), TODAY
    for key in ("feedback.overdue_open", "steering.tasks_overdue", "disclosure.overdue", "certification.recognised_share"):
        batch = metrics.compute_many(key, units=[luc_nam, doi_ngo, dong_hung], start=start, end=end)
        for unit in (luc_nam, doi_ngo, dong_hung):
            assert batch[unit.pk].value == metrics.compute(key, unit=unit, start=start, end=end).value, (key, unit)
    assert metrics.compute("feedback.overdue_open", unit=luc_nam, start=start, end=end).value == 1.0  # the district adds its communes


def test_member_records_a_visit_with_a_file_and_it_is_audited(
    member: CommitteeMember, member_user: User, doi_ngo: Unit, client_for: Callable[[User], Client]
) -> None:
    client = client_for(member_user)
    pdf = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    pdf.name = "bien-ban.pdf"
    response = client.post(
        f"/staff/chi-dao/thanh-vien/{member.pk}/ghi/",
        {
            "unit": doi_ngo.pk,
            "kind": GuidanceKind.VISIT,
            "happened_on": TODAY.strftime("%d/%m/%Y"),
            "content": "Kiểm tra niêm yết",
            "file": pdf,
        },
    )
    assert response.status_code == 302
    entry = GuidanceEntry.objects.get(member=member)
    assert (entry.unit, entry.kind, entry.recorded_by, entry.file.original_name) == (doi_ngo, "visit", member_user, "bien-ban.pdf")  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(model_label="steering.GuidanceEntry", object_pk=str(entry.pk), actor=member_user).exists()
    page = client.get(f"/staff/chi-dao/thanh-vien/{member.pk}/")
    assert "Kiểm tra niêm yết" in page.content.decode()
    assert client.get(f"/staff/chi-dao/thanh-vien/{member.pk}/tep/{entry.pk}/").status_code == 200


def test_the_secretariat_records_for_a_member_but_others_may_not(
    member: CommitteeMember, province_officer: User, province_leader: User, district_officer: User, doi_ngo: Unit
) -> None:
    entry = member_services.record_guidance(
        by=province_officer, member=member, unit=doi_ngo, kind=GuidanceKind.URGING, happened_on=TODAY, content="Đôn đốc báo cáo"
    )
    assert entry.recorded_by == province_officer
    for user in (province_leader, district_officer):  # a leader oversees but is not the secretariat
        with pytest.raises(PermissionDenied):
            member_services.record_guidance(by=user, member=member, unit=doi_ngo, kind=GuidanceKind.VISIT, happened_on=TODAY, content="x")


def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(
    member: CommitteeMember, member_user: User, doi_ngo: Unit, cam_son: Unit
) -> None:
    cases = [
        ({"unit": cam_son}, "không thuộc địa bàn"),
        ({"content": "   "}, "Hãy ghi nội dung"),
        ({"happened_on": TODAY + dt.timedelta(days=1)}, "không thể sau hôm nay"),
        ({"kind": "party"}, "không hợp lệ"),
    ]
    for change, message in cases:
        args = {"unit": doi_ngo, "kind": GuidanceKind.VISIT, "happened_on": TODAY, "content": "Nội dung", **change}
        with pytest.raises(ValidationError, match=message):
            member_services.record_guidance(by=member_user, member=member, **args)  # type: ignore[arg-type]
    member.since = TODAY
    member.save()
    with pytest.raises(ValidationError, match="không thuộc thời gian"):
        member_services.record_guidance(
            by=member_user, member=member, unit=doi_ngo, kind="visit", happened_on=TODAY - dt.timedelta(days=3), content="x"
        )
    assert not GuidanceEntry.objects.exists()


def test_an_abolished_unit_is_refused_naming_its_successor(
    member: CommitteeMember, member_user: User, new_commune: Unit, doi_ngo: Unit
) -> None:
    with pytest.raises(UnitNotInForce, match=new_commune.name):
        member_services.record_guidance(by=member_user, member=member, unit=doi_ngo, kind="visit", happened_on=TODAY, content="x")
    # Before 1 July 2025 the old town was in force.
    entry = member_services.record_guidance(
        by=member_user, member=member, unit=doi_ngo, kind="visit", happened_on=dt.date(2025, 3, 1), content="Làm việc với thị trấn"
    )
    assert entry.unit == doi_ngo


def test_urging_is_recorded_from_an_overdue_task(
    member: CommitteeMember, member_user: User, overdue_task: DirectiveTask, doi_ngo: Unit, client_for: Callable[[User], Client]
) -> None:
    client = client_for(member_user)
    task_page = client.get(f"/staff/chi-dao/nhiem-vu/{overdue_task.pk}/")
    assert task_page.context["can_urge"] is True
    url = f"/staff/chi-dao/nhiem-vu/{overdue_task.pk}/don-doc/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"member": member.pk, "unit": doi_ngo.pk, "happened_on": TODAY.strftime("%d/%m/%Y"), "content": "Đề nghị hoàn thành ngay"}
    )
    assert response.status_code == 302
    entry = GuidanceEntry.objects.get()
    assert (entry.task, entry.kind, entry.unit) == (overdue_task, GuidanceKind.URGING, doi_ngo)
    assert "Đề nghị hoàn thành ngay" in client.get(f"/staff/chi-dao/thanh-vien/{member.pk}/").content.decode()


def test_a_task_without_a_follower_of_the_user_offers_no_urging(
    overdue_task: DirectiveTask, district_officer: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(district_officer)
    assert client.get(f"/staff/chi-dao/nhiem-vu/{overdue_task.pk}/").context["can_urge"] is False
    assert client.get(f"/staff/chi-dao/nhiem-vu/{overdue_task.pk}/don-doc/").status_code == 404


def test_who_sees_a_members_page(
    member: CommitteeMember,
    member_user: User,
    province_officer: User,
    province_leader: User,
    district_officer: User,
    commune_officer: User,
    outsider: User,
    client_for: Callable[[User], Client],
) -> None:
    url = f"/staff/chi-dao/thanh-vien/{member.pk}/"
    for user, status in ((member_user, 200), (province_officer, 200), (province_leader, 200)):
        assert client_for(user).get(url).status_code == status, user
    for user in (district_officer, commune_officer, outsider):
        client = client_for(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url + "ghi/", {"content": "x"}).status_code == 404
        assert member.full_name not in client.get("/staff/chi-dao/thanh-vien/").content.decode()
    page = client_for(province_leader).get(url)
    assert page.context["form"] is None  # the leader oversees, the secretariat records
    listing = client_for(member_user).get("/staff/chi-dao/thanh-vien/").content.decode()
    assert "Trang của bạn" in listing and member.full_name in listing


def test_the_members_page_takes_the_same_queries_for_two_localities_as_for_ten(
    member: CommitteeMember, member_user: User, bac_giang: Unit, client_for: Callable[[User], Client]
) -> None:
    communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=bac_giang.path).order_by("code")[:10])
    client = client_for(member_user)
    url = f"/staff/chi-dao/thanh-vien/{member.pk}/"
    counts = []
    for localities in (communes[:2], communes):
        member.followed_units.set(localities)
        for unit in localities[:2]:
            GuidanceEntry.objects.create(
                member=member, unit=unit, kind=GuidanceKind.VISIT, happened_on=TODAY, content="x", recorded_by=member_user
            )
        client.get(url)  # warm the session and caches alike for both sizes
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200 and len(response.context["status"]) == len(localities)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.fixture
def old_case(doi_ngo: Unit) -> Case:
    """An overdue report about the town, received while it still existed."""
    return _overdue_case(doi_ngo)


def test_a_merged_communes_row_carries_its_predecessors_records(
    overdue_task: DirectiveTask, old_case: Case, new_commune: Unit, doi_ngo: Unit
) -> None:
    """A member following the commune formed on 1 July 2025 sees the overdue task and report of
    the town it was formed from, and the note names it."""
    (row,) = locality_status([new_commune], start=dt.date(TODAY.year, 1, 1), end=TODAY)
    cells = {c.key: c.value for c in row.cells}
    assert cells["steering.tasks_overdue"].value == 1.0 and doi_ngo.name in cells["steering.tasks_overdue"].note
    assert cells["feedback.overdue_open"].value == 1.0
    assert row.needs_urging
