"""The province's texts and its decision in a real browser, on a phone: the standing office edits
the decision's texts (a wrong placeholder is refused, what was typed stays), then downloads the
recognition decision and the certificate from the file's page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Role
from certification import services
from certification.models import ApprovalChain, Campaign
from tests.certification.conftest import check_samples, district_appraise, to_district
from tests.certification.test_full_cycle import DECISION
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_province_edits_its_texts_and_prints_the_decision(
    new_page,
    settings,
    tmp_path,
    make_user,
    province_officer,
    district_officer,
    district_appraiser,
    commune_officer,
    commune_chairman,
    doi_ngo,
    bac_giang,
):
    settings.MEDIA_ROOT = tmp_path
    from certification.criteria_io import load_sample_spec

    cs = services.publish_criteria_set(
        criteria_set=services.create_criteria_set(spec=load_sample_spec(), by=province_officer), by=province_officer
    )
    # A district-step round on the 2024 units with its dates around today: the service refuses a
    # district step after 1 July 2025, so the row is stored as the seed's pre-merger rounds are.
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        province=bac_giang,
        year=2024,
        name="Đánh giá chính quyền thân thiện năm 2024",
        criteria_set=cs,
        approval_chain=ApprovalChain.COMMUNE_DISTRICT_PROVINCE,
        target_share=Decimal("0.6"),
        registration_opens=today - dt.timedelta(days=10),
        registration_closes=today + dt.timedelta(days=20),
        self_assessment_due=today + dt.timedelta(days=40),
        district_appraisal_due=today + dt.timedelta(days=60),
        province_appraisal_due=today + dt.timedelta(days=80),
    )
    p = {
        "officer": commune_officer,
        "chairman": commune_chairman,
        "committee": district_officer,
        "appraiser": district_appraiser,
        "appraiser2": make_user(Role.DISTRICT_APPRAISER, doi_ngo.parent),
        "province": province_officer,
    }
    reg = district_appraise(to_district(campaign, doi_ngo, p), p)
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=p["committee"])
    check_samples(campaign, doi_ngo.parent, p)  # the province's own check of the drawn file comes first
    services.recognise(registration=reg, by=province_officer, **DECISION)

    phone = new_page(PHONE)
    login(phone, province_officer)
    phone.goto(f"/staff/chung-nhan/dot/{campaign.pk}/")
    phone.get_by_role("link", name="Mẫu văn bản công nhận").first.click()
    check_a11y(phone)
    summary = phone.get_by_label("Trích yếu quyết định")
    summary.fill("Về việc công nhận đơn vị đạt chuẩn năm {năm}")
    phone.get_by_label("Ký hiệu quyết định").fill("QĐ-CT")
    phone.get_by_role("button", name="Lưu mẫu").click()
    expect(phone.get_by_text("không phải là chỗ điền dùng được")).to_be_visible()
    expect(phone.get_by_label("Ký hiệu quyết định")).to_have_value("QĐ-CT")
    summary.fill("Về việc công nhận đơn vị đạt chuẩn năm {nam}")
    phone.get_by_role("button", name="Lưu mẫu").click()
    expect(phone.get_by_text("Đã lưu mẫu văn bản.")).to_be_visible()
    screenshot(phone, "certification-document-texts-phone")

    phone.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/")
    link = phone.get_by_role("link", name="Quyết định công nhận (PDF)")
    response = phone.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split())
    assert "Số: 123/QĐ-UBND" in text and "Về việc công nhận đơn vị đạt chuẩn năm 2024" in text
    word = phone.request.get(phone.get_by_role("link", name="Giấy công nhận (Word)").get_attribute("href"))
    assert word.ok and word.body()[:2] == b"PK"
