"""The province's standing office edits the periodic report form: a draft from the version in use,
a bad indicator code refused in Vietnamese with what was typed kept, an indicator added, the draft
published and put in use; the history names who did it. A commune officer is refused the pages."""

import pytest
from playwright.sync_api import expect

from accounts.actors import SYSTEM
from accounts.models import Role
from supervision import services
from supervision.models import ReportForm
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from units.importing import import_official_units
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_province_drafts_and_publishes_a_new_form_version(new_page, bac_giang, make_user):
    import_official_units(province_code="24", structure="2025")
    province = Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")
    commune = Unit.objects.filter(parent=province, kind=UnitKind.COMMUNE).order_by("code")[0]
    form = services.seed_default_form(by=SYSTEM, province=province)
    office = make_user(Role.PROVINCE_OFFICE, province, username="e2e.tinh")
    officer = make_user(Role.COMMUNE_OFFICER, commune, username="e2e.canbo")

    desk = new_page()
    login(desk, office)
    desk.goto("/staff/giam-sat/bao-cao/")
    desk.get_by_role("link", name="Sửa mẫu báo cáo").click()
    expect(desk.get_by_text("Đang áp dụng")).to_be_visible()
    desk.get_by_role("button", name="Tạo bản dự thảo từ phiên bản 1").click()
    expect(desk.locator("#form-status")).to_contain_text("Dự thảo")

    add = desk.locator("section[aria-labelledby=add-ind-h]")
    add.get_by_label("Thuộc phần").select_option(label="II. Nhân dân bàn và quyết định")
    add.get_by_label("Mã chỉ tiêu").fill("Họp trực tuyến")
    add.get_by_label("Tên chỉ tiêu").fill("Số cuộc họp thôn trực tuyến")
    add.get_by_role("button", name="Thêm chỉ tiêu").click()
    expect(desk.get_by_text("Mã chỉ tiêu gồm chữ thường không dấu")).to_be_visible()
    expect(add.get_by_label("Tên chỉ tiêu")).to_have_value("Số cuộc họp thôn trực tuyến")
    add.get_by_label("Mã chỉ tiêu").fill("online_meetings")
    add.get_by_role("button", name="Thêm chỉ tiêu").click()
    expect(desk.get_by_text("Đã thêm chỉ tiêu.")).to_be_visible()
    expect(desk.locator("#sec" + str(ReportForm.objects.get(version=2).sections.get(order=2).pk))).to_be_visible()
    check_a11y(desk)
    screenshot(desk, "report-form-draft")

    phone = new_page(viewport=PHONE)
    login(phone, office)
    draft = ReportForm.objects.get(province=province, version=2)
    phone.goto(f"/staff/giam-sat/mau-bao-cao/{draft.pk}/")
    expect(phone.get_by_text("Số cuộc họp thôn trực tuyến").first).to_be_visible()
    screenshot(phone, "report-form-draft-phone")

    desk.get_by_role("button", name="Ban hành và áp dụng").click()
    expect(desk.get_by_text("Đã ban hành và áp dụng phiên bản 2.")).to_be_visible()
    expect(desk.locator("#form-status")).to_contain_text("Đang áp dụng")
    expect(desk.locator("#history")).to_contain_text("Số cuộc họp thôn trực tuyến")
    check_a11y(desk)
    screenshot(desk, "report-form-published")
    form.refresh_from_db()
    draft.refresh_from_db()
    assert draft.in_use and not form.in_use and draft.published_by == office

    commune_desk = new_page()
    login(commune_desk, officer)
    response = commune_desk.goto(f"/staff/giam-sat/mau-bao-cao/{draft.pk}/")
    assert response is not None and response.status == 403
