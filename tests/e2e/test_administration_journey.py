"""The standing office administers the platform in a real browser: creates an official's account with
a role (the official then sets up the second factor with the one-time link shown once), declares a
provincial day off; an official issues their own API token with a lifetime, changes their password,
and resets a forgotten one by the mailed link; a password alone cannot enrol a second factor."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import RoleAssignment, User
from core.models import CalendarDay, OutboxMessage
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


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
    enrolment_link = page.locator("#enrolment-link").inner_text()
    assert "/tai-khoan/xac-thuc/kich-hoat/" in enrolment_link
    check_a11y(page)
    screenshot(page, "staff-account-created-desktop")

    # The new official opens the link on their phone, signs in with the password and sets up the app.
    official = new_page(PHONE)
    official.goto(enrolment_link)
    expect(official.get_by_text("Đăng nhập bằng mật khẩu để thiết lập ứng dụng xác thực.")).to_be_visible()
    official.get_by_label("Tên đăng nhập").fill("doingo.vanthu")
    official.get_by_label("Mật khẩu").fill("Mat-khau-Manh-2024")
    official.get_by_role("button", name="Đăng nhập").click()
    expect(official.get_by_role("heading", name="Bật xác thực hai lớp")).to_be_visible()
    check_a11y(official)
    screenshot(official, "official-enrolment-qr-phone")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    official.get_by_label("Mã xác thực 6 số").fill(_current_code(device))
    official.get_by_role("button", name="Xác nhận và bật").click()
    expect(official.get_by_text("Đã bật xác thực hai lớp cho tài khoản.")).to_be_visible()
    # The link worked once.
    official.goto(enrolment_link)
    expect(official.get_by_role("heading", name="Đường dẫn không dùng được")).to_be_visible()

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
    page.get_by_label("Thời hạn").select_option("30")
    page.get_by_role("button", name="Tạo khoá").click()
    expect(page.locator("#new-token")).to_contain_text("gr_")
    expect(page.get_by_role("columnheader", name="Hết hạn")).to_be_visible()
    check_a11y(page)
    screenshot(page, "staff-api-token-phone")


def test_official_changes_and_resets_their_password(new_page, commune_officer):
    page = new_page(PHONE)
    login(page, commune_officer)
    page.get_by_role("link", name="Đổi mật khẩu").click()
    page.get_by_label("Mật khẩu hiện tại").fill("sai-mat-khau")
    page.locator("#id_new_password1").fill("Mat-khau-Moi-2026")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Mat-khau-Moi-2026")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_text("Mật khẩu hiện tại không đúng.")).to_be_visible()
    check_a11y(page)
    screenshot(page, "staff-password-change-phone")
    page.get_by_label("Mật khẩu hiện tại").fill("mat-khau-thu-nghiem-1")
    page.locator("#id_new_password1").fill("Mat-khau-Moi-2026")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Mat-khau-Moi-2026")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", name="Đã đổi mật khẩu")).to_be_visible()

    # Later, on another device, the password is forgotten: the login page offers a reset by e-mail.
    forgot = new_page()
    forgot.goto("/tai-khoan/dang-nhap/")
    forgot.get_by_role("link", name="Quên mật khẩu?").click()
    forgot.get_by_label("Thư điện tử của tài khoản").fill(commune_officer.email)
    check_a11y(forgot)
    screenshot(forgot, "password-reset-request-desktop")
    forgot.get_by_role("button", name="Gửi đường dẫn đặt lại").click()
    expect(forgot.get_by_role("heading", name="Kiểm tra thư điện tử")).to_be_visible()
    body = OutboxMessage.objects.get(recipient=commune_officer.email).body
    link = re.search(r"https?://\S+/tai-khoan/dat-lai-mat-khau/\S+/", body).group(0)  # type: ignore[union-attr]
    forgot.goto(link)
    forgot.locator("#id_new_password1").fill("Mat-khau-Dat-Lai-2026")
    forgot.get_by_label("Nhập lại mật khẩu mới").fill("Mat-khau-Dat-Lai-2026")
    check_a11y(forgot)
    screenshot(forgot, "password-reset-new-password-desktop")
    forgot.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(forgot.get_by_role("heading", name="Đã đặt mật khẩu mới")).to_be_visible()
    commune_officer.refresh_from_db()
    assert commune_officer.check_password("Mat-khau-Dat-Lai-2026")


def test_password_alone_is_told_to_ask_for_an_enrolment_link(new_page, commune_chairman):
    page = new_page(PHONE)
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(commune_chairman.username)
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem-1")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Cần đường dẫn thiết lập xác thực hai lớp")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=commune_chairman).exists()
    check_a11y(page)
    screenshot(page, "official-needs-enrolment-link-phone")
