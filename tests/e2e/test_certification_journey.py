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
from certification.models import DOSSIER_KINDS, ApprovalChain, Campaign, FileState, Level, Registration
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
    make_user,
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

    # The forward drew the province's check sample: the only file, which the province team re-scores
    # itself before it may decide (the team is formed through the services, the scoring in the page).
    province = new_page()
    login(province, province_officer)
    province.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/")
    expect(province.get_by_text("được chọn vào mẫu kiểm tra")).to_be_visible()
    expect(province.get_by_text("chưa thể quyết định hồ sơ nào của huyện này").first).to_be_visible()
    check_a11y(province)
    screenshot(province, "certification-file-province-sampled")
    services.set_team(registration=reg, level=Level.PROVINCE, members=[province_officer], leader=province_officer, by=province_officer)
    services.declare_interest(registration=reg, level=Level.PROVINCE, has_conflict=False, by=province_officer)
    province.reload()
    province.get_by_role("link", name="Chấm điểm thẩm định").click()
    for c in cs.criteria.exclude(kind="computed"):
        province.locator(f"#score_{c.pk}").fill(str(c.max_points - (Decimal("1") if c.code in ("V.2", "I.1") else 0)))
    province.get_by_role("button", name="Lưu điểm").click()
    expect(province.get_by_text("Đã lưu điểm của bạn.")).to_be_visible()
    # The team's score is the leader's agreed one, a separate act.
    province.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/")
    province.get_by_role("link", name="Chấm điểm thẩm định").click()
    province.get_by_role("button", name="Ghi điểm thống nhất").click()
    expect(province.get_by_text("Đã ghi điểm thống nhất của tổ.")).to_be_visible()
    province.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/")
    province.get_by_role("button", name="Ghi nhận tỉnh đã thẩm định lại hồ sơ").click()
    expect(province.get_by_text("Đã ghi nhận tỉnh thẩm định lại hồ sơ.")).to_be_visible()
    expect(province.get_by_text("Tỉnh đã thẩm định lại: 94,00 điểm (huyện: 95,00)")).to_be_visible()
    screenshot(province, "certification-file-province")

    # Province decides.
    province.get_by_role("link", name="Quyết định công nhận").click()
    expect(province.get_by_text("đạt chuẩn 3 sao")).to_be_visible()
    province.get_by_label("Số quyết định").fill("2150/QĐ-UBND")
    province.get_by_label("Người ký").fill("Phó Chủ tịch UBND tỉnh")
    province.get_by_label("Tôi xác nhận công nhận đơn vị", exact=False).check()
    check_a11y(province)
    province.get_by_role("button", name="Công nhận").click()
    expect(province.get_by_text("Đã công nhận.")).to_be_visible()
    reg.refresh_from_db()
    assert reg.state == FileState.RECOGNISED
    # Lục Ngạn's team copies its communes' self-scores and forwards: the quality view flags it, while
    # Lục Nam, whose sample the province re-scored, shows its gap with n = 1 ("too few files").
    _copying_district_forwards(campaign, cs, make_user)
    province.goto(f"/staff/chung-nhan/dot/{campaign.pk}/chat-luong-tham-dinh/")
    copier = province.get_by_role("row").filter(has_text="Huyện Lục Ngạn")
    expect(copier.get_by_text("Tổ thẩm định chép điểm tự chấm")).to_be_visible()
    expect(copier.get_by_text("chưa kiểm tra")).to_be_visible()
    expect(province.get_by_role("row").filter(has_text="Huyện Lục Nam").get_by_text("quá ít hồ sơ để ước lượng")).to_be_visible()
    check_a11y(province)
    screenshot(province, "certification-quality")
    quality_phone = new_page(PHONE)
    login(quality_phone, province_officer)
    quality_phone.goto(f"/staff/chung-nhan/dot/{campaign.pk}/chat-luong-tham-dinh/#mau")
    check_a11y(quality_phone)
    screenshot(quality_phone, "certification-quality-phone")
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


def _copying_district_forwards(campaign, cs, make_user) -> None:  # type: ignore[no-untyped-def]
    """Two communes of Lục Ngạn to the province, their district scores the communes' own."""
    from accounts.models import Role
    from tests.conftest import unit

    district = unit("219")
    committee = make_user(Role.DISTRICT_COMMITTEE, district)
    appraiser = make_user(Role.DISTRICT_APPRAISER, district)
    for code in ("07528", "07531"):
        commune = unit(code)
        officer, chairman = make_user(Role.COMMUNE_OFFICER, commune), make_user(Role.COMMUNE_CHAIRMAN, commune)
        reg = services.register(campaign=campaign, unit=commune, by=officer)
        for kind in DOSSIER_KINDS:
            services.upload_document(registration=reg, kind=kind, fileobj=io.BytesIO(PDF), name=f"{kind}.pdf", by=officer)
        claimed = {c.pk: c.max_points for c in cs.criteria.all()}
        services.save_self_scores(
            registration=reg, entries=[services.SelfScoreEntry(pk, v, explanation="Đủ") for pk, v in claimed.items()], by=officer
        )
        services.submit_self_assessment(registration=reg, by=chairman)
        services.set_team(registration=reg, level=Level.DISTRICT, members=[appraiser], leader=appraiser, by=committee)
        services.declare_interest(registration=reg, level=Level.DISTRICT, has_conflict=False, by=appraiser)
        services.save_appraisal_scores(
            registration=reg, level=Level.DISTRICT, entries=[services.ScoreEntry(pk, v) for pk, v in claimed.items()], by=appraiser
        )
        services.record_site_visit(
            registration=reg, visited_on=campaign.registration_opens, participants="Tổ", findings="Đúng", by=appraiser
        )
        services.agree_team_score(registration=reg, by=appraiser)
        services.district_propose(registration=reg, by=committee)
    services.forward_district(campaign=campaign, district=district, by=committee)
