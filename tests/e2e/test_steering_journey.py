"""A district reports progress on a task of the 2024 notice from a phone, attaching a document and
asking for acceptance; the province's standing office accepts it."""

import pytest
from playwright.sync_api import expect

from steering.models import TaskState
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from tests.steering.conftest import notice, task  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def test_district_reports_and_province_accepts(new_page, task, district_officer, province_officer, tmp_path):  # noqa: F811
    phone = new_page(PHONE)
    login(phone, district_officer)
    phone.goto("/staff/chi-dao/?qua_han=1")
    expect(phone.get_by_role("heading", name="Nhiệm vụ quá hạn theo đơn vị chủ trì")).to_be_visible()
    phone.get_by_role("link", name="7. 60% xã đạt chuẩn").first.click()
    phone.get_by_label("Nội dung báo cáo").fill("Lục Nam: 16/25 xã, thị trấn đạt chuẩn (64%).")
    phone.get_by_label("Tiến độ (%)").fill("100")
    phone.get_by_label("Đã hoàn thành, đề nghị công nhận").check()
    document = tmp_path / "bao-cao.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    phone.get_by_label("Tài liệu kèm theo").set_input_files(str(document))
    check_a11y(phone)
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.get_by_text("Đã ghi báo cáo tiến độ.")).to_be_visible()
    expect(phone.get_by_text("Đề nghị công nhận hoàn thành").first).to_be_visible()
    screenshot(phone, "steering-task-reported-phone")

    desk = new_page()
    login(desk, province_officer)
    desk.goto(f"/staff/chi-dao/nhiem-vu/{task.pk}/")
    desk.get_by_label("Nhận xét (bắt buộc khi trả lại)").fill("Đạt chỉ tiêu 60%.")
    check_a11y(desk)
    desk.get_by_role("button", name="Công nhận hoàn thành").click()
    expect(desk.get_by_text("Đã công nhận nhiệm vụ hoàn thành.")).to_be_visible()
    screenshot(desk, "steering-task-accepted")
    task.refresh_from_db()
    assert task.state == TaskState.DONE
