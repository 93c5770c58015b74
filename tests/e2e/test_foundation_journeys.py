"""The foundation's main journeys in a real browser: public home → search → commune page, the
language switch, and an officer's login with TOTP who then sees only their own commune."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, check_a11y, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_home_search_and_commune_page(new_page, bac_giang):
    for label, viewport in (("desktop", None), ("phone", PHONE)):
        page = new_page(viewport)
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh Bắc Giang")
        expect(page.locator(".card-unit")).to_have_count(10)
        expect(page.get_by_text("192", exact=True)).to_be_visible()
        check_a11y(page)
        screenshot(page, f"public-home-{label}")

        page.get_by_label("Tìm xã, phường, thị trấn hoặc huyện").fill("luc nam")
        page.get_by_role("button", name="Tìm kiếm").click()
        expect(page.get_by_role("link", name="Huyện Lục Nam")).to_be_visible()
        check_a11y(page)
        page.get_by_role("link", name="Huyện Lục Nam").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Huyện Lục Nam")
        # The list's link (the map's point for the same commune comes first).
        page.get_by_role("link", name="Thị trấn Đồi Ngô").last.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thị trấn Đồi Ngô")
        expect(page.get_by_text("07444")).to_be_visible()
        # No tile server is configured in tests: the location is shown without broken pieces.
        expect(page.locator("#unit-map-fallback")).to_contain_text("21.")
        assert page.js_errors == []
        check_a11y(page)
        screenshot(page, f"commune-page-{label}")


def test_search_as_you_type_ignores_diacritics(page, bac_giang):
    page.goto("/tra-cuu/")
    page.get_by_label("Tên hoặc mã đơn vị (có dấu hoặc không dấu)").press_sequentially("dong hung", delay=20)
    expect(page.get_by_role("link", name="Xã Đông Hưng")).to_be_visible()


def test_language_switch_to_english_and_back(page, bac_giang):
    page.goto("/")
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Search")).to_be_visible()
    screenshot(page, "public-home-english")
    page.get_by_label("Language").select_option("vi")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_officer_logs_in_with_totp_and_sees_only_own_commune(new_page, commune_officer, doi_ngo, cam_son):
    for label, viewport in (("desktop", None), ("phone", PHONE)):
        page = new_page(viewport)
        login(page, commune_officer)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        expect(page.get_by_role("link", name="Thị trấn Đồi Ngô").last).to_be_visible()
        check_a11y(page)
        screenshot(page, f"staff-home-{label}")
        page.goto(f"/staff/don-vi/{doi_ngo.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Thị trấn Đồi Ngô")
        response = page.goto(f"/staff/don-vi/{cam_son.pk}/")
        assert response is not None and response.status == 404
        response = page.goto(f"/api/v1/committees/{999999}")
        assert response is not None and response.status == 404


def test_wrong_totp_code_is_refused_with_a_vietnamese_message(page, commune_officer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=commune_officer, name="điện thoại", confirmed=True)
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(commune_officer.username)
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem-1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Mã xác thực 6 số").fill("000000")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text(re.compile("Mã xác thực không đúng"))).to_be_visible()
    assert page.goto("/staff/").url.endswith("/tai-khoan/xac-thuc/")
