"""A commune officer records the People's Inspection Board's recommendation on a phone (the answer is
due 15 days later), the commune chairman answers it, and the board's page shows it answered."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from supervision.models import Recommendation, RecommendationState
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from tests.supervision.conftest import full_board
from units.importing import import_official_units
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_board_recommends_and_the_commune_answers(new_page, bac_giang, make_user):
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
    officer = make_user(Role.COMMUNE_OFFICER, commune, username="e2e.canbo")
    chairman = make_user(Role.COMMUNE_CHAIRMAN, commune, username="e2e.chutich")
    today = timezone.localdate()

    phone = new_page(viewport=PHONE)
    login(phone, officer)
    phone.goto(f"/staff/giam-sat/ban/{board.pk}/")
    expect(phone.get_by_text("Thành phần của ban đúng quy định.")).to_be_visible()
    phone.get_by_text("Ghi kiến nghị mới").click()
    phone.get_by_label("Trích yếu").fill("Công khai thu, chi quỹ nhà văn hóa")
    phone.get_by_label("Nội dung kiến nghị").fill("ngắn")
    phone.get_by_role("button", name="Ghi kiến nghị").click()
    expect(phone.get_by_text("Nội dung kiến nghị cần ít nhất 10 ký tự.")).to_be_visible()
    expect(phone.get_by_label("Trích yếu")).to_have_value("Công khai thu, chi quỹ nhà văn hóa")
    phone.get_by_label("Nội dung kiến nghị").fill("Đề nghị UBND xã chỉ đạo thôn niêm yết thu, chi quỹ theo từng hộ.")
    phone.get_by_role("button", name="Ghi kiến nghị").click()
    due = (today + dt.timedelta(days=15)).strftime("%d/%m/%Y")
    expect(phone.get_by_role("cell", name=due)).to_be_visible()
    check_a11y(phone)
    screenshot(phone, "supervision-board-phone")
    recommendation = Recommendation.objects.get(board=board)

    desk = new_page()
    login(desk, chairman)
    desk.goto(f"/staff/giam-sat/kien-nghi/{recommendation.pk}/")
    expect(desk.locator("#due")).to_contain_text("còn 15 ngày")
    desk.get_by_label("Nội dung trả lời").fill("UBND xã đã chỉ đạo các thôn niêm yết tại nhà văn hóa từ ngày hôm nay.")
    desk.get_by_role("button", name="Ghi câu trả lời").click()
    expect(desk.locator("#state")).to_have_text("Đã trả lời")
    check_a11y(desk)
    screenshot(desk, "supervision-recommendation-answered")
    recommendation.refresh_from_db()
    assert (recommendation.state, recommendation.answered_by, recommendation.answered_on) == (RecommendationState.ANSWERED, chairman, today)
