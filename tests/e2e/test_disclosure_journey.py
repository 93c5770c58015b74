"""Disclosure on a phone: a ward officer records a disclosure, photographs the notice board (the
phone's position sent with the photo) and closes the posting period; a citizen finds the item on
the ward's page and follows "not posted" to the feedback form, prefilled; the province reads the
ward's on-time and proven rates."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.actors import SYSTEM
from accounts.models import Role
from disclosure import services
from tests.disclosure.conftest import PHUONG_BAC_GIANG, _unit, jpeg
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from units.models import UnitKind

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ward(bac_giang):  # type: ignore[no-untyped-def]
    province = _unit("24", "Tỉnh Bắc Ninh", UnitKind.PROVINCE, None, 21.18, 106.07)
    _unit("07420", "Xã Lục Nam", UnitKind.COMMUNE, province, 21.30, 106.38)
    return _unit(PHUONG_BAC_GIANG, "Phường Bắc Giang", UnitKind.COMMUNE, province, 21.2731, 106.1946)


def test_officer_records_photographs_and_closes_a_posting(new_page, make_user, ward, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.ensure_obligations(by=SYSTEM)
    officer = make_user(Role.COMMUNE_OFFICER, ward, username="canbo-phuong")
    today = timezone.localdate()
    photo = tmp_path / "bang-tin.jpg"
    photo.write_bytes(jpeg())  # no metadata: the phone's position proves where it was taken

    page = new_page(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 21.2735, "longitude": 106.1950})
    login(page, officer)
    page.goto("/staff/cong-khai/")
    page.get_by_role("link", name="Ghi văn bản công khai").click()
    budget = "2. Dự toán, tình hình thực hiện, quyết toán ngân sách (quý, 6 tháng, năm)"
    page.get_by_label("Nhóm nội dung phải công khai").select_option(label=budget)
    page.get_by_label("Trích yếu văn bản").fill("Công khai dự toán ngân sách phường năm 2027")
    page.get_by_label("Số, ký hiệu").fill("45/NQ-HĐND")
    page.get_by_label("Ngày văn bản").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Cơ quan ban hành").fill("HĐND phường Bắc Giang")
    page.get_by_label("Ngày bắt đầu công khai").fill(today.isoformat())
    page.get_by_label("Niêm yết tại trụ sở, nhà văn hoá thôn").check()
    page.get_by_label("Cổng, trang thông tin điện tử").check()
    check_a11y(page)
    screenshot(page, "disclosure-record-phone")
    page.get_by_role("button", name="Ghi vào sổ").click()
    expect(page.get_by_text("Đã ghi vào sổ công khai")).to_be_visible()
    expect(page.locator("#due-reasoning")).to_contain_text("5 ngày làm việc kể từ")

    page.get_by_label("Chụp ảnh bảng niêm yết").set_input_files(str(photo))
    expect(page.get_by_text("Đã lấy vị trí")).to_be_visible()
    page.get_by_role("button", name="Lưu ảnh").click()
    expect(page.get_by_text("Đã lưu ảnh: chứng minh được việc niêm yết.")).to_be_visible()
    expect(page.locator("#proof-status")).to_contain_text("đủ")
    page.get_by_label("Ngày gỡ xuống").fill(today.isoformat())
    page.get_by_role("button", name="Kết thúc niêm yết").click()
    expect(page.get_by_text("Đã ghi ngày gỡ xuống")).to_be_visible()
    expect(page.get_by_text("gỡ sớm, chưa đủ thời gian")).to_be_visible()
    check_a11y(page)
    screenshot(page, "disclosure-detail-phone")
    assert not page.js_errors


def test_citizen_reports_an_item_not_posted_and_the_province_reads_the_rates(new_page, make_user, ward):
    services.ensure_obligations(by=SYSTEM)
    today = timezone.localdate()
    obligation = services.ensure_obligations(by=SYSTEM).obligations.get(number=7)
    services.record_disclosure(
        by=SYSTEM,
        unit=ward,
        obligation=obligation,
        title="Danh sách hộ nghèo được bình xét năm 2027",
        document_number="77/QĐ-UBND",
        document_date=today - dt.timedelta(days=6),
        issuer="UBND phường",
        disclosed_on=today - dt.timedelta(days=5),
        forms=["notice_board", "loudspeaker"],
    )
    citizen = new_page(PHONE)
    citizen.goto(f"/don-vi/2025/{PHUONG_BAC_GIANG}/")
    expect(citizen.get_by_role("heading", name="Thông tin công khai")).to_be_visible()
    expect(citizen.get_by_role("link", name="Gửi phản ánh").first).to_be_visible()
    check_a11y(citizen)
    screenshot(citizen, "disclosure-commune-page-phone")
    citizen.get_by_role("link", name="Danh sách hộ nghèo được bình xét năm 2027").click()
    expect(citizen.get_by_text("Chưa có đủ bằng chứng niêm yết")).to_be_visible()
    check_a11y(citizen)
    screenshot(citizen, "disclosure-item-phone")
    citizen.get_by_role("link", name="Chưa được niêm yết / không đúng như tôi thấy").click()
    expect(citizen.get_by_label("Dân chủ: không công khai thông tin")).to_be_checked()
    expect(citizen.get_by_label("Nội dung phản ánh")).to_contain_text("Danh sách hộ nghèo được bình xét năm 2027")
    screenshot(citizen, "disclosure-report-not-posted-phone")

    province = new_page(PHONE)
    login(province, make_user(Role.PROVINCE_OFFICE, ward.parent, username="tinh-bacninh"))
    province.goto("/staff/cong-khai/")
    row = province.locator("#commune-figures tr", has_text="Phường Bắc Giang")
    expect(row.locator("td").nth(0)).to_have_text("100 %")  # on time
    expect(row.locator("td").nth(1)).to_have_text("0 %")  # proven: no photo, no loudspeaker log
    screenshot(province, "disclosure-province-figures-phone")
    assert not citizen.js_errors and not province.js_errors
