"""Issue 11 in a real browser, on the structure in force (the new Bắc Ninh's 2026 round, commune →
province, on the 2025 communes, as the demo's): the commune attaches evidence and keeps it through a
bad score; two members of the provincial team score differently and see each other's scores; the
leader records the agreed score; the decision page shows an open harassment report and refuses
recognition until the decider records a reasoned override."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from certification import services
from certification.criteria_io import load_sample_spec
from certification.models import ApprovalChain, FileState, Level, MemberScore, Recognition
from feedback import services as feedback_services
from tests.certification.conftest import PDF
from tests.e2e.conftest import ARTIFACTS, PHONE, check_a11y, login, screenshot
from units.importing import import_official_units
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_evidence_independent_scores_and_the_harassment_block(new_page, settings, tmp_path, make_user):
    settings.MEDIA_ROOT = tmp_path
    import_official_units(province_code="24", structure="2025")
    province = Unit.objects.get(edition="2025", kind=UnitKind.PROVINCE, code="24")
    commune = Unit.objects.filter(edition="2025", kind=UnitKind.COMMUNE, parent=province).order_by("code").first()
    office = make_user(Role.PROVINCE_OFFICE, province)
    leader_role = make_user(Role.PROVINCE_LEADER, province)
    officer, chairman = make_user(Role.COMMUNE_OFFICER, commune), make_user(Role.COMMUNE_CHAIRMAN, commune)
    cs = services.publish_criteria_set(criteria_set=services.create_criteria_set(spec=load_sample_spec(), by=office), by=office)
    today = timezone.localdate()
    campaign = services.create_campaign(
        by=office,
        province=province,
        year=today.year,
        name=f"Đánh giá chính quyền thân thiện năm {today.year}",
        criteria_set=cs,
        approval_chain=ApprovalChain.COMMUNE_PROVINCE,
        target_share=Decimal("1"),
        registration_opens=today - dt.timedelta(days=10),
        registration_closes=today + dt.timedelta(days=20),
        self_assessment_due=today + dt.timedelta(days=40),
        province_appraisal_due=today + dt.timedelta(days=80),
    )
    reg = services.register(campaign=campaign, unit=commune, by=officer)
    first = cs.criteria.get(code="I.1")

    # The commune attaches a photo of the notice board on a phone; a wrong score does not lose it.
    phone = new_page(PHONE)
    login(phone, officer)
    phone.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/tu-danh-gia/")
    evidence = tmp_path / "niem-yet.pdf"
    evidence.write_bytes(PDF)
    phone.locator(f"#score_{first.pk}").fill("9")
    phone.locator(f"#file_{first.pk}").set_input_files(str(evidence))
    phone.get_by_role("button", name="Lưu nháp").click()
    expect(phone.get_by_text("vượt quá điểm tối đa 4")).to_be_visible()
    expect(phone.get_by_role("link", name="niem-yet.pdf")).to_be_visible()
    check_a11y(phone)
    screenshot(phone, "appraisal-evidence-kept-phone")
    with phone.expect_popup() as popup:
        phone.get_by_role("link", name="niem-yet.pdf").click()
    assert popup.value.url.endswith(f"/staff/chung-nhan/tep/{reg.documents.get(criterion=first).pk}/")

    # The rest of the dossier and the chairman's sign-off through the services the pages use.
    for kind in services.REQUIRED_DOCUMENTS:
        services.upload_document(registration=reg, kind=kind, fileobj=io.BytesIO(PDF), name=f"{kind}.pdf", by=officer)
    services.save_self_scores(
        registration=reg,
        entries=[services.SelfScoreEntry(c.pk, c.max_points, explanation="Có biên bản") for c in cs.criteria.all()],
        by=officer,
    )
    services.submit_self_assessment(registration=reg, by=chairman)
    services.set_team(registration=reg, level=Level.PROVINCE, members=[office, leader_role], leader=office, by=office)
    for member in (office, leader_role):
        services.declare_interest(registration=reg, level=Level.PROVINCE, has_conflict=False, by=member)
    scored = [c for c in cs.criteria.all() if c.kind != "computed"]
    services.save_appraisal_scores(
        registration=reg, level=Level.PROVINCE, entries=[services.ScoreEntry(c.pk, c.max_points) for c in scored], by=office
    )

    # The second member scores on their own: 2 on I.1 where the leader gave 4, and sees the spread.
    member = new_page()
    login(member, leader_role)
    member.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/cham-diem/province/")
    for c in scored:
        member.locator(f"#score_{c.pk}").fill("2" if c == first else str(c.max_points))
    member.get_by_role("button", name="Lưu điểm của tôi").click()
    expect(member.get_by_text("Đã lưu điểm của bạn.")).to_be_visible()
    table = member.locator("#member-scores")
    expect(table.get_by_role("columnheader", name=str(office), exact=False)).to_be_visible()
    expect(table.locator("tr", has_text="I.1").locator(".text-bg-warning")).to_have_text("2,00")
    check_a11y(member)
    screenshot(member, "appraisal-member-scores")
    assert MemberScore.objects.get(registration=reg, user=office, criterion=first).score == 4  # untouched

    # The leader records the agreed score with the dissent.
    leader = new_page()
    login(leader, office)
    leader.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/cham-diem/province/")
    leader.get_by_role("button", name="Ghi điểm thống nhất").click()
    expect(leader.get_by_text("các thành viên chấm khác nhau")).to_be_visible()
    leader.locator(f"#agreed_{first.pk}").fill("3")
    leader.get_by_label("Ý kiến khác của thành viên (nếu có)").fill("Một thành viên giữ 2 điểm: thiếu ảnh niêm yết quý IV.")
    leader.get_by_role("button", name="Ghi điểm thống nhất").click()
    expect(leader.get_by_text("Đã ghi điểm thống nhất của tổ.")).to_be_visible()
    expect(leader.get_by_text("Tổ đã thống nhất", exact=False)).to_be_visible()
    screenshot(leader, "appraisal-agreed")
    assert reg.appraisal_scores.get(level=Level.PROVINCE, criterion=first).score == 3

    # A citizen's harassment report against the commune is still open: the decision waits for a reason.
    feedback_services.enter_case(
        by=office,
        report=feedback_services.Report(
            category="conduct_harassment",
            concerned_unit=commune,
            channel="phone",
            description="Cán bộ một cửa yêu cầu nộp thêm tiền ngoài quy định khi chứng thực.",
        ),
    )
    leader.goto(f"/staff/chung-nhan/ho-so/{reg.pk}/quyet-dinh/")
    expect(leader.get_by_role("alert")).to_contain_text("chưa giải quyết xong")
    leader.get_by_label("Số quyết định").fill("35/QĐ-UBND")
    leader.get_by_label("Người ký").fill("Phó Chủ tịch UBND tỉnh")
    leader.get_by_label("Tôi xác nhận công nhận đơn vị", exact=False).check()
    leader.get_by_role("button", name="Công nhận").click()
    expect(leader.get_by_text("Muốn vẫn công nhận, ghi rõ lý do")).to_be_visible()
    check_a11y(leader)
    screenshot(leader, "appraisal-decision-blocked")
    assert not Recognition.objects.filter(registration=reg).exists()
    leader.get_by_label("Lý do vẫn công nhận", exact=False).fill(
        "Đã xác minh: phản ánh về Bộ phận một cửa của xã khác, đã chuyển đúng nơi."
    )
    leader.get_by_label("Tôi xác nhận công nhận đơn vị", exact=False).check()
    leader.get_by_role("button", name="Công nhận").click()
    expect(leader.get_by_text("Đã công nhận.")).to_be_visible()
    reg.refresh_from_db()
    recognition = Recognition.objects.get(registration=reg)
    assert reg.state == FileState.RECOGNISED and recognition.override_by == office
    assert (ARTIFACTS / "appraisal-decision-blocked.png").exists()
