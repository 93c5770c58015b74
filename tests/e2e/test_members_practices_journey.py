"""A committee member opens their page on a phone, sees a locality in red (an overdue task) and
records an urging; a citizen finds a published good practice on the commune's portal page."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.actors import SYSTEM
from accounts.models import Role
from steering import practice_services, services
from steering.models import Directive, GuidanceEntry, GuidanceKind
from tests.e2e.conftest import PHONE, check_a11y, login, screenshot
from units.models import CommitteeMember, SteeringCommittee

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_sees_a_red_locality_and_records_an_urging(new_page, make_user, bac_giang, doi_ngo, dong_hung):  # type: ignore[no-untyped-def]
    user = make_user(Role.PROVINCE_LEADER, bac_giang, username="thanhvien")
    committee = SteeringCommittee.objects.create(unit=bac_giang, name="Ban Chỉ đạo QCDC tỉnh")
    member = CommitteeMember.objects.create(committee=committee, full_name="Nguyễn Văn Theo Dõi", user=user)
    member.followed_units.set([doi_ngo, dong_hung])
    directive = services.create_directive(
        by=SYSTEM,
        unit=bac_giang,
        kind=Directive.Kind.NOTICE,
        number="5-TB/BCĐ",
        issued_on=dt.date(2024, 1, 31),
        issuer="BCĐ tỉnh",
        title="TB",
    )
    services.add_task(by=SYSTEM, directive=directive, number=2, title="Quán triệt Luật", owners=[doi_ngo], deadline_text="quý I/2024")

    phone = new_page(PHONE)
    login(phone, user)
    phone.goto("/staff/chi-dao/thanh-vien/")
    phone.get_by_role("link", name="Nguyễn Văn Theo Dõi – Ban Chỉ đạo QCDC tỉnh").click()
    red = phone.locator("#dia-ban-dien-thoai li.border-danger")  # the phone shows a card per locality
    expect(red).to_have_count(1)
    expect(red.get_by_role("heading")).to_contain_text("Thị trấn Đồi Ngô")
    expect(red.get_by_text("Cần đôn đốc")).to_be_visible()
    expect(red.get_by_text("Nhiệm vụ chỉ đạo quá hạn")).to_be_visible()
    check_a11y(phone)
    screenshot(phone, "steering-member-localities-phone")
    red.get_by_role("link", name="Đôn đốc Thị trấn Đồi Ngô").click()
    expect(phone.get_by_label("Hình thức")).to_have_value(GuidanceKind.URGING)
    expect(phone.get_by_label("Địa bàn")).to_have_value(str(doi_ngo.pk))
    phone.get_by_label("Nội dung").fill("Đề nghị thị trấn hoàn thành hội nghị quán triệt Luật trước 15/12.")
    phone.get_by_role("button", name="Ghi nhận").click()
    expect(phone.get_by_text("Đã ghi hoạt động hướng dẫn, đôn đốc.")).to_be_visible()
    expect(phone.locator("#nhat-ky")).to_contain_text("Đề nghị thị trấn hoàn thành hội nghị quán triệt Luật")
    screenshot(phone, "steering-member-urging-recorded-phone")
    entry = GuidanceEntry.objects.get()
    assert (entry.unit, entry.kind, entry.happened_on) == (doi_ngo, GuidanceKind.URGING, timezone.localdate())


def test_citizen_sees_a_published_good_practice_on_the_portal(new_page, doi_ngo, province_officer):  # type: ignore[no-untyped-def]
    picture = io.BytesIO()
    Image.new("RGB", (480, 300), (30, 110, 170)).save(picture, "JPEG")
    picture.seek(0)
    practice = practice_services.propose_practice(
        by=SYSTEM,
        unit=doi_ngo,
        title="Ngày thứ Bảy lắng nghe dân",
        body="Sáng thứ Bảy cuối tháng, Chủ tịch thị trấn tiếp dân tại nhà văn hóa khu phố.",
        period_start=dt.date(2024, 3, 1),
        photos=[(picture, "lang-nghe.jpg")],
    )
    practice_services.publish_practice(by=province_officer, practice=practice)

    phone = new_page(PHONE)
    phone.goto(f"/don-vi/{doi_ngo.edition}/{doi_ngo.code}/")
    section = phone.locator("section", has=phone.get_by_role("heading", name="Mô hình, cách làm hay"))
    section.get_by_role("link", name="Ngày thứ Bảy lắng nghe dân").click()
    expect(phone.get_by_role("heading", name="Ngày thứ Bảy lắng nghe dân")).to_be_visible()
    expect(phone.locator("article img")).to_have_count(1)
    assert phone.locator("article img").evaluate("img => img.naturalWidth") == 480
    check_a11y(phone)
    screenshot(phone, "steering-good-practice-portal-phone")
