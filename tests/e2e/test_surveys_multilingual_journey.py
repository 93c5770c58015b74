"""A form read from XLSForm through pyxform, in two languages with nested groups and skip logic, is
answered on a phone through the open link: the respondent switches to English, questions appear as
the answers call for them, the calculation shows, and the answers are stored."""

import datetime as dt
import io

import pytest
from playwright.sync_api import expect

from surveys import services, xlsform
from surveys.models import Response, Stratum
from tests.e2e.conftest import PHONE, check_a11y, screenshot
from tests.surveys.test_xlsform_pyxform import RICH, RICH_CHOICES, RICH_SETTINGS, _workbook

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_multilingual_xlsform_is_answered_on_a_phone(new_page, province_officer, district_officer, luc_nam, doi_ngo):
    version = xlsform.import_xlsform(by=province_officer, upload=io.BytesIO(_workbook(RICH, RICH_CHOICES, RICH_SETTINGS)), code="THU")
    version = services.publish_version(by=province_officer, version=version)
    campaign = services.create_campaign(
        by=district_officer,
        unit=luc_nam,
        title="Khảo sát thử song ngữ",
        year=2024,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 12, 31),
        forms=[("citizens", version)],
        min_responses=3,
    )
    services.change_campaign_state(by=district_officer, campaign=campaign, target="open")
    stratum = Stratum.objects.get(form__campaign=campaign, unit=doi_ngo)

    phone = new_page(viewport=PHONE)
    phone.goto(f"/khao-sat/m/{stratum.open_key}/")
    expect(phone.get_by_role("heading", name="Phiếu thử")).to_be_visible()
    expect(phone.get_by_label("Số người trong hộ")).to_be_visible()
    phone.get_by_label("Ngôn ngữ của phiếu").select_option("English (en)")
    phone.get_by_role("button", name="Đổi ngôn ngữ").click()
    expect(phone.get_by_label("Household size")).to_be_visible()
    expect(phone.get_by_text("Children included")).to_be_visible()
    # the land group shows only once "Land" is ticked; the satisfaction item only after "Yes"
    expect(phone.get_by_label("Area (m²)")).to_be_hidden()
    phone.get_by_label("Household size").fill("3")
    phone.get_by_label("Land").check()
    expect(phone.get_by_label("Area (m²)")).to_be_visible()
    phone.get_by_label("Area (m²)").fill("120")
    expect(phone.locator("output[data-code='per_head']")).to_have_text("40")
    expect(phone.get_by_role("group", name="Overall satisfaction")).to_be_hidden()
    phone.get_by_role("group", name="Satisfied?").get_by_label("Yes").check()
    expect(phone.get_by_role("group", name="Overall satisfaction")).to_be_visible()
    phone.get_by_role("group", name="Overall satisfaction").get_by_label("Level 4").check()
    check_a11y(phone)
    screenshot(phone, "surveys-multilingual-phone")
    phone.get_by_role("button", name="Gửi phiếu").click()
    expect(phone.get_by_role("heading", name="Cảm ơn ông/bà!")).to_be_visible()
    [response] = Response.objects.filter(stratum=stratum)
    assert response.answers == {"members": 3, "used": ["land"], "area": 120, "satisfied": "1", "overall": 4}
