"""Every write to feedback cases, rules and counters: one function per use case, each in one
transaction with its permission check, the case event, the audit entry and any notification."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor, person
from accounts.models import RoleAssignment, User
from accounts.notifications import notify_role_holders
from accounts.scope import visible_units
from core import audit, outbox, transitions
from core.links import absolute_url
from core.models import AuditEntry
from core.uploads import check_upload, store_upload
from core.workdays import WorkingCalendar, province_calendar
from feedback import conf, crypto, moderation
from feedback.models import (
    CASE_REASONS,
    CONDUCT_CATEGORIES,
    OPEN,
    PROTECTED_KINDS,
    TRANSITIONS,
    Action,
    Case,
    CaseAttachment,
    CaseEvent,
    Category,
    Channel,
    Counter,
    CounterRating,
    DeadlineRule,
    Finding,
    Kind,
    RatingReason,
    RegisterClass,
    RegisterSequence,
    RoutingRule,
    Score,
    Status,
    new_tracking_code,
)
from feedback.permissions import (
    HANDLER_ROLES,
    belongs_to_unit,
    can_act_on_case,
    can_enter_case,
    can_manage_counters,
    can_manage_deadlines,
    can_manage_rules_for,
)
from feedback.routing import in_force_counterpart, is_sensitive, next_level_up, route_case
from units.models import Unit, UnitKind
from units.structure import UnitNotInForce, current_unit, in_force_on, require_in_force


# --- Deadlines -------------------------------------------------------------------------------
def deadline_key(case_or_kind: Any, category: str | None = None) -> str:
    kind, cat = (case_or_kind.kind, case_or_kind.category) if isinstance(case_or_kind, Case) else (case_or_kind, category)
    return kind if kind in PROTECTED_KINDS else str(cat)


def province_of(unit: Unit) -> Unit | None:
    """The province `unit` belongs to, as it is in force today: a 2024 unit's province is replaced
    by the province that succeeded it (its cases are handled under that province's settings now)."""
    province = unit if unit.kind == UnitKind.PROVINCE else next((u for u in unit.ancestors() if u.kind == UnitKind.PROVINCE), None)
    if province is None:
        return None
    return current_unit(province) or province


def working_days_for(key: str, province: Unit | None = None) -> int:
    """The province's own row for `key`, else the national default row, else conf's default."""
    rows = {r.province_id: r.working_days for r in DeadlineRule.objects.filter(key=key, province__in=[province] if province else [])}
    if province is not None and province.pk in rows:
        return rows[province.pk]
    row = DeadlineRule.objects.filter(key=key, province__isnull=True).first()
    return row.working_days if row else conf.DEFAULT_WORKING_DAYS.get(key, conf.DEFAULT_WORKING_DAYS["other"])


def case_calendar(case: Case) -> WorkingCalendar:
    """The working calendar of the province the case is about."""
    return province_calendar(province_of(case.concerned_unit))


def _start_day(case: Case) -> dt.date:
    return timezone.localtime(case.received_at).date()


def _apply_deadline(case: Case, calendar: WorkingCalendar) -> None:
    """Due date = `working_days` plus the working days the clock was paused, counted from receipt
    (or from the last escalation, which gives the upper level its own full period)."""
    deadline = calendar.deadline(case.period_start, case.working_days + case.paused_days)
    case.due_on = deadline.due
    case.due_explanation = deadline.explanation()[:500]
    if case.register_class == RegisterClass.RULES_OUT_OF_COMPETENCE and case.status == Status.RECEIVED:
        case.forward_due_on = calendar.add_working_days(_start_day(case), conf.FORWARD_WORKING_DAYS)


def recompute_due_dates(*, changed_date: dt.date | None = None, by: Actor = SYSTEM, province: Unit | None = None) -> int:
    """Recompute open cases' due dates after a calendar changed: `province`'s cases (each province
    counts in its own calendar), or every province's when the rows for all provinces changed. Runs
    in the caller's transaction (the calendar service's), so the change and the new dates land
    together. Returns how many cases changed."""
    calendars: dict[int | None, WorkingCalendar] = {}
    changed = 0
    with transaction.atomic():
        for case in Case.objects.filter(status__in=OPEN).select_related("handling_unit", "concerned_unit").select_for_update(of=("self",)):
            case_province = province_of(case.concerned_unit)
            if province is not None and (case_province is None or case_province.pk != province.pk):
                continue
            key = case_province.pk if case_province else None
            if key not in calendars:
                calendars[key] = province_calendar(case_province)
            before_due = case.due_on
            _apply_deadline(case, calendars[key])
            if case.due_on != before_due:
                Case.objects.filter(pk=case.pk).update(
                    due_on=case.due_on, due_explanation=case.due_explanation, forward_due_on=case.forward_due_on
                )
                _event(
                    case,
                    Action.RECOMPUTE,
                    by=by,
                    note=_("Hạn mới: %(d)s") % {"d": case.due_on.strftime("%d/%m/%Y") if case.due_on else "—"},
                    public=True,
                    note_for_reporter=True,
                )
                changed += 1
    return changed


def on_calendar_change(*, changed_date: dt.date, by: Actor, province: Unit | None = None) -> None:
    recompute_due_dates(changed_date=changed_date, by=by, province=province)


# --- Helpers ---------------------------------------------------------------------------------
def _event(
    case: Case,
    action: str,
    *,
    by: Actor | None,
    from_status: str = "",
    note: str = "",
    public: bool = False,
    note_for_reporter: bool = False,
    by_reporter: bool = False,
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
) -> CaseEvent:
    """One step of the case. Internal unless `public` (shown on the reporter's timeline); its note
    reaches the reporter only with `note_for_reporter`."""
    return CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=person(by),
        by_reporter=by_reporter,
        from_unit=from_unit,
        to_unit=to_unit,
        note=note,
        public=public,
        note_for_reporter=note_for_reporter,
    )


def _next_register_number(unit: Unit, year: int) -> int:
    seq, _created = RegisterSequence.objects.select_for_update().get_or_create(unit=unit, year=year)
    RegisterSequence.objects.filter(pk=seq.pk).update(last_number=F("last_number") + 1)
    seq.refresh_from_db()
    return seq.last_number


def _notify_unit(unit: Unit, case: Case, *, subject: str, body: str, dedupe: str) -> None:
    """Tell the unit's handlers about `case`, with the link to its staff page."""
    link = absolute_url("feedback:case", case.pk)
    notify_role_holders(unit=unit, roles=HANDLER_ROLES, subject=subject, body=body, link=link, dedupe=dedupe)


def _notify_reporter(case: Case, *, subject: str, body: str, dedupe: str) -> None:
    """Tell the reporter, with the link to the public tracking page (the code stays theirs to type)."""
    contact = crypto.decrypt(case.contact_encrypted) or {}
    if contact.get("email"):
        link = absolute_url("feedback_public:track")
        outbox.queue_message(recipient=contact["email"], subject=subject, body=body, link=link, dedupe_key=dedupe)


@dataclass(frozen=True)
class Submission:
    case: Case
    tracking_code: str
    created: bool


@dataclass(frozen=True)
class Upload:
    file: IO[bytes] | Any
    name: str


@dataclass(frozen=True)
class Report:
    """One report as every edge hands it over (web form, staff entry, JSON API, Open311): the edges
    build it from their own input, `feedback.intake` checks the client's limit and idempotency once,
    and `submit_case` validates and registers it."""

    category: str
    concerned_unit: Unit
    description: str
    kind: str = Kind.FEEDBACK
    about_officials: bool = False
    contact: dict[str, str] = field(default_factory=dict)
    allow_publication: bool = True
    uploads: Sequence[Upload] = ()
    latitude: float | None = None
    longitude: float | None = None
    location_text: str = ""
    channel: str = Channel.WEB


def check_uploads(uploads: Sequence[Upload]) -> None:
    """All files checked (count, emptiness, size, type by content) before anything is saved."""
    if len(uploads) > conf.MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Chỉ gửi được tối đa %(n)d tệp.") % {"n": conf.MAX_ATTACHMENTS}})
    errors = []
    for up in uploads:
        try:
            check_upload(up.file, name=up.name, max_bytes=conf.MAX_ATTACHMENT_BYTES, allowed=conf.ATTACHMENT_TYPES)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"files": errors})


def _clean_contact(contact: dict[str, str] | None) -> dict[str, str]:
    contact = {k: (v or "").strip()[:200] for k, v in (contact or {}).items() if k in ("name", "phone", "email")}
    return {k: v for k, v in contact.items() if v}


# --- Intake ----------------------------------------------------------------------------------
# Farther than ~0.2° (about 20 km) from every commune centre is outside the province.
_NEAR_COMMUNE_SQUARED_DEGREES = 0.04


def commune_near(latitude: float, longitude: float) -> Unit | None:
    """The province's commune whose centre is nearest to the point, or None when the point is
    outside the province (or not a real coordinate)."""
    if not (math.isfinite(latitude) and math.isfinite(longitude) and -90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    communes = Unit.objects.in_force().filter(kind=UnitKind.COMMUNE, latitude__isnull=False, longitude__isnull=False)
    best, best_d = None, math.inf
    for unit in communes.only("id", "latitude", "longitude", "path", "kind", "parent_id", "name", "code"):
        d = (unit.latitude - latitude) ** 2 + ((unit.longitude - longitude) * math.cos(math.radians(latitude))) ** 2  # type: ignore[operator]  # filtered: not null
        if d < best_d:
            best, best_d = unit, d
    return best if best_d < _NEAR_COMMUNE_SQUARED_DEGREES else None


def commune_by_code(code: str, *, on: dt.date | None = None) -> Unit | None:
    """The commune with this official code in force on `on` (today by default): codes repeat
    between the 2024 and 2025 lists, so the unit in force wins. Failing that, the latest unit that
    had the code, so the service can refuse it and name its successor (UnitNotInForce)."""
    code = (code or "").strip()[:20]
    if not code:
        return None
    communes = Unit.objects.filter(code=code, kind=UnitKind.COMMUNE)
    return communes.in_force(on).first() or communes.order_by("-valid_to", "-edition").first()


def _location_errors(latitude: float | None, longitude: float | None) -> dict[str, str]:
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        return {"location": _("Cần gửi cả vĩ độ (lat) và kinh độ (long).")}
    if not (math.isfinite(latitude) and math.isfinite(longitude) and -90 <= latitude <= 90 and -180 <= longitude <= 180):
        return {"location": _("Toạ độ không hợp lệ: vĩ độ từ -90 đến 90, kinh độ từ -180 đến 180.")}
    if commune_near(latitude, longitude) is None:
        return {"location": _("Toạ độ đã gửi nằm ngoài địa bàn tỉnh.")}
    return {}


def _nul_errors(**texts: str) -> dict[str, str]:
    # PostgreSQL cannot store a NUL character in text; no person types one.
    return {field: _("Nội dung có ký tự không hợp lệ (NUL).") for field, text in texts.items() if "\x00" in (text or "")}


class IdempotencyConflict(Exception):
    """A concurrent request with the same idempotency digest committed its case first."""


def submit_case(
    *,
    report: Report,
    idempotency_digest: str | None = None,
    payload_digest: str = "",
    by: User | None = None,
    received_at: dt.datetime | None = None,
) -> Submission:
    """Register a report and return its tracking code. The case is committed before this returns.
    Retries are recognised before this is called (feedback.intake); `idempotency_digest` is stored
    so that a concurrent twin raises IdempotencyConflict instead of creating a second case. No IP
    address or user agent is taken; contact details (only when given) are stored encrypted."""
    category, kind, concerned_unit = report.category, report.kind, report.concerned_unit
    latitude, longitude, location_text, contact = report.latitude, report.longitude, report.location_text, report.contact
    description = (report.description or "").strip()
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = _("Chọn lĩnh vực phản ánh.")
    if kind not in Kind.values:
        errors["kind"] = _("Loại đơn không hợp lệ.")
    if len(description) < 10:
        errors["description"] = _("Nội dung phản ánh cần ít nhất 10 ký tự.")
    elif len(description) > conf.MAX_DESCRIPTION_CHARS:
        errors["description"] = _("Nội dung phản ánh dài %(n)d ký tự, vượt giới hạn %(max)d ký tự. Vui lòng rút gọn.") % {
            "n": len(description),
            "max": conf.MAX_DESCRIPTION_CHARS,
        }
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        errors["received_at"] = _("Ngày tiếp nhận không được sau hôm nay.")
    if concerned_unit is None or concerned_unit.kind != UnitKind.COMMUNE:
        errors["unit"] = _("Chọn xã, phường, thị trấn được phản ánh.")
    else:
        # The one check every edge meets: the commune must be in force on the day the report was
        # received; the refusal names the successor for the edge to offer.
        try:
            require_in_force(concerned_unit, received_at)
        except UnitNotInForce as refusal:
            if not errors:
                raise
            errors["unit"] = refusal.messages[0]
    errors |= _location_errors(latitude, longitude)
    errors |= _nul_errors(description=description, location_text=location_text, **{k: v or "" for k, v in (contact or {}).items()})
    if errors:
        raise ValidationError(errors)
    check_uploads(report.uploads)
    try:
        with transaction.atomic():
            submission = _create_case(
                category=category,
                concerned_unit=concerned_unit,
                description=description,
                channel=report.channel,
                kind=kind,
                about_officials=report.about_officials,
                contact=_clean_contact(contact),
                allow_publication=report.allow_publication,
                uploads=report.uploads,
                idem=idempotency_digest,
                idempotency_payload_digest=payload_digest,
                latitude=latitude,
                longitude=longitude,
                location_text=(location_text or "").strip()[:500],
                by=by,
                received_at=received_at,
            )
    except IntegrityError:
        if idempotency_digest and Case.objects.filter(idempotency_digest=idempotency_digest).exists():
            raise IdempotencyConflict from None
        raise
    return submission


def _create_case(*, contact: dict[str, str], uploads: Sequence[Upload], idem: str | None, by: User | None, **fields: Any) -> Submission:
    code = new_tracking_code()
    concerned_unit = fields["concerned_unit"]
    received_at = fields["received_at"]
    # Routed by the structure in force on the day received; a report received before 1 July 2025
    # and registered now is handled by the unit that holds that work today (never an abolished one).
    handling = route_case(
        category=fields["category"],
        kind=fields["kind"],
        about_officials=fields["about_officials"],
        concerned_unit=concerned_unit,
        on=received_at,
    )
    handling = in_force_counterpart(handling) or handling
    province = province_of(concerned_unit)
    year = timezone.localtime(received_at).year
    case = Case(
        **fields,
        handling_unit=handling,
        register_unit=handling,
        register_year=year,
        register_number=_next_register_number(handling, year),
        period_start=timezone.localtime(received_at).date(),
        working_days=working_days_for(deadline_key(fields["kind"], fields["category"]), province),
        contact_encrypted=crypto.encrypt(contact) if contact else "",
        code_digest=crypto.digest(code, purpose="tracking"),
        code_encrypted=crypto.encrypt(code),
        idempotency_digest=idem,
        entered_by=person(by),
    )
    _apply_deadline(case, province_calendar(province))
    case.save()
    for up in uploads:
        stored = store_upload(up.file, name=up.name, by=by, max_bytes=conf.MAX_ATTACHMENT_BYTES, allowed=conf.ATTACHMENT_TYPES)
        CaseAttachment.objects.create(case=case, file=stored, from_reporter=True)
    _event(
        case,
        Action.SUBMIT,
        by=by,
        note=case.get_channel_display(),
        to_unit=handling,
        by_reporter=by is None,
        public=True,
        note_for_reporter=True,
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=case, unit_path=handling.path)
    _notify_unit(
        handling,
        case,
        subject=_("Phản ánh mới số %(n)s") % {"n": case.register_label},
        body=_("Có phản ánh mới về %(u)s (%(c)s), hạn trả lời %(d)s.")
        % {"u": concerned_unit.name, "c": case.get_category_display(), "d": case.due_on.strftime("%d/%m/%Y") if case.due_on else ""},
        dedupe=f"feedback:new:{case.pk}",
    )
    return Submission(case, code, True)


def _received_moment(received_on: dt.date | None) -> dt.datetime:
    """The moment a report received on `received_on` is registered as received: now for today,
    else the start of that working day (08:00 local time)."""
    now = timezone.now()
    if received_on is None or received_on == timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(received_on, dt.time(8, 0)))


@dataclass(frozen=True)
class EnteredCase:
    case: Case
    # Shown once, on the printable receipt handed to the reporter; None when the entering official
    # belongs to the unit reported about (then only the reporter's own e-mail receives it).
    receipt_code: str | None
    code_emailed: bool


def enter_case(*, by: User, report: Report, received_on: dt.date | None = None) -> EnteredCase:
    """A report received on paper, by phone, email or at a meeting, entered into the same register.

    The tracking code lets whoever holds it act as the reporter (read the answer, add information,
    confirm and close, reopen), so it goes to the reporter only, never to staff of the unit the
    report is about:
    - an official of that unit (a role at it or below) may not enter a sensitive report about it
      (its officials' conduct, a complaint, a denunciation): the entry is refused and the citizen is
      directed to the level above or to the portal, where the commune never handles it;
    - an official of that unit entering an ordinary report never sees the code: it is e-mailed to
      the reporter through the outbox if they gave an address (otherwise no one receives it and the
      reporter gets the answer in person);
    - anyone else gets the code once, on the printable receipt to hand over (and by e-mail too).

    `received_on` is the day the report was received (today by default): the act's date, so a
    paper report received before 1 July 2025 about a 2024 commune is registered on that commune."""
    unit, channel = report.concerned_unit, report.channel
    received_at = _received_moment(received_on)
    if channel not in (Channel.PAPER, Channel.PHONE, Channel.EMAIL, Channel.MEETING):
        raise ValidationError({"channel": _("Chọn kênh tiếp nhận.")})
    if not can_enter_case(by, unit):
        raise PermissionDenied(_("Bạn không có quyền vào sổ phản ánh cho đơn vị này."))
    own_unit = belongs_to_unit(by, unit)
    sensitive = is_sensitive(category=report.category, kind=report.kind, about_officials=report.about_officials)
    if own_unit and sensitive:
        upper = next_level_up(unit, received_at)
        raise ValidationError(
            _(
                "Phản ánh về cán bộ của chính đơn vị bạn, khiếu nại hoặc tố cáo không được vào sổ tại đơn vị bị phản ánh. "
                "Hãy hướng dẫn người dân gửi đến %(u)s hoặc tự gửi qua Cổng phản ánh (có thể ẩn danh)."
            )
            % {"u": upper.name if upper else _("cấp trên")}
        )
    with transaction.atomic():
        submission = submit_case(by=by, report=report, received_at=received_at)
        email = _clean_contact(report.contact).get("email", "")
        if email:
            outbox.queue_message(
                recipient=email,
                subject=_("Mã tra cứu phản ánh số %(n)s") % {"n": submission.case.register_label},
                body=_("Phản ánh của bạn đã được vào sổ. Mã tra cứu (chỉ gửi cho bạn, hãy giữ kín): %(c)s")
                % {"c": submission.tracking_code},
                link=absolute_url("feedback_public:track"),
                dedupe_key=f"feedback:entered:{submission.case.pk}",
            )
    return EnteredCase(case=submission.case, receipt_code=None if own_unit else submission.tracking_code, code_emailed=bool(email))


# --- Staff actions ---------------------------------------------------------------------------
# Steps the reporter does not see on the tracking page.
INTERNAL_ACTIONS = frozenset({Action.ASSIGN, Action.PUBLISH})
# Steps whose note is written to the reporter: the answer, what to add, why it was declined.
REPORTER_NOTE_ACTIONS = frozenset({Action.ANSWER, Action.REQUEST_INFO, Action.DECLINE})


def transfer_targets(*, case: Case, by: User) -> QuerySet[Unit]:
    """The one rule for where `by` may transfer `case`, used by the page, its POST handler and the
    API alike: a province, district or commune within `by`'s handling scope, other than the
    current handling unit; never the commune reported about (or below it) when the report is
    sensitive."""
    units = (
        visible_units(by, HANDLER_ROLES)
        .filter(pk__in=Unit.objects.in_force(), kind__in=[UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE])
        .exclude(pk=case.handling_unit_id)
    )
    if is_sensitive(category=case.category, kind=case.kind, about_officials=case.about_officials):
        units = units.exclude(path__startswith=case.concerned_unit.path)
    return units.order_by("path")


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("handling_unit", "concerned_unit").get(pk=case.pk)


def _transition(case: Case, action: str) -> str:
    """Move the case through the transitions table; return the status it left."""
    before = case.status
    case.status = transitions.move(
        TRANSITIONS,
        case.status,
        action,
        refusal=_("Không thể “%(a)s” khi phản ánh đang ở trạng thái “%(s)s”.")
        % {"a": Action(action).label, "s": case.get_status_display()},
    )
    return before


def _require_handler(by: User, case: Case) -> None:
    if not can_act_on_case(by, case):
        raise PermissionDenied(_("Bạn không có quyền xử lý phản ánh này."))


def _save(case: Case, *, by: Actor | None, before: dict[str, Any]) -> None:
    # `by` is None for the reporter, who acts with the tracking code and has no account.
    case.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=case, before=before, unit_path=case.handling_unit.path)


def _staff_step(
    case: Case, *, by: User, action: str, note: str = "", note_for_reporter: bool = False, apply: Callable[[Case], None]
) -> Case:
    """The frame every staff action shares, inside the caller's transaction: lock the case, check
    `by` handles it, move it through the transitions table, let `apply` check the action's own
    input and change the case, then save with the audit entry and write the case event.

    The step shows on the reporter's timeline unless it is internal (INTERNAL_ACTIONS); its note
    reaches the reporter only for REPORTER_NOTE_ACTIONS or when staff mark it `note_for_reporter`,
    and the reporter is e-mailed for REPORTER_NOTE_ACTIONS."""
    case = _locked(case)
    _require_handler(by, case)
    before = audit.snapshot(case)
    from_status = _transition(case, action)
    from_unit = case.handling_unit
    apply(case)
    _save(case, by=by, before=before)
    moved = case.handling_unit_id != from_unit.pk
    _event(
        case,
        action,
        by=by,
        from_status=from_status,
        note=note,
        public=action not in INTERNAL_ACTIONS,
        note_for_reporter=action in REPORTER_NOTE_ACTIONS or note_for_reporter,
        from_unit=from_unit if moved else None,
        to_unit=case.handling_unit if moved else None,
    )
    if action in REPORTER_NOTE_ACTIONS:
        _notify_reporter(
            case,
            subject=_("Phản ánh của bạn: %(s)s") % {"s": case.get_status_display()},
            body=note,
            dedupe=f"feedback:reporter:{case.pk}:{action}:{timezone.now().timestamp()}",
        )
    return case


@transaction.atomic
def accept_case(*, case: Case, by: User, register_class: str, note: str = "", note_for_reporter: bool = False) -> Case:
    """Accept a received case into the register under a class of Decree 20/2008; a case outside
    the unit's competence gets its forwarding deadline."""

    def apply(case: Case) -> None:
        if register_class not in RegisterClass.values or register_class == RegisterClass.REJECTED:
            raise ValidationError({"register_class": _("Chọn phân loại theo Nghị định 20/2008.")})
        case.register_class = register_class
        if register_class == RegisterClass.RULES_OUT_OF_COMPETENCE:
            case.forward_due_on = case_calendar(case).add_working_days(_start_day(case), conf.FORWARD_WORKING_DAYS)

    return _staff_step(case, by=by, action=Action.ACCEPT, note=note.strip(), note_for_reporter=note_for_reporter, apply=apply)


@transaction.atomic
def decline_case(*, case: Case, by: User, reason: str) -> Case:
    """Decline a received case; the reason is required and is written to the reporter."""
    reason = (reason or "").strip()

    def apply(case: Case) -> None:
        if not reason:
            raise ValidationError({"note": _("Ghi lý do không thụ lý.")})
        case.register_class = RegisterClass.REJECTED
        case.decline_reason = reason[:500]
        case.closed_at = timezone.now()

    return _staff_step(case, by=by, action=Action.DECLINE, note=reason, apply=apply)


@transaction.atomic
def assign_case(*, case: Case, by: User, assignee: User | None, note: str = "", note_for_reporter: bool = False) -> Case:
    """Give an accepted case to one official of the handling unit (or of a unit above it)."""

    def apply(case: Case) -> None:
        if assignee is None or not RoleAssignment.objects.filter(user=assignee, unit__in=case.handling_unit.ancestor_ids()).exists():
            raise ValidationError({"assignee": _("Chọn cán bộ của đơn vị xử lý.")})
        case.assignee = assignee

    return _staff_step(case, by=by, action=Action.ASSIGN, note=note.strip(), note_for_reporter=note_for_reporter, apply=apply)


@transaction.atomic
def start_case(*, case: Case, by: User, note: str = "", note_for_reporter: bool = False) -> Case:
    """Mark an accepted or assigned case as being worked on."""
    return _staff_step(case, by=by, action=Action.START, note=note.strip(), note_for_reporter=note_for_reporter, apply=lambda case: None)


@transaction.atomic
def transfer_case(*, case: Case, by: User, to_unit: Unit | None, note: str = "", note_for_reporter: bool = False) -> Case:
    """Hand an open case to another unit, which must be one of transfer_targets(): the one rule
    the page, its POST handler and the API all apply. The receiving unit's handlers are told."""

    def apply(case: Case) -> None:
        if to_unit is None or to_unit.pk == case.handling_unit_id:
            raise ValidationError({"to_unit": _("Chọn đơn vị nhận chuyển.")})
        try:
            require_in_force(to_unit)
        except UnitNotInForce as refusal:
            raise ValidationError({"to_unit": refusal.messages}) from refusal
        if is_sensitive(category=case.category, kind=case.kind, about_officials=case.about_officials) and to_unit.path.startswith(
            case.concerned_unit.path
        ):
            raise ValidationError({"to_unit": _("Phản ánh về cán bộ xã không được chuyển cho chính xã đó.")})
        if not transfer_targets(case=case, by=by).filter(pk=to_unit.pk).exists():
            raise ValidationError({"to_unit": _("Không được chuyển phản ánh đến đơn vị này; chọn một đơn vị trong danh sách.")})
        case.handling_unit = to_unit
        case.assignee = None
        case.forward_due_on = None

    note = note.strip()
    case = _staff_step(case, by=by, action=Action.TRANSFER, note=note, note_for_reporter=note_for_reporter, apply=apply)
    _notify_unit(
        case.handling_unit,
        case,
        subject=_("Phản ánh số %(n)s được chuyển đến") % {"n": case.register_label},
        body=note,
        dedupe=f"feedback:transfer:{case.pk}:{case.handling_unit_id}:{timezone.now().timestamp()}",
    )
    return case


@transaction.atomic
def request_information(*, case: Case, by: User, question: str) -> Case:
    """Ask the reporter for more information; the deadline clock pauses until they add it."""
    question = (question or "").strip()

    def apply(case: Case) -> None:
        if not question:
            raise ValidationError({"note": _("Ghi rõ thông tin cần bổ sung.")})
        case.paused_since = timezone.localdate()

    return _staff_step(case, by=by, action=Action.REQUEST_INFO, note=question, apply=apply)


@transaction.atomic
def answer_case(*, case: Case, by: User, answer: str, finding: str = "") -> Case:
    """Answer the reporter, with the unit's conclusion (`finding`: substantiated, partly, unfounded)
    where it reached one; a report about an official's conduct must carry it. The answer is on time
    if given by the unit first responsible (no escalation) on or before the due date."""
    answer = (answer or "").strip()
    finding = (finding or "").strip()

    def apply(case: Case) -> None:
        if len(answer) < 10:
            raise ValidationError({"note": _("Nội dung trả lời cần ít nhất 10 ký tự.")})
        if finding and finding not in Finding.values:
            raise ValidationError({"finding": _("Kết luận không hợp lệ.")})
        if not finding and case.category in CONDUCT_CATEGORIES:
            raise ValidationError(
                {"finding": _("Phản ánh về thái độ, hành vi của cán bộ: ghi kết luận (có cơ sở, có cơ sở một phần, không có cơ sở).")}
            )
        case.finding = finding
        case.answer = answer
        case.answered_at = timezone.now()
        case.answered_on_time = case.escalation_level == 0 and case.due_on is not None and timezone.localdate() <= case.due_on

    return _staff_step(case, by=by, action=Action.ANSWER, note=answer, apply=apply)


@transaction.atomic
def close_case(*, case: Case, by: User, note: str = "", note_for_reporter: bool = False) -> Case:
    """Close an answered case."""

    def apply(case: Case) -> None:
        case.closed_at = timezone.now()

    return _staff_step(case, by=by, action=Action.CLOSE, note=note.strip(), note_for_reporter=note_for_reporter, apply=apply)


@transaction.atomic
def reopen_case(*, case: Case, by: User, note: str = "", note_for_reporter: bool = False) -> Case:
    """Reopen an answered or closed case, with a fresh full period from today."""
    return _staff_step(case, by=by, action=Action.REOPEN, note=note.strip(), note_for_reporter=note_for_reporter, apply=_reopen)


@transaction.atomic
def publish_case(
    *, case: Case, by: User, public_summary: str, public_answer: str, confirm_about_officials: bool = False, note_for_reporter: bool = False
) -> Case:
    """Publish the staff-written summary and answer of an answered case, after
    moderation.check_publishable; never the raw description or answer."""
    summary, public_text = (public_summary or "").strip(), (public_answer or "").strip()

    def apply(case: Case) -> None:
        moderation.check_publishable(case, summary=summary, answer=public_text, confirm_about_officials=confirm_about_officials)
        case.public_summary = summary
        case.public_answer = public_text
        case.published_at = timezone.now()

    return _staff_step(case, by=by, action=Action.PUBLISH, note_for_reporter=note_for_reporter, apply=apply)


def _reopen(case: Case) -> None:
    case.reopen_count += 1
    case.answered_at = None
    case.answered_on_time = None
    case.closed_at = None
    # A reopened case gets a fresh full period from today.
    case.paused_days = 0
    case.period_start = timezone.localdate()
    _apply_deadline(case, case_calendar(case))


# --- The reporter's actions (by tracking code) -----------------------------------------------
def find_by_code(code: str) -> Case | None:
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(normalized) != 16:
        return None
    pretty = "-".join(normalized[i : i + 4] for i in range(0, 16, 4))
    return (
        Case.objects.select_related("concerned_unit", "handling_unit").filter(code_digest=crypto.digest(pretty, purpose="tracking")).first()
    )


def reopen_deadline(case: Case) -> dt.date | None:
    if case.answered_at is None:
        return None
    return timezone.localtime(case.answered_at).date() + dt.timedelta(days=conf.REOPEN_DAYS)


@transaction.atomic
def reporter_add_info(*, case: Case, text: str, uploads: Sequence[Upload] = ()) -> Case:
    """The reporter adds information; if the handler asked for it, the clock restarts and the
    paused working days are added to the period."""
    text = (text or "").strip()
    if len(text) < 3 and not uploads:
        raise ValidationError({"text": _("Nhập nội dung bổ sung.")})
    if errors := _nul_errors(text=text):
        raise ValidationError(errors)
    check_uploads(uploads)
    case = _locked(case)
    if not transitions.can_move(TRANSITIONS, case.status, Action.ADD_INFO):
        raise ValidationError(_("Phản ánh đã kết thúc, không bổ sung được nữa."))
    before = audit.snapshot(case)
    from_status = case.status
    if case.status == Status.AWAITING_INFO:
        calendar = case_calendar(case)
        case.paused_days += calendar.working_days_between(case.paused_since or timezone.localdate(), timezone.localdate())
        case.paused_since = None
        case.status = Status.IN_PROGRESS
        _apply_deadline(case, calendar)
    for up in uploads:
        stored = store_upload(up.file, name=up.name, max_bytes=conf.MAX_ATTACHMENT_BYTES, allowed=conf.ATTACHMENT_TYPES)
        CaseAttachment.objects.create(case=case, file=stored, from_reporter=True)
    _save(case, by=None, before=before)
    _event(case, Action.ADD_INFO, by=None, from_status=from_status, note=text[:5000], by_reporter=True, public=True)
    _notify_unit(
        case.handling_unit,
        case,
        subject=_("Phản ánh số %(n)s được bổ sung") % {"n": case.register_label},
        body=text[:2000],
        dedupe=f"feedback:info:{case.pk}:{timezone.now().timestamp()}",
    )
    return case


@transaction.atomic
def reporter_confirm(*, case: Case) -> Case:
    """The reporter confirms the answer solved the problem: the case closes."""
    case = _locked(case)
    before = audit.snapshot(case)
    from_status = _transition(case, Action.CONFIRM)
    case.closed_at = timezone.now()
    _save(case, by=None, before=before)
    _event(case, Action.CONFIRM, by=None, from_status=from_status, by_reporter=True, public=True)
    return case


@transaction.atomic
def reporter_reopen(*, case: Case, reason: str) -> Case:
    """The reporter reopens an answered case within conf.REOPEN_DAYS of the answer."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Cho biết vì sao vấn đề chưa được giải quyết.")})
    if errors := _nul_errors(reason=reason):
        raise ValidationError(errors)
    case = _locked(case)
    limit = reopen_deadline(case)
    if limit is None or timezone.localdate() > limit:
        raise ValidationError(_("Đã quá thời hạn %(n)d ngày để mở lại phản ánh.") % {"n": conf.REOPEN_DAYS})
    before = audit.snapshot(case)
    from_status = _transition(case, Action.REOPEN)
    _reopen(case)
    _save(case, by=None, before=before)
    _event(case, Action.REOPEN, by=None, from_status=from_status, note=reason[:2000], by_reporter=True, public=True)
    _notify_unit(
        case.handling_unit,
        case,
        subject=_("Phản ánh số %(n)s bị mở lại") % {"n": case.register_label},
        body=reason[:2000],
        dedupe=f"feedback:reopen:{case.pk}:{case.reopen_count}",
    )
    return case


# --- Scheduled jobs --------------------------------------------------------------------------
def escalate_overdue_cases(*, today: dt.date | None = None) -> int:
    """Move every overdue open case (clock not paused) one level up, with a fresh period for the
    upper level, and tell both units. Each case in its own transaction. Returns how many moved."""
    today = today or timezone.localdate()
    ids = list(Case.objects.filter(status__in=OPEN, due_on__lt=today).exclude(status=Status.AWAITING_INFO).values_list("pk", flat=True))
    moved = 0
    calendars: dict[int | None, WorkingCalendar] = {}
    for pk in ids:
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).select_related("handling_unit", "concerned_unit").get(pk=pk)
            if not case.is_overdue_on(today):
                continue
            # The level above in force today: a case about a 2024 commune still open goes to the
            # new province, never to an abolished district.
            upper = next_level_up(case.handling_unit, today)
            if upper is None and not in_force_on(case.handling_unit, today):
                upper = in_force_counterpart(case.handling_unit, today)
            province = province_of(case.concerned_unit)
            key = province.pk if province else None
            if key not in calendars:
                calendars[key] = province_calendar(province)
            calendar = calendars[key]
            before = audit.snapshot(case)
            from_unit = case.handling_unit
            case.escalation_level += 1
            if upper is not None:
                case.handling_unit = upper
                case.assignee = None
            case.period_start, case.paused_days = today, 0
            _apply_deadline(case, calendar)
            _save(case, by=SYSTEM, before=before)
            _event(
                case,
                Action.ESCALATE,
                by=SYSTEM,
                from_status=case.status,
                from_unit=from_unit,
                to_unit=case.handling_unit,
                note=_("Quá hạn trả lời"),
                public=True,
                note_for_reporter=True,
            )
            for unit in {from_unit, case.handling_unit}:
                _notify_unit(
                    unit,
                    case,
                    subject=_("Phản ánh số %(n)s quá hạn, chuyển lên %(u)s") % {"n": case.register_label, "u": case.handling_unit.name},
                    body=_("Hạn mới: %(d)s") % {"d": f"{case.due_on:%d/%m/%Y}"},
                    dedupe=f"feedback:escalate:{case.pk}:{case.escalation_level}:{unit.pk}",
                )
            moved += 1
    return moved


def remind_due_cases(*, today: dt.date | None = None) -> int:
    """Remind the handling unit of cases due within conf.REMINDER_WORKING_DAYS working days,
    once per due date."""
    today = today or timezone.localdate()
    # Each case's horizon in its own province's calendar; the query reads a generous bound (the
    # national horizon plus the longest run of extra days off a province might declare).
    bound = province_calendar().add_working_days(today, conf.REMINDER_WORKING_DAYS) + dt.timedelta(days=14)
    horizons: dict[int | None, dt.date] = {}
    count = 0
    qs = Case.objects.filter(status__in=OPEN, due_on__gte=today, due_on__lte=bound).exclude(status=Status.AWAITING_INFO)
    for case in qs.select_related("handling_unit", "concerned_unit"):
        if case.reminded_for == case.due_on:
            continue
        province = province_of(case.concerned_unit)
        key = province.pk if province else None
        if key not in horizons:
            horizons[key] = province_calendar(province).add_working_days(today, conf.REMINDER_WORKING_DAYS)
        if case.due_on is None or case.due_on > horizons[key]:
            continue
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(reminded_for=case.due_on)
            _event(case, Action.REMIND, by=SYSTEM, from_status=case.status, public=False)
            _notify_unit(
                case.handling_unit,
                case,
                subject=_("Sắp đến hạn trả lời phản ánh số %(n)s") % {"n": case.register_label},
                body=_("Hạn trả lời: %(d)s") % {"d": case.due_on.strftime("%d/%m/%Y")},
                dedupe=f"feedback:remind:{case.pk}:{case.due_on}",
            )
        count += 1
    return count


# --- Rules and counters (the province) -------------------------------------------------------
@transaction.atomic
def save_routing_rule(*, by: User, category: str, unit: Unit, responsible_unit: Unit, note: str = "") -> RoutingRule:
    """Route reports about `unit`'s subtree (of `category`, or any) to `responsible_unit`: both in
    force and both within a province `by` administers."""
    if not (can_manage_rules_for(by, unit) and can_manage_rules_for(by, responsible_unit)):
        raise PermissionDenied(_("Chỉ cấp tỉnh được đặt quy tắc chuyển xử lý."))
    if category and category not in Category.values:
        raise ValidationError({"category": _("Lĩnh vực không hợp lệ.")})
    for field_name, chosen in (("unit", unit), ("responsible_unit", responsible_unit)):
        try:
            require_in_force(chosen)
        except UnitNotInForce as refusal:
            raise ValidationError({field_name: refusal.messages}) from refusal
    rule = RoutingRule.objects.filter(category=category, unit=unit).first()
    before = audit.snapshot(rule) if rule else None
    rule = rule or RoutingRule(category=category, unit=unit)
    rule.responsible_unit = responsible_unit
    rule.note = note[:300]
    rule.save()
    audit.record(
        actor=by, action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE, instance=rule, before=before, unit_path=unit.path
    )
    return rule


@transaction.atomic
def delete_routing_rule(*, by: User, rule: RoutingRule) -> None:
    if not can_manage_rules_for(by, rule.unit):
        raise PermissionDenied(_("Chỉ cấp tỉnh được đặt quy tắc chuyển xử lý."))
    before = audit.snapshot(rule)
    pk = rule.pk
    rule.delete()
    rule.pk = pk
    audit.record(actor=by, action=AuditEntry.Action.DELETE, instance=rule, before=before, unit_path=rule.unit.path)


@transaction.atomic
def set_deadline(*, by: User, province: Unit, key: str, working_days: int, source: str) -> DeadlineRule:
    """Change `province`'s working days for a category; applies to its cases received from now on.
    Only the province's own administrators change its rows (the national default rows are the
    starting point every province falls back to)."""
    if province is None or province.kind != UnitKind.PROVINCE or not can_manage_deadlines(by, province):
        raise PermissionDenied(_("Chỉ cấp tỉnh được đặt thời hạn cho tỉnh mình."))
    try:
        require_in_force(province)
    except UnitNotInForce as refusal:
        raise ValidationError({"province": refusal.messages}) from refusal
    if key not in conf.DEFAULT_WORKING_DAYS:
        raise ValidationError({"key": _("Loại phản ánh không hợp lệ.")})
    if not 1 <= working_days <= 90:
        raise ValidationError({"working_days": _("Thời hạn từ 1 đến 90 ngày làm việc.")})
    if not source.strip():
        raise ValidationError({"source": _("Ghi căn cứ (văn bản quy định thời hạn).")})
    rule = DeadlineRule.objects.filter(province=province, key=key).first()
    before = audit.snapshot(rule) if rule else None
    rule = rule or DeadlineRule(province=province, key=key)
    rule.working_days, rule.source = working_days, source.strip()[:300]
    rule.save()
    audit.record(
        actor=by,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        instance=rule,
        before=before,
        unit_path=province.path,
    )
    return rule


def ensure_default_deadlines() -> None:
    """The national default rows (conf.DEFAULT_WORKING_DAYS with their sources), created when
    missing; a province without its own row for a category uses these."""
    for key, days in conf.DEFAULT_WORKING_DAYS.items():
        DeadlineRule.objects.get_or_create(
            province=None, key=key, defaults={"working_days": days, "source": conf.DEFAULT_SOURCES.get(key, conf.DEFAULT_SOURCE)}
        )


def deadlines_for(province: Unit | None) -> list[tuple[str, int, str, bool]]:
    """(key, working days, source, set by the province itself) for every category: the province's
    own row where it has one, else the national default."""
    ensure_default_deadlines()
    national = {r.key: r for r in DeadlineRule.objects.filter(province__isnull=True)}
    own = {r.key: r for r in DeadlineRule.objects.filter(province=province)} if province is not None else {}
    rows = []
    for key in conf.DEFAULT_WORKING_DAYS:
        row = own.get(key) or national[key]
        rows.append((key, row.working_days, row.source, key in own))
    return rows


@transaction.atomic
def save_counter(
    *, by: User, unit: Unit, name: str, officer_name: str = "", is_active: bool = True, counter: Counter | None = None
) -> Counter:
    if not can_manage_counters(by, unit):
        raise PermissionDenied(_("Chỉ cấp tỉnh được đăng ký quầy một cửa."))
    if unit.kind != UnitKind.COMMUNE:
        raise ValidationError({"unit": _("Quầy một cửa thuộc một xã, phường, thị trấn.")})
    try:
        require_in_force(unit)
    except UnitNotInForce as refusal:
        raise ValidationError({"unit": refusal.messages}) from refusal
    if not name.strip():
        raise ValidationError({"name": _("Nhập tên quầy.")})
    before = audit.snapshot(counter) if counter else None
    counter = counter or Counter()
    counter.unit, counter.name, counter.officer_name, counter.is_active = unit, name.strip()[:200], officer_name.strip()[:200], is_active
    counter.save()
    audit.record(
        actor=by,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        instance=counter,
        before=before,
        unit_path=unit.path,
    )
    return counter


def rate_counter(
    *, counter: Counter, score: str, reasons: Sequence[str] = (), comment: str = "", idempotency_digest: str | None = None
) -> CounterRating:
    """Record one rating (from the QR page or the API: the same anonymity, no address, device or
    key kept). A harassment or money-demand reason also opens a feedback case about the commune's
    officials, routed like any such report (never only to that commune); a counter left at a
    commune merged on 1 July 2025 reports about the commune in force that succeeded it."""
    if score not in Score.values:
        raise ValidationError({"score": _("Chọn mức đánh giá.")})
    if errors := _nul_errors(comment=comment):
        raise ValidationError(errors)
    reasons = sorted({r for r in reasons if r in RatingReason.values})
    with transaction.atomic():
        case = None
        if CASE_REASONS & set(reasons):
            labels = ", ".join(str(RatingReason(r).label) for r in reasons)
            text = _("Đánh giá tại %(c)s: %(r)s.") % {"c": counter.name, "r": labels}
            if comment.strip():
                text += " " + comment.strip()[:2000]
            category = Category.CONDUCT_HARASSMENT if RatingReason.HARASSMENT in reasons else Category.CONDUCT_EXTRA_DEMANDS
            case = _create_case(
                category=category,
                concerned_unit=current_unit(counter.unit) or counter.unit,
                description=text,
                channel=Channel.COUNTER_QR,
                kind=Kind.FEEDBACK,
                about_officials=True,
                allow_publication=False,
                latitude=None,
                longitude=None,
                received_at=timezone.now(),
                contact={},
                uploads=(),
                idem=None,
                by=None,
            ).case
        rating = CounterRating.objects.create(
            counter=counter, at=timezone.now(), score=score, reasons=reasons, case=case, idempotency_digest=idempotency_digest
        )
    return rating
