"""Writes of the committee's work: the meetings regime, meetings (scheduled, held with attendance
and minutes, or cancelled) and their conclusions, dissemination sessions, trainings and media
coverage, inspection plans, visits, findings and recommendations. A conclusion or recommendation
that assigns work becomes a task of a conclusion notice (`steering.services.add_task`), followed up
like any other. One service per action: its permission check, its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.actors import SYSTEM, Actor, person
from core import audit, transitions
from core.models import AuditEntry
from core.uploads import store_upload
from steering import services
from steering.models import (
    MEETING_TRANSITIONS,
    VISIT_TRANSITIONS,
    Directive,
    DirectiveTask,
    DisseminationSession,
    InspectionFinding,
    InspectionPlan,
    InspectionRecommendation,
    InspectionVisit,
    MediaCoverage,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    MeetingConclusion,
    MeetingRegime,
    MeetingState,
    Organisation,
    RegimePeriod,
    SessionKind,
    SessionTopic,
    VisitAction,
    VisitState,
)
from steering.permissions import can_issue
from steering.work_queries import can_inspect, can_record, can_set_regime, serving_members
from units.models import CommitteeMember, SteeringCommittee, Unit, UnitKind
from units.structure import require_in_force


def _allowed(by: Actor, check: bool, message: str) -> None:
    if by is not SYSTEM and not check:
        raise PermissionDenied(message)


def _required_text(value: str, message: str) -> str:
    if not value.strip():
        raise ValidationError(message)
    return value.strip()


def _not_in_future(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(what)s không thể sau ngày hôm nay.") % {"what": what})


# --- the meetings regime ---------------------------------------------------------------------------
@transaction.atomic
def set_meeting_regime(
    *,
    by: Actor,
    period: str,
    meetings_per_period: int,
    unit: Unit | None = None,
    committee: SteeringCommittee | None = None,
    basis: str = "",
) -> MeetingRegime:
    """Set the default regime of `unit`'s committees, or `committee`'s own (exactly one of them)."""
    if (unit is None) == (committee is None):
        raise ValidationError(_("Chọn hoặc đơn vị (chế độ họp chung) hoặc một ban chỉ đạo (chế độ họp riêng)."))
    target = unit if unit is not None else committee.unit  # type: ignore[union-attr]
    _allowed(by, can_set_regime(by, target), _("Chỉ cơ quan thường trực, lãnh đạo Ban Chỉ đạo tỉnh được đặt chế độ họp."))
    if period not in RegimePeriod.values:
        raise ValidationError(_("Kỳ họp không hợp lệ."))
    if not 1 <= meetings_per_period <= 31:
        raise ValidationError(_("Số cuộc họp mỗi kỳ phải từ 1 đến 31."))
    existing = (
        MeetingRegime.objects.select_for_update().filter(unit=unit).first()
        if unit is not None
        else MeetingRegime.objects.select_for_update().filter(committee=committee).first()
    )
    before = audit.snapshot(existing) if existing is not None else None
    regime = existing or MeetingRegime(unit=unit, committee=committee)
    regime.period = period
    regime.meetings_per_period = meetings_per_period
    regime.basis = basis.strip()
    regime.updated_by = person(by)
    regime.save()
    action = AuditEntry.Action.UPDATE if existing is not None else AuditEntry.Action.CREATE
    audit.record(actor=by, action=action, instance=regime, before=before, unit_path=target.path)
    return regime


@transaction.atomic
def clear_committee_regime(*, by: Actor, committee: SteeringCommittee) -> None:
    """Remove a committee's own regime: it keeps the default again."""
    _allowed(by, can_set_regime(by, committee.unit), _("Chỉ cơ quan thường trực, lãnh đạo Ban Chỉ đạo tỉnh được đặt chế độ họp."))
    regime = MeetingRegime.objects.select_for_update().filter(committee=committee).first()
    if regime is None:
        return
    audit.record(actor=by, action=AuditEntry.Action.DELETE, instance=regime, before=audit.snapshot(regime), unit_path=committee.unit.path)
    regime.delete()


# --- meetings --------------------------------------------------------------------------------------
_NOT_RECORDER = gettext_lazy("Chỉ cán bộ của đơn vị có ban chỉ đạo (hoặc cấp trên) được ghi cuộc họp.")


@transaction.atomic
def schedule_meeting(
    *, by: Actor, committee: SteeringCommittee, title: str, scheduled_on: dt.date, place: str = "", chaired_by: str = ""
) -> Meeting:
    """Put a meeting of `committee` on its calendar."""
    _allowed(by, can_record(by, committee.unit), str(_NOT_RECORDER))
    if not committee.is_active:
        raise ValidationError(_("%(committee)s không còn hoạt động.") % {"committee": committee.name})
    require_in_force(committee.unit, scheduled_on)
    meeting = Meeting.objects.create(
        committee=committee,
        title=_required_text(title, _("Hãy ghi nội dung cuộc họp.")),
        scheduled_on=scheduled_on,
        place=place.strip(),
        chaired_by=chaired_by.strip(),
        created_by=person(by),
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=meeting, unit_path=committee.unit.path)
    return meeting


def _attendance_snapshot(meeting: Meeting) -> list[list[object]]:
    return [[a.member_id, a.present, a.note] for a in meeting.attendance.order_by("member_id")]


@transaction.atomic
def record_meeting_held(
    *,
    by: Actor,
    meeting: Meeting,
    held_on: dt.date,
    attendance: Mapping[int, tuple[bool, str]],
    chaired_by: str = "",
    minutes: IO[bytes] | None = None,
    minutes_name: str = "",
) -> Meeting:
    """Record that a scheduled meeting was held on `held_on`: every member serving that day marked
    present or absent (with a note: the reason, who attended instead), at least one present, and
    the minutes if they are ready."""
    committee = meeting.committee
    _allowed(by, can_record(by, committee.unit), str(_NOT_RECORDER))
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    before = audit.snapshot(locked)
    locked.state = transitions.move(
        MEETING_TRANSITIONS,
        locked.state,
        MeetingAction.HOLD,
        refusal=_("Cuộc họp đang ở trạng thái “%(state)s”: không thể ghi nhận đã họp.") % {"state": locked.get_state_display()},
    )
    _not_in_future(held_on, _("Ngày họp"))
    require_in_force(committee.unit, held_on)
    if committee.established_on is not None and held_on < committee.established_on:
        raise ValidationError(_("Ngày họp trước ngày thành lập ban chỉ đạo (%(day)s).") % {"day": f"{committee.established_on:%d/%m/%Y}"})
    members = {m.pk: m for m in serving_members(committee, held_on)}
    if not members:
        raise ValidationError(_("Ban chỉ đạo chưa có thành viên nào vào ngày họp: hãy cập nhật danh sách thành viên trước."))
    unknown = set(attendance) - set(members)
    if unknown:
        raise ValidationError(_("Điểm danh có người không phải thành viên của ban chỉ đạo vào ngày họp."))
    unmarked = [members[pk].full_name for pk in members if pk not in attendance]
    if unmarked:
        raise ValidationError(_("Chưa điểm danh: %(names)s.") % {"names": ", ".join(unmarked)})
    if not any(present for present, _note in attendance.values()):
        raise ValidationError(_("Cuộc họp phải có ít nhất một thành viên có mặt."))
    if minutes is not None:
        locked.minutes = store_upload(minutes, name=minutes_name, by=by)
    locked.held_on = held_on
    locked.chaired_by = chaired_by.strip() or locked.chaired_by
    locked.save()
    MeetingAttendance.objects.bulk_create(
        [
            MeetingAttendance(meeting=locked, member_id=pk, present=present, note=note.strip()[:300])
            for pk, (present, note) in attendance.items()
        ]
    )
    after = {**audit.snapshot(locked), "attendance": _attendance_snapshot(locked)}
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, after=after, unit_path=committee.unit.path)
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def attach_minutes(*, by: Actor, meeting: Meeting, minutes: IO[bytes], minutes_name: str) -> Meeting:
    """Add or replace the minutes of a held meeting."""
    _allowed(by, can_record(by, meeting.committee.unit), str(_NOT_RECORDER))
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if locked.state != MeetingState.HELD:
        raise ValidationError(_("Chỉ thêm biên bản cho cuộc họp đã họp."))
    before = audit.snapshot(locked)
    locked.minutes = store_upload(minutes, name=minutes_name, by=by)
    locked.save(update_fields=["minutes"])
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=meeting.committee.unit.path)
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def cancel_meeting(*, by: Actor, meeting: Meeting, reason: str) -> Meeting:
    _allowed(by, can_record(by, meeting.committee.unit), str(_NOT_RECORDER))
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    before = audit.snapshot(locked)
    locked.state = transitions.move(
        MEETING_TRANSITIONS,
        locked.state,
        MeetingAction.CANCEL,
        refusal=_("Cuộc họp đang ở trạng thái “%(state)s”: không thể hủy.") % {"state": locked.get_state_display()},
    )
    locked.cancel_reason = _required_text(reason, _("Hãy ghi lý do hủy cuộc họp."))
    locked.save()
    audit.record(
        actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=meeting.committee.unit.path, reason=reason
    )
    meeting.refresh_from_db()
    return meeting


def _issue_task(
    *,
    by: Actor,
    directive: Directive | None,
    make_directive: dict[str, object],
    number: int,
    text: str,
    deadline_text: str,
    owners: Sequence[Unit],
    owner_agencies: str,
    follower: CommitteeMember | None,
) -> tuple[Directive, DirectiveTask]:
    """The task a conclusion or recommendation becomes, under its notice (created with the first)."""
    if directive is None:
        directive = services.create_directive(by=by, **make_directive)  # type: ignore[arg-type]
    title = text if len(text) <= 500 else text[:497] + "…"
    task = services.add_task(
        by=by,
        directive=directive,
        number=number,
        title=title,
        body=text if len(text) > 500 else "",
        deadline_text=deadline_text,
        owners=owners,
        owner_agencies=owner_agencies,
        follower=follower,
    )
    return directive, task


@transaction.atomic
def add_meeting_conclusion(
    *,
    by: Actor,
    meeting: Meeting,
    text: str,
    as_task: bool = False,
    deadline_text: str = "",
    owners: Sequence[Unit] = (),
    owner_agencies: str = "",
    follower: CommitteeMember | None = None,
) -> MeetingConclusion:
    """Record a conclusion of a held meeting. With `as_task`, it becomes a task of the meeting's
    conclusion notice (issued by the committee's unit on the meeting's date), with its owners,
    deadline and the member following it; assigning tasks needs the right to issue directives."""
    committee = meeting.committee
    _allowed(by, can_record(by, committee.unit), str(_NOT_RECORDER))
    locked = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if locked.state != MeetingState.HELD or locked.held_on is None:
        raise ValidationError(_("Chỉ ghi kết luận cho cuộc họp đã họp."))
    text = _required_text(text, _("Hãy ghi nội dung kết luận."))
    number = (locked.conclusions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    task = None
    if as_task:
        if by is not SYSTEM and not can_issue(by, committee.unit):
            raise PermissionDenied(_("Chỉ Ban Chỉ đạo và cơ quan thường trực của đơn vị được giao nhiệm vụ từ kết luận."))
        if follower is not None and follower.committee_id != committee.pk:
            raise ValidationError(_("Thành viên theo dõi phải thuộc ban chỉ đạo đã họp."))
        before = audit.snapshot(locked)
        directive, task = _issue_task(
            by=by,
            directive=locked.directive,
            make_directive={
                "unit": committee.unit,
                "kind": Directive.Kind.CONCLUSION,
                "number": _("cuộc họp ngày %(day)s") % {"day": f"{locked.held_on:%d/%m/%Y}"},
                "issued_on": locked.held_on,
                "issuer": committee.name,
                "title": _("Kết luận cuộc họp: %(title)s") % {"title": locked.title},
            },
            number=number,
            text=text,
            deadline_text=deadline_text,
            owners=owners,
            owner_agencies=owner_agencies,
            follower=follower,
        )
        if locked.directive_id is None:
            locked.directive = directive
            locked.save(update_fields=["directive"])
            audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=committee.unit.path)
    conclusion = MeetingConclusion.objects.create(meeting=locked, number=number, text=text, task=task, created_by=person(by))
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=conclusion, unit_path=committee.unit.path)
    meeting.refresh_from_db()
    return conclusion


# --- dissemination, training, media ----------------------------------------------------------------
@transaction.atomic
def add_organisation(*, by: Actor, province: Unit, name: str, kind: str, unit: Unit | None = None) -> Organisation:
    """Add a party committee, agency or organisation to the province's list of those that must
    disseminate the Law."""
    _allowed(by, can_set_regime(by, province), _("Chỉ cơ quan thường trực, lãnh đạo Ban Chỉ đạo tỉnh cập nhật danh sách này."))
    if province.kind != UnitKind.PROVINCE:
        raise ValidationError(_("Danh sách cấp ủy, cơ quan thuộc một tỉnh."))
    if kind not in Organisation.Kind.values:
        raise ValidationError(_("Loại cấp ủy, cơ quan không hợp lệ."))
    name = _required_text(name, _("Hãy ghi tên cấp ủy, cơ quan."))
    if unit is not None and not unit.path.startswith(province.path):
        raise ValidationError(_("%(unit)s không thuộc %(province)s.") % {"unit": unit.name, "province": province.name})
    # Compared in Python: SQLite folds the case of ASCII letters only ("Đảng" and "đảng" differ there).
    if any(n.casefold() == name.casefold() for n in Organisation.objects.filter(province=province).values_list("name", flat=True)):
        raise ValidationError(_("“%(name)s” đã có trong danh sách.") % {"name": name})
    organisation = Organisation.objects.create(province=province, name=name, kind=kind, unit=unit)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=organisation, unit_path=province.path)
    return organisation


@transaction.atomic
def record_session(
    *,
    by: Actor,
    kind: str,
    title: str,
    held_on: dt.date,
    participants: int,
    unit: Unit | None = None,
    organisation: Organisation | None = None,
    topic: str = SessionTopic.LAW,
    place: str = "",
    audience: str = "",
    document: IO[bytes] | None = None,
    document_name: str = "",
) -> DisseminationSession:
    """Record a dissemination session or a training held by `unit`'s authorities, or by
    `organisation` (then it counts for the organisation, filed under its locality or province)."""
    if organisation is not None:
        unit = organisation.unit or organisation.province
    if unit is None:
        raise ValidationError(_("Chọn đơn vị hoặc cấp ủy, cơ quan tổ chức hội nghị."))
    _allowed(by, can_record(by, unit), _("Chỉ cán bộ của đơn vị (hoặc cấp trên) được ghi hội nghị, lớp tập huấn của đơn vị."))
    if kind not in SessionKind.values or topic not in SessionTopic.values:
        raise ValidationError(_("Hình thức hoặc chủ đề không hợp lệ."))
    _not_in_future(held_on, _("Ngày tổ chức"))
    require_in_force(unit, held_on)
    if participants < 1:
        raise ValidationError(_("Số người tham dự phải lớn hơn 0."))
    session = DisseminationSession.objects.create(
        kind=kind,
        topic=topic,
        unit=unit,
        organisation=organisation,
        title=_required_text(title, _("Hãy ghi tên hội nghị, lớp tập huấn.")),
        held_on=held_on,
        place=place.strip(),
        audience=audience.strip(),
        participants=participants,
        document=store_upload(document, name=document_name, by=by) if document is not None else None,
        created_by=person(by),
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=session, unit_path=unit.path)
    return session


@transaction.atomic
def record_media(*, by: Actor, unit: Unit, kind: str, outlet: str, title: str, published_on: dt.date, url: str = "") -> MediaCoverage:
    """Record an article, broadcast or column on the Law (notice, task 5)."""
    _allowed(by, can_record(by, unit), _("Chỉ cán bộ của đơn vị (hoặc cấp trên) được ghi tin, bài của đơn vị."))
    if kind not in MediaCoverage.Kind.values:
        raise ValidationError(_("Loại tin, bài không hợp lệ."))
    _not_in_future(published_on, _("Ngày đăng, phát"))
    item = MediaCoverage(
        unit=unit,
        kind=kind,
        outlet=_required_text(outlet, _("Hãy ghi cơ quan báo chí, kênh đăng, phát.")),
        title=_required_text(title, _("Hãy ghi tiêu đề tin, bài.")),
        published_on=published_on,
        url=url.strip(),
        created_by=person(by),
    )
    item.full_clean()
    item.save()
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=item, unit_path=unit.path)
    return item


# --- inspections and supervision --------------------------------------------------------------------
_NOT_INSPECTOR = gettext_lazy("Chỉ cơ quan thường trực, Ban Chỉ đạo của đơn vị được lập kế hoạch và ghi kết quả kiểm tra.")


@transaction.atomic
def create_inspection_plan(
    *,
    by: Actor,
    committee: SteeringCommittee,
    number: str,
    title: str,
    adopted_on: dt.date,
    scope: str = "",
    file: IO[bytes] | None = None,
    file_name: str = "",
) -> InspectionPlan:
    _allowed(by, can_inspect(by, committee.unit), str(_NOT_INSPECTOR))
    require_in_force(committee.unit, adopted_on)
    plan = InspectionPlan.objects.create(
        committee=committee,
        number=_required_text(number, _("Hãy ghi số, ký hiệu kế hoạch.")),
        title=_required_text(title, _("Hãy ghi tên kế hoạch.")),
        adopted_on=adopted_on,
        scope=scope.strip(),
        file=store_upload(file, name=file_name, by=by) if file is not None else None,
        created_by=person(by),
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=plan, unit_path=committee.unit.path)
    return plan


@transaction.atomic
def add_visit(*, by: Actor, plan: InspectionPlan, target: Unit, planned_on: dt.date, team: str = "") -> InspectionVisit:
    """Plan a visit to a unit under the committee's unit, in force on the planned day."""
    unit = plan.committee.unit
    _allowed(by, can_inspect(by, unit), str(_NOT_INSPECTOR))
    if not target.path.startswith(unit.path) or target.pk == unit.pk:
        raise ValidationError(
            _("%(unit)s không thuộc địa bàn của %(committee)s.") % {"unit": target.name, "committee": plan.committee.name}
        )
    if planned_on < plan.adopted_on:
        raise ValidationError(_("Ngày kiểm tra không thể trước ngày ban hành kế hoạch."))
    require_in_force(target, planned_on)
    visit = InspectionVisit.objects.create(plan=plan, target=target, planned_on=planned_on, team=team.strip(), created_by=person(by))
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=visit, unit_path=target.path)
    return visit


@transaction.atomic
def record_visit(
    *,
    by: Actor,
    visit: InspectionVisit,
    visited_on: dt.date,
    summary: str,
    findings: Sequence[tuple[str, str]],
    report: IO[bytes] | None = None,
    report_name: str = "",
) -> InspectionVisit:
    """Record that a planned visit took place, with its findings (strengths, shortcomings, violations)."""
    _allowed(by, can_inspect(by, visit.plan.committee.unit), str(_NOT_INSPECTOR))
    locked = InspectionVisit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    before = audit.snapshot(locked)
    locked.state = transitions.move(
        VISIT_TRANSITIONS,
        locked.state,
        VisitAction.RECORD,
        refusal=_("Đợt kiểm tra đang ở trạng thái “%(state)s”: không thể ghi kết quả.") % {"state": locked.get_state_display()},
    )
    _not_in_future(visited_on, _("Ngày kiểm tra"))
    if visited_on < visit.plan.adopted_on:
        raise ValidationError(_("Ngày kiểm tra không thể trước ngày ban hành kế hoạch."))
    cleaned = [(kind, text.strip()) for kind, text in findings if text.strip()]
    if not cleaned and not summary.strip():
        raise ValidationError(_("Hãy ghi nhận xét chung hoặc ít nhất một kết quả kiểm tra."))
    if any(kind not in InspectionFinding.Kind.values for kind, _text in cleaned):
        raise ValidationError(_("Loại kết quả kiểm tra không hợp lệ."))
    if report is not None:
        locked.report = store_upload(report, name=report_name, by=by)
    locked.visited_on = visited_on
    locked.summary = summary.strip()
    locked.save()
    InspectionFinding.objects.bulk_create([InspectionFinding(visit=locked, kind=kind, text=text) for kind, text in cleaned])
    after = {**audit.snapshot(locked), "findings": [[k, t] for k, t in cleaned]}
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, after=after, unit_path=visit.target.path)
    visit.refresh_from_db()
    return visit


@transaction.atomic
def cancel_visit(*, by: Actor, visit: InspectionVisit, reason: str) -> InspectionVisit:
    _allowed(by, can_inspect(by, visit.plan.committee.unit), str(_NOT_INSPECTOR))
    locked = InspectionVisit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    before = audit.snapshot(locked)
    locked.state = transitions.move(
        VISIT_TRANSITIONS,
        locked.state,
        VisitAction.CANCEL,
        refusal=_("Đợt kiểm tra đang ở trạng thái “%(state)s”: không thể hủy.") % {"state": locked.get_state_display()},
    )
    locked.summary = _required_text(reason, _("Hãy ghi lý do hủy đợt kiểm tra."))
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=visit.target.path, reason=reason)
    visit.refresh_from_db()
    return visit


@transaction.atomic
def add_recommendation(
    *, by: Actor, visit: InspectionVisit, text: str, deadline_text: str, follower: CommitteeMember | None = None
) -> InspectionRecommendation:
    """A recommendation of a done visit to the inspected unit; it becomes a task of the visit's
    results notice, owned by the inspected unit (in force on the visit's date), so its follow-up is
    reported, accepted or returned like any task."""
    committee = visit.plan.committee
    _allowed(by, can_inspect(by, committee.unit), str(_NOT_INSPECTOR))
    locked = InspectionVisit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    if locked.state != VisitState.DONE or locked.visited_on is None:
        raise ValidationError(_("Chỉ ghi kiến nghị sau khi đã ghi kết quả kiểm tra."))
    text = _required_text(text, _("Hãy ghi nội dung kiến nghị."))
    if follower is not None and follower.committee_id != committee.pk:
        raise ValidationError(_("Thành viên theo dõi phải thuộc ban chỉ đạo kiểm tra."))
    number = (locked.recommendations.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    before = audit.snapshot(locked)
    directive, task = _issue_task(
        by=by,
        directive=locked.directive,
        make_directive={
            "unit": committee.unit,
            "kind": Directive.Kind.NOTICE,
            "number": _("kết quả kiểm tra ngày %(day)s") % {"day": f"{locked.visited_on:%d/%m/%Y}"},
            "issued_on": locked.visited_on,
            "issuer": committee.name,
            "title": _("Thông báo kết quả kiểm tra tại %(unit)s (%(plan)s)") % {"unit": visit.target.name, "plan": visit.plan.number},
        },
        number=number,
        text=text,
        deadline_text=deadline_text,
        owners=[visit.target],
        owner_agencies="",
        follower=follower,
    )
    if locked.directive_id is None:
        locked.directive = directive
        locked.save(update_fields=["directive"])
        audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=visit.target.path)
    recommendation = InspectionRecommendation.objects.create(visit=locked, number=number, text=text, task=task)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=recommendation, unit_path=visit.target.path)
    visit.refresh_from_db()
    return recommendation
