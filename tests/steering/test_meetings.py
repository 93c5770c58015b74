"""A committee's meeting: scheduled, held with attendance and minutes, or cancelled; its
conclusions, one of which becomes a task; refusals (who, wrong state, bad input) change nothing;
the pages, with outsiders getting 404."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.actors import SYSTEM
from accounts.models import Role, User
from core.models import AuditEntry
from steering import committee_work
from steering.models import DirectiveTask, Meeting, MeetingConclusion, MeetingState
from tests.steering.committee_builders import all_present, committee_with_members
from units.models import SteeringCommittee, Unit
from units.structure import UnitNotInForce

DAY = dt.date(2024, 3, 15)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def committee(luc_nam: Unit) -> SteeringCommittee:
    return committee_with_members(luc_nam, "Ban Chỉ đạo QCDC huyện Lục Nam", established_on=dt.date(2023, 3, 1))


@pytest.fixture
def meeting(committee: SteeringCommittee, district_officer: User) -> Meeting:
    return committee_work.schedule_meeting(by=district_officer, committee=committee, title="Họp quý I/2024", scheduled_on=DAY)


def test_the_secretary_records_a_held_meeting_with_attendance_and_minutes(meeting: Meeting, district_officer: User) -> None:
    members = list(meeting.committee.members.order_by("pk"))
    attendance = {members[0].pk: (True, ""), members[1].pk: (False, "Đi công tác, ủy quyền phó ban"), members[2].pk: (True, "")}
    committee_work.record_meeting_held(
        by=district_officer, meeting=meeting, held_on=DAY, attendance=attendance, minutes=io.BytesIO(PDF), minutes_name="bien-ban.pdf"
    )
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and meeting.held_on == DAY and meeting.minutes is not None
    assert meeting.attendance.filter(present=False).get().note == "Đi công tác, ủy quyền phó ban"
    entry = AuditEntry.objects.filter(model_label="steering.Meeting", action=AuditEntry.Action.UPDATE).get()
    assert entry.before["state"] == "scheduled" and len(entry.after["attendance"]) == 3 and entry.actor == district_officer


def test_attendance_must_mark_every_serving_member_and_someone_present(meeting: Meeting, district_officer: User) -> None:
    members = list(meeting.committee.members.order_by("pk"))
    with pytest.raises(ValidationError, match="Chưa điểm danh: Thành viên 3"):
        committee_work.record_meeting_held(
            by=district_officer, meeting=meeting, held_on=DAY, attendance={m.pk: (True, "") for m in members[:2]}
        )
    with pytest.raises(ValidationError, match="ít nhất một"):
        committee_work.record_meeting_held(
            by=district_officer, meeting=meeting, held_on=DAY, attendance={m.pk: (False, "") for m in members}
        )
    stranger = committee_with_members(meeting.committee.unit, "Ban khác", members=1).members.get()
    with pytest.raises(ValidationError, match="không phải thành viên"):
        committee_work.record_meeting_held(
            by=district_officer, meeting=meeting, held_on=DAY, attendance={**all_present(meeting.committee), stranger.pk: (True, "")}
        )
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        committee_work.record_meeting_held(
            by=district_officer, meeting=meeting, held_on=dt.date.today() + dt.timedelta(days=2), attendance=all_present(meeting.committee)
        )
    with pytest.raises(ValidationError, match="trước ngày thành lập"):
        committee_work.record_meeting_held(
            by=district_officer, meeting=meeting, held_on=dt.date(2023, 1, 5), attendance=all_present(meeting.committee)
        )
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SCHEDULED and not meeting.attendance.exists()


def test_a_member_who_left_is_not_on_the_attendance_list(meeting: Meeting, district_officer: User) -> None:
    gone = meeting.committee.members.order_by("pk").last()
    assert gone is not None
    gone.until = dt.date(2024, 1, 31)
    gone.save()
    attendance = {pk: v for pk, v in all_present(meeting.committee).items() if pk != gone.pk}
    committee_work.record_meeting_held(by=district_officer, meeting=meeting, held_on=DAY, attendance=attendance)
    assert meeting.attendance.count() == 2


def test_transitions_held_and_cancelled_meetings_do_not_move(
    meeting: Meeting, district_officer: User, committee: SteeringCommittee
) -> None:
    committee_work.record_meeting_held(by=district_officer, meeting=meeting, held_on=DAY, attendance=all_present(committee))
    with pytest.raises(ValidationError, match="Đã họp"):
        committee_work.record_meeting_held(by=district_officer, meeting=meeting, held_on=DAY, attendance=all_present(committee))
    with pytest.raises(ValidationError, match="Đã họp"):
        committee_work.cancel_meeting(by=district_officer, meeting=meeting, reason="x")
    other = committee_work.schedule_meeting(by=district_officer, committee=committee, title="Họp quý II", scheduled_on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="lý do"):
        committee_work.cancel_meeting(by=district_officer, meeting=other, reason=" ")
    committee_work.cancel_meeting(by=district_officer, meeting=other, reason="Trùng lịch hội nghị tỉnh")
    with pytest.raises(ValidationError, match="Đã hủy"):
        committee_work.record_meeting_held(by=district_officer, meeting=other, held_on=DAY, attendance=all_present(committee))
    with pytest.raises(ValidationError, match="đã họp"):
        committee_work.add_meeting_conclusion(by=district_officer, meeting=other, text="x")


def test_only_the_units_officials_record_its_committees_meetings(
    committee: SteeringCommittee, meeting: Meeting, outsider_district: User, commune_officer: User, province_officer: User
) -> None:
    for user in (outsider_district, commune_officer):
        with pytest.raises(PermissionDenied):
            committee_work.schedule_meeting(by=user, committee=committee, title="x", scheduled_on=DAY)
        with pytest.raises(PermissionDenied):
            committee_work.record_meeting_held(by=user, meeting=meeting, held_on=DAY, attendance=all_present(committee))
    committee_work.schedule_meeting(by=province_officer, committee=committee, title="Họp đột xuất", scheduled_on=DAY)
    with pytest.raises(ValidationError, match="nội dung"):
        committee_work.schedule_meeting(by=province_officer, committee=committee, title="  ", scheduled_on=DAY)


def test_a_conclusion_becomes_a_task_of_the_meetings_conclusion_notice(
    meeting: Meeting, committee: SteeringCommittee, district_officer: User, dong_hung: Unit, doi_ngo: Unit
) -> None:
    committee_work.record_meeting_held(by=district_officer, meeting=meeting, held_on=DAY, attendance=all_present(committee))
    first = committee_work.add_meeting_conclusion(by=district_officer, meeting=meeting, text="Các xã rà soát niêm yết công khai.")
    assert first.task is None and first.number == 1
    follower = committee.members.first()
    second = committee_work.add_meeting_conclusion(
        by=district_officer,
        meeting=meeting,
        text="Xã Đông Hưng hoàn thiện hồ sơ đăng ký chính quyền thân thiện.",
        as_task=True,
        owners=[dong_hung],
        deadline_text="quý III/2024",
        follower=follower,
    )
    task = second.task
    assert task is not None and task.due_on == dt.date(2024, 9, 30) and list(task.owners.all()) == [dong_hung]
    assert task.follower == follower and task.number == 2
    assert task.directive.unit == committee.unit and task.directive.issued_on == DAY and task.directive.issuer == committee.name
    third = committee_work.add_meeting_conclusion(
        by=district_officer,
        meeting=meeting,
        text="Thị trấn Đồi Ngô báo cáo kết quả.",
        as_task=True,
        owners=[doi_ngo],
        deadline_text="năm 2024",
    )
    assert third.task is not None and third.task.directive_id == task.directive_id  # one notice per meeting
    meeting.refresh_from_db()
    assert meeting.directive_id == task.directive_id
    assert AuditEntry.objects.filter(model_label="steering.MeetingConclusion").count() == 3


def test_a_bad_deadline_or_a_commune_officer_assigning_saves_nothing(
    doi_ngo: Unit, commune_officer: User, meeting: Meeting, committee: SteeringCommittee, district_officer: User, dong_hung: Unit
) -> None:
    committee_work.record_meeting_held(by=district_officer, meeting=meeting, held_on=DAY, attendance=all_present(committee))
    with pytest.raises(ValidationError, match="Không hiểu thời hạn"):
        committee_work.add_meeting_conclusion(
            by=district_officer, meeting=meeting, text="x", as_task=True, owners=[dong_hung], deadline_text="sớm nhất có thể"
        )
    assert not MeetingConclusion.objects.exists() and not DirectiveTask.objects.exists()
    meeting.refresh_from_db()
    assert meeting.directive is None
    commune = committee_with_members(doi_ngo, "Ban Chỉ đạo QCDC thị trấn Đồi Ngô", members=2)
    held = committee_work.schedule_meeting(by=commune_officer, committee=commune, title="Họp", scheduled_on=DAY)
    committee_work.record_meeting_held(by=commune_officer, meeting=held, held_on=DAY, attendance=all_present(commune))
    committee_work.add_meeting_conclusion(by=commune_officer, meeting=held, text="Ghi nhận ý kiến các thôn.")
    with pytest.raises(PermissionDenied):
        committee_work.add_meeting_conclusion(
            by=commune_officer, meeting=held, text="Giao thôn", as_task=True, owners=[doi_ngo], deadline_text="năm 2024"
        )
    assert MeetingConclusion.objects.filter(meeting=held).count() == 1


def test_a_meeting_of_an_abolished_units_committee_is_refused_naming_the_successor(
    doi_ngo: Unit, new_commune: Unit, new_province: Unit
) -> None:
    old = committee_with_members(doi_ngo, "Ban Chỉ đạo QCDC thị trấn Đồi Ngô", members=2)
    committee_work.schedule_meeting(by=SYSTEM, committee=old, title="Họp quý II/2025", scheduled_on=dt.date(2025, 6, 20))
    with pytest.raises(UnitNotInForce) as caught:
        committee_work.schedule_meeting(by=SYSTEM, committee=old, title="Họp", scheduled_on=dt.date(2025, 9, 1))
    assert caught.value.successor == new_commune and "Xã Đồi Ngô Mới" in str(caught.value)
    later = committee_with_members(new_commune, "Ban Chỉ đạo QCDC xã Đồi Ngô Mới", members=2)
    held = committee_work.schedule_meeting(by=SYSTEM, committee=later, title="Họp quý III/2025", scheduled_on=dt.date(2025, 9, 1))
    committee_work.record_meeting_held(by=SYSTEM, meeting=held, held_on=dt.date(2025, 9, 1), attendance=all_present(later))
    assert held.state == MeetingState.HELD


def test_pages_secretary_holds_and_concludes_outsiders_get_404(
    committee: SteeringCommittee,
    meeting: Meeting,
    district_officer: User,
    dong_hung: Unit,
    make_user: Callable[..., User],
    outsider: User,
    client_for: Callable[[User], Client],
) -> None:
    secretary = client_for(district_officer)
    assert "Ban Chỉ đạo QCDC huyện Lục Nam" in secretary.get("/staff/chi-dao/hop/").content.decode()
    page = secretary.get(f"/staff/chi-dao/hop/{meeting.pk}/")
    assert page.status_code == 200 and "Ghi nhận đã họp" in page.content.decode()
    members = list(committee.members.order_by("pk"))
    form = {"held_on": "2024-03-15", "chaired_by": "Đ/c Trưởng ban"}
    form |= {f"present_{m.pk}": "1" for m in members} | {f"note_{m.pk}": "" for m in members}
    form[f"present_{members[2].pk}"] = "0"
    form[f"note_{members[2].pk}"] = "Ốm"
    minutes = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = secretary.post(f"/staff/chi-dao/hop/{meeting.pk}/da-hop/", {**form, "minutes": minutes})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and meeting.attendance.filter(present=False).count() == 1
    assert secretary.get(f"/staff/chi-dao/hop/{meeting.pk}/bien-ban/").status_code == 200
    bad = secretary.post(
        f"/staff/chi-dao/hop/{meeting.pk}/ket-luan/",
        {"text": "Đông Hưng hoàn thiện hồ sơ", "as_task": "on", "owners": [dong_hung.pk], "deadline_text": "khi nào xong"},
        follow=True,
    )
    assert "Không hiểu thời hạn" in bad.content.decode() and not DirectiveTask.objects.exists()
    secretary.post(
        f"/staff/chi-dao/hop/{meeting.pk}/ket-luan/",
        {"text": "Đông Hưng hoàn thiện hồ sơ", "as_task": "on", "owners": [dong_hung.pk], "deadline_text": "quý III/2024"},
    )
    assert DirectiveTask.objects.get().owners.get() == dong_hung
    stranger = client_for(outsider)
    for url in (
        f"/staff/chi-dao/hop/{meeting.pk}/",
        f"/staff/chi-dao/hop/ban/{committee.pk}/",
        f"/staff/chi-dao/hop/{meeting.pk}/bien-ban/",
    ):
        assert stranger.get(url).status_code == 404
    assert stranger.post(f"/staff/chi-dao/hop/{meeting.pk}/huy/", {"reason": "x"}).status_code == 404
    assert "Lục Nam" not in stranger.get("/staff/chi-dao/hop/").content.decode()
    hanoi = Unit.objects.create(code="01", edition="2024", name="Thành phố Hà Nội", kind="province")
    assert client_for(make_user(Role.PROVINCE_OFFICE, hanoi)).get(f"/staff/chi-dao/hop/{meeting.pk}/").status_code == 404
