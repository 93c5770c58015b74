"""Demo data: the seed notice (the Head of the provincial Steering Committee's conclusions on 2024's
tasks) with its nine tasks on the 2024 units of Bắc Giang, and realistic progress: some accepted,
one returned, one awaiting acceptance, several overdue. Idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from accounts.actors import SYSTEM
from accounts.models import User
from steering import overview, services
from steering.models import Directive
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


def finish(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    """Once every capability's demo data is in: the day's overviews, as the morning job leaves
    them, so the demo's leaders open the page without waiting for the figures."""
    count = overview.refresh_overviews()
    stdout.write(f"Tổng quan chỉ đạo: đã tính số liệu trong ngày cho {count} đơn vị.")
