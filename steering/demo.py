"""Demo data: the seed notice (the Head of the provincial Steering Committee's conclusions on 2024's
tasks) with its nine tasks on the 2024 units of Bắc Giang, and realistic progress: some accepted,
one returned, one awaiting acceptance, several overdue. Idempotent."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from PIL import Image, ImageDraw

from accounts import services as account_services
from accounts.actors import SYSTEM
from accounts.demo import DEMO_PASSWORD
from accounts.models import Role, User
from steering import member_services, overview, practice_services, rating, rating_services, services, work_demo
from steering.models import Directive, GuidanceEntry, GuidanceKind
from units import services as unit_services
from units.demo import demo_province
from units.models import CommitteeMember, Unit, UnitKind

NOTICE_NUMBER = "TB-KL/BCĐ (mẫu)"
ISSUED_ON = dt.date(2024, 1, 31)

# number, title, owners ("province", "districts" or none), agencies in words, deadline as written, expected output
TASKS: list[tuple[int, str, str, str, str, str]] = [
    (
        1,
        "Quán triệt phương châm “3 an”, gắn trách nhiệm người đứng đầu cấp ủy, chính quyền",
        "districts",
        "Cấp ủy các cấp",
        "năm 2024",
        "Chương trình, kế hoạch của cấp ủy",
    ),
    (
        2,
        "Quán triệt Luật Thực hiện dân chủ ở cơ sở",
        "",
        "Đảng ủy Các cơ quan tỉnh; Đảng ủy Khối Doanh nghiệp tỉnh",
        "quý I, II/2024",
        "Hội nghị quán triệt Luật",
    ),
    (
        3,
        "Sửa đổi, bổ sung Bộ tiêu chí và thang điểm chính quyền thân thiện",
        "province",
        "Ban cán sự đảng UBND tỉnh; Ban Dân vận Tỉnh ủy",
        "năm 2024",
        "Bộ tiêu chí sửa đổi",
    ),
    (
        4,
        "Sửa đổi hoặc thay thế Quyết định số 01/2017/QĐ-UBND về dân chủ trong thu hồi đất, bồi thường, tái định cư",
        "province",
        "Ban cán sự đảng UBND tỉnh",
        "chậm nhất quý IV/2024",
        "Quyết định thay thế",
    ),
    (
        5,
        "Đẩy mạnh tuyên truyền trên các cơ quan thông tin đại chúng; biểu dương, phê phán",
        "",
        "Báo Bắc Giang; Đài Phát thanh và Truyền hình tỉnh",
        "năm 2024",
        "Chuyên trang, chuyên mục",
    ),
    (
        6,
        "Nâng cao chất lượng hoạt động của ban chỉ đạo các cấp; kiểm tra, giám sát, tập huấn",
        "districts",
        "",
        "năm 2024",
        "Kế hoạch kiểm tra, tập huấn",
    ),
    (
        7,
        "Khắc phục hình thức trong xây dựng chính quyền thân thiện; 60% đơn vị cấp xã đạt chuẩn",
        "districts",
        "",
        "năm 2024",
        "60% xã, phường, thị trấn đạt chuẩn",
    ),
    (
        8,
        "Thành viên BCĐ, Tổ giúp việc hướng dẫn, đôn đốc địa bàn được phân công",
        "province",
        "Thành viên BCĐ tỉnh, Tổ giúp việc",
        "6 tháng đầu năm 2024",
        "Báo cáo của thành viên",
    ),
    (
        9,
        "Đưa kết quả thực hiện QCDC, chính quyền thân thiện vào tiêu chí xếp loại trách nhiệm chủ tịch UBND",
        "province",
        "Ban cán sự đảng UBND tỉnh; UBND các huyện, thành phố",
        "quý I/2024",
        "Tiêu chí xếp loại chủ tịch UBND",
    ),
]


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    work_demo.load(stdout=stdout, options=options)
    _members_and_practices(stdout=stdout)
    _load_notice(stdout=stdout)
    load_ratings(stdout=stdout)


def load_ratings(*, stdout: Any) -> None:
    """The demo province's published rating method (the platform's default draft, published) and
    its chairmen's ratings for the latest period, the current year. Idempotent."""
    try:
        province = demo_province()
    except Unit.DoesNotExist:
        return  # the foundation's demo has not loaded the 2025 structure
    method = rating.published_method(province)
    if method is None:
        draft = rating_services.create_method(
            by=SYSTEM,
            province=province,
            title="Phương pháp xếp loại trách nhiệm chủ tịch UBND cấp xã về thực hiện QCDC, xây dựng chính quyền thân thiện",
            basis="Nhiệm vụ 9, Thông báo kết luận của Trưởng Ban Chỉ đạo tỉnh",
        )
        method = rating_services.publish_method(by=SYSTEM, method=draft)
    start, end = rating.period_of_year(timezone.localdate().year)
    if rating.ratings_for(province, start, end, method).exists():
        return
    done = rating_services.compute_ratings(by=SYSTEM, province=province, start=start, end=end)
    scored = sum(1 for r in done if r.score is not None)
    stdout.write(f"Xếp loại chủ tịch UBND: {len(done)} đơn vị ({scored} có điểm), {method}.")


def _load_notice(*, stdout: Any) -> None:
    bac_giang = Unit.objects.filter(kind=UnitKind.PROVINCE, code="24", edition="2024").first()
    if bac_giang is None or Directive.objects.filter(unit=bac_giang, number=NOTICE_NUMBER).exists():
        return
    districts = list(Unit.objects.filter(parent=bac_giang, kind=UnitKind.DISTRICT).order_by("code"))
    head = CommitteeMember.objects.filter(position=CommitteeMember.Position.STANDING_DEPUTY).order_by("pk").first()
    directive = services.create_directive(
        by=SYSTEM,
        unit=bac_giang,
        kind=Directive.Kind.CONCLUSION,
        number=NOTICE_NUMBER,
        issued_on=ISSUED_ON,
        issuer="Trưởng Ban Chỉ đạo thực hiện QCDC tỉnh",
        title="Kết luận về triển khai nhiệm vụ thực hiện quy chế dân chủ ở cơ sở và xây dựng chính quyền thân thiện năm 2024",
    )
    tasks = {}
    for number, title, owners, agencies, deadline, output in TASKS:
        units = {"province": [bac_giang], "districts": districts}.get(owners, [])
        tasks[number] = services.add_task(
            by=SYSTEM,
            directive=directive,
            number=number,
            title=title,
            owners=units,
            owner_agencies=agencies,
            follower=head,
            deadline_text=deadline,
            expected_output=output,
        )
    office = User.objects.filter(username="tinh.thuongtruc").first()
    leader = User.objects.filter(username="tinh.lanhdao").first()
    lucnam = User.objects.filter(username="lucnam.bcd").first()
    if office is None or leader is None or lucnam is None:
        stdout.write(f"Chỉ đạo: {directive} với {len(tasks)} nhiệm vụ (chưa có tiến độ: thiếu tài khoản mẫu).")
        return
    services.report_progress(
        by=office, task=tasks[9], text="UBND tỉnh ban hành tiêu chí xếp loại chủ tịch UBND cấp huyện.", percent=100, complete=True
    )
    services.accept_task(by=leader, task=tasks[9], text="Đạt yêu cầu.")
    services.report_progress(by=office, task=tasks[3], text="Dự thảo Bộ tiêu chí sửa đổi đã lấy ý kiến các sở, ngành.", percent=70)
    services.report_progress(by=office, task=tasks[4], text="Sở Tài nguyên và Môi trường đang soạn thảo quyết định thay thế.", percent=40)
    services.report_progress(by=office, task=tasks[8], text="Thành viên BCĐ tỉnh đã làm việc với 6/10 huyện.", percent=100, complete=True)
    services.return_task(by=leader, task=tasks[8], reason="Còn 4 huyện chưa được làm việc; bổ sung báo cáo của các thành viên.")
    services.report_progress(by=lucnam, task=tasks[7], text="Lục Nam: 12/25 xã, thị trấn đạt chuẩn chính quyền thân thiện.", percent=48)
    services.report_progress(
        by=lucnam, task=tasks[6], text="Lục Nam đã kiện toàn Ban Chỉ đạo và tổ chức 2 lớp tập huấn.", percent=100, complete=True
    )
    stdout.write(f"Chỉ đạo: {directive} với {len(tasks)} nhiệm vụ, có tiến độ và nhiệm vụ quá hạn.")


# --- Members guide their localities (task 8); good practices and criticism (task 5) ---------------
MEMBER_USERNAME = "bcd.thanhvien"
VISITS = [
    (GuidanceKind.VISIT, "Về địa bàn kiểm tra việc niêm yết công khai và hòm thư góp ý; hướng dẫn xã lập sổ theo dõi."),
    (GuidanceKind.WORKING_SESSION, "Làm việc với Đảng ủy, UBND xã về kế hoạch đạt chuẩn chính quyền thân thiện."),
    (GuidanceKind.URGING, "Đôn đốc xã trả lời các phản ánh quá hạn và gửi báo cáo định kỳ đúng hạn."),
]
PRACTICES = [
    (
        "Ngày thứ Bảy lắng nghe dân",
        "Sáng thứ Bảy cuối tháng, Chủ tịch UBND xã trực tiếp tiếp công dân tại nhà văn hóa thôn; "
        "ý kiến được ghi sổ, trả lời tại buổi sau và niêm yết kết quả.",
        True,
    ),
    (
        "Bảng công khai điện tử tại bộ phận một cửa",
        "Xã lắp màn hình công khai thủ tục, phí, lệ phí và tiến độ giải quyết hồ sơ; người dân quét mã QR để đánh giá mức độ hài lòng.",
        True,
    ),
    (
        "Tổ hòa giải kết hợp Ban Thanh tra nhân dân",
        "Mỗi thôn có tổ hòa giải và thành viên Ban Thanh tra nhân dân cùng dự họp thôn, ghi nhận kiến nghị và theo dõi kết quả giải quyết.",
        True,
    ),
    (
        "Họp thôn trực tuyến cho người lao động xa quê",
        "Thôn tổ chức họp trực tuyến để người lao động đi làm xa cùng bàn và biểu quyết.",
        False,
    ),
]
CRITICISMS = [
    ("Chưa tổ chức hội nghị quán triệt Luật Thực hiện dân chủ ở cơ sở; chưa niêm yết công khai dự toán ngân sách đúng hạn.", True),
    ("Nhiều phản ánh của người dân quá hạn trả lời; Ban Chỉ đạo xã không họp theo quy chế trong hai quý liên tiếp.", False),
]


def _demo_photo(seed: int) -> io.BytesIO:
    """A small picture carrying a GPS position, as a phone writes it (stripped when stored)."""
    image = Image.new("RGB", (640, 400), (40 + 50 * seed % 200, 110, 160 - 30 * seed % 120))
    draw = ImageDraw.Draw(image)
    for i in range(0, 640, 40):
        draw.rectangle((i, 300 - (i * (seed + 1)) % 160, i + 30, 400), fill=(240, 200 - 20 * seed, 80))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (21.0, 16.0, 30.0), 3: "E", 4: (106.0, 12.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    out.seek(0)
    return out


def _members_and_practices(*, stdout: Any) -> None:
    """Members of the new province's committee with guidance visits in their localities (one member
    with an account, `bcd.thanhvien`); good practices, three published; two criticised communes."""
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="24", edition="2025").first()
    office = User.objects.filter(username="tinh.thuongtruc").first()
    leader = User.objects.filter(username="tinh.lanhdao").first()
    if province is None or office is None or leader is None or GuidanceEntry.objects.filter(unit__path__startswith=province.path).exists():
        return
    members = list(CommitteeMember.objects.filter(committee__unit=province, followed_units__isnull=False).distinct().order_by("pk")[:4])
    if not members:
        return
    if members[0].user is None:
        user = User.objects.filter(username=MEMBER_USERNAME).first() or account_services.create_user(
            by=SYSTEM,
            unit=province,
            role=Role.PROVINCE_LEADER,
            username=MEMBER_USERNAME,
            password=DEMO_PASSWORD,
            data={"last_name": members[0].full_name.rsplit(" ", 1)[0], "first_name": members[0].full_name.rsplit(" ", 1)[-1]},
        )
        members[0] = unit_services.update_member(member=members[0], by=office, data={"user": user})
    today = timezone.localdate()
    for i, member in enumerate(members):
        for j, unit in enumerate(list(member.followed_units.order_by("code"))[:3]):
            kind, content = VISITS[(i + j) % len(VISITS)]
            day = max(today - dt.timedelta(days=23 * (j + 1) + 9 * i), unit.valid_from or today)
            member_services.record_guidance(by=office, member=member, unit=unit, kind=kind, happened_on=day, content=content)
    communes = [u for m in members for u in m.followed_units.order_by("code")[:2]]
    for n, (title, body, publish) in enumerate(PRACTICES):
        unit = communes[n % len(communes)]
        practice = practice_services.propose_practice(
            by=SYSTEM,
            unit=unit,
            title=title,
            body=body,
            period_start=max(today - dt.timedelta(days=200 + 30 * n), unit.valid_from or today),
            photos=[(_demo_photo(n), f"mo-hinh-{n + 1}.jpg")],
        )
        if publish:
            practice_services.publish_practice(by=leader, practice=practice)
    for n, (reason, followed_up) in enumerate(CRITICISMS):
        unit = communes[-1 - n]
        criticism = practice_services.record_criticism(
            by=office,
            unit=unit,
            criticised_on=max(today - dt.timedelta(days=90 - 30 * n), unit.valid_from or today),
            reason=reason,
            document_ref=f"{120 + n}-TB/BCĐ",
        )
        if followed_up:
            practice_services.record_follow_up(
                by=office, criticism=criticism, follow_up="Xã đã tổ chức hội nghị quán triệt và niêm yết bổ sung dự toán.", on=today
            )
    stdout.write(
        f"Thành viên BCĐ: {len(members)} thành viên có nhật ký hướng dẫn (tài khoản {MEMBER_USERNAME}); "
        f"{len(PRACTICES)} mô hình hay, {len(CRITICISMS)} đơn vị bị phê bình."
    )


def finish(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    """Once every capability's demo data is in: the day's overviews, as the morning job leaves
    them, so the demo's leaders open the page without waiting for the figures."""
    count = overview.refresh_overviews()
    stdout.write(f"Tổng quan chỉ đạo: đã tính số liệu trong ngày cho {count} đơn vị.")
