"""The standing office keeps a district steering committee up to date in a real browser: adds a
member with the localities they follow, then reads the change in the audit trail."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from units.models import SteeringCommittee

pytestmark = pytest.mark.django_db(transaction=True)


def test_standing_office_adds_a_member_who_follows_two_communes(new_page, province_officer, luc_nam):
    committee = SteeringCommittee.objects.create(unit=luc_nam, name="Ban Chỉ đạo QCDC huyện Lục Nam")
    page = new_page()
    login(page, province_officer)
    page.get_by_role("link", name="Ban Chỉ đạo", exact=True).first.click()
    page.get_by_role("link", name="Ban Chỉ đạo QCDC huyện Lục Nam").click()
    page.get_by_role("link", name="Thêm thành viên").click()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Vui lòng sửa các lỗi")).to_be_visible()
    page.get_by_label("Họ và tên").fill("Giáp Văn Hùng")
    page.get_by_label("Chức vụ, đơn vị công tác").fill("Trưởng Ban Dân vận Huyện ủy")
    page.get_by_label("Chức danh trong ban").select_option("standing_deputy")
    page.get_by_label("Từ ngày").fill("15/01/2024")
    page.get_by_label("Địa bàn theo dõi, phụ trách").select_option(label="Thị trấn Đồi Ngô")
    check_a11y(page)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã thêm thành viên Giáp Văn Hùng.")).to_be_visible()
    row = page.get_by_role("row", name="Giáp Văn Hùng")
    expect(row).to_contain_text("Phó Trưởng ban Thường trực")
    expect(row).to_contain_text("Thị trấn Đồi Ngô")
    check_a11y(page)
    screenshot(page, "staff-committee-desktop")

    page.get_by_role("button", name="Quản trị").click()
    page.get_by_role("link", name="Nhật ký thay đổi").click()
    expect(page.get_by_role("cell", name="Giáp Văn Hùng – Phó Trưởng ban Thường trực")).to_be_visible()
    check_a11y(page)
    screenshot(page, "staff-audit-desktop")
    assert committee.members.count() == 1


def test_committee_page_on_a_phone(new_page, province_officer, luc_nam):
    SteeringCommittee.objects.create(unit=luc_nam, name="Ban Chỉ đạo QCDC huyện Lục Nam")
    page = new_page(PHONE)
    login(page, province_officer)
    page.goto("/staff/ban-chi-dao/")
    expect(page.get_by_role("link", name="Ban Chỉ đạo QCDC huyện Lục Nam")).to_be_visible()
    check_a11y(page)
    screenshot(page, "staff-committees-phone")
