"""Demo data: two years of citizens' reports about the demo province (the new Bắc Ninh,
units.demo.demo_province()): those received before 1 July 2025 about the 2024 communes of Bắc
Giang, routed by the three tiers then (escalated to the district), the later ones about the 2025
communes, routed to the province. Answered, on time or late, some overdue, some escalated, some
waiting for the reporter; a case still open is held by a unit in force today (never an abolished
one). A counter per commune in force with a few thousand ratings, and the default deadline rows.
Bulk inserts; idempotent."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.workdays import province_calendar
from feedback import crypto, moderation, services
from feedback.models import (
    CONDUCT_CATEGORIES,
    OPEN,
    Action,
    Case,
    CaseEvent,
    Category,
    Channel,
    Counter,
    CounterRating,
    Finding,
    Kind,
    RatingReason,
    RegisterClass,
    RegisterSequence,
    Score,
    Status,
    new_tracking_code,
)
from feedback.routing import in_force_counterpart
from units.demo import demo_province
from units.models import Unit, UnitKind
from units.structure import two_tier_from

CASES = 3000
DEMO_MARK = "demo-feedback"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")

TEXTS: dict[str, list[str]] = {
    Category.DEMOCRACY_NOT_DISCLOSED: [
        "Xã chưa niêm yết công khai dự toán ngân sách năm nay tại trụ sở và nhà văn hoá thôn.",
        "Kết quả đấu giá quyền sử dụng đất ở thôn không được công khai cho người dân biết.",
        "Danh sách hộ nghèo, cận nghèo không được niêm yết theo quy định.",
    ],
    Category.DEMOCRACY_NOT_CONSULTED: [
        "Dự án mở rộng đường liên thôn không tổ chức lấy ý kiến Nhân dân trước khi triển khai.",
        "Quy hoạch khu dân cư mới không tổ chức hội nghị thôn để bàn.",
    ],
    Category.DEMOCRACY_WITHOUT_PEOPLE: [
        "Mức đóng góp xây nhà văn hoá do thôn tự quyết, không họp dân biểu quyết.",
        "Hương ước thôn được sửa đổi mà không có hội nghị cử tri.",
    ],
    Category.CONDUCT_HARASSMENT: [
        "Cán bộ tiếp nhận hồ sơ một cửa có thái độ hách dịch, bắt đi lại nhiều lần.",
        "Cán bộ địa chính gây khó dễ khi làm thủ tục tách thửa.",
    ],
    Category.CONDUCT_EXTRA_DEMANDS: [
        "Làm giấy khai sinh bị yêu cầu nộp thêm bản sao sổ hộ khẩu dù không cần.",
        "Cán bộ gợi ý nộp thêm tiền để hồ sơ được giải quyết nhanh.",
    ],
    Category.CONDUCT_DELAY: [
        "Hồ sơ chứng thực quá hẹn 5 ngày mà chưa có kết quả, không có văn bản xin lỗi.",
        "Hồ sơ đăng ký biến động đất đai bị hẹn lại ba lần.",
    ],
    Category.FACILITIES: [
        "Khu vực chờ của bộ phận một cửa thiếu ghế, không có nước uống.",
        "Đèn đường trục chính thôn hỏng đã lâu chưa được thay.",
        "Mái nhà văn hoá thôn bị dột, ảnh hưởng sinh hoạt cộng đồng.",
    ],
    Category.OTHER: [
        "Đề nghị xã bố trí thêm giờ tiếp dân vào sáng thứ Bảy.",
        "Rác thải sinh hoạt ở cuối thôn chưa được thu gom đúng lịch.",
    ],
}
# What a moderator writes for the public page: a neutral summary of the issue, never the
# reporter's own words (feedback.moderation checks both texts as it does for staff).
SUMMARIES = {
    Category.DEMOCRACY_NOT_DISCLOSED: "Phản ánh việc xã chưa niêm yết công khai thông tin theo quy định.",
    Category.DEMOCRACY_NOT_CONSULTED: "Phản ánh việc chưa tổ chức lấy ý kiến Nhân dân trước khi triển khai.",
    Category.DEMOCRACY_WITHOUT_PEOPLE: "Phản ánh việc quyết định nội dung của thôn mà không có Nhân dân tham gia.",
    Category.FACILITIES: "Kiến nghị sửa chữa, bổ sung cơ sở vật chất công cộng.",
    Category.OTHER: "Kiến nghị về việc phục vụ người dân của xã.",
}
PUBLIC_ANSWERS = [
    "Xã đã kiểm tra và khắc phục theo quy định.",
    "Xã đã tổ chức lấy ý kiến Nhân dân về nội dung được kiến nghị.",
    "Xã đã sửa chữa xong và mời người dân tiếp tục giám sát.",
]
NAMES = ["Nguyễn Văn Bình", "Trần Thị Mai", "Lê Văn Sơn", "Phạm Thị Lan", "Hoàng Văn Tùng"]
ANSWERS = [
    "UBND xã đã kiểm tra, khắc phục và niêm yết bổ sung theo quy định.",
    "Đã chấn chỉnh cán bộ liên quan, hồ sơ đã được giải quyết.",
    "Đã tổ chức hội nghị thôn để lấy ý kiến Nhân dân về nội dung phản ánh.",
    "Đã sửa chữa xong, đề nghị người dân tiếp tục giám sát.",
]
CHANNEL_WEIGHTS = [
    (Channel.WEB, 50),
    (Channel.COUNTER_QR, 10),
    (Channel.API, 8),
    (Channel.PAPER, 12),
    (Channel.PHONE, 10),
    (Channel.EMAIL, 4),
    (Channel.MEETING, 6),
]


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(7, 17), rng.randint(0, 59), tzinfo=HCM)


def load(*, stdout: Any, options: Mapping[str, Any] | None = None) -> None:
    started = time.monotonic()
    services.ensure_default_deadlines()
    if Case.objects.filter(idempotency_digest=crypto.digest(f"{DEMO_MARK}-0", purpose="idempotency")).exists():
        stdout.write("Phản ánh mẫu: đã có, bỏ qua.")
        return
    try:
        province = demo_province()
    except Unit.DoesNotExist:
        stdout.write("Phản ánh mẫu: chưa có đơn vị hành chính, bỏ qua.")
        return
    communes = list(Unit.objects.in_force().filter(kind=UnitKind.COMMUNE, path__startswith=province.path).select_related("parent"))
    # The 2024 communes of Bắc Giang that the demo province's communes succeeded (their history).
    former = list(
        Unit.objects.filter(kind=UnitKind.COMMUNE, edition="2024", successor__in=communes, parent__parent__code="24").select_related(
            "parent"
        )
    )
    if not communes:
        stdout.write("Phản ánh mẫu: chưa có đơn vị hành chính, bỏ qua.")
        return
    rng = random.Random(20240624)
    with transaction.atomic():
        counters = _counters(communes, rng)
        _cases(province, communes, former, rng)
        _ratings(counters, rng)
    took = time.monotonic() - started
    stdout.write(f"Phản ánh mẫu: {Case.objects.count()} phản ánh, {CounterRating.objects.count()} lượt đánh giá quầy ({took:.1f} s).")


def _counters(communes: list[Unit], rng: random.Random) -> list[Counter]:
    existing = {c.unit_id for c in Counter.objects.all()}
    new = [
        Counter(
            unit=u,
            name="Quầy tiếp nhận và trả kết quả số 1",
            officer_name=rng.choice(["", "Nguyễn Thị Hạnh", "Trần Văn Long", "Lê Thu Hà"]),
        )
        for u in communes
        if u.pk not in existing
    ]
    Counter.objects.bulk_create(new)
    return list(Counter.objects.filter(unit__in=communes))


class _Structure:
    """The demo's units on a date: which communes a report may be about, the level above each, and
    which unit holds a unit's work today (cached: a few hundred units for 3,000 cases)."""

    def __init__(self, province: Unit, communes: list[Unit], former: list[Unit]) -> None:
        self.province, self.communes, self.former = province, communes, former
        self.merger = two_tier_from()
        self._today: dict[int, Unit] = {}

    def communes_on(self, day: dt.date) -> list[Unit]:
        return self.former if day < self.merger and self.former else self.communes

    def above(self, unit: Unit, day: dt.date) -> Unit:
        """The level above a commune on `day`: its district before the merger, the province after."""
        if day < self.merger and unit.edition == "2024" and unit.parent is not None:
            return unit.parent
        return self.province

    def today(self, unit: Unit) -> Unit:
        """The unit in force today that holds `unit`'s work (itself, its successor, the province)."""
        if unit.pk not in self._today:
            self._today[unit.pk] = in_force_counterpart(unit) or self.province
        return self._today[unit.pk]


def _cases(province: Unit, communes: list[Unit], former: list[Unit], rng: random.Random) -> None:
    calendar = province_calendar(province)
    structure = _Structure(province, communes, former)
    today = timezone.localdate()
    # The province's deadlines, read once (its own rows, else the national defaults).
    days_for = {key: days for key, days, _source, _own in services.deadlines_for(province)}
    categories = list(Category.values)
    channels, weights = zip(*CHANNEL_WEIGHTS, strict=True)
    seq: dict[tuple[int, int], int] = {(s.unit_id, s.year): s.last_number for s in RegisterSequence.objects.all()}
    cases: list[Case] = []
    plans: list[dict[str, Any]] = []
    # The conclusions on answered conduct reports draw from their own stream, so the rest of the demo
    # stays as it was: about a third substantiated wholly or partly.
    findings = random.Random(20061)
    for i in range(CASES):
        category = rng.choice(categories)
        kind = rng.choices([Kind.FEEDBACK, Kind.COMPLAINT, Kind.DENUNCIATION], [92, 6, 2])[0]
        about = category in CONDUCT_CATEGORIES or kind != Kind.FEEDBACK
        received = today - dt.timedelta(days=int(rng.triangular(0, 730, 20)))
        # The report is about a commune in force on the day received (units.structure).
        commune = rng.choice(structure.communes_on(received))
        received_at = _at(received, rng)
        handling = structure.above(commune, received) if about else commune
        working_days = days_for[services.deadline_key(kind, category)]
        deadline = calendar.deadline(received, working_days)
        key = (handling.pk, received.year)
        seq[key] = seq.get(key, 0) + 1
        code = new_tracking_code()
        age = (today - received).days
        roll = rng.random()
        plan: dict[str, Any] = {"received_at": received_at, "deadline": deadline}
        status, answered_at, on_time, escalation, reopen = Status.RECEIVED, None, None, 0, 0
        if (age > deadline.working_days * 2 + 10 and roll < 0.85) or (age > 20 and roll < 0.6):
            late = rng.random() < 0.2
            answer_day = calendar.add_working_days(
                received, working_days + (rng.randint(1, 6) if late else -rng.randint(0, working_days - 1))
            )
            answer_day = min(answer_day, today)
            answered_at = _at(answer_day, rng)
            on_time = answer_day <= deadline.due
            status = Status.CLOSED if rng.random() < 0.7 else Status.ANSWERED
            reopen = 1 if rng.random() < 0.05 else 0
        elif roll < 0.93:
            status = rng.choice([Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.IN_PROGRESS])
        elif roll < 0.97:
            status = Status.AWAITING_INFO
        else:
            status = Status.DECLINED
        due = deadline
        if (
            status in (Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)
            and deadline.due < today - dt.timedelta(days=3)
            and handling.kind == UnitKind.COMMUNE
            and rng.random() < 0.5
        ):
            # Escalated to the level above in force on the day it fell overdue.
            escalation = 1
            esc_day = calendar.add_working_days(deadline.due, 1)
            plan["from_unit"] = handling
            handling = structure.above(commune, esc_day)
            plan["escalated_on"] = esc_day
            due = calendar.deadline(esc_day, working_days)
        if status in OPEN and structure.today(handling).pk != handling.pk:
            # Still open on 1 July 2025: the work passed to the unit in force (the new commune, or
            # the province for an abolished district).
            plan["merged"] = (handling, structure.today(handling))
            handling = structure.today(handling)
        plan["status"] = status
        cases.append(
            Case(
                kind=kind,
                category=category,
                register_class=""
                if status == Status.RECEIVED
                else (
                    RegisterClass.REJECTED
                    if status == Status.DECLINED
                    else (RegisterClass.BEHAVIOUR if about else RegisterClass.RULES_IN_COMPETENCE)
                ),
                channel=Channel.COUNTER_QR if category in CONDUCT_CATEGORIES and rng.random() < 0.3 else rng.choices(channels, weights)[0],
                about_officials=about,
                concerned_unit=commune,
                handling_unit=handling,
                register_unit=plan.get("from_unit", plan["merged"][0] if "merged" in plan else handling),
                register_year=received.year,
                register_number=seq[key],
                description=rng.choice(TEXTS[category]),
                status=status,
                received_at=received_at,
                period_start=plan.get("escalated_on", received),
                working_days=working_days,
                paused_since=today - dt.timedelta(days=rng.randint(1, 5)) if status == Status.AWAITING_INFO else None,
                due_on=due.due,
                due_explanation=due.explanation()[:500],
                answered_at=answered_at,
                closed_at=answered_at if status == Status.CLOSED else None,
                answer=rng.choice(ANSWERS) if answered_at else "",
                finding=(
                    findings.choices(list(Finding.values), weights=[20, 15, 65])[0]
                    if answered_at and category in CONDUCT_CATEGORIES
                    else ""
                ),
                decline_reason="Nội dung không thuộc phạm vi tiếp nhận phản ánh" if status == Status.DECLINED else "",
                escalation_level=escalation,
                reopen_count=reopen,
                answered_on_time=on_time,
                allow_publication=rng.random() < 0.8,
                contact_encrypted=crypto.encrypt({"name": rng.choice(NAMES), "phone": f"09{rng.randint(10000000, 99999999)}"})
                if rng.random() < 0.3
                else "",
                code_digest=crypto.digest(code, purpose="tracking"),
                code_encrypted=crypto.encrypt(code),
                idempotency_digest=crypto.digest(f"{DEMO_MARK}-{i}", purpose="idempotency"),
            )
        )
        plans.append(plan)
    for case in cases:
        if case.answered_at and rng.random() < 0.4:
            _publish(case, rng)
    Case.objects.bulk_create(cases, batch_size=500)
    for (unit_id, year), last in seq.items():
        RegisterSequence.objects.update_or_create(unit_id=unit_id, year=year, defaults={"last_number": last})
    _events(cases, plans)


def _publish(case: Case, rng: random.Random) -> None:
    """Publish as a moderator would, under the same rules (moderation.check_publishable): moderated
    texts only, no complaint or denunciation, nothing about officials (never confirmed in the demo)."""
    summary, answer = SUMMARIES.get(Category(case.category), ""), rng.choice(PUBLIC_ANSWERS)
    try:
        moderation.check_publishable(case, summary=summary, answer=answer)
    except ValidationError:
        return
    case.public_summary, case.public_answer, case.published_at = summary, answer, case.answered_at


def _events(cases: list[Case], plans: list[dict[str, Any]]) -> None:
    events: list[CaseEvent] = []
    for case, plan in zip(cases, plans, strict=True):
        at = plan["received_at"]
        events.append(
            CaseEvent(
                case=case,
                at=at,
                action=Action.SUBMIT,
                to_status=Status.RECEIVED,
                to_unit=case.register_unit,
                note=case.get_channel_display(),
                public=True,
                note_for_reporter=True,
            )
        )
        step = dt.timedelta(hours=20)
        if case.status == Status.DECLINED:
            events.append(
                CaseEvent(
                    case=case,
                    at=at + step,
                    action=Action.DECLINE,
                    from_status=Status.RECEIVED,
                    to_status=Status.DECLINED,
                    note=case.decline_reason,
                    public=True,
                    note_for_reporter=True,
                )
            )
            continue
        if case.status != Status.RECEIVED:
            events.append(
                CaseEvent(
                    case=case, at=at + step, action=Action.ACCEPT, from_status=Status.RECEIVED, to_status=Status.ACCEPTED, public=True
                )
            )
        if "escalated_on" in plan:
            day = plan["escalated_on"]
            events.append(
                CaseEvent(
                    case=case,
                    at=dt.datetime(day.year, day.month, day.day, 6, 0, tzinfo=HCM),
                    action=Action.ESCALATE,
                    from_status=Status.ACCEPTED,
                    to_status=Status.ACCEPTED,
                    from_unit=plan["from_unit"],
                    to_unit=plan["merged"][0] if "merged" in plan else case.handling_unit,
                    note="Quá hạn trả lời",
                    public=True,
                    note_for_reporter=True,
                )
            )
        if "merged" in plan:
            moment = dt.datetime.combine(two_tier_from(), dt.time(8, 0), tzinfo=HCM)
            events.append(
                CaseEvent(
                    case=case,
                    at=max(moment, at + step),
                    action=Action.TRANSFER,
                    from_status=case.status,
                    to_status=case.status,
                    from_unit=plan["merged"][0],
                    to_unit=plan["merged"][1],
                    note="Sắp xếp đơn vị hành chính từ 01/07/2025: chuyển cho đơn vị kế thừa",
                    public=True,
                    note_for_reporter=True,
                )
            )
        if case.status == Status.AWAITING_INFO:
            events.append(
                CaseEvent(
                    case=case,
                    at=at + 2 * step,
                    action=Action.REQUEST_INFO,
                    from_status=Status.ACCEPTED,
                    to_status=Status.AWAITING_INFO,
                    note="Đề nghị cung cấp thêm thời gian, địa điểm cụ thể.",
                    public=True,
                    note_for_reporter=True,
                )
            )
        if case.answered_at:
            events.append(
                CaseEvent(
                    case=case,
                    at=case.answered_at,
                    action=Action.ANSWER,
                    from_status=Status.IN_PROGRESS,
                    to_status=Status.ANSWERED,
                    note=case.answer,
                    public=True,
                    note_for_reporter=True,
                )
            )
        if case.status == Status.CLOSED and case.closed_at:
            events.append(
                CaseEvent(
                    case=case,
                    at=case.closed_at + dt.timedelta(hours=1),
                    action=Action.CONFIRM,
                    from_status=Status.ANSWERED,
                    to_status=Status.CLOSED,
                    by_reporter=True,
                    public=True,
                )
            )
    CaseEvent.objects.bulk_create(events, batch_size=1000)


def _ratings(counters: list[Counter], rng: random.Random) -> None:
    today = timezone.localdate()
    ratings = []
    for counter in counters:
        good = rng.uniform(0.6, 0.95)
        for _ in range(rng.randint(5, 30)):
            r = rng.random()
            score = Score.SATISFIED if r < good else (Score.ACCEPTABLE if r < good + (1 - good) / 2 else Score.NOT_SATISFIED)
            reasons = (
                rng.sample([RatingReason.WAITING, RatingReason.ATTITUDE, RatingReason.GUIDANCE], k=1)
                if score != Score.SATISFIED and rng.random() < 0.6
                else []
            )
            ratings.append(
                CounterRating(counter=counter, at=_at(today - dt.timedelta(days=rng.randint(0, 330)), rng), score=score, reasons=reasons)
            )
    CounterRating.objects.bulk_create(ratings, batch_size=1000)
