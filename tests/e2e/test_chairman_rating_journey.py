"""The chairman rating of one commune traced to its sources: the province's list for 2024, the
commune's rating with each component's figure and denominator, the link to the records behind the
"tasks done on time" figure, and from there the task itself. On a desktop and on a phone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.actors import SYSTEM
from steering import rating_services, services
from steering.models import Directive
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_rating_traced_to_its_records(new_page, province_officer, bac_giang, doi_ngo):  # type: ignore[no-untyped-def]
    directive = services.create_directive(
        by=SYSTEM,
        unit=bac_giang,
        kind=Directive.Kind.PLAN,
        number="05/KH-BCĐ",
        issued_on=dt.date(2024, 2, 1),
        issuer="BCĐ tỉnh",
        title="Kế hoạch năm 2024",
    )
    done = services.add_task(
        by=SYSTEM,
        directive=directive,
        number=1,
        title="Tổ chức hội nghị đối thoại",
        owners=[doi_ngo],
        deadline_text="30/06/2024",
        expected_output="",
    )
    services.add_task(
        by=SYSTEM,
        directive=directive,
        number=2,
        title="Kiện toàn Ban Thanh tra nhân dân",
        owners=[doi_ngo],
        deadline_text="30/09/2024",
        expected_output="",
    )
    type(done).objects.filter(pk=done.pk).update(state="done", completed_on=dt.date(2024, 6, 20), percent=100)
    draft = rating_services.create_method(by=province_officer, province=bac_giang, title="Phương pháp xếp loại chủ tịch UBND")
    rating_services.publish_method(by=province_officer, method=draft)
    rating_services.compute_ratings(by=province_officer, province=bac_giang, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))

    page = new_page()
    login(page, province_officer)
    page.goto("/staff/chi-dao/xep-loai/?nam=2024")
    expect(page.get_by_role("heading", name="Xếp loại trách nhiệm chủ tịch UBND")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Thị trấn Đồi Ngô").click()
    expect(page.get_by_role("heading", name="Xếp loại trách nhiệm chủ tịch UBND Thị trấn Đồi Ngô")).to_be_visible()
    expect(page.get_by_text("Hoàn thành tốt nhiệm vụ").first).to_be_visible()
    row = page.get_by_role("row", name="Nhiệm vụ chỉ đạo hoàn thành đúng hạn")
    expect(row).to_contain_text("50 %")
    expect(row).to_contain_text("1 / 2")
    expect(page.get_by_text("Không đủ dữ liệu").first).to_be_visible()
    check_a11y(page)
    screenshot(page, "steering-rating-commune")
    row.get_by_role("link", name="Xem hồ sơ: Nhiệm vụ chỉ đạo hoàn thành đúng hạn").click()
    expect(page.get_by_role("heading", name="Nhiệm vụ chỉ đạo của Thị trấn Đồi Ngô đến hạn từ 01/01/2024 đến 31/12/2024")).to_be_visible()
    expect(page.get_by_role("row", name="1. Tổ chức hội nghị đối thoại")).to_contain_text("20/06/2024")
    check_a11y(page)
    screenshot(page, "steering-rating-records")
    page.get_by_role("link", name="2. Kiện toàn Ban Thanh tra nhân dân").click()
    expect(page.get_by_role("heading", name="2. Kiện toàn Ban Thanh tra nhân dân")).to_be_visible()

    phone = new_page(PHONE)
    login(phone, province_officer)
    phone.goto("/staff/chi-dao/xep-loai/?nam=2024")
    phone.get_by_role("link", name="Thị trấn Đồi Ngô").click()
    card = phone.get_by_role("listitem").filter(has_text="Nhiệm vụ chỉ đạo hoàn thành đúng hạn")
    expect(card).to_contain_text("1 / 2")
    expect(card.get_by_role("link", name="Xem hồ sơ: Nhiệm vụ chỉ đạo hoàn thành đúng hạn")).to_be_visible()
    check_a11y(phone)
    screenshot(phone, "steering-rating-commune-phone")
