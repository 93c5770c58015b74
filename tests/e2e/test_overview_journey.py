"""A provincial leader opens the overview on a phone in the morning and drills from a red figure
(overdue tasks) to the records behind it; the same page on a desktop, with its map."""

from __future__ import annotations

import pytest

from accounts.actors import SYSTEM
from steering import services
from tests.e2e.conftest import DESKTOP, PHONE, check_a11y, login, screenshot
from tests.steering.conftest import notice  # noqa: F401 - the fixture, used by name

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_drills_from_a_red_figure_to_its_records(new_page, notice, luc_nam, province_leader):  # noqa: F811
    overdue = {"deadline_text": "quý I/2024", "expected_output": "Hội nghị"}
    services.add_task(by=SYSTEM, directive=notice, number=3, title="Quán triệt Luật", owners=[luc_nam], **overdue)
    phone = new_page(PHONE)
    login(phone, province_leader)
    phone.get_by_role("link", name="Mở trang tổng quan").click()
    phone.wait_for_url("**/tong-quan/**")
    red = phone.locator('#overview-figures a[data-alert="1"][data-figure="steering.tasks_overdue"]')
    assert red.inner_text() == "1"
    screenshot(phone, "overview-phone")
    check_a11y(phone)
    red.click()
    phone.wait_for_url("**/chi-dao/?qua_han=1")
    assert phone.get_by_role("link", name="3. Quán triệt Luật").first.is_visible()
    screenshot(phone, "overview-phone-drilled")

    desk = new_page(DESKTOP)
    login(desk, province_leader)
    desk.goto("/staff/chi-dao/tong-quan/?chi_so=steering.tasks_overdue")
    assert desk.locator("#overview-map a.map-point").count() > 100
    desk.locator("#overview-map a.map-point").first.focus()
    screenshot(desk, "overview-desktop")
    check_a11y(desk)
    # keyboard: the focused commune opens its own overview
    desk.keyboard.press("Enter")
    desk.wait_for_url("**don_vi=**")
    assert not phone.js_errors and not desk.js_errors
