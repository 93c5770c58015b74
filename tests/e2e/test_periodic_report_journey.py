"""A commune submits its six-monthly report mostly pre-filled on a phone, the province returns it
with a comment, the commune corrects and resubmits, the province accepts it and sees completeness."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.actors import SYSTEM
from accounts.models import Role
from supervision import services
from supervision.models import ReportState, UnitReport
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from tests.supervision.conftest import full_board
from units.importing import import_official_units
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_commune_submits_province_returns_then_accepts(new_page, bac_giang, make_user):
    import_official_units(province_code="24", structure="2025")
    province = Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")
    commune = Unit.objects.filter(parent=province, kind=UnitKind.COMMUNE).order_by("code")[0]
    villages = [
        Unit.objects.create(
            parent=commune, kind=UnitKind.VILLAGE, edition="2025", code=f"E2E-{i}", name=f"Thôn {i}", valid_from=dt.date(2025, 7, 1)
        )
        for i in range(1, 6)
    ]
    board = full_board(commune, villages)
    services.record_recommendation(
        by=SYSTEM, board=board, subject="Công khai", content="Đề nghị công khai quỹ thôn.", sent_on=dt.date(2026, 3, 2)
    )
    form = services.seed_default_form(by=SYSTEM, province=province)
    officer = make_user(Role.COMMUNE_OFFICER, commune, username="e2e.canbo")
    office = make_user(Role.PROVINCE_OFFICE, province, username="e2e.tinh")

    phone = new_page(viewport=PHONE)
    login(phone, officer)
    phone.goto("/staff/giam-sat/bao-cao/")
    phone.locator("form", has_text="kỳ 01/01/2026–30/06/2026").get_by_role("button").click()
    expect(phone.get_by_label("Số kiến nghị của Ban TTND, Ban GSĐTCĐ")).to_have_value("1")
    expect(phone.get_by_text("chưa có số liệu").first).to_be_visible()
    for label in (
        "Số cuộc họp thôn, tổ dân phố",
        "Số nội dung Nhân dân bàn, quyết định trực tiếp",
        "Số nội dung Nhân dân biểu quyết để cấp có thẩm quyền quyết định",
        "Số cuộc giám sát của Nhân dân",
        "Số tiền Nhân dân đóng góp xây dựng kết cấu hạ tầng (triệu đồng)",
        "Số đơn khiếu nại, tố cáo đã tiếp nhận",
    ):
        phone.get_by_label(label).fill("12")
    for field in phone.locator("input[inputmode=decimal]").all():
        if not field.input_value():
            field.fill("90")
    phone.get_by_label("Đánh giá chung, khó khăn, vướng mắc và kiến nghị").fill("Các thôn thực hiện tốt quy chế dân chủ.")
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.locator("#state")).to_have_text("Đã gửi, chờ xem xét")
    check_a11y(phone)
    screenshot(phone, "periodic-report-commune-phone")
    report = UnitReport.objects.get(unit=commune, form=form)

    desk = new_page()
    login(desk, office)
    desk.goto(f"/staff/giam-sat/bao-cao/{report.pk}/")
    desk.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill("Số cuộc họp thôn chưa khớp biên bản, đề nghị rà soát.")
    desk.get_by_role("button", name="Trả lại kèm ý kiến").click()
    expect(desk.locator("#state")).to_have_text("Bị trả lại")

    phone.reload()
    expect(phone.locator("#comment")).to_contain_text("chưa khớp biên bản")
    phone.get_by_label("Số cuộc họp thôn, tổ dân phố").fill("10")
    phone.get_by_role("button", name="Gửi báo cáo").click()
    expect(phone.locator("#state")).to_have_text("Đã gửi, chờ xem xét")

    desk.reload()
    desk.get_by_role("button", name="Tiếp nhận").click()
    expect(desk.locator("#state")).to_have_text("Đã tiếp nhận")
    desk.goto(f"/staff/giam-sat/bao-cao/?mau={form.pk}&ky=2026-01-01")
    expect(desk.locator("#completeness")).to_contain_text("1")
    expect(desk.get_by_role("heading", name="Tổng hợp từ 1 báo cáo đã tiếp nhận")).to_be_visible()
    check_a11y(desk)
    screenshot(desk, "periodic-report-province")
    assert UnitReport.objects.get(pk=report.pk).state == ReportState.ACCEPTED
