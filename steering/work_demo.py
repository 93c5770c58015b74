"""Demo data of the committee's work. Meetings: the new province's committee and the communes'
committees over the last four whole quarters, under a quarterly regime the province sets, with gaps
(a third of the commune committees skip quarters, some never meet), attendance, minutes-free
records, a conclusion that became a task, one meeting ahead and one cancelled. Dissemination: the
2024 province's party committees and agencies (footnote 1: the Provincial Party Committee's own
party committees named in task 2 and two district party committees have not held a session on the
Law), trainings for commune officials, press coverage. Inspections: the 2024 plan, visits to two
districts with findings and recommendations followed up as tasks. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.actors import SYSTEM
from steering import committee_work, work_queries
from steering.models import InspectionPlan, MediaCoverage, Meeting, Organisation, RegimePeriod, SessionKind, SessionTopic
from units.models import CommitteeMember, SteeringCommittee, Unit, UnitKind

# Footnote 1 and task 2: the party committees told to disseminate the Law in Q1–Q2/2024; in the demo
# one did (late), one has not; so have two district party committees.
PROVINCIAL_PARTY_COMMITTEES = ["Đảng ủy Các cơ quan tỉnh", "Đảng ủy Khối Doanh nghiệp tỉnh", "Đảng ủy Quân sự tỉnh", "Đảng ủy Công an tỉnh"]
NOT_YET = {"Đảng ủy Khối Doanh nghiệp tỉnh"}
DISTRICTS_NOT_YET = 2  # the last two districts (by code) of the 2024 province
AGENCIES = [("Sở Tư pháp", Organisation.Kind.AGENCY), ("Ủy ban MTTQ tỉnh", Organisation.Kind.MASS_ORGANISATION)]
COMMUNES_SKIP_EVERY = 7  # one commune in seven has not held a session on the Law either


def last_quarters(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """The `count` whole quarters that ended before today, oldest first."""
    start_month = 3 * ((today.month - 1) // 3) + 1
    first = dt.date(today.year, start_month, 1)
    quarters = []
    for _i in range(count):
        end = first - dt.timedelta(days=1)
        first = dt.date(end.year, end.month - 2, 1)
        quarters.append((first, end))
    return list(reversed(quarters))


def _attendance(committee: SteeringCommittee, day: dt.date, absent_every: int) -> dict[int, tuple[bool, str]]:
    members = work_queries.serving_members(committee, day)
    result = {}
    for i, member in enumerate(members):
        absent = absent_every and i % absent_every == absent_every - 1
        result[member.pk] = (False, "Đi công tác") if absent else (True, "")
    return result


def _meetings(province: Unit) -> int:
    today = timezone.localdate()
    committee_work.set_meeting_regime(
        by=SYSTEM,
        unit=province,
        period=RegimePeriod.QUARTER,
        meetings_per_period=1,
        basis="Quy chế hoạt động của Ban Chỉ đạo: họp định kỳ mỗi quý một lần",
    )
    committees = list(
        SteeringCommittee.objects.filter(unit__path__startswith=province.path, kind=SteeringCommittee.Kind.COMMITTEE)
        .select_related("unit")
        .order_by("unit__path")
    )
    held = 0
    for index, committee in enumerate(committees):
        starts = committee.unit.valid_from or dt.date.min
        for q, (first, _last) in enumerate(last_quarters(today, 4)):
            is_province = committee.unit.kind == UnitKind.PROVINCE
            # The province keeps the regime; among the communes a third skip quarters and every
            # fifth never meets: the notice's "the meetings regime is not kept" as data.
            if first < starts or (not is_province and (index % 5 == 4 or (index + q) % 3 == 0)):
                continue
            day = first + dt.timedelta(days=35 + index % 20)
            if not work_queries.serving_members(committee, day):
                continue
            meeting = committee_work.schedule_meeting(
                by=SYSTEM, committee=committee, title=f"Họp định kỳ quý {(first.month + 2) // 3}/{first.year}", scheduled_on=day
            )
            committee_work.record_meeting_held(by=SYSTEM, meeting=meeting, held_on=day, attendance=_attendance(committee, day, 4))
            held += 1
            if is_province and q == 3:
                _province_conclusions(meeting, committee)
        if committee.unit.kind == UnitKind.PROVINCE:
            ahead = today + dt.timedelta(days=20)
            committee_work.schedule_meeting(
                by=SYSTEM, committee=committee, title="Họp sơ kết công tác thực hiện QCDC", scheduled_on=ahead, place="Hội trường Tỉnh ủy"
            )
            past = today - dt.timedelta(days=10)
            if past >= starts:
                cancelled = committee_work.schedule_meeting(
                    by=SYSTEM, committee=committee, title="Họp chuyên đề chính quyền thân thiện", scheduled_on=past
                )
                committee_work.cancel_meeting(by=SYSTEM, meeting=cancelled, reason="Lùi lịch do trùng hội nghị Tỉnh ủy")
    return held


def _province_conclusions(meeting: Meeting, committee: SteeringCommittee) -> None:
    assert meeting.held_on is not None
    committee_work.add_meeting_conclusion(
        by=SYSTEM, meeting=meeting, text="Các ban chỉ đạo cấp xã thực hiện nghiêm chế độ họp định kỳ hằng quý."
    )
    communes = list(
        Unit.objects.in_force(meeting.held_on).filter(path__startswith=committee.unit.path, kind=UnitKind.COMMUNE).order_by("code")[:2]
    )
    follower = CommitteeMember.objects.filter(committee=committee, followed_units__in=communes).first()
    quarter_after = meeting.held_on + dt.timedelta(days=92)
    committee_work.add_meeting_conclusion(
        by=SYSTEM,
        meeting=meeting,
        text="Các xã chưa họp đủ chế độ báo cáo nguyên nhân và kế hoạch khắc phục.",
        as_task=True,
        owners=communes,
        deadline_text=f"{quarter_after:%d/%m/%Y}",
        follower=follower,
    )


def _dissemination(old: Unit) -> int:
    districts = list(Unit.objects.filter(parent=old, kind=UnitKind.DISTRICT).order_by("code"))
    organisations: list[Organisation] = []
    for name in PROVINCIAL_PARTY_COMMITTEES:
        organisations.append(committee_work.add_organisation(by=SYSTEM, province=old, name=name, kind=Organisation.Kind.PARTY_COMMITTEE))
    for district in districts:
        if district.name.startswith("Thành phố"):
            name = f"Thành ủy {district.name.removeprefix('Thành phố ')}"
        else:
            name = f"Huyện ủy {district.name.removeprefix('Huyện ').removeprefix('Thị xã ')}"
        organisations.append(
            committee_work.add_organisation(by=SYSTEM, province=old, name=name, kind=Organisation.Kind.PARTY_COMMITTEE, unit=district)
        )
    for name, kind in AGENCIES:
        organisations.append(committee_work.add_organisation(by=SYSTEM, province=old, name=name, kind=kind))
    missing_districts = {d.pk for d in districts[-DISTRICTS_NOT_YET:]}
    count = 0
    for i, organisation in enumerate(organisations):
        if organisation.name in NOT_YET or organisation.unit_id in missing_districts:
            continue
        late = organisation.name == "Đảng ủy Các cơ quan tỉnh"  # after the notice, within task 2's deadline
        day = dt.date(2024, 5, 16) if late else dt.date(2023, 8, 1) + dt.timedelta(days=9 * i)
        committee_work.record_session(
            by=SYSTEM,
            kind=SessionKind.DISSEMINATION,
            topic=SessionTopic.LAW,
            organisation=organisation,
            title=f"Hội nghị quán triệt Luật Thực hiện dân chủ ở cơ sở – {organisation.name}",
            held_on=day,
            participants=80 + 17 * i,
            audience="Cán bộ chủ chốt, bí thư chi bộ, đảng viên",
        )
        count += 1
    old_provinces = Unit.objects.filter(kind=UnitKind.PROVINCE, edition="2024", successor=old.successor) if old.successor else [old]
    for province in old_provinces:
        communes = Unit.objects.filter(path__startswith=province.path, kind=UnitKind.COMMUNE).order_by("code")
        for i, commune in enumerate(communes):
            if i % COMMUNES_SKIP_EVERY == 3:
                continue
            committee_work.record_session(
                by=SYSTEM,
                kind=SessionKind.DISSEMINATION,
                topic=SessionTopic.LAW,
                unit=commune,
                title=f"Hội nghị tuyên truyền Luật Thực hiện dân chủ ở cơ sở – {commune.name}",
                held_on=dt.date(2023, 9, 5) + dt.timedelta(days=i % 280),
                participants=40 + i % 60,
                audience="Cán bộ, công chức, trưởng thôn, tổ trưởng tổ dân phố",
            )
            count += 1
    for i, district in enumerate(districts[:6]):
        committee_work.record_session(
            by=SYSTEM,
            kind=SessionKind.TRAINING,
            topic=SessionTopic.FRIENDLY_GOVERNMENT if i % 2 else SessionTopic.GUIDANCE,
            unit=district,
            title=f"Tập huấn nghiệp vụ thực hiện dân chủ ở cơ sở cho cán bộ cấp xã – {district.name}",
            held_on=dt.date(2024, 4, 3) + dt.timedelta(days=11 * i),
            participants=60 + 9 * i,
            audience="Chủ tịch, công chức văn phòng UBND cấp xã, trưởng thôn",
        )
        count += 1
    for i, (outlet, media_kind, title) in enumerate(
        [
            ("Báo Bắc Giang", MediaCoverage.Kind.COLUMN, "Chuyên mục “Dân chủ ở cơ sở”: kỳ 1 – Những điểm mới của Luật"),
            ("Báo Bắc Giang", MediaCoverage.Kind.ARTICLE, "Lục Nam: công khai để dân biết, dân bàn, dân kiểm tra"),
            ("Đài Phát thanh và Truyền hình tỉnh", MediaCoverage.Kind.BROADCAST, "Phóng sự: Chính quyền thân thiện từ bộ phận một cửa"),
        ]
    ):
        committee_work.record_media(
            by=SYSTEM, unit=old, kind=media_kind, outlet=outlet, title=title, published_on=dt.date(2024, 3, 8) + dt.timedelta(days=30 * i)
        )
    return count


def _inspections(old: Unit) -> None:
    committee = SteeringCommittee.objects.filter(unit=old, kind=SteeringCommittee.Kind.COMMITTEE).first()
    if committee is None:
        committee = SteeringCommittee.objects.create(
            unit=old, name="Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở tỉnh Bắc Giang", established_on=dt.date(2021, 1, 15)
        )
    plan = committee_work.create_inspection_plan(
        by=SYSTEM,
        committee=committee,
        number="18-KH/BCĐ",
        title="Kiểm tra việc thực hiện Luật Thực hiện dân chủ ở cơ sở và xây dựng chính quyền thân thiện năm 2024",
        adopted_on=dt.date(2024, 3, 12),
        scope=(
            "Hoạt động của ban chỉ đạo cấp huyện (chế độ họp, kiểm tra), công khai, tiếp nhận phản ánh, thẩm định chính quyền thân thiện."
        ),
    )
    districts = list(Unit.objects.filter(parent=old, kind=UnitKind.DISTRICT).order_by("code"))
    luc_nam = next((d for d in districts if d.code == "218"), districts[0])
    other = next(d for d in districts if d.pk != luc_nam.pk)
    visit = committee_work.add_visit(
        by=SYSTEM, plan=plan, target=luc_nam, planned_on=dt.date(2024, 6, 11), team="Đoàn kiểm tra số 1 – Ban Dân vận Tỉnh ủy"
    )
    committee_work.record_visit(
        by=SYSTEM,
        visit=visit,
        visited_on=dt.date(2024, 6, 12),
        summary="Ban Chỉ đạo huyện đã kiện toàn, ban hành kế hoạch năm; hoạt động chưa nền nếp.",
        findings=[
            ("strength", "Công khai thủ tục hành chính đầy đủ tại bộ phận một cửa 25/25 xã, thị trấn."),
            ("shortcoming", "Ban Chỉ đạo huyện không họp quý I/2024; biên bản họp quý IV/2023 không ghi kết luận."),
            ("shortcoming", "Tổ thẩm định cấp huyện đề nghị công nhận 3 xã chưa đạt tiêu chí bắt buộc."),
        ],
    )
    committee_work.add_recommendation(
        by=SYSTEM,
        visit=visit,
        text="Thực hiện nghiêm chế độ họp định kỳ hằng quý, có kết luận và theo dõi thực hiện.",
        deadline_text="quý III/2024",
    )
    committee_work.add_recommendation(
        by=SYSTEM, visit=visit, text="Thẩm định lại hồ sơ 3 xã đề nghị công nhận chính quyền thân thiện.", deadline_text="30/09/2024"
    )
    committee_work.add_visit(by=SYSTEM, plan=plan, target=other, planned_on=dt.date(2024, 10, 8), team="Đoàn kiểm tra số 2")


def load(*, stdout: Any, options: Any = None) -> None:
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="24", edition="2025").first()
    old = Unit.objects.filter(kind=UnitKind.PROVINCE, code="24", edition="2024").first()
    if province is None or old is None or Organisation.objects.filter(province=old).exists():
        return
    with transaction.atomic():
        held = _meetings(province)
        sessions = _dissemination(old)
        _inspections(old)
    below = [
        c
        for c in work_queries.compliance(work_queries.committees_in(province), start=dt.date(2025, 7, 1), end=timezone.localdate())
        if c.missed
    ]
    stdout.write(
        f"Công tác BCĐ: {held} cuộc họp đã họp ({len(below)} ban chưa thực hiện nghiêm chế độ họp), "
        f"{sessions} hội nghị quán triệt, lớp tập huấn, {InspectionPlan.objects.count()} kế hoạch kiểm tra."
    )
