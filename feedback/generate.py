"""Feedback's share of the national-scale data set (core.generation): 10 million reports over three
years (times the scale factor) about the 2025 list's communes, or, before 1 July 2025, about the
2024 communes they were formed from, with the demo's distributions (feedback.demo: categories,
kinds, channels, how many are answered, on time, late, reopened, escalated, still open, waiting,
declined; deadlines from each province's calendar and rules). Written with COPY in batches; the
register sequences and the dashboards' summary tables are brought up to date at the end. No case
history (CaseEvent) is generated: the dashboards do not read it."""

from __future__ import annotations

import bisect
import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import bulk
from core.workdays import Deadline, SkippedDay, WorkingCalendar, province_calendar
from feedback import crypto, services, summaries
from feedback.demo import ANSWERS, CHANNEL_WEIGHTS, HCM, NAMES, PUBLIC_ANSWERS, SUMMARIES, TEXTS
from feedback.models import (
    ACTIVE,
    CONDUCT_CATEGORIES,
    OPEN,
    Case,
    Category,
    Channel,
    DailyTally,
    Finding,
    Kind,
    MonthlyTally,
    RegisterClass,
    RegisterSequence,
    Status,
)
from units.models import Unit, UnitKind
from units.structure import two_tier_from

NATIONAL_CASES = 10_000_000
CHUNK = 20_000
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
COLUMNS = [
    "kind", "category", "register_class", "channel", "about_officials", "concerned_unit_id", "handling_unit_id",
    "register_year", "register_number", "register_unit_id", "description", "location_text", "status", "received_at",
    "period_start", "working_days", "paused_days", "paused_since", "due_on", "due_explanation", "answered_at", "closed_at",
    "answer", "finding", "decline_reason", "escalation_level", "reopen_count", "answered_on_time", "allow_publication",
    "public_summary", "public_answer", "published_at", "contact_encrypted", "code_digest", "code_encrypted", "public_id",
    "idempotency_payload_digest",
]  # fmt: skip


def _symbols(bits: int, count: int) -> str:
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(count))


class _Calendar:
    """A province's working days as a sorted list, so that "the n-th working day after" is an
    index lookup; deadlines (with their explanation) cached per start and length."""

    def __init__(self, calendar: WorkingCalendar, first: dt.date, last: dt.date) -> None:
        every = [
            (first + dt.timedelta(days=i), calendar.non_working_reason(first + dt.timedelta(days=i)))
            for i in range((last - first).days + 1)
        ]
        self.days = [d for d, reason in every if reason is None]
        self.ordinals = [d.toordinal() for d in self.days]
        self.off = [SkippedDay(d, reason) for d, reason in every if reason is not None]
        self.off_ordinals = [s.date.toordinal() for s in self.off]
        self._deadlines: dict[tuple[dt.date, int], Deadline] = {}

    def add(self, start: dt.date, working_days: int) -> dt.date:
        if working_days <= 0:
            return start
        index = bisect.bisect_right(self.ordinals, start.toordinal()) + working_days - 1
        return self.days[min(index, len(self.days) - 1)]

    def deadline(self, start: dt.date, working_days: int) -> Deadline:
        """As WorkingCalendar.deadline(), with the days it skipped."""
        key = (start, working_days)
        if key not in self._deadlines:
            due = self.add(start, working_days)
            low = bisect.bisect_right(self.off_ordinals, start.toordinal())
            high = bisect.bisect_right(self.off_ordinals, due.toordinal())
            self._deadlines[key] = Deadline(start=start, working_days=working_days, due=due, skipped=tuple(self.off[low:high]))
        return self._deadlines[key]


def run(*, plan: Any) -> None:
    total = plan.count(NATIONAL_CASES)
    rng = plan.rng("feedback")
    today, start, merger = plan.end, plan.start, two_tier_from()
    communes = list(Unit.objects.in_force(today).filter(kind=UnitKind.COMMUNE, edition="2025").values_list("pk", "parent_id"))
    if not communes:
        plan.say("feedback: chưa có xã theo danh mục 2025, bỏ qua.")
        return
    # The 2024 communes each 2025 commune was formed from, with their districts (the level above then).
    former: dict[int, list[tuple[int, int]]] = {}
    for pk, successor, district in Unit.objects.filter(kind=UnitKind.COMMUNE, edition="2024", successor__isnull=False).values_list(
        "pk", "successor_id", "parent_id"
    ):
        former.setdefault(successor, []).append((pk, district))
    provinces = {pk: Unit.objects.get(pk=pk) for pk in {p for _c, p in communes}}
    services.ensure_default_deadlines()
    days_for = {pk: {key: days for key, days, _s, _own in services.deadlines_for(p)} for pk, p in provinces.items()}
    calendars = {
        pk: _Calendar(province_calendar(p), start - dt.timedelta(days=7), today + dt.timedelta(days=400)) for pk, p in provinces.items()
    }
    categories = list(Category.values)
    channels, weights = zip(*CHANNEL_WEIGHTS, strict=True)
    statuses_open = [Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.IN_PROGRESS]
    findings = list(Finding.values)
    seq: dict[tuple[int, int], int] = {(s.unit_id, s.year): s.last_number for s in RegisterSequence.objects.all()}
    span = (today - start).days
    after_merger = max(1, (today - merger).days)
    written = 0

    def case_row() -> tuple[Any, ...]:
        category = rng.choice(categories)
        kind = rng.choices([Kind.FEEDBACK, Kind.COMPLAINT, Kind.DENUNCIATION], [92, 6, 2])[0]
        about = category in CONDUCT_CATEGORIES or kind != Kind.FEEDBACK
        received = today - dt.timedelta(days=int(rng.triangular(0, span, 20)))
        commune, province = rng.choice(communes)
        unit, above = commune, province
        if received < merger:
            if commune in former:
                unit, above = rng.choice(former[commune])
            else:  # a commune without a predecessor in the database: a report after the merger instead
                received = merger + dt.timedelta(days=rng.randrange(after_merger))
        calendar = calendars[province]
        received_at = dt.datetime(received.year, received.month, received.day, rng.randint(7, 17), rng.randint(0, 59), tzinfo=HCM)
        handling = above if about else unit
        working_days = days_for[province][services.deadline_key(kind, category)]
        deadline = calendar.deadline(received, working_days)
        key = (handling, received.year)
        seq[key] = seq.get(key, 0) + 1
        age = (today - received).days
        roll = rng.random()
        status, answered_at, on_time, escalation, reopen = Status.RECEIVED, None, None, 0, 0
        if (age > deadline.working_days * 2 + 10 and roll < 0.85) or (age > 20 and roll < 0.6):
            late = rng.random() < 0.2
            answer_day = calendar.add(received, working_days + (rng.randint(1, 6) if late else -rng.randint(0, working_days - 1)))
            answer_day = min(answer_day, today)
            answered_at = dt.datetime(answer_day.year, answer_day.month, answer_day.day, rng.randint(7, 17), rng.randint(0, 59), tzinfo=HCM)
            on_time = answer_day <= deadline.due
            status = Status.CLOSED if rng.random() < 0.7 else Status.ANSWERED
            reopen = 1 if rng.random() < 0.05 else 0
        elif roll < 0.93:
            status = rng.choice(statuses_open)
        elif roll < 0.97:
            status = Status.AWAITING_INFO
        else:
            status = Status.DECLINED
        due, period_start, register = deadline, received, handling
        if status in ACTIVE and deadline.due < today - dt.timedelta(days=3) and handling == unit and rng.random() < 0.5:
            escalation = 1  # escalated to the level above in force on the day it fell overdue
            period_start = calendar.add(deadline.due, 1)
            handling = province if period_start >= merger else above
            due = calendar.deadline(period_start, working_days)
        if status in OPEN and handling not in provinces and handling != commune:
            handling = commune if handling == unit else province  # still open: the unit in force holds it
        code_bits = secrets.randbits(80)
        code = "-".join(_symbols(code_bits >> (20 * i), 4) for i in range(4))
        allow = rng.random() < 0.8
        publish = answered_at is not None and rng.random() < 0.4 and allow and kind == Kind.FEEDBACK and not about
        channel = Channel.COUNTER_QR if category in CONDUCT_CATEGORIES and rng.random() < 0.3 else rng.choices(channels, weights)[0]
        return (
            kind,
            category,
            ""
            if status == Status.RECEIVED
            else (
                RegisterClass.REJECTED
                if status == Status.DECLINED
                else (RegisterClass.BEHAVIOUR if about else RegisterClass.RULES_IN_COMPETENCE)
            ),
            channel,
            about,
            unit,
            handling,
            received.year,
            seq[key],
            register,
            rng.choice(TEXTS[category]),
            "",
            status,
            received_at,
            period_start,
            working_days,
            0,
            today - dt.timedelta(days=rng.randint(1, 5)) if status == Status.AWAITING_INFO else None,
            due.due,
            due.explanation()[:500],
            answered_at,
            answered_at if status == Status.CLOSED else None,
            rng.choice(ANSWERS) if answered_at else "",
            rng.choices(findings, weights=[20, 15, 65])[0] if answered_at and category in CONDUCT_CATEGORIES else "",
            "Nội dung không thuộc phạm vi tiếp nhận phản ánh" if status == Status.DECLINED else "",
            escalation,
            reopen,
            on_time,
            allow,
            SUMMARIES.get(Category(category), "") if publish else "",
            rng.choice(PUBLIC_ANSWERS) if publish else "",
            answered_at if publish else None,
            crypto.encrypt({"name": rng.choice(NAMES), "phone": f"09{rng.randint(10000000, 99999999)}"}) if rng.random() < 0.3 else "",
            crypto.digest(code, purpose="tracking"),
            crypto.encrypt(code),
            "PA-" + _symbols(secrets.randbits(60), 12),
            "",
        )

    while written < total:
        size = min(CHUNK, total - written)
        with transaction.atomic():
            written += bulk.copy_rows(Case, COLUMNS, (case_row() for _ in range(size)))
        if written % 500_000 < CHUNK:
            plan.say(f"feedback: {written}/{total} phản ánh")
    with transaction.atomic():
        # `seq` started from every row held, and only grew: the rows are replaced by it.
        list(RegisterSequence.objects.select_for_update().values_list("pk", flat=True))
        RegisterSequence.objects.all().delete()
        bulk.copy_rows(RegisterSequence, ["unit_id", "year", "last_number"], ((u, y, n) for (u, y), n in seq.items()))
    started = timezone.now()
    bulk.analyze(Case, RegisterSequence)
    summaries.rebuild()
    bulk.analyze(DailyTally, MonthlyTally)
    plan.say(f"feedback: {written} phản ánh; bảng tổng hợp dựng lại trong {(timezone.now() - started).total_seconds():.1f} s.")
