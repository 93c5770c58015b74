"""Demo data for the new Bắc Ninh (2025 list): a People's Inspection Board in every commune with sample
villages and in the demo officials' communes (one of them short of members, so its page shows the
rule it breaks), an investment supervision board with its plan, a year of recommendations to the
communes (most answered on time, some late, some still overdue), feedback taken up and quarterly
reports to the Fatherland Front; and two periods of the commune's periodic results report."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.actors import SYSTEM
from accounts.models import RoleAssignment
from supervision import services
from supervision.models import Board, BoardKind, Meeting, MeetingKind, Position, Recommendation, UnitReport
from units.demo import demo_province
from units.models import Unit, UnitKind

TERM_START = dt.date(2025, 10, 1)
TERM_END = dt.date(2030, 9, 30)
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Dương", "Giáp", "Thân"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hằng", "Hùng", "Lan", "Long", "Mai", "Nam", "Oanh", "Sơn", "Thắng", "Yến"]
SUBJECTS = [
    (
        "Công khai thu, chi quỹ xây dựng nhà văn hóa thôn",
        "Đề nghị UBND xã chỉ đạo thôn niêm yết bảng thu, chi quỹ xây dựng nhà văn hóa theo từng hộ.",
    ),
    (
        "Tiến độ giải quyết hồ sơ đất đai quá hạn",
        "Qua giám sát, 4 hồ sơ cấp giấy chứng nhận quyền sử dụng đất đã quá hạn; đề nghị xã trả lời lý do và thời hạn giải quyết.",
    ),
    (
        "Thu các khoản đóng góp tự nguyện tại trường tiểu học",
        "Phụ huynh phản ánh việc thu các khoản ngoài quy định; đề nghị xã kiểm tra, chấn chỉnh.",
    ),
    (
        "Chất lượng mặt đường trục thôn mới làm",
        "Đường bê tông trục thôn sau 3 tháng đã nứt nhiều đoạn; đề nghị xã yêu cầu nhà thầu bảo hành.",
    ),
    ("Niêm yết thủ tục hành chính tại bộ phận một cửa", "Một số thủ tục niêm yết đã hết hiệu lực; đề nghị cập nhật danh mục thủ tục mới."),
    (
        "Xử lý rác thải tại điểm tập kết",
        "Điểm tập kết rác cạnh kênh tưới chưa được thu gom đúng lịch; đề nghị xã làm việc với đơn vị thu gom.",
    ),
    (
        "Bình xét hộ nghèo năm 2026",
        "Có ý kiến về việc bình xét hộ nghèo chưa công khai; đề nghị xã công khai danh sách và biên bản bình xét.",
    ),
]
ANSWERS = [
    "UBND xã đã chỉ đạo thôn niêm yết công khai tại nhà văn hóa và trên loa truyền thanh.",
    "UBND xã đã làm việc với đơn vị liên quan, hoàn thành trong tháng; kết quả đã thông báo cho Ban.",
    "UBND xã tiếp thu, đã kiểm tra và chấn chỉnh; sẽ báo cáo kết quả tại kỳ họp tới.",
]

QUARTER_TEXT = "Ban đã giám sát việc thực hiện dân chủ ở cơ sở, tiếp nhận phản ánh của người dân và gửi kiến nghị đến UBND xã."


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _communes(province: Unit) -> list[Unit]:
    with_villages = Unit.objects.filter(
        kind=UnitKind.COMMUNE, parent=province, valid_to__isnull=True, children__kind=UnitKind.VILLAGE
    ).distinct()
    staffed = Unit.objects.filter(kind=UnitKind.COMMUNE, parent=province, pk__in=RoleAssignment.objects.values("unit_id"))
    return sorted({*with_villages, *staffed}, key=lambda u: u.code)


def _board(commune: Unit, rng: random.Random, *, short: bool) -> Board:
    board = services.create_board(
        by=SYSTEM,
        unit=commune,
        kind=BoardKind.INSPECTION,
        name=f"Ban Thanh tra nhân dân {commune.name}",
        term_start=TERM_START,
        term_end=TERM_END,
    )
    villages = list(Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE, valid_to__isnull=True).order_by("code"))
    size = 3 if short else max(5, len(villages))
    for i in range(size):
        position = Position.HEAD if i == 0 else Position.DEPUTY if i in (1, 2) else Position.MEMBER
        village = villages[i] if i < len(villages) and not short else None
        services.add_member(by=SYSTEM, board=board, full_name=_name(rng), position=position, village=village, term_start=TERM_START)
    return board


def _recommendations(board: Board, rng: random.Random, today: dt.date) -> None:
    day = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(20))
    while day < today:
        subject, content = rng.choice(SUBJECTS)
        r = services.record_recommendation(by=SYSTEM, board=board, subject=subject, content=content, sent_on=day)
        fate = rng.random()
        if day > today - dt.timedelta(days=10):
            pass  # still within its clock
        elif fate < 0.65:
            _answer(r, r.sent_on + dt.timedelta(days=rng.randrange(3, 15)), today, rng)
        elif fate < 0.85:
            _answer(r, r.due_on + dt.timedelta(days=rng.randrange(2, 25)), today, rng)
        # else: never answered, now overdue
        day += dt.timedelta(days=rng.randrange(35, 80))


def _answer(r: Recommendation, on: dt.date, today: dt.date, rng: random.Random) -> None:
    if on <= today:
        services.answer_recommendation(by=SYSTEM, recommendation=r, answer=rng.choice(ANSWERS), answered_on=on)


ISSUES = [
    ("Đề nghị sửa chữa đèn chiếu sáng đường liên thôn.", "Xã bố trí kinh phí sửa trong quý.", "Công chức địa chính – xây dựng"),
    ("Đề nghị công khai kết quả bình xét hộ nghèo.", "Niêm yết tại nhà văn hóa thôn trong 7 ngày.", "Trưởng thôn"),
    ("Đề nghị nạo vét kênh tưới trước vụ xuân.", "Xã huy động đoàn viên, hội viên ra quân nạo vét.", "Đoàn Thanh niên xã"),
]


def _meetings(communes: list[Unit], rng: random.Random, today: dt.date) -> None:
    """A dialogue conference in every commune but the last (the gap the list shows) and the year-end
    village conferences, with issues raised, answers promised and some followed up to the end."""
    for commune in communes[:-1]:
        held = dt.date(2026, rng.choice((5, 6, 9)), rng.randrange(5, 25))
        dialogue = services.schedule_meeting(
            by=SYSTEM,
            unit=commune,
            kind=MeetingKind.DIALOGUE,
            title=f"Hội nghị đối thoại năm 2026 – {commune.name}",
            notified_on=held - dt.timedelta(days=10),
            held_on=held,
            place=f"Hội trường UBND {commune.name}",
        )
        services.record_attendance(by=SYSTEM, meeting=dialogue, attendees=rng.randrange(80, 160))
        _issues(dialogue, rng, today)
        for village in Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE, valid_to__isnull=True).order_by("code")[:3]:
            held = dt.date(2026, 11, rng.randrange(20, 29))
            conference = services.schedule_meeting(
                by=SYSTEM,
                unit=village,
                kind=MeetingKind.VILLAGE_CONFERENCE,
                title=f"Hội nghị {village.name} cuối năm 2026",
                notified_on=held - dt.timedelta(days=7),
                held_on=held,
                place=f"Nhà văn hóa {village.name}",
            )
            services.record_attendance(
                by=SYSTEM, meeting=conference, attendees=rng.randrange(60, 140), households_represented=rng.randrange(50, 120)
            )
            _issues(conference, rng, today)


def _issues(meeting: Meeting, rng: random.Random, today: dt.date) -> None:
    for raised, promised, responsible in rng.sample(ISSUES, 2):
        issue = services.add_issue(
            by=SYSTEM,
            meeting=meeting,
            raised=raised,
            promised=promised,
            responsible=responsible,
            promised_by=meeting.held_on + dt.timedelta(days=30),
        )
        done_on = meeting.held_on + dt.timedelta(days=rng.randrange(10, 40))
        if done_on <= today and rng.random() < 0.6:
            services.follow_up_issue(by=SYSTEM, issue=issue, note="Đã thực hiện, báo cáo tại cuộc họp giao ban.", done=True, on=done_on)


REPORT_TEXT = (
    "Quy chế dân chủ ở cơ sở được thực hiện nghiêm; các thôn tổ chức hội nghị đúng quy định. "
    "Khó khăn: một số thôn chưa cập nhật sổ theo dõi đóng góp của Nhân dân."
)


def periodic_reports(province: Unit, communes: list[Unit], rng: random.Random, today: dt.date, *, others: int = 30) -> int:
    """Three six-monthly periods with realistic gaps: in the first half of 2025 the communes of the
    2024 list the reporting communes were formed from reported to their districts, which accepted
    them (the province's totals then come with each district's); in the second half of 2025 most
    communes sent on time and were accepted, some late, a few never; in the first half of 2026 some
    are accepted, some returned with a comment, some under review, some still drafts and some missing."""
    form = services.seed_default_form(by=SYSTEM, province=province)
    rest = list(Unit.objects.in_force(today).filter(parent=province, kind=UnitKind.COMMUNE).exclude(pk__in=[c.pk for c in communes]))
    rng.shuffle(rest)
    reporting = [*communes, *rest[:others]]
    before_merger = list(
        Unit.objects.in_force(dt.date(2025, 6, 30)).filter(kind=UnitKind.COMMUNE, successor__in=reporting).order_by("code")
    )
    made = 0
    for start, units in ((dt.date(2025, 1, 1), before_merger), (dt.date(2025, 7, 1), reporting), (dt.date(2026, 1, 1), reporting)):
        first = start.year == 2025
        for i, unit in enumerate(units):
            fate = rng.random()
            if i > 0 and fate < (0.08 if first else 0.15):
                continue  # never reported
            report = services.start_report(by=SYSTEM, form=form, unit=unit, period_start=start)
            made += 1
            if not first and i > 0 and fate < 0.22:
                continue  # begun, still a draft
            values: dict[int, dict[str, str]] = {}
            for row in report.values.select_related("indicator"):
                if row.indicator.kind == "text":
                    values[row.indicator_id] = {"text": REPORT_TEXT}
                elif row.number is None:
                    rate = row.indicator.label.endswith("(%)")
                    values[row.indicator_id] = {"number": str(rng.randint(70, 100) if rate else rng.randint(0, 40))}
                else:
                    values[row.indicator_id] = {"number": str(row.number)}
            report = services.save_report_values(by=SYSTEM, report=report, values=values)
            late = i > 0 and rng.random() < 0.2
            sent = report.due_on + dt.timedelta(days=rng.randint(1, 12)) if late else report.due_on - dt.timedelta(days=rng.randint(0, 6))
            report = services.submit_report(by=SYSTEM, report=report, on=min(sent, today))
            review = rng.random()
            if first or review < 0.55:
                services.accept_report(by=SYSTEM, report=report)
            elif review < 0.75:
                services.return_report(
                    by=SYSTEM, report=report, comment="Đề nghị bổ sung số cuộc họp thôn và giải trình số tiền Nhân dân đóng góp."
                )
    return made


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    province = demo_province()
    today = timezone.localdate()
    if not Board.objects.filter(unit__parent=province).exists():
        _boards(province, today, stdout)
    if not UnitReport.objects.filter(unit__parent=province).exists():
        with transaction.atomic():
            made = periodic_reports(province, _communes(province), random.Random(24), today)
        stdout.write(f"Báo cáo định kỳ: {made} báo cáo của 2 kỳ.")


def _boards(province: Unit, today: dt.date, stdout: Any) -> None:
    rng = random.Random(14)
    with transaction.atomic():
        communes = _communes(province)
        for i, commune in enumerate(communes):
            board = _board(commune, rng, short=(i == len(communes) - 1))
            _recommendations(board, rng, today)
            for quarter in (1, 2, 3):
                sent = dt.date(2026, 3 * quarter, 28)
                if sent <= today:
                    services.record_quarterly_report(
                        by=SYSTEM,
                        board=board,
                        year=2026,
                        quarter=quarter,
                        sent_on=sent,
                        content=f"Quý {quarter}/2026: {QUARTER_TEXT}",
                    )
        _meetings(communes, rng, today)
        if communes:
            commune = communes[0]
            investment = services.create_board(
                by=SYSTEM,
                unit=commune,
                kind=BoardKind.INVESTMENT,
                name=f"Ban Giám sát đầu tư của cộng đồng – đường trục {commune.name}",
                project="Cải tạo, nâng cấp đường trục xã (vốn ngân sách tỉnh 2026)",
                term_start=dt.date(2026, 1, 1),
                term_end=dt.date(2026, 12, 31),
            )
            for j in range(5):
                services.add_member(
                    by=SYSTEM,
                    board=investment,
                    full_name=_name(rng),
                    position=Position.HEAD if j == 0 else Position.DEPUTY if j == 1 else Position.MEMBER,
                    term_start=dt.date(2026, 1, 1),
                )
            services.save_plan(
                by=SYSTEM,
                board=investment,
                title="Kế hoạch giám sát thi công đường trục xã",
                notified_on=dt.date(2026, 2, 10),
                starts_on=dt.date(2026, 4, 1),
                ends_on=dt.date(2026, 10, 31),
                content="Giám sát chất lượng vật liệu, tiến độ thi công, việc công khai dự toán và nghiệm thu từng hạng mục.",
            )
            r = services.record_recommendation(
                by=SYSTEM,
                board=investment,
                subject="Độ dày lớp bê tông mặt đường",
                sent_on=dt.date(2026, 6, 12),
                content="Kiểm tra hiện trường đoạn km 1+200 thấy lớp bê tông mỏng hơn thiết kế; đề nghị chủ đầu tư kiểm định lại.",
            )
            _answer(r, dt.date(2026, 6, 24), today, rng)
    boards = Board.objects.filter(unit__parent=province).count()
    recommendations = Recommendation.objects.filter(board__unit__parent=province).count()
    stdout.write(f"Giám sát: {boards} ban, {recommendations} kiến nghị.")
