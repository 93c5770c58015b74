"""The recognition journey in a real browser: the commune registers and self-assesses on a phone,
the chairman signs off, the district proposes and forwards, the province decides — and the public
portal then lists the recognised commune with the target progress moved."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification import services
from certification.models import ApprovalChain, Campaign, FileState, Level, Registration
from tests.certification.conftest import PDF
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_commune_to_portal(
    new_page,
    settings,
    tmp_path,
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
    # A district-step round on the 2024 units with its dates around today: the service now refuses a
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

    # The commune officer registers and starts the self-assessment on a phone.
    phone = new_page(PHONE)
    login(phone, commune_officer)
    phone.goto(f"/staff/chung-nhan/dot/{campaign.pk}/xa/{doi_ngo.pk}/")
    check_a11y(phone)
    phone.get_by_role("button", name="Đăng ký").click()
    expect(phone.get_by_text("Đã đăng ký.")).to_be_visible()
    reg = Registration.objects.get(campaign=campaign, unit=doi_ngo)
    phone.get_by_role("link", name="Tự chấm điểm").click()
    first = cs.criteria.get(code="I.1")
    phone.locator(f"#score_{first.pk}").fill("5")  # above the maximum of 4
    phone.locator(f"#explanation_{first.pk}").fill("Niêm yết đủ 12 nội dung tại trụ sở")
    phone.get_by_role("button", name="Lưu nháp").click()
    expect(phone.get_by_text("vượt quá điểm tối đa 4")).to_be_visible()
    expect(phone.locator(f"#explanation_{first.pk}")).to_have_value("Niêm yết đủ 12 nội dung tại trụ sở")
    phone.locator(f"#score_{first.pk}").fill("4")
    check_a11y(phone)
    screenshot(phone, "certification-self-assessment-phone")
    phone.get_by_role("button", name="Lưu nháp").click()
    expect(phone.get_by_text("Đã lưu bản nháp tự đánh giá.")).to_be_visible()
    # the rest of the dossier through the same services the form uses
    for kind in services.REQUIRED_DOCUMENTS:
        services.upload_document(registration=reg, kind=kind, fileobj=io.BytesIO(PDF), name=f"{kind}.pdf", by=commune_officer)
    services.save_self_scores(
        registration=reg,
        entries=[services.SelfScoreEntry(c.pk, c.max_points, explanation="Có biên bản") for c in cs.criteria.exclude(code="I.1")],
        by=commune_officer,
    )

    chairman = new_page(PHONE)
    login(chairman, commune_chairman)
    chairman.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/")
    check_a11y(chairman)
    screenshot(chairman, "certification-file-chairman-phone")
    chairman.get_by_label("Tôi xác nhận ký duyệt", exact=False).check()
    chairman.get_by_role("button", name="Chủ tịch UBND xã ký duyệt và nộp hồ sơ").click()
    expect(chairman.get_by_text("Đã ký duyệt và nộp hồ sơ.")).to_be_visible()

    # District: the team scores (service), the committee proposes and forwards in the browser.
    services.set_team(registration=reg, level=Level.DISTRICT, members=[district_appraiser], leader=district_appraiser, by=district_officer)
    services.declare_interest(registration=reg, level=Level.DISTRICT, has_conflict=False, by=district_appraiser)
    services.save_appraisal_scores(
        registration=reg,
        level=Level.DISTRICT,
        entries=[services.ScoreEntry(c.pk, c.max_points - (Decimal("1") if c.code == "V.2" else 0)) for c in cs.criteria.all()],
        by=district_appraiser,
    )
    services.record_site_visit(
        registration=reg, visited_on=campaign.registration_opens, participants="Tổ thẩm định", findings="Đúng", by=district_appraiser
    )
    services.agree_team_score(registration=reg, by=district_appraiser)
    district = new_page()
    district.set_default_timeout(15000)
    login(district, district_officer)
    district.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/")
    check_a11y(district)
    district.get_by_label("Tôi xác nhận đề nghị công nhận (không hoàn tác được).").check()
    district.get_by_role("button", name="Đề nghị tỉnh công nhận").click()
    expect(district.get_by_text("Đã đề nghị công nhận.")).to_be_visible()
    district.goto(f"/staff/chung-nhan/dot/{campaign.pk}/")
    check_a11y(district)
    district.get_by_role("button", name="Gửi danh sách lên tỉnh").click()
    expect(district.get_by_text("Đã gửi danh sách đề nghị lên tỉnh.")).to_be_visible()

    # Province decides.
    province = new_page()
    login(province, province_officer)
    province.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/")
    check_a11y(province)
    screenshot(province, "certification-file-province")
    province.get_by_role("link", name="Quyết định công nhận").click()
    expect(province.get_by_text("đạt chuẩn 4 sao")).to_be_visible()
    province.get_by_label("Số quyết định").fill("2150/QĐ-UBND")
    province.get_by_label("Người ký").fill("Phó Chủ tịch UBND tỉnh")
    province.get_by_label("Tôi xác nhận công nhận đơn vị", exact=False).check()
    check_a11y(province)
    province.get_by_role("button", name="Công nhận").click()
    expect(province.get_by_text("Đã công nhận.")).to_be_visible()
    reg.refresh_from_db()
    assert reg.state == FileState.RECOGNISED
    province.goto(f"/staff/chung-nhan/dot/{campaign.pk}/chi-tieu/")
    check_a11y(province)
    screenshot(province, "certification-targets")

    # The public portal.
    public = new_page()
    public.goto("/")
    expect(public.get_by_role("link", name="Thị trấn Đồi Ngô")).to_be_visible()
    expect(public.get_by_text("1/192 đơn vị được công nhận")).to_be_visible()
    check_a11y(public)
    screenshot(public, "certification-portal-home")
