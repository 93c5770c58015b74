"""A citizen on a phone reports a problem with a photo, the commune officer handles and answers it,
the citizen tracks the case by its code and confirms; another citizen rates a counter by QR."""

import pytest
from playwright.sync_api import expect

from feedback import services
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from tests.feedback.conftest import PNG

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_with_photo_is_answered_and_confirmed(new_page, commune_officer, doi_ngo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FEEDBACK_MIN_FILL_SECONDS = 1
    photo = tmp_path / "mai-nha.png"
    photo.write_bytes(PNG)

    citizen = new_page(PHONE)
    citizen.goto("/phan-anh/")
    expect(citizen.get_by_role("heading", name="Gửi phản ánh, kiến nghị")).to_be_visible()
    citizen.get_by_label("Cơ sở vật chất, nơi tiếp dân").check()
    # The province first (the list in force), then its communes, fetched by htmx when it changes.
    with citizen.expect_response(lambda r: "/phan-anh/xa-theo-tinh/" in r.url):
        citizen.get_by_label("Tỉnh, thành phố").select_option(label="Tỉnh Bắc Giang")
    expect(citizen.get_by_label("Xã, phường, đặc khu (danh mục hiện hành)")).to_contain_text("Thị trấn Đồi Ngô")
    citizen.get_by_label("Xã, phường, đặc khu (danh mục hiện hành)").select_option(label="Thị trấn Đồi Ngô")
    citizen.get_by_label("Nội dung phản ánh").fill("Mái nhà văn hoá tổ dân phố bị dột nhiều chỗ, mưa là ngập sàn.")
    citizen.get_by_label("Ảnh hoặc tệp PDF (tối đa 3 tệp, mỗi tệp đến 5 MB)").set_input_files(str(photo))
    check_a11y(citizen)
    screenshot(citizen, "feedback-submit-phone")
    citizen.get_by_role("button", name="Gửi phản ánh").click()
    expect(citizen.get_by_role("heading", name="Hãy ghi lại mã tra cứu")).to_be_visible()
    code = citizen.locator("#tracking-code").inner_text().strip()
    assert len(code) == 19
    check_a11y(citizen)
    screenshot(citizen, "feedback-done-phone")

    officer = new_page(PHONE)
    login(officer, commune_officer)
    officer.goto("/staff/phan-anh/")
    officer.get_by_role("link", name="00001/").click()
    expect(officer.get_by_text("mai-nha.png")).to_be_visible()
    officer.get_by_label("Phân loại theo Nghị định 20/2008").select_option("rules_in")
    officer.get_by_role("button", name="Thụ lý", exact=True).click()
    expect(officer.get_by_text("Đã ghi nhận: Thụ lý.")).to_be_visible()
    officer.get_by_role("button", name="Bắt đầu xử lý", exact=True).click()
    officer.get_by_label("Nội dung trả lời").fill("UBND thị trấn đã lợp lại mái nhà văn hoá ngày 05/03.")
    officer.get_by_role("button", name="Trả lời", exact=True).click()
    expect(officer.locator("#case-status")).to_have_text("Đã trả lời")
    check_a11y(officer)
    screenshot(officer, "feedback-officer-answered-phone")
    officer.goto("/staff/phan-anh/thong-ke/")
    expect(officer.get_by_role("heading", name="Thống kê phản ánh – Thị trấn Đồi Ngô")).to_be_visible()
    check_a11y(officer)
    screenshot(officer, "feedback-dashboard-phone")
    officer.goto("/staff/phan-anh/")
    check_a11y(officer)

    citizen.goto("/phan-anh/tra-cuu/")
    citizen.get_by_label("Mã tra cứu").fill(code)
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.locator("#case-answer")).to_contain_text("lợp lại mái nhà văn hoá")
    check_a11y(citizen)
    citizen.get_by_role("button", name="Vấn đề đã được giải quyết").click()
    expect(citizen.locator("#case-status")).to_have_text("Đã kết thúc")
    screenshot(citizen, "feedback-track-closed-phone")
    assert not citizen.js_errors and not officer.js_errors


def test_counter_qr_rating_on_a_phone(new_page, province_officer, doi_ngo):
    counter = services.save_counter(by=province_officer, unit=doi_ngo, name="Quầy số 1 – Tư pháp, hộ tịch", officer_name="Hoàng Văn Em")
    page = new_page(PHONE)
    page.goto(f"/phan-anh/quay/{counter.token}/")
    expect(page.get_by_role("heading", name="Ông/bà hài lòng với cán bộ một cửa?")).to_be_visible()
    check_a11y(page)
    screenshot(page, "feedback-counter-rate-phone")
    page.get_by_role("button", name="Hài lòng", exact=False).first.click()
    expect(page.locator("#rating-score")).to_have_text("Hài lòng")
    check_a11y(page)
    screenshot(page, "feedback-counter-rated-phone")
    assert counter.ratings.count() == 1


def test_moderator_publishes_only_moderated_text(new_page, commune_officer, doi_ngo):
    from feedback.models import RegisterClass

    case = services.submit_case(
        report=services.Report(
            category="facilities",
            concerned_unit=doi_ngo,
            description="Tôi là Lê Thị Hoa, số 0912 345 678: mái nhà văn hoá bị dột.",
            contact={"name": "Lê Thị Hoa", "phone": "0912345678"},
        )
    ).case
    case = services.accept_case(case=case, by=commune_officer, register_class=RegisterClass.RULES_IN_COMPETENCE)
    services.answer_case(case=case, by=commune_officer, answer="Đã gọi bà Lê Thị Hoa (0912 345 678), xã đã lợp lại mái.")
    officer = new_page()
    login(officer, commune_officer)
    officer.goto(f"/staff/phan-anh/{case.pk}/")
    summary = officer.locator("#ps-publish")
    expect(summary).to_have_value("")
    expect(officer.locator("#pa-publish")).to_have_value("")
    summary.fill("Kiến nghị sửa mái nhà văn hoá bị dột.")
    officer.locator("#pa-publish").fill("Đã gọi bà Lê Thị Hoa (0912 345 678), xã đã lợp lại mái.")
    officer.get_by_role("button", name="Công khai kết quả", exact=True).click()
    expect(officer.get_by_text("Còn thông tin cá nhân: số điện thoại “0912 345 678”; họ tên người phản ánh.")).to_be_visible()
    check_a11y(officer)
    screenshot(officer, "feedback-publish-blocked-desktop")
    officer.locator("#ps-publish").fill("Kiến nghị sửa mái nhà văn hoá bị dột.")
    officer.locator("#pa-publish").fill("Xã đã lợp lại mái nhà văn hoá.")
    officer.get_by_role("button", name="Công khai kết quả", exact=True).click()
    expect(officer.get_by_text("Đã ghi nhận: Công khai kết quả.")).to_be_visible()
    public = new_page(PHONE)
    public.goto(f"/don-vi/{doi_ngo.edition}/{doi_ngo.code}/")
    expect(public.get_by_text("Xã đã lợp lại mái nhà văn hoá.")).to_be_visible()
    assert "0912 345 678" not in public.content() and "Lê Thị Hoa" not in public.content()
    screenshot(public, "feedback-published-commune-phone")
    assert not officer.js_errors and not public.js_errors


def test_district_enters_a_paper_report_and_prints_the_receipt(new_page, district_officer, doi_ngo):
    page = new_page()
    login(page, district_officer)
    page.goto("/staff/phan-anh/vao-so/")
    page.get_by_label("Kênh tiếp nhận").select_option("paper")
    page.get_by_label("Lĩnh vực").select_option("conduct_delay")
    page.get_by_label("Xã được phản ánh").select_option(str(doi_ngo.pk))
    page.get_by_label("Nội dung").fill("Đơn giấy: hồ sơ đất đai bị hẹn lại nhiều lần.")
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_role("heading", name="Phiếu tiếp nhận phản ánh")).to_be_visible()
    assert len(page.locator("#receipt-code").inner_text().strip()) == 19
    check_a11y(page)
    screenshot(page, "feedback-entered-receipt-desktop")
    page.goto("/staff/phan-anh/thong-ke/")
    screenshot(page, "feedback-dashboard-district-desktop")
