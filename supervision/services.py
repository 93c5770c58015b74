"""One service per staff action on a board's records: keyword-only, `by`, its own permission check,
an audit entry and, where someone must act, a message."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor, SystemActor
from accounts.models import User
from accounts.notifications import notify_role_holders
from core import audit
from core.links import absolute_url
from core.models import AuditEntry
from core.transitions import move
from supervision import clocks, conf
from supervision.models import (
    ISSUE_TRANSITIONS,
    RECOMMENDATION_TRANSITIONS,
    Board,
    BoardKind,
    BoardMember,
    CaseLink,
    IssueAction,
    Meeting,
    MeetingIssue,
    MeetingKind,
    Plan,
    Position,
    QuarterlyReport,
    Recommendation,
    RecommendationAction,
    RecommendationState,
)
from supervision.permissions import ANSWER_ROLES, can_answer, can_record
from units.models import Unit, UnitKind
from units.structure import require_in_force

PUBLIC_REFERENCE = re.compile(r"^PA-[A-HJ-NP-Z2-9]{12}$")
SECRET_TRACKING_CODE = re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$")


def _require_record(by: Actor, unit: Unit) -> None:
    if not isinstance(by, SystemActor) and not can_record(by, unit):
        raise PermissionDenied(_("Bạn không có quyền ghi hồ sơ giám sát của đơn vị này."))


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(day: dt.date, field: str) -> None:
    if day > _today():
        raise ValidationError({field: _("Ngày không được sau hôm nay.")})


@transaction.atomic
def create_board(*, by: Actor, unit: Unit, kind: str, name: str, term_start: dt.date, term_end: dt.date, project: str = "") -> Board:
    """A commune's People's Inspection Board (one per term) or the investment supervision board of
    one of its programmes or projects (the project is then required)."""
    _require_record(by, unit)
    if unit.kind != UnitKind.COMMUNE:
        raise ValidationError({"unit": _("Ban giám sát được thành lập ở cấp xã, phường.")})
    require_in_force(unit, term_start)
    if term_end <= term_start:
        raise ValidationError({"term_end": _("Nhiệm kỳ phải kết thúc sau ngày bắt đầu.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Nhập tên ban.")})
    project = project.strip()
    if kind == BoardKind.INVESTMENT and not project:
        raise ValidationError(
            {"project": _("Mỗi chương trình, dự án có một Ban Giám sát đầu tư của cộng đồng: nhập tên chương trình, dự án.")}
        )
    if kind == BoardKind.INSPECTION:
        project = ""
        overlapping = Board.objects.filter(
            unit=unit, kind=BoardKind.INSPECTION, term_start__lte=term_end, term_end__gte=term_start
        ).exists()
        if overlapping:
            raise ValidationError({"term_start": _("Xã này đã có Ban Thanh tra nhân dân trong nhiệm kỳ đó (mỗi xã một ban).")})
    board = Board.objects.create(kind=kind, unit=unit, name=name, project=project, term_start=term_start, term_end=term_end)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=board, unit_path=unit.path)
    return board


@transaction.atomic
def add_member(
    *,
    by: Actor,
    board: Board,
    full_name: str,
    position: str,
    term_start: dt.date,
    village: Unit | None = None,
    term_end: dt.date | None = None,
) -> BoardMember:
    """A member; refuses a second head, a deputy beyond the maximum and a second member for one
    village, naming the rule (the minimum size is shown on the board's page until it is met)."""
    _require_record(by, board.unit)
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Nhập họ và tên.")})
    if term_end is not None and term_end < term_start:
        raise ValidationError({"term_end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if village is not None and (village.parent_id != board.unit.pk or village.kind != UnitKind.VILLAGE):
        raise ValidationError({"village": _("Chọn một thôn, tổ dân phố của %(unit)s.") % {"unit": board.unit.name}})
    serving = [m for m in board.members.select_for_update() if m.serves_on(term_start)]
    if position == Position.HEAD and sum(m.position == Position.HEAD for m in serving) >= conf.BOARD_HEADS:
        raise ValidationError(
            {"position": _("Ban có %(n)s Trưởng ban: kết thúc nhiệm vụ của Trưởng ban hiện tại trước.") % {"n": conf.BOARD_HEADS}}
        )
    if position == Position.DEPUTY and sum(m.position == Position.DEPUTY for m in serving) >= conf.BOARD_MAX_DEPUTIES:
        raise ValidationError({"position": _("Ban có không quá %(n)s Phó Trưởng ban.") % {"n": conf.BOARD_MAX_DEPUTIES}})
    if (
        board.kind == BoardKind.INSPECTION
        and village is not None
        and sum(m.village_id == village.pk for m in serving) >= conf.BOARD_MEMBERS_PER_VILLAGE
    ):
        raise ValidationError(
            {
                "village": _("Mỗi thôn, tổ dân phố có %(n)s thành viên Ban Thanh tra nhân dân: %(village)s đã có.")
                % {"n": conf.BOARD_MEMBERS_PER_VILLAGE, "village": village.name}
            }
        )
    member = BoardMember.objects.create(
        board=board, full_name=full_name, position=position, village=village, term_start=term_start, term_end=term_end
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=member, unit_path=board.unit.path)
    return member


@transaction.atomic
def end_membership(*, by: Actor, member: BoardMember, on: dt.date) -> BoardMember:
    board = member.board
    _require_record(by, board.unit)
    if on < member.term_start:
        raise ValidationError({"on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    before = audit.snapshot(member)
    member.term_end = on
    member.save(update_fields=["term_end"])
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=member, before=before, unit_path=board.unit.path)
    return member


@transaction.atomic
def save_plan(*, by: Actor, board: Board, title: str, content: str, notified_on: dt.date, starts_on: dt.date, ends_on: dt.date) -> Plan:
    """The board's plan; an investment board notifies it conf.INVESTMENT_PLAN_NOTICE_DAYS ahead."""
    _require_record(by, board.unit)
    if not title.strip() or not content.strip():
        raise ValidationError({"title": _("Nhập tên và nội dung kế hoạch.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if notified_on > starts_on:
        raise ValidationError({"notified_on": _("Kế hoạch phải được thông báo trước khi bắt đầu.")})
    if board.kind == BoardKind.INVESTMENT:
        short = clocks.plan_notice_short_by(notified_on=notified_on, starts_on=starts_on, notice_days=conf.INVESTMENT_PLAN_NOTICE_DAYS)
        if short:
            raise ValidationError(
                {
                    "notified_on": _(
                        "Kế hoạch giám sát đầu tư được thông báo ít nhất %(n)s ngày trước khi bắt đầu giám sát; "
                        "thông báo ngày %(d)s thiếu %(short)s ngày."
                    )
                    % {"n": conf.INVESTMENT_PLAN_NOTICE_DAYS, "d": notified_on.strftime("%d/%m/%Y"), "short": short}
                }
            )
    plan = Plan.objects.create(
        board=board, title=title.strip(), content=content.strip(), notified_on=notified_on, starts_on=starts_on, ends_on=ends_on
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=plan, unit_path=board.unit.path)
    return plan


@transaction.atomic
def link_case(*, by: Actor, board: Board, reference: str, note: str = "") -> CaseLink:
    """Record that the board took up a citizen's feedback case, by its public reference (PA-…)."""
    _require_record(by, board.unit)
    reference = reference.strip().upper()
    if SECRET_TRACKING_CODE.match(reference):
        raise ValidationError({"reference": _("Đây là mã tra cứu bí mật của người phản ánh; hãy nhập mã phản ánh công khai (PA-…).")})
    if not PUBLIC_REFERENCE.match(reference):
        raise ValidationError({"reference": _("Mã phản ánh có dạng PA- và 12 ký tự, ví dụ PA-7KQ2M9XH4WRT.")})
    if board.case_links.filter(reference=reference).exists():
        raise ValidationError({"reference": _("Ban đã tiếp nhận phản ánh này.")})
    link = CaseLink.objects.create(
        board=board, reference=reference, note=note.strip()[:500], linked_by=by if isinstance(by, User) else None
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=link, unit_path=board.unit.path)
    return link


def _notify_commune(recommendation: Recommendation, *, subject: str, body: str, dedupe: str) -> None:
    link = absolute_url("supervision:recommendation", recommendation.pk)
    notify_role_holders(unit=recommendation.board.unit, roles=ANSWER_ROLES, subject=subject, body=body, link=link, dedupe=dedupe)


@transaction.atomic
def record_recommendation(*, by: Actor, board: Board, subject: str, content: str, sent_on: dt.date) -> Recommendation:
    """A recommendation the board sent the commune on `sent_on`; the answer is due conf.ANSWER_DAYS
    days later and the commune is told."""
    _require_record(by, board.unit)
    subject, content = subject.strip(), content.strip()
    if not subject:
        raise ValidationError({"subject": _("Nhập trích yếu kiến nghị.")})
    if len(content) < 10:
        raise ValidationError({"content": _("Nội dung kiến nghị cần ít nhất 10 ký tự.")})
    _not_future(sent_on, "sent_on")
    require_in_force(board.unit, sent_on)
    if not board.term_start <= sent_on <= board.term_end:
        raise ValidationError({"sent_on": _("Ngày gửi nằm ngoài nhiệm kỳ của ban.")})
    Board.objects.select_for_update().get(pk=board.pk)
    number = (board.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    recommendation = Recommendation.objects.create(
        board=board,
        number=number,
        subject=subject,
        content=content,
        sent_on=sent_on,
        due_on=clocks.due_on(sent_on),
        created_by=by if isinstance(by, User) else None,
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=recommendation, unit_path=board.unit.path)
    _notify_commune(
        recommendation,
        subject=_("Kiến nghị của %(board)s") % {"board": board.name},
        body=_("%(board)s gửi kiến nghị số %(n)s: %(subject)s. Hạn trả lời: %(due)s.")
        % {"board": board.name, "n": number, "subject": subject, "due": recommendation.due_on.strftime("%d/%m/%Y")},
        dedupe=f"supervision-recommendation-{recommendation.pk}",
    )
    return recommendation


def _step(recommendation: Recommendation, action: str, *, by: Actor, apply: Any) -> Recommendation:
    locked = Recommendation.objects.select_for_update().select_related("board__unit").get(pk=recommendation.pk)
    before = audit.snapshot(locked)
    locked.state = move(
        RECOMMENDATION_TRANSITIONS,
        locked.state,
        action,
        refusal=_("Kiến nghị đang ở trạng thái “%(state)s”: không thể thực hiện thao tác này.") % {"state": locked.get_state_display()},
    )
    apply(locked)
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.board.unit.path)
    return locked


@transaction.atomic
def answer_recommendation(*, by: Actor, recommendation: Recommendation, answer: str, answered_on: dt.date | None = None) -> Recommendation:
    """The commune's answer (on time when given by the due day)."""
    if not isinstance(by, SystemActor) and not can_answer(by, recommendation.board.unit):
        raise PermissionDenied(_("Chỉ Ủy ban nhân dân xã trả lời kiến nghị của ban."))
    answer = answer.strip()
    day = answered_on or _today()

    def apply(r: Recommendation) -> None:
        if len(answer) < 10:
            raise ValidationError({"answer": _("Nội dung trả lời cần ít nhất 10 ký tự.")})
        _not_future(day, "answered_on")
        if day < r.sent_on:
            raise ValidationError({"answered_on": _("Ngày trả lời không được trước ngày gửi kiến nghị.")})
        r.answer = answer
        r.answered_on = day
        r.answered_by = by if isinstance(by, User) else None

    return _step(recommendation, RecommendationAction.ANSWER, by=by, apply=apply)


@transaction.atomic
def withdraw_recommendation(*, by: Actor, recommendation: Recommendation, reason: str) -> Recommendation:
    """The board withdraws a recommendation it no longer pursues (the reason is kept)."""
    _require_record(by, recommendation.board.unit)
    reason = reason.strip()

    def apply(r: Recommendation) -> None:
        if len(reason) < 10:
            raise ValidationError({"answer": _("Nêu lý do rút kiến nghị (ít nhất 10 ký tự).")})
        r.answer = reason

    return _step(recommendation, RecommendationAction.WITHDRAW, by=by, apply=apply)


@transaction.atomic
def record_quarterly_report(*, by: Actor, board: Board, year: int, quarter: int, content: str, sent_on: dt.date) -> QuarterlyReport:
    """The board's quarterly report to the Fatherland Front committee, sent after the quarter began."""
    _require_record(by, board.unit)
    if quarter not in range(1, conf.REPORTS_PER_YEAR + 1):
        raise ValidationError({"quarter": _("Quý từ 1 đến %(n)s.") % {"n": conf.REPORTS_PER_YEAR}})
    if len(content.strip()) < 10:
        raise ValidationError({"content": _("Nội dung báo cáo cần ít nhất 10 ký tự.")})
    _not_future(sent_on, "sent_on")
    if sent_on < dt.date(year, 3 * (quarter - 1) + 1, 1):
        raise ValidationError({"sent_on": _("Báo cáo quý được gửi sau khi quý bắt đầu.")})
    if board.reports.filter(year=year, quarter=quarter).exists():
        raise ValidationError({"quarter": _("Ban đã gửi báo cáo quý %(q)s/%(y)s.") % {"q": quarter, "y": year}})
    report = QuarterlyReport.objects.create(
        board=board, year=year, quarter=quarter, content=content.strip(), sent_on=sent_on, created_by=by if isinstance(by, User) else None
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=report, unit_path=board.unit.path)
    return report


def remind_recommendations(*, on: dt.date | None = None, by: SystemActor = SYSTEM) -> int:
    """Daily: remind the commune of recommendations due within conf.REMINDER_DAYS_BEFORE days, and
    once of each that has gone overdue. Returns how many reminders were queued."""
    day = on or _today()
    sent = 0
    due_soon = Recommendation.objects.filter(
        state=RecommendationState.SENT, due_on__gte=day, due_on__lte=day + dt.timedelta(days=conf.REMINDER_DAYS_BEFORE)
    ).select_related("board__unit")
    overdue = Recommendation.objects.filter(state=RecommendationState.SENT, due_on__lt=day).select_related("board__unit")
    with transaction.atomic():
        for r in due_soon:
            _notify_commune(
                r,
                subject=_("Sắp đến hạn trả lời kiến nghị"),
                body=_("Kiến nghị số %(n)s của %(board)s (%(subject)s) phải được trả lời trước hết ngày %(due)s.")
                % {"n": r.number, "board": r.board.name, "subject": r.subject, "due": r.due_on.strftime("%d/%m/%Y")},
                dedupe=f"supervision-due-{r.pk}",
            )
            sent += 1
        for r in overdue:
            _notify_commune(
                r,
                subject=_("Kiến nghị quá hạn trả lời"),
                body=_("Kiến nghị số %(n)s của %(board)s (%(subject)s) đã quá hạn trả lời từ %(due)s.")
                % {"n": r.number, "board": r.board.name, "subject": r.subject, "due": r.due_on.strftime("%d/%m/%Y")},
                dedupe=f"supervision-overdue-{r.pk}",
            )
            sent += 1
    return sent


# --- Dialogue conferences and village conferences ------------------------------------------------
def _meeting_commune(unit: Unit) -> Unit:
    return unit.parent if unit.kind == UnitKind.VILLAGE and unit.parent is not None else unit


@transaction.atomic
def schedule_meeting(*, by: Actor, unit: Unit, kind: str, title: str, notified_on: dt.date, held_on: dt.date, place: str = "") -> Meeting:
    """A commune's dialogue conference (at the commune) or a village's annual conference (at the
    village, notified conf.VILLAGE_CONFERENCE_NOTICE_DAYS days ahead)."""
    _require_record(by, _meeting_commune(unit))
    expected = UnitKind.COMMUNE if kind == MeetingKind.DIALOGUE else UnitKind.VILLAGE
    if unit.kind != expected:
        message = (
            _("Hội nghị đối thoại do xã, phường tổ chức.")
            if kind == MeetingKind.DIALOGUE
            else _("Hội nghị thường niên do thôn, tổ dân phố tổ chức.")
        )
        raise ValidationError({"unit": message})
    require_in_force(unit, held_on)
    if not title.strip():
        raise ValidationError({"title": _("Nhập tên hội nghị.")})
    if notified_on > held_on:
        raise ValidationError({"notified_on": _("Ngày thông báo phải trước ngày tổ chức.")})
    if kind == MeetingKind.VILLAGE_CONFERENCE and (held_on - notified_on).days < conf.VILLAGE_CONFERENCE_NOTICE_DAYS:
        raise ValidationError(
            {
                "notified_on": _("Hội nghị thôn, tổ dân phố được thông báo ít nhất %(n)s ngày trước ngày tổ chức.")
                % {"n": conf.VILLAGE_CONFERENCE_NOTICE_DAYS}
            }
        )
    meeting = Meeting.objects.create(
        kind=kind, unit=unit, title=title.strip(), notified_on=notified_on, held_on=held_on, place=place.strip()
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=meeting, unit_path=unit.path)
    return meeting


@transaction.atomic
def record_attendance(*, by: Actor, meeting: Meeting, attendees: int, households_represented: int | None = None) -> Meeting:
    """Who came, once the meeting has been held."""
    _require_record(by, _meeting_commune(meeting.unit))
    if meeting.held_on > _today():
        raise ValidationError({"attendees": _("Chỉ ghi số người dự sau khi hội nghị đã diễn ra.")})
    if attendees < 0 or (households_represented is not None and households_represented < 0):
        raise ValidationError({"attendees": _("Số người dự không được âm.")})
    before = audit.snapshot(meeting)
    meeting.attendees = attendees
    meeting.households_represented = households_represented
    meeting.save(update_fields=["attendees", "households_represented"])
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=meeting, before=before, unit_path=meeting.unit.path)
    return meeting


@transaction.atomic
def add_issue(
    *, by: Actor, meeting: Meeting, raised: str, promised: str = "", responsible: str = "", promised_by: dt.date | None = None
) -> MeetingIssue:
    _require_record(by, _meeting_commune(meeting.unit))
    if len(raised.strip()) < 5:
        raise ValidationError({"raised": _("Nhập ý kiến của Nhân dân (ít nhất 5 ký tự).")})
    if promised_by is not None and promised_by < meeting.held_on:
        raise ValidationError({"promised_by": _("Hạn thực hiện không được trước ngày hội nghị.")})
    issue = MeetingIssue.objects.create(
        meeting=meeting, raised=raised.strip(), promised=promised.strip(), responsible=responsible.strip()[:200], promised_by=promised_by
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=issue, unit_path=meeting.unit.path)
    return issue


@transaction.atomic
def follow_up_issue(*, by: Actor, issue: MeetingIssue, note: str, done: bool, on: dt.date | None = None) -> MeetingIssue:
    """Record how a promise is being kept; with `done`, close it on `on`."""
    locked = MeetingIssue.objects.select_for_update().select_related("meeting__unit").get(pk=issue.pk)
    _require_record(by, _meeting_commune(locked.meeting.unit))
    note = note.strip()
    if len(note) < 5:
        raise ValidationError({"note": _("Nhập kết quả theo dõi (ít nhất 5 ký tự).")})
    day = on or _today()
    _not_future(day, "on")
    before = audit.snapshot(locked)
    action = IssueAction.CLOSE if done else IssueAction.FOLLOW_UP
    locked.state = move(ISSUE_TRANSITIONS, locked.state, action, refusal=_("Ý kiến này đã được thực hiện xong; không ghi thêm được."))
    locked.follow_up = f"{locked.follow_up}\n{day:%d/%m/%Y}: {note}".strip()
    if done:
        locked.done_on = day
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.meeting.unit.path)
    return locked
