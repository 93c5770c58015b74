"""The standing office administers the platform in a real browser: creates an official's account with
a role, declares a provincial day off, and an official issues their own API token."""

import pytest
from playwright.sync_api import expect

from accounts.models import RoleAssignment, User
from core.models import CalendarDay
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_standing_office_creates_an_account_and_a_day_off(new_page, province_officer, doi_ngo):
    page = new_page()
    login(page, province_officer)
    page.get_by_role("button", name="Quản trị").click()
    page.get_by_role("link", name="Tài khoản").click()
    page.get_by_role("link", name="Tạo tài khoản").click()
    page.get_by_label("Tên đăng nhập").fill("doingo.vanthu")
    page.get_by_label("Họ và tên đệm").fill("Thân Thị")
    page.locator("#id_first_name").fill("Huyền")
    page.get_by_label("Đơn vị").select_option(label="— — Thị trấn Đồi Ngô")
    page.get_by_label("Vai trò").select_option("commune_officer")
    page.get_by_label("Mật khẩu ban đầu").fill("Mat-khau-Manh-2024")
    page.get_by_label("Nhập lại mật khẩu").fill("Khac-han-2024")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_text("Hai mật khẩu không khớp.")).to_be_visible()
    expect(page.get_by_label("Họ và tên đệm")).to_have_value("Thân Thị")
    check_a11y(page)
    page.get_by_label("Mật khẩu ban đầu").fill("Mat-khau-Manh-2024")
    page.get_by_label("Nhập lại mật khẩu").fill("Mat-khau-Manh-2024")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_text("Đã tạo tài khoản doingo.vanthu.")).to_be_visible()
    user = User.objects.get(username="doingo.vanthu")
    assert RoleAssignment.objects.filter(user=user, unit=doi_ngo, role="commune_officer").exists()
    check_a11y(page)
    screenshot(page, "staff-account-created-desktop")

    page.get_by_role("button", name="Quản trị").click()
    page.get_by_role("link", name="Lịch làm việc").click()
    page.locator("#id_date").fill("02/03/2026")
    page.get_by_label("Loại điều chỉnh").select_option("off")
    page.get_by_label("Lý do, văn bản").fill("Quyết định 15/QĐ-UBND nghỉ bù lễ hội")
    page.get_by_role("button", name="Thêm").click()
    expect(page.get_by_text("Đã cập nhật lịch làm việc.")).to_be_visible()
    assert CalendarDay.objects.filter(kind="off").count() == 1
    check_a11y(page)
    screenshot(page, "staff-calendar-desktop")


def test_official_issues_an_api_token_on_a_phone(new_page, commune_officer):
    page = new_page(PHONE)
    login(page, commune_officer)
    page.get_by_role("link", name="Khoá API của tôi").click()
    page.get_by_label("Tên khoá").fill("Ứng dụng báo cáo của xã")
    page.get_by_role("button", name="Tạo khoá").click()
    expect(page.locator("#new-token")).to_contain_text("gr_")
    check_a11y(page)
    screenshot(page, "staff-api-token-phone")
