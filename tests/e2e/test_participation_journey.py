"""On a phone: a household votes with the code from its slip, changes its vote, and after the close
finds its receipt in the published tally; a citizen comments on a clause of a draft, and the commune
officer closes the consultation with its summary."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.actors import SYSTEM
from accounts.models import Role
from participation import services
from participation.models import Consultation, Matter
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_household_votes_changes_and_checks_its_receipt(new_page, doi_ngo, make_user):
    village = Unit(code="07444.e2e", edition="2024", name="Tổ dân phố Hành Trình", kind=UnitKind.VILLAGE, parent=doi_ngo)
    village.save()
    head = make_user(Role.VILLAGE_HEAD, village)
    for i in range(1, 6):
        services.save_household(village=village, by=head, code=f"E{i}", head_name=f"Hộ {i}")
    matter = services.create_matter(village=village, by=head, subject=6, method="online", title="Chọn ngày tổng vệ sinh")
    services.record_online_agreement(matter=matter, by=head, households_agreed=3, agreed_on=timezone.localdate(), basis="Biên bản")
    services.announce_matter(matter=matter, by=head, on=timezone.localdate(), closes_at=timezone.now() + dt.timedelta(days=2))
    code = services.format_code(services.open_vote(matter=matter, by=head)[0].code)

    phone = new_page(PHONE)
    phone.goto(f"/bieu-quyet/#{code}")  # the slip's QR code: the code rides in the fragment
    expect(phone.get_by_label("Mã biểu quyết (10 ký tự)")).to_have_value(code)
    check_a11y(phone)
    phone.get_by_role("button", name="Tiếp tục").click()
    phone.get_by_label("Đồng ý", exact=True).check()
    phone.get_by_role("button", name="Bỏ phiếu").click()
    expect(phone.get_by_role("heading", name="Đã nhận phiếu")).to_be_visible()
    phone.get_by_role("button", name="Xem lại hoặc đổi phiếu").click()
    phone.get_by_label("Không đồng ý").check()
    phone.get_by_role("button", name="Đổi phiếu").click()
    expect(phone.get_by_role("heading", name="Đã đổi phiếu")).to_be_visible()
    receipt = phone.locator("#receipt").inner_text().strip()
    check_a11y(phone)
    screenshot(phone, "participation-vote-changed-phone")

    Matter.objects.filter(pk=matter.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    services.close_ended_votes(by=SYSTEM)
    phone.get_by_role("link", name="Trang công khai của nội dung này").click()
    phone.get_by_role("textbox", name="Biên nhận").fill(receipt)
    phone.get_by_role("button", name="Tìm").click()
    expect(phone.locator("#found")).to_contain_text(f"Biên nhận {receipt} được tính: “Không đồng ý”")
    expect(phone.locator("#arithmetic")).to_contain_text("Không đồng ý: 1/5 hộ = 20.0%; cần ít nhất 3 hộ → không đạt")
    check_a11y(phone)
    screenshot(phone, "participation-tally-phone")


def test_citizen_comments_and_the_commune_summarises(new_page, doi_ngo, commune_officer):
    today = timezone.localdate()
    draft = services.publish_consultation(
        unit=doi_ngo,
        by=commune_officer,
        kind="regulation",
        title="Dự thảo quy chế dân chủ của thị trấn",
        draft="Nội dung dự thảo quy chế.",
        clauses=["Điều 3. Công khai", "Điều 7. Biểu quyết"],
        published_on=today,
        closes_on=today + dt.timedelta(days=20),
    )
    citizen = new_page(PHONE)
    citizen.goto(f"/bieu-quyet/y-kien/{draft.pk}/")
    citizen.get_by_label("Góp ý cho điều, khoản").select_option("Điều 3. Công khai")
    citizen.get_by_label("Nội dung góp ý").fill("Đề nghị niêm yết cả ở nhà văn hoá tổ dân phố.")
    check_a11y(citizen)
    citizen.get_by_role("button", name="Gửi góp ý").click()
    expect(citizen.get_by_role("heading", name="Cảm ơn bạn đã góp ý")).to_be_visible()
    screenshot(citizen, "participation-opinion-phone")

    Consultation.objects.filter(pk=draft.pk).update(closes_on=today - dt.timedelta(days=1))
    officer = new_page(PHONE)
    login(officer, commune_officer)
    officer.goto(f"/staff/ban-va-quyet-dinh/lay-y-kien/{draft.pk}/")
    officer.get_by_label("Nhóm ý kiến").first.fill("Niêm yết tại nhà văn hoá")
    officer.get_by_label("Tiếp thu", exact=True).first.check()
    officer.get_by_label("Giải trình (lý do tiếp thu hoặc không)").first.fill("Bổ sung vào Điều 3.")
    officer.get_by_label("Báo cáo tổng hợp").fill("Nhận 1 ý kiến qua cổng thông tin; tiếp thu.")
    officer.get_by_role("button", name="Công khai báo cáo tổng hợp").click()
    expect(officer.get_by_text("Đã công khai báo cáo tổng hợp ý kiến.")).to_be_visible()
    citizen.goto(f"/bieu-quyet/y-kien/{draft.pk}/")
    expect(citizen.get_by_role("cell", name="Bổ sung vào Điều 3.")).to_be_visible()
    check_a11y(citizen)
    screenshot(citizen, "participation-summary-phone")
    # The summary is a disclosure (category 11): on the commune's page, with its document.
    citizen.goto(reverse("portal:unit", args=[doi_ngo.edition, doi_ngo.code]))
    citizen.get_by_role("link", name=re.compile("Tổng hợp, tiếp thu, giải trình ý kiến Nhân dân")).first.click()
    expect(citizen.get_by_text("11. Nội dung lấy ý kiến Nhân dân và kết quả tiếp thu")).to_be_visible()
    expect(citizen.get_by_role("link", name=re.compile("Xem văn bản"))).to_be_visible()
    check_a11y(citizen)
    screenshot(citizen, "participation-summary-disclosed-phone")


def test_commune_officer_counts_a_commune_wide_matter(new_page, doi_ngo, commune_officer):
    """Every village decided its part by its own households; the officer counts the villages on a
    phone, and the public page shows both levels of arithmetic."""
    day = timezone.localdate() - dt.timedelta(days=1)
    for n in (1, 2, 3):
        village = Unit.objects.create(
            code=f"07444.toan-xa-{n}", edition="2024", name=f"Tổ dân phố Liên {n}", kind=UnitKind.VILLAGE, parent=doi_ngo
        )
        for i in range(1, 7):
            services.save_household(village=village, by=commune_officer, code=f"L{n}-{i}", head_name=f"Hộ {i}")
    item = services.create_commune_matter(
        commune=doi_ngo, by=commune_officer, subject=1, method="ballot", title="Đóng góp làm đường liên tổ", on=day - dt.timedelta(days=3)
    )
    for n, matter in enumerate(item.village_matters.order_by("village__name")):
        services.announce_matter(matter=matter, by=commune_officer, on=day - dt.timedelta(days=3), meeting_on=day)
        yes, no = matter.options.order_by("position")
        agree = 5 if n < 2 else 3
        services.record_result(
            matter=matter,
            by=commune_officer,
            decided_on=day,
            votes={yes.pk: agree, no.pk: 6 - agree},
            minutes="Phát phiếu",
            ballots_returned=6,
        )
    officer = new_page(PHONE)
    login(officer, commune_officer)
    officer.goto(f"/staff/ban-va-quyet-dinh/toan-xa/{item.pk}/")
    expect(officer.locator("#commune-arithmetic")).to_contain_text("Đồng ý: 2/3 thôn thông qua = 66.7%; cần ít nhất 2 thôn → đạt")
    officer.get_by_label("Số, ký hiệu thông báo kết quả (không bắt buộc)").fill("30/TB-UBND")
    officer.get_by_role("button", name="Tổng hợp và công khai kết quả").click()
    expect(officer.get_by_text("Đã tổng hợp kết quả toàn xã.")).to_be_visible()
    check_a11y(officer)
    screenshot(officer, "participation-commune-wide-staff-phone")
    citizen = new_page(PHONE)
    citizen.goto(reverse("portal:unit", args=[doi_ngo.edition, doi_ngo.code]))
    citizen.locator(f'a[href="{reverse("participation_public:commune_matter", args=[item.pk])}"]').click()
    expect(citizen.locator("#commune-verdict")).to_have_text("Nội dung được thông qua trên toàn xã.")
    expect(citizen.locator("#villages")).to_contain_text("Đồng ý: 3/6 hộ = 50.0%; cần ít nhất 4 hộ → không đạt")
    check_a11y(citizen)
    screenshot(citizen, "participation-commune-wide-phone")
