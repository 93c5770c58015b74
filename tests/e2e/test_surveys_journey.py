"""A citizen scans the QR slip of a one-time token on a phone (the code rides in the URL fragment and
is posted by the page), answers and sends; typing the used code again is refused; an officer of the
district then reads the campaign's results."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.actors import SYSTEM
from surveys import services
from surveys.models import InstrumentVersion, Mode, Response, Stratum
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_answers_by_token_on_a_phone_and_officer_sees_results(new_page, district_officer, luc_nam, doi_ngo):
    services.load_instruments(by=SYSTEM)
    pks07 = InstrumentVersion.objects.get(instrument__code="PKS07", state="published")
    campaign = services.create_campaign(
        by=district_officer,
        unit=luc_nam,
        title="Khảo sát hài lòng Lục Nam 2024",
        year=2024,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 12, 31),
        forms=[("citizens", pks07)],
        min_responses=3,
    )
    services.change_campaign_state(by=district_officer, campaign=campaign, target="open")
    stratum = Stratum.objects.select_related("form__campaign", "form__version").get(form__campaign=campaign, unit=doi_ngo)
    for i, level in enumerate((5, 3)):
        answers = {f"q{n}": str(level) for n in range(1, 9)}
        services.submit_response(stratum=stratum, raw=answers, mode=Mode.OPEN, device_id=f"earlier-{i}")
    [raw] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)

    phone = new_page(viewport=PHONE)
    phone.goto(f"/khao-sat/t/#{raw}")
    expect(phone.get_by_role("heading", name=pks07.title)).to_be_visible()
    assert raw not in phone.url  # the fragment is dropped from the address bar once posted
    check_a11y(phone)
    # Sending with a question missing keeps the answers and says which one
    for n in range(1, 8):
        phone.locator(f"input[name='q{n}'][value='4']").check()
    phone.get_by_label("Ông/bà có góp ý gì để chính quyền xã thân thiện hơn?").fill("Cán bộ rất nhiệt tình")
    expect(phone.get_by_text("Bản nháp đang được lưu trên máy này (chưa gửi).")).to_be_visible()
    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.get_by_text("Vui lòng trả lời câu này.")).to_be_visible()
    expect(phone.get_by_label("Ông/bà có góp ý gì để chính quyền xã thân thiện hơn?")).to_have_value("Cán bộ rất nhiệt tình")
    phone.locator("input[name='q8'][value='5']").check()
    # The connection drops: the answers stay on the phone, marked as not sent, and go when it returns
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.get_by_text("CHƯA GỬI")).to_be_visible()
    screenshot(phone, "surveys-token-form-offline-phone")
    assert Response.objects.filter(stratum=stratum, mode=Mode.TOKEN).count() == 0
    phone.context.set_offline(False)
    expect(phone.get_by_role("heading", name="Cảm ơn ông/bà!")).to_be_visible()
    check_a11y(phone)
    screenshot(phone, "surveys-thanks-phone")
    assert phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('survey-')).length") == 0
    assert Response.objects.filter(stratum=stratum, mode=Mode.TOKEN).count() == 1
    # Typing the code on the entry page (as from a slip without scanning): used codes are refused
    phone.goto("/khao-sat/t/")
    expect(phone.get_by_role("heading", name="Trả lời phiếu khảo sát bằng mã mời")).to_be_visible()
    check_a11y(phone)
    screenshot(phone, "surveys-token-entry-phone")
    phone.get_by_label("Mã mời").fill(raw)
    phone.get_by_role("button", name="Bắt đầu trả lời").click()
    expect(phone.get_by_role("heading", name="Mã mời đã được sử dụng")).to_be_visible()

    page = new_page()
    login(page, district_officer)
    page.goto("/staff/khao-sat/")
    page.get_by_role("link", name="Khảo sát hài lòng Lục Nam 2024").click()
    page.get_by_role("link", name="Xem kết quả").click()
    # 3 responses: 8 answers at 5, 8 at 3, 7 at 4 and 1 at 5 → 16 of 24 answers are 4–5
    expect(page.locator("#overall-share")).to_have_text("66,7 %")
    expect(page.get_by_text("Cán bộ rất nhiệt tình")).to_be_visible()
    page.wait_for_load_state("load")
    check_a11y(page)
    screenshot(page, "surveys-results-desktop")


def test_standing_office_revises_a_questionnaire_in_the_builder(new_page, province_officer):
    services.load_instruments(by=SYSTEM)
    page = new_page()
    login(page, province_officer)
    page.goto("/staff/khao-sat/")
    page.get_by_role("link", name="Phiếu khảo sát").click()
    page.get_by_role("link", name="Phiếu khảo sát người dân về văn hoá công sở").click()
    expect(page.get_by_role("button", name="Thêm câu hỏi")).to_have_count(0)  # published: frozen
    page.get_by_role("button", name="Tạo phiên bản mới để sửa").click()
    expect(page.get_by_text("Bản nháp")).to_be_visible()
    page.get_by_label("Mã câu hỏi").fill("q7")
    page.get_by_label("Nội dung câu hỏi").fill("Nhà vệ sinh tại trụ sở sạch sẽ.")
    page.get_by_label("Loại").select_option("likert")
    page.get_by_role("button", name="Lưu câu hỏi").click()
    expect(page.get_by_text("Câu thang đo cần nêu yếu tố chỉ số nó đóng góp.")).to_be_visible()
    page.get_by_label("Yếu tố chỉ số").select_option("access")
    page.get_by_role("button", name="Lưu câu hỏi").click()
    expect(page.get_by_text("Đã lưu câu hỏi.")).to_be_visible()
    page.wait_for_load_state("load")
    check_a11y(page)
    screenshot(page, "surveys-builder-desktop")
    page.get_by_role("button", name="Ban hành phiếu").click()
    expect(page.get_by_text("Đã ban hành phiếu")).to_be_visible()
    assert InstrumentVersion.objects.get(instrument__code="PKS06", number=1).state == "retired"
    assert InstrumentVersion.objects.get(instrument__code="PKS06", number=2).questions.filter(code="q7").exists()
