"""One service per staff action on a board's records: keyword-only, `by`, its own permission check,
an audit entry and, where someone must act, a message."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor, SystemActor
from accounts.models import User
from accounts.notifications import notify_role_holders
from core import audit, metrics
from core.links import absolute_url
from core.models import AuditEntry
from core.transitions import move
from core.workdays import province_calendar
from supervision import clocks, conf, queries
from supervision.models import (
    ISSUE_TRANSITIONS,
    RECOMMENDATION_TRANSITIONS,
    REPORT_TRANSITIONS,
    Aggregation,
    Board,
    BoardKind,
    BoardMember,
    CaseLink,
    IndicatorKind,
    IssueAction,
    Meeting,
    MeetingIssue,
    MeetingKind,
    PeriodKind,
    Plan,
    Position,
    QuarterlyReport,
    Recommendation,
    RecommendationAction,
    RecommendationState,
    ReportAction,
    ReportForm,
    ReportIndicator,
    ReportSection,
    ReportValue,
    UnitReport,
)
from supervision.permissions import (
    ANSWER_ROLES,
    REPORT_ROLES,
    REVIEW_ROLES,
    can_answer,
    can_edit_forms,
    can_record,
    can_review_report,
    can_write_report,
    in_province,
)
from units.models import Unit, UnitKind
from units.structure import level_above, require_in_force

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
    locked = Recommendation.objects.select_for_update(of=("self",)).select_related("board__unit").get(pk=recommendation.pk)
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
    locked = MeetingIssue.objects.select_for_update(of=("self",)).select_related("meeting__unit").get(pk=issue.pk)
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


# --- The periodic results report: the province's forms --------------------------------------------
def _require_forms(by: Actor, province: Unit) -> None:
    if not isinstance(by, SystemActor) and not can_edit_forms(by, province):
        raise PermissionDenied(_("Chỉ cơ quan thường trực của tỉnh sửa mẫu báo cáo định kỳ."))


def _user(by: Actor) -> User | None:
    return by if isinstance(by, User) else None


@transaction.atomic
def seed_default_form(*, by: Actor, province: Unit) -> ReportForm:
    """The province's first report form, from conf.DEFAULT_FORM, published and put in use (kept as
    it is when the province already has one)."""
    _require_forms(by, province)
    existing = ReportForm.objects.filter(province=province, code=conf.DEFAULT_FORM_CODE).order_by("-version").first()
    if existing is not None:
        return existing
    form = ReportForm.objects.create(
        province=province,
        code=conf.DEFAULT_FORM_CODE,
        version=1,
        title=conf.DEFAULT_FORM_TITLE,
        period_kind=PeriodKind.HALF_YEAR,
        reporting_kind=UnitKind.COMMUNE,
        due_working_days=conf.DEFAULT_FORM_DUE_WORKING_DAYS,
        in_use=True,
        published_at=timezone.now(),
        published_by=_user(by),
    )
    for s_order, (title, indicators) in enumerate(conf.DEFAULT_FORM, start=1):
        section = ReportSection.objects.create(form=form, order=s_order, title=title)
        for i_order, (code, label, kind, key) in enumerate(indicators, start=1):
            ReportIndicator.objects.create(
                section=section,
                order=i_order,
                code=code,
                label=label,
                kind=kind,
                metric_key=key,
                aggregation=Aggregation.AVERAGE if label.endswith("(%)") else Aggregation.SUM,
            )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=form, unit_path=province.path)
    return form


@transaction.atomic
def new_form_version(*, by: Actor, form: ReportForm) -> ReportForm:
    """A draft copy of `form` as the next version, for the province to edit and publish. One draft
    at a time: while one exists, it is the one to edit."""
    _require_forms(by, form.province)
    versions = list(ReportForm.objects.select_for_update().filter(province=form.province, code=form.code).order_by("-version"))
    draft = next((v for v in versions if v.is_draft), None)
    if draft is not None:
        raise ValidationError(
            _("Phiên bản %(v)s đang là bản dự thảo: hãy sửa tiếp bản đó, hoặc huỷ nó trước khi tạo bản mới.") % {"v": draft.version}
        )
    copy = ReportForm.objects.create(
        province=form.province,
        code=form.code,
        version=versions[0].version + 1,
        title=form.title,
        period_kind=form.period_kind,
        reporting_kind=form.reporting_kind,
        due_working_days=form.due_working_days,
        in_use=False,
    )
    for section in form.sections.prefetch_related("indicators"):
        new_section = ReportSection.objects.create(form=copy, order=section.order, title=section.title)
        for ind in section.indicators.all():
            ReportIndicator.objects.create(
                section=new_section,
                order=ind.order,
                code=ind.code,
                label=ind.label,
                kind=ind.kind,
                metric_key=ind.metric_key,
                aggregation=ind.aggregation,
            )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=copy, unit_path=form.province.path)
    return copy


def _require_draft(form: ReportForm) -> None:
    """A published version never changes: the reports filed under it keep what they were asked."""
    if not form.is_draft or form.reports.exists():
        raise ValidationError(_("Phiên bản %(v)s đã ban hành: hãy tạo phiên bản mới để sửa mẫu.") % {"v": form.version})


def _lock_form(form: ReportForm) -> ReportForm:
    return ReportForm.objects.select_for_update(of=("self",)).select_related("province").get(pk=form.pk)


@transaction.atomic
def update_form(*, by: Actor, form: ReportForm, title: str, period_kind: str, due_working_days: int) -> ReportForm:
    """A draft's title, reporting period and due date (working days after the period ends). A
    later version keeps the period of the versions before it: a unit's reports of one period on two
    versions would otherwise overlap."""
    _require_forms(by, form.province)
    locked = _lock_form(form)
    _require_draft(locked)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Nhập tên mẫu báo cáo.")})
    if len(title) > 300:
        raise ValidationError({"title": _("Tên mẫu báo cáo không quá 300 ký tự.")})
    if period_kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("Chọn kỳ báo cáo 6 tháng hoặc năm.")})
    if not 1 <= due_working_days <= conf.FORM_MAX_DUE_WORKING_DAYS:
        raise ValidationError(
            {"due_working_days": _("Hạn gửi từ 1 đến %(n)s ngày làm việc sau khi hết kỳ.") % {"n": conf.FORM_MAX_DUE_WORKING_DAYS}}
        )
    earlier = ReportForm.objects.filter(province=locked.province, code=locked.code).exclude(pk=locked.pk).exclude(period_kind=period_kind)
    other = earlier.first()
    if other is not None:
        raise ValidationError(
            {
                "period_kind": _(
                    "Phiên bản %(v)s báo cáo theo kỳ “%(kind)s”; các phiên bản của cùng một mẫu giữ cùng kỳ báo cáo để báo cáo "
                    "các kỳ không chồng lên nhau."
                )
                % {"v": other.version, "kind": other.get_period_kind_display()}
            }
        )
    before = audit.snapshot(locked)
    locked.title, locked.period_kind, locked.due_working_days = title, period_kind, due_working_days
    locked.save(update_fields=["title", "period_kind", "due_working_days"])
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.province.path)
    return locked


@transaction.atomic
def save_section(*, by: Actor, form: ReportForm, title: str, section: ReportSection | None = None) -> ReportSection:
    """Add a section at the end of a draft, or rename one of its sections."""
    _require_forms(by, form.province)
    locked = _lock_form(form)
    _require_draft(locked)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Nhập tên phần.")})
    if len(title) > 300:
        raise ValidationError({"title": _("Tên phần không quá 300 ký tự.")})
    if section is not None and section.form_id != locked.pk:
        raise ValidationError(_("Phần này không thuộc phiên bản đang sửa."))
    same_title = locked.sections.filter(title__iexact=title)
    if section is not None:
        same_title = same_title.exclude(pk=section.pk)
    if same_title.exists():
        raise ValidationError({"title": _("Mẫu đã có phần “%(title)s”.") % {"title": title}})
    before = audit.snapshot(section) if section is not None else None
    if section is None:
        last = locked.sections.aggregate(n=Max("order"))["n"] or 0
        section = ReportSection(form=locked, order=last + 1)
    section.title = title
    section.save()
    action = AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE
    audit.record(actor=by, action=action, instance=section, before=before, unit_path=locked.province.path)
    return section


@transaction.atomic
def delete_section(*, by: Actor, section: ReportSection) -> None:
    """Remove a section and its indicators from a draft (each removal audited)."""
    form = section.form
    _require_forms(by, form.province)
    _require_draft(_lock_form(form))
    for indicator in section.indicators.all():
        before = audit.snapshot(indicator)
        indicator.delete()
        audit.record(actor=by, action=AuditEntry.Action.DELETE, instance=indicator, before=before, unit_path=form.province.path)
    before = audit.snapshot(section)
    section.delete()
    audit.record(actor=by, action=AuditEntry.Action.DELETE, instance=section, before=before, unit_path=form.province.path)


def _swap_orders(item: ReportSection | ReportIndicator, neighbour: ReportSection | ReportIndicator, *, by: Actor, unit_path: str) -> None:
    """Exchange two rows' places, through 0 (the order is unique within a form's sections)."""
    snapshots = [audit.snapshot(item), audit.snapshot(neighbour)]
    first, second = item.order, neighbour.order
    item.order = 0
    item.save(update_fields=["order"])
    neighbour.order = first
    neighbour.save(update_fields=["order"])
    item.order = second
    item.save(update_fields=["order"])
    for row, before in zip((item, neighbour), snapshots, strict=True):
        audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=row, before=before, unit_path=unit_path)


@transaction.atomic
def move_section(*, by: Actor, section: ReportSection, up: bool) -> ReportSection:
    """Move a draft's section one place up or down (the first stays first when moved up)."""
    form = section.form
    _require_forms(by, form.province)
    _require_draft(_lock_form(form))
    rows = form.sections.filter(order__lt=section.order).order_by("-order") if up else form.sections.filter(order__gt=section.order)
    neighbour = rows.first()
    if neighbour is not None:
        _swap_orders(section, neighbour, by=by, unit_path=form.province.path)
    return section


@transaction.atomic
def move_indicator(*, by: Actor, indicator: ReportIndicator, up: bool) -> ReportIndicator:
    """Move a draft's indicator one place up or down within its section."""
    form = indicator.section.form
    _require_forms(by, form.province)
    _require_draft(_lock_form(form))
    siblings = indicator.section.indicators.exclude(pk=indicator.pk)
    rows = siblings.filter(order__lt=indicator.order).order_by("-order") if up else siblings.filter(order__gt=indicator.order)
    neighbour = rows.first()
    if neighbour is not None:
        _swap_orders(indicator, neighbour, by=by, unit_path=form.province.path)
    return indicator


@transaction.atomic
def save_indicator(
    *,
    by: Actor,
    section: ReportSection,
    code: str,
    label: str,
    kind: str,
    metric_key: str = "",
    aggregation: str = Aggregation.SUM,
    indicator: ReportIndicator | None = None,
) -> ReportIndicator:
    """Add an indicator at the end of a draft's section, or change `indicator` (moving it to
    `section`). The code is unique in the form (the totals match versions by it); a platform
    source must be one of the figures the capabilities register (core.metrics)."""
    form = section.form
    _require_forms(by, form.province)
    _require_draft(_lock_form(form))
    code, label, metric_key = code.strip(), label.strip(), metric_key.strip()
    if not re.fullmatch(r"[a-z0-9_-]{1,60}", code):
        raise ValidationError({"code": _("Mã chỉ tiêu gồm chữ thường không dấu, số, dấu gạch (tối đa 60 ký tự).")})
    if not label:
        raise ValidationError({"label": _("Nhập tên chỉ tiêu.")})
    if len(label) > 300:
        raise ValidationError({"label": _("Tên chỉ tiêu không quá 300 ký tự.")})
    if kind not in IndicatorKind.values:
        raise ValidationError({"kind": _("Chọn kiểu số hoặc văn bản.")})
    if aggregation not in Aggregation.values:
        raise ValidationError({"aggregation": _("Chọn cách tổng hợp.")})
    if metric_key and kind != IndicatorKind.NUMBER:
        raise ValidationError({"metric_key": _("Chỉ chỉ tiêu kiểu số mới lấy số liệu từ nền tảng.")})
    if metric_key and metrics.get(metric_key) is None:
        raise ValidationError({"metric_key": _("Nền tảng không có nguồn số liệu “%(key)s”.") % {"key": metric_key}})
    if indicator is not None and indicator.section.form_id != form.pk:
        raise ValidationError(_("Chỉ tiêu này không thuộc phiên bản đang sửa."))
    clash = ReportIndicator.objects.filter(section__form=form, code=code)
    if indicator is not None:
        clash = clash.exclude(pk=indicator.pk)
    if clash.exists():
        raise ValidationError({"code": _("Mẫu đã có chỉ tiêu mã “%(code)s”: mỗi mã dùng một lần.") % {"code": code}})
    before = audit.snapshot(indicator) if indicator is not None else None
    if indicator is None or indicator.section_id != section.pk:
        last = section.indicators.aggregate(n=Max("order"))["n"] or 0
        indicator = indicator or ReportIndicator()
        indicator.section, indicator.order = section, last + 1
    indicator.code, indicator.label, indicator.kind = code, label, kind
    indicator.metric_key, indicator.aggregation = metric_key, aggregation
    indicator.save()
    action = AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE
    audit.record(actor=by, action=action, instance=indicator, before=before, unit_path=form.province.path)
    return indicator


@transaction.atomic
def delete_indicator(*, by: Actor, indicator: ReportIndicator) -> None:
    form = indicator.section.form
    _require_forms(by, form.province)
    _require_draft(_lock_form(form))
    before = audit.snapshot(indicator)
    indicator.delete()
    audit.record(actor=by, action=AuditEntry.Action.DELETE, instance=indicator, before=before, unit_path=form.province.path)


@transaction.atomic
def discard_draft(*, by: Actor, form: ReportForm) -> None:
    """Throw away a draft version that was never published (its removal audited)."""
    _require_forms(by, form.province)
    locked = _lock_form(form)
    _require_draft(locked)
    for section in locked.sections.all():
        delete_section(by=by, section=section)
    before = audit.snapshot(locked)
    locked.delete()
    audit.record(actor=by, action=AuditEntry.Action.DELETE, instance=locked, before=before, unit_path=locked.province.path)


def form_problems(form: ReportForm) -> list[str]:
    """What stops a draft from being published: no section, a section without indicators, no
    figure to report."""
    problems: list[str] = []
    sections = list(form.sections.annotate(n=Count("indicators")))
    if not sections:
        problems.append(_("Mẫu báo cáo chưa có phần nào."))
    problems += [_("Phần “%(title)s” chưa có chỉ tiêu nào.") % {"title": s.title} for s in sections if not s.n]
    if sections and not ReportIndicator.objects.filter(section__form=form, kind=IndicatorKind.NUMBER).exists():
        problems.append(_("Mẫu báo cáo chưa có chỉ tiêu số nào để tổng hợp."))
    return problems


@transaction.atomic
def put_form_in_use(*, by: Actor, form: ReportForm) -> ReportForm:
    """Publish `form` (a draft becomes frozen) and put it in use: units start their reports on it
    from now on, and the reports already begun keep the version they were filed under. A version
    published earlier can be put back in use the same way."""
    _require_forms(by, form.province)
    locked = _lock_form(form)
    problems = form_problems(locked)
    if problems:
        raise ValidationError(problems)
    for other in (
        ReportForm.objects.select_for_update().filter(province=locked.province, code=locked.code, in_use=True).exclude(pk=locked.pk)
    ):
        before = audit.snapshot(other)
        other.in_use = False
        other.save(update_fields=["in_use"])
        audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=other, before=before, unit_path=locked.province.path)
    before = audit.snapshot(locked)
    locked.in_use = True
    if locked.published_at is None:
        locked.published_at, locked.published_by = timezone.now(), _user(by)
    locked.save(update_fields=["in_use", "published_at", "published_by"])
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.province.path)
    form.in_use, form.published_at, form.published_by = True, locked.published_at, locked.published_by
    return locked


NO_DATA = "chưa có số liệu"


def _prefill(indicator: ReportIndicator, *, unit: Unit, start: dt.date, end: dt.date) -> tuple[Decimal | None, str]:
    """The platform's figure for the indicator and where it comes from, or None and why not."""
    if not indicator.metric_key:
        return None, ""
    if metrics.get(indicator.metric_key) is None:
        return None, NO_DATA
    value = metrics.compute(indicator.metric_key, unit=unit, start=start, end=end)
    if value.value is None:
        return None, f"{NO_DATA}: {value.note}"[:300] if value.note else NO_DATA
    return Decimal(str(round(value.value, 2))), (f"{value.source} ({value.basis})" if value.basis else value.source)[:300]


@transaction.atomic
def start_report(*, by: Actor, form: ReportForm, unit: Unit, period_start: dt.date) -> UnitReport:
    """The unit's report for the period beginning `period_start`, pre-filled from the platform's
    figures for the unit over the period; the level above in force on the period's last day
    reviews it."""
    if not isinstance(by, SystemActor) and not can_write_report(by, unit):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị báo cáo lập báo cáo của đơn vị mình."))
    start, end = clocks.period_containing(form.period_kind, period_start)
    if start != period_start:
        raise ValidationError({"period_start": _("Kỳ báo cáo bắt đầu ngày %(d)s.") % {"d": start.strftime("%d/%m/%Y")}})
    if start > _today():
        raise ValidationError({"period_start": _("Kỳ báo cáo chưa bắt đầu.")})
    if unit.kind != form.reporting_kind or not in_province(form, unit):
        raise ValidationError({"unit": _("Đơn vị này không báo cáo theo mẫu “%(form)s”.") % {"form": form.title}})
    require_in_force(unit, end)
    reviewer = level_above(unit, end)
    if reviewer is None:
        raise ValidationError({"unit": _("Không xác định được cấp trên tiếp nhận báo cáo.")})
    existing = UnitReport.objects.filter(form__province=form.province, form__code=form.code, unit=unit, period_start=start).first()
    if existing is not None:
        raise ValidationError({"period_start": _("Đơn vị đã lập báo cáo kỳ này.")})
    report = UnitReport.objects.create(
        form=form,
        unit=unit,
        reviewer=reviewer,
        period_start=start,
        period_end=end,
        due_on=clocks.report_deadline(end, form.due_working_days, province_calendar()).due,
    )
    for indicator in ReportIndicator.objects.filter(section__form=form).order_by("section__order", "order"):
        prefilled, note = _prefill(indicator, unit=unit, start=start, end=end)
        ReportValue.objects.create(report=report, indicator=indicator, number=prefilled, prefilled=prefilled, prefill_note=note)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=report, unit_path=unit.path)
    return report


def _lock_report(report: UnitReport) -> UnitReport:
    return UnitReport.objects.select_for_update(of=("self",)).select_related("unit", "reviewer", "form").get(pk=report.pk)


def _state_refusal(report: UnitReport) -> str:
    return _("Báo cáo đang ở trạng thái “%(state)s”: không thể thực hiện thao tác này.") % {"state": report.get_state_display()}


def parse_number(raw: str) -> Decimal | None:
    """A figure typed the Vietnamese way ("1.250,5") or plainly ("1250.5"); blank is None."""
    text = raw.strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("“%(raw)s” không phải là một số.") % {"raw": raw.strip()}) from exc
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise ValidationError(_("Số liệu phải là số không âm, nhỏ hơn 1.000 tỷ."))
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def save_report_values(*, by: Actor, report: UnitReport, values: dict[int, dict[str, str]]) -> UnitReport:
    """The unit's figures and texts by indicator id ({"number"/"text", "deviation_note"}); each
    changed value is audited. A bad figure refuses the whole change, naming the indicator."""
    locked = _lock_report(report)
    if not isinstance(by, SystemActor) and not can_write_report(by, locked.unit):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị báo cáo sửa báo cáo của đơn vị mình."))
    move(REPORT_TRANSITIONS, locked.state, ReportAction.EDIT, refusal=_state_refusal(locked))
    rows = {v.indicator_id: v for v in locked.values.select_related("indicator")}
    errors: dict[str, list[str]] = {}
    for indicator_id, given in values.items():
        row = rows.get(indicator_id)
        if row is None:
            errors.setdefault("__all__", []).append(_("Chỉ tiêu không thuộc mẫu báo cáo này."))
            continue
        before = audit.snapshot(row)
        if row.indicator.kind == IndicatorKind.NUMBER:
            try:
                row.number = parse_number(given.get("number", ""))
            except ValidationError as exc:
                errors[f"v{indicator_id}"] = [f"{row.indicator.label}: {exc.messages[0]}"]
                continue
        else:
            row.text = given.get("text", "").strip()[:5000]
        row.deviation_note = given.get("deviation_note", "").strip()[:2000]
        if audit.snapshot(row) != before:
            row.save()
            audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=row, before=before, unit_path=locked.unit.path)
    if errors:
        raise ValidationError(errors)
    return locked


def missing_in_report(report: UnitReport) -> list[str]:
    """What stops the report from being submitted: numbers left blank, and figures that differ
    from the platform's without an explanation."""
    problems: list[str] = []
    for row in report.values.select_related("indicator").order_by("indicator__section__order", "indicator__order"):
        if row.indicator.kind == IndicatorKind.NUMBER and row.number is None:
            problems.append(_("Chưa nhập: %(label)s.") % {"label": row.indicator.label})
        elif row.deviates and not row.deviation_note:
            problems.append(
                _("%(label)s khác số liệu trên nền tảng (%(pre)s): giải trình chênh lệch.")
                % {"label": row.indicator.label, "pre": row.prefilled}
            )
    return problems


@transaction.atomic
def submit_report(*, by: Actor, report: UnitReport, on: dt.date | None = None) -> UnitReport:
    """Send the report up (again, after it was returned); the first sending decides timeliness."""
    locked = _lock_report(report)
    if not isinstance(by, SystemActor) and not can_write_report(by, locked.unit):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị báo cáo gửi báo cáo của đơn vị mình."))
    day = on or _today()
    _not_future(day, "on")
    before = audit.snapshot(locked)
    locked.state = move(REPORT_TRANSITIONS, locked.state, ReportAction.SUBMIT, refusal=_state_refusal(locked))
    problems = missing_in_report(locked)
    if problems:
        raise ValidationError({"__all__": problems})
    locked.first_submitted_on = locked.first_submitted_on or day
    locked.submitted_on = day
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.unit.path)
    notify_role_holders(
        unit=locked.reviewer,
        roles=REVIEW_ROLES,
        subject=_("Báo cáo định kỳ của %(unit)s") % {"unit": locked.unit.name},
        body=_("%(unit)s đã gửi báo cáo kỳ %(start)s–%(end)s, chờ xem xét.")
        % {"unit": locked.unit.name, "start": locked.period_start.strftime("%d/%m/%Y"), "end": locked.period_end.strftime("%d/%m/%Y")},
        link=absolute_url("supervision:report", locked.pk),
        dedupe=f"supervision-report-submitted-{locked.pk}-{day.isoformat()}-{locked.submitted_on}",
    )
    return locked


def _review(report: UnitReport, action: str, *, by: Actor, comment: str) -> UnitReport:
    locked = _lock_report(report)
    if not isinstance(by, SystemActor) and not can_review_report(by, locked):
        raise PermissionDenied(_("Chỉ cấp trên tiếp nhận báo cáo mới xem xét báo cáo này."))
    before = audit.snapshot(locked)
    locked.state = move(REPORT_TRANSITIONS, locked.state, action, refusal=_state_refusal(locked))
    comment = comment.strip()
    if action == ReportAction.RETURN and len(comment) < 10:
        raise ValidationError({"comment": _("Nêu rõ nội dung cần sửa (ít nhất 10 ký tự).")})
    locked.review_comment = comment[:5000]
    locked.reviewed_on = _today()
    locked.reviewed_by = by if isinstance(by, User) else None
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.unit.path)
    verb = _("trả lại") if action == ReportAction.RETURN else _("tiếp nhận")
    notify_role_holders(
        unit=locked.unit,
        roles=REPORT_ROLES,
        subject=_("Báo cáo định kỳ đã được %(verb)s") % {"verb": verb},
        body=_("%(reviewer)s đã %(verb)s báo cáo kỳ %(start)s–%(end)s. %(comment)s")
        % {
            "reviewer": locked.reviewer.name,
            "verb": verb,
            "start": locked.period_start.strftime("%d/%m/%Y"),
            "end": locked.period_end.strftime("%d/%m/%Y"),
            "comment": comment,
        },
        link=absolute_url("supervision:report", locked.pk),
        dedupe=f"supervision-report-{action}-{locked.pk}-{timezone.now().isoformat()}",
    )
    return locked


@transaction.atomic
def return_report(*, by: Actor, report: UnitReport, comment: str) -> UnitReport:
    """The level above sends the report back with what to correct."""
    return _review(report, ReportAction.RETURN, by=by, comment=comment)


@transaction.atomic
def accept_report(*, by: Actor, report: UnitReport, comment: str = "") -> UnitReport:
    return _review(report, ReportAction.ACCEPT, by=by, comment=comment)


def remind_reports(*, on: dt.date | None = None, by: SystemActor = SYSTEM) -> int:
    """Daily: for each form in use, remind the units that have not sent the report of the period
    that just ended when it falls due within conf.REPORT_REMINDER_WORKING_DAYS working days, and
    once when it is overdue. Returns how many reminders were queued."""
    day = on or _today()
    calendar = province_calendar()
    sent = 0
    with transaction.atomic():
        for form in ReportForm.objects.filter(in_use=True).select_related("province"):
            start, end = clocks.last_ended_period(form.period_kind, day)
            due = clocks.report_deadline(end, form.due_working_days, calendar).due
            if day <= due:
                if calendar.working_days_between(day, due) > conf.REPORT_REMINDER_WORKING_DAYS:
                    continue
                subject = _("Sắp đến hạn gửi báo cáo định kỳ")
                body = _("Báo cáo kỳ %(start)s–%(end)s phải được gửi trước hết ngày %(due)s.")
                tag = "due"
            else:
                subject = _("Báo cáo định kỳ quá hạn")
                body = _("Báo cáo kỳ %(start)s–%(end)s đã quá hạn gửi từ %(due)s.")
                tag = "overdue"
            text = body % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y"), "due": due.strftime("%d/%m/%Y")}
            for unit in queries.units_not_submitted(form, start, end):
                notify_role_holders(
                    unit=unit,
                    roles=REPORT_ROLES,
                    subject=subject,
                    body=text,
                    link=absolute_url("supervision:report_list"),
                    dedupe=f"supervision-report-{tag}-{form.code}-{unit.pk}-{start.isoformat()}",
                )
                sent += 1
    return sent
