"""The provincial committee's secretary (its standing office), on a phone, schedules a meeting,
records it as held with the attendance (one member absent, with the reason) and the minutes, and
records a conclusion that becomes a task for a district; the task page shows it."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.actors import SYSTEM
from steering import committee_work
from steering.models import DirectiveTask, Meeting, MeetingState, RegimePeriod
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from tests.steering.committee_builders import committee_with_members

pytestmark = pytest.mark.django_db(transaction=True)


def test_secretary_records_a_held_meeting_and_a_conclusion_becomes_a_task(new_page, bac_giang, luc_nam, province_officer, tmp_path):
    committee = committee_with_members(bac_giang, "Ban Chỉ đạo QCDC tỉnh Bắc Giang", established_on=dt.date(2021, 1, 15))
    committee_work.set_meeting_regime(by=SYSTEM, unit=bac_giang, period=RegimePeriod.QUARTER, meetings_per_period=1)
    phone = new_page(PHONE)
    login(phone, province_officer)
    phone.goto("/staff/chi-dao/hop/?tu=2024-01-01&den=2024-12-31")
    expect(phone.get_by_role("heading", name="Chế độ họp của các ban chỉ đạo")).to_be_visible()
    phone.get_by_role("link", name="Ban Chỉ đạo QCDC tỉnh Bắc Giang").click()
    phone.get_by_label("Nội dung cuộc họp").fill("Họp quý I/2024: triển khai Thông báo kết luận")
    phone.get_by_label("Ngày họp dự kiến").fill("2024-03-15")
    phone.get_by_role("button", name="Lên lịch").click()
    expect(phone.get_by_text("Đã lên lịch cuộc họp.")).to_be_visible()

    absent = committee.members.order_by("pk")[1]
    phone.get_by_role("group", name=f"{absent.full_name} – {absent.get_position_display()}").get_by_label("Vắng").check()
    phone.get_by_label(f"Ghi chú về {absent.full_name} (lý do vắng, người dự thay)").fill("Đi công tác, ủy quyền Phó ban")
    minutes = tmp_path / "bien-ban-hop-quy-1.pdf"
    minutes.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    phone.get_by_label("Biên bản cuộc họp").set_input_files(str(minutes))
    check_a11y(phone)
    phone.get_by_role("button", name="Ghi nhận đã họp").click()
    expect(phone.get_by_text("Đã ghi nhận cuộc họp và điểm danh.")).to_be_visible()
    expect(phone.get_by_role("link", name="bien-ban-hop-quy-1.pdf")).to_be_visible()

    phone.get_by_label("Nội dung kết luận").fill("Huyện Lục Nam kiện toàn Ban Chỉ đạo, họp đủ chế độ hằng quý.")
    phone.get_by_label("Giao thành nhiệm vụ để theo dõi").check()
    phone.get_by_label("Đơn vị chủ trì").select_option(label="Huyện Lục Nam")
    phone.get_by_label("Thời hạn").fill("quý II/2024")
    phone.get_by_role("button", name="Ghi kết luận").click()
    expect(phone.get_by_text("Đã ghi kết luận và giao nhiệm vụ.")).to_be_visible()
    check_a11y(phone)
    screenshot(phone, "steering-meeting-held-phone")

    meeting = Meeting.objects.get()
    assert meeting.state == MeetingState.HELD and meeting.attendance.filter(present=False).get().member == absent
    task = DirectiveTask.objects.get()
    assert list(task.owners.all()) == [luc_nam] and task.due_on == dt.date(2024, 6, 30)
    phone.get_by_role("link", name="Huyện Lục Nam kiện toàn Ban Chỉ đạo").click()
    expect(phone.get_by_role("heading", name="1. Huyện Lục Nam kiện toàn Ban Chỉ đạo, họp đủ chế độ hằng quý.")).to_be_visible()
    phone.goto(f"/staff/chi-dao/hop/ban/{committee.pk}/?tu=2024-01-01&den=2024-12-31")
    expect(phone.get_by_text("Đã họp 1 cuộc, phải họp 4; 1 trên 4 kỳ đạt chế độ.")).to_be_visible()
    screenshot(phone, "steering-committee-compliance-phone")
