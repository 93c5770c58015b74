"""Writes: the household register, community matters through their lifecycle, and the online
household vote. A staff action is one service (keyword-only, `by`, own permission check, audit
entry, outbox message). Casting a vote is the household's own act through its code: it writes no
audit entry and no time anywhere, so nothing ties a ballot to the moment or the household."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor
from accounts.models import User
from accounts.notifications import notify_role_holders
from accounts.scope import can_reach
from core import audit, disclosures, links
from core import state_documents as sd
from core.crypto import digest
from core.models import AuditEntry
from core.tables import cell_text, data_rows, find_columns, read_table
from core.text import personal_data_found
from core.transitions import move
from core.workdays import province_calendar
from participation import conf, crypto, publication, queries, rules
from participation.models import (
    MATTER_TRANSITIONS,
    Attendance,
    Ballot,
    CommuneMatter,
    CommuneMatterState,
    Consultation,
    ConsultationState,
    DraftKind,
    Household,
    HouseholdStatus,
    Initiative,
    InitiativeCode,
    InitiativeState,
    Matter,
    MatterAction,
    MatterOption,
    MatterState,
    Method,
    OnlineAgreement,
    Opinion,
    OpinionChannel,
    OpinionGroup,
    VoteCode,
)
from participation.permissions import COMMUNE_ROLES, can_manage_register, can_organise, can_recognise
from participation.queries import households_total
from units.models import Unit, UnitKind
from units.structure import require_in_force

DEFAULT_OPTIONS = ("Đồng ý", "Không đồng ý")

# --- Household register -----------------------------------------------------------------------

HOUSEHOLD_COLUMNS = {
    "ma_ho": ("mã hộ", "ma ho", "code"),
    "chu_ho": ("chủ hộ", "chu ho", "họ tên chủ hộ", "head"),
    "dien_thoai": ("điện thoại", "dien thoai", "số điện thoại", "phone"),
    "tinh_trang": ("tình trạng", "tinh trang", "status"),
}
_PHONE = re.compile(r"^\+?\d{9,12}$")
_STATUS_WORDS = {
    "": HouseholdStatus.ACTIVE,
    "dang cu tru": HouseholdStatus.ACTIVE,
    "active": HouseholdStatus.ACTIVE,
    "da chuyen di": HouseholdStatus.LEFT,
    "chuyen di": HouseholdStatus.LEFT,
    "left": HouseholdStatus.LEFT,
}


def _tidy_phone(raw: str) -> str:
    return re.sub(r"[\s.\-()]", "", raw or "")


def _check_household(code: str, head_name: str, phone: str) -> str | None:
    """The Vietnamese reason a household row is refused, or None."""
    code_max = Household._meta.get_field("code").max_length or 30
    if not code:
        return _("Thiếu mã hộ.")
    if len(code) > code_max:
        return _("Mã hộ “%(c)s” dài quá %(n)d ký tự.") % {"c": code, "n": code_max}
    if not head_name:
        return _("Thiếu họ tên chủ hộ.")
    if len(head_name) > 200:
        return _("Họ tên chủ hộ dài quá 200 ký tự.")
    if phone and not _PHONE.match(phone):
        return _("Số điện thoại “%(p)s” không hợp lệ (9–12 chữ số).") % {"p": phone}
    return None


def _require_register(by: User, village: Unit) -> None:
    if not can_manage_register(by, village):
        raise PermissionDenied(_("Chỉ UBND xã và Trưởng thôn được quản lý sổ hộ của thôn."))


@transaction.atomic
def save_household(
    *, village: Unit, by: User, code: str, head_name: str, phone: str = "", status: str = HouseholdStatus.ACTIVE
) -> Household:
    """Add a household to the village's register, or update the one with this code."""
    _require_register(by, village)
    require_in_force(village, timezone.localdate())
    code, head_name, phone = code.strip(), " ".join(head_name.split()), _tidy_phone(phone)
    problem = _check_household(code, head_name, phone)
    if problem:
        raise ValidationError(problem)
    if status not in HouseholdStatus.values:
        raise ValidationError(_("Tình trạng hộ không hợp lệ."))
    household = Household.objects.select_for_update().filter(village=village, code=code).first()
    before = audit.snapshot(household) if household else None
    if household is None:
        household = Household(village=village, code=code)
    household.head_name, household.status = head_name, status
    if phone != crypto.decrypt_phone(household.phone_encrypted):
        household.phone_encrypted = crypto.encrypt_phone(phone)
    household.save()
    audit.record(
        actor=by,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        instance=household,
        before=before,
        unit_path=village.path,
    )
    return household


@dataclass
class HouseholdImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return _("%(c)d hộ thêm mới, %(u)d cập nhật, %(n)d không đổi, %(e)d lỗi") % {
            "c": self.created,
            "u": self.updated,
            "n": self.unchanged,
            "e": len(self.errors),
        }


def import_households(*, village: Unit, by: User, content: bytes, filename: str) -> HouseholdImport:
    """Load a village's households from CSV or Excel (columns: mã hộ, chủ hộ, điện thoại
    (optional), tình trạng (optional)). Every row is checked first: with any bad row nothing is
    written and each error is listed with its row number."""
    _require_register(by, village)
    require_in_force(village, timezone.localdate())
    report = HouseholdImport()
    table = read_table(content, filename)
    columns = find_columns(table, HOUSEHOLD_COLUMNS, required=("ma_ho", "chu_ho"))
    planned: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    from core.text import search_key

    for number, row in data_rows(table):
        code = cell_text(row, columns, "ma_ho")
        head = " ".join(cell_text(row, columns, "chu_ho").split())
        phone = _tidy_phone(cell_text(row, columns, "dien_thoai"))
        status = _STATUS_WORDS.get(search_key(cell_text(row, columns, "tinh_trang")))
        problem = _check_household(code, head, phone)
        if problem is None and status is None:
            problem = _("Tình trạng “%(s)s” không hợp lệ: ghi “đang cư trú” hoặc “đã chuyển đi”.") % {
                "s": cell_text(row, columns, "tinh_trang")
            }
        if problem is None and code in seen:
            problem = _("Mã hộ “%(c)s” bị lặp trong tệp.") % {"c": code}
        if problem:
            report.errors.append((number, problem))
            continue
        seen.add(code)
        planned.append((code, head, phone, str(status)))
    if report.errors:
        return report
    if not planned:
        raise ValueError(_("Tệp không có hộ nào."))
    with transaction.atomic():
        existing = {h.code: h for h in Household.objects.select_for_update().filter(village=village, code__in=seen)}
        for code, head, phone, state in planned:
            current = existing.get(code)
            if current is None:
                report.created += 1
            elif (current.head_name, current.status, crypto.decrypt_phone(current.phone_encrypted)) == (head, state, phone):
                report.unchanged += 1
                continue
            else:
                report.updated += 1
            save_household(village=village, by=by, code=code, head_name=head, phone=phone, status=state)
    return report


# --- Matters -----------------------------------------------------------------------------------


def _require_organiser(by: Any, village: Unit) -> None:
    if not can_organise(by, village):
        raise PermissionDenied(_("Chỉ UBND xã và Trưởng thôn được tổ chức việc bàn và quyết định của thôn."))


def _step(matter: Matter, *, by: Any, action: str, apply: Any, reason: str = "") -> Matter:
    """Move a matter through its lifecycle with `apply` making the step's changes; one audit entry."""
    refusal = _("Không thể “%(a)s” khi nội dung đang ở trạng thái “%(s)s”.") % {
        "a": MatterAction(action).label,
        "s": matter.get_state_display(),
    }
    locked = Matter.objects.select_for_update().get(pk=matter.pk)
    target = move(MATTER_TRANSITIONS, locked.state, action, refusal=refusal)
    before = audit.snapshot(locked)
    apply(locked)
    locked.state = target
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.village.path, reason=reason)
    return locked


@transaction.atomic
def create_matter(
    *,
    village: Unit,
    by: User,
    subject: int,
    method: str,
    title: str,
    description: str = "",
    options: Sequence[str] = DEFAULT_OPTIONS,
    on: dt.date | None = None,
) -> Matter:
    """A matter for a village to decide by `method`; online only for subject 6 (art. 19.2)."""
    _require_organiser(by, village)
    day = on or timezone.localdate()
    require_in_force(village, day)
    if subject not in range(1, conf.SUBJECT_COUNT + 1):
        raise ValidationError({"subject": _("Chọn một trong sáu nhóm nội dung.")})
    if method not in Method.values:
        raise ValidationError({"method": _("Chọn hình thức quyết định.")})
    if method == Method.ONLINE and subject not in conf.ONLINE_SUBJECTS:
        raise ValidationError({"method": _("Chỉ nội dung nhóm 6 (công việc tự quản khác) mới được biểu quyết trực tuyến.")})
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Nhập tên nội dung.")})
    labels = [" ".join(o.split()) for o in options if o and o.strip()]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise ValidationError({"options": _("Cần ít nhất hai phương án khác nhau.")})
    matter = Matter.objects.create(
        village=village, subject=subject, method=method, title=title[:300], description=description.strip(), created_by=by
    )
    MatterOption.objects.bulk_create([MatterOption(matter=matter, position=i, label=label[:200]) for i, label in enumerate(labels)])
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=matter, unit_path=village.path)
    return matter


@transaction.atomic
def record_online_agreement(*, matter: Matter, by: User, households_agreed: int, agreed_on: dt.date, basis: str) -> OnlineAgreement:
    """Record how many of the village's households agreed to decide this matter online. Recorded
    whatever the number; opening the vote needs more than half of all households."""
    _require_organiser(by, matter.village)
    require_in_force(matter.village, agreed_on)
    if matter.method != Method.ONLINE:
        raise ValidationError(_("Nội dung này không quyết định bằng biểu quyết trực tuyến."))
    if matter.state not in (MatterState.DRAFT, MatterState.ANNOUNCED):
        raise ValidationError(_("Chỉ ghi nhận sự đồng ý trước khi mở biểu quyết."))
    total = households_total(matter.village)
    if households_agreed < 0 or households_agreed > total:
        raise ValidationError({"households_agreed": _("Số hộ đồng ý phải từ 0 đến %(t)d (tổng số hộ trong sổ).") % {"t": total}})
    if not basis.strip():
        raise ValidationError({"basis": _("Ghi căn cứ: biên bản hoặc phiếu lấy ý kiến.")})
    agreement, created = OnlineAgreement.objects.update_or_create(
        matter=matter,
        defaults={
            "households_total": total,
            "households_agreed": households_agreed,
            "agreed_on": agreed_on,
            "basis": basis.strip()[:300],
            "recorded_by": by,
        },
    )
    audit.record(
        actor=by,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        instance=agreement,
        unit_path=matter.village.path,
    )
    return agreement


@transaction.atomic
def announce_matter(
    *, matter: Matter, by: User, on: dt.date, meeting_on: dt.date | None = None, closes_at: dt.datetime | None = None
) -> Matter:
    """Post the notice: the meeting (or ballot) day, or for an online vote its closing time."""
    _require_organiser(by, matter.village)
    require_in_force(matter.village, on)

    def apply(m: Matter) -> None:
        m.notice_on = on
        if m.method == Method.ONLINE:
            if closes_at is None or closes_at <= timezone.now():
                raise ValidationError({"closes_at": _("Thời điểm kết thúc biểu quyết phải ở tương lai.")})
            m.closes_at = closes_at
        else:
            if meeting_on is None or meeting_on < on:
                raise ValidationError({"meeting_on": _("Ngày hội nghị (phát phiếu) không được trước ngày thông báo.")})
            m.meeting_on = meeting_on

    return _step(matter, by=by, action=MatterAction.ANNOUNCE, apply=apply)


@transaction.atomic
def cancel_matter(*, matter: Matter, by: User, reason: str) -> Matter:
    _require_organiser(by, matter.village)
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi lý do huỷ.")})
    return _step(matter, by=by, action=MatterAction.CANCEL, apply=lambda m: None, reason=reason.strip())


def _due(start: dt.date, days: int) -> dt.date:
    return province_calendar().add_working_days(start, days)


def _decide(m: Matter, *, total: int, decided_on: dt.date) -> None:
    options = list(m.options.all())
    results = rules.assess(m.subject, total, [(o.label, o.votes) for o in options])
    m.households_total = total
    m.passed = any(r.passed for r in results)
    m.decided_on = decided_on
    m.send_due_on = _due(decided_on, conf.SEND_WORKING_DAYS)


@transaction.atomic
def record_result(
    *,
    matter: Matter,
    by: User,
    decided_on: dt.date,
    votes: dict[int, int],
    minutes: str,
    attendance: Sequence[tuple[Household, str]] = (),
    ballots_returned: int | None = None,
) -> Matter:
    """The result of a village meeting (who represented which household, the votes per option) or
    of a household ballot (ballots returned, votes per option), with the minutes. The pass rule
    counts ALL households of the village."""
    _require_organiser(by, matter.village)
    require_in_force(matter.village, decided_on)
    if matter.method == Method.ONLINE:
        raise ValidationError(_("Kết quả biểu quyết trực tuyến được tính từ các phiếu khi kết thúc."))
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("Ngày có kết quả không được ở tương lai.")})
    if not minutes.strip():
        raise ValidationError({"minutes": _("Nhập biên bản.")})
    total = households_total(matter.village)
    options = {o.pk: o for o in matter.options.all()}
    if set(votes) - set(options) or any(v < 0 for v in votes.values()):
        raise ValidationError({"votes": _("Số phiếu không hợp lệ.")})
    if matter.method == Method.MEETING:
        households = [h for h, _r in attendance]
        if any(h.village_id != matter.village_id or h.status != HouseholdStatus.ACTIVE for h in households):
            raise ValidationError({"attendance": _("Chỉ ghi đại diện của các hộ đang cư trú tại thôn.")})
        if len({h.pk for h in households}) != len(households):
            raise ValidationError({"attendance": _("Mỗi hộ chỉ có một người đại diện.")})
        if any(not r.strip() for _h, r in attendance):
            raise ValidationError({"attendance": _("Ghi họ tên người đại diện của từng hộ.")})
        represented = len(households)
    else:
        represented = ballots_returned if ballots_returned is not None else sum(votes.values())
        if represented < 0 or represented > total:
            raise ValidationError({"ballots_returned": _("Số phiếu thu về phải từ 0 đến %(t)d.") % {"t": total}})
    if sum(votes.values()) > represented:
        raise ValidationError(
            {"votes": _("Tổng số biểu quyết (%(s)d) vượt số hộ tham gia (%(r)d).") % {"s": sum(votes.values()), "r": represented}}
        )

    def apply(m: Matter) -> None:
        for pk, option in options.items():
            option.votes = votes.get(pk, 0)
            option.save(update_fields=["votes"])
        if m.method == Method.MEETING:
            Attendance.objects.bulk_create([Attendance(matter=m, household=h, representative=r.strip()[:200]) for h, r in attendance])
        m.represented = represented
        m.minutes = minutes.strip()
        _decide(m, total=total, decided_on=decided_on)

    return _step(matter, by=by, action=MatterAction.RECORD_RESULT, apply=apply)


@transaction.atomic
def send_to_commune(*, matter: Matter, by: User, on: dt.date) -> Matter:
    """Send the record to the commune (art. 22: within 5 working days); its officers are told and
    the recognition clock starts."""
    _require_organiser(by, matter.village)
    require_in_force(matter.village, on)

    def apply(m: Matter) -> None:
        if m.decided_on and on < m.decided_on:
            raise ValidationError({"on": _("Ngày gửi không được trước ngày có kết quả.")})
        m.sent_on = on
        m.recognise_due_on = _due(on, conf.RECOGNISE_WORKING_DAYS)

    matter = _step(matter, by=by, action=MatterAction.SEND, apply=apply)
    notify_role_holders(
        unit=matter.village.parent,
        roles=COMMUNE_ROLES,
        subject=_("Biên bản bàn và quyết định của %(v)s chờ công nhận") % {"v": matter.village.name},
        body=_("%(v)s gửi kết quả “%(t)s”. Hạn công nhận: %(d)s.")
        % {"v": matter.village.name, "t": matter.title, "d": f"{matter.recognise_due_on:%d/%m/%Y}"},
        link=links.absolute_url("participation:matter", matter.pk),
        dedupe=f"participation-sent-{matter.pk}",
    )
    return matter


@transaction.atomic
def recognise_matter(*, matter: Matter, by: User, on: dt.date, reference: str) -> Matter:
    """The commune recognises the result (art. 22: within 5 working days of receiving it)."""
    if not can_recognise(by, matter):
        raise PermissionDenied(_("Chỉ UBND xã được công nhận kết quả."))
    require_in_force(matter.village, on)

    def apply(m: Matter) -> None:
        if not reference.strip():
            raise ValidationError({"reference": _("Ghi số, ký hiệu văn bản công nhận.")})
        if m.sent_on and on < m.sent_on:
            raise ValidationError({"on": _("Ngày công nhận không được trước ngày nhận biên bản.")})
        m.recognised_on = on
        m.recognition_ref = reference.strip()[:100]

    matter = _step(matter, by=by, action=MatterAction.RECOGNISE, apply=apply)
    _disclose_matter(matter, by=by)
    return matter


def _disclose_matter(matter: Matter, *, by: Actor) -> None:
    """A recognised decision the law makes a disclosure (conf.DISCLOSURE_CATEGORY_BY_SUBJECT) goes
    into the commune's register, with its document, in the same transaction. A village's part of a
    commune-wide matter is disclosed with the commune-wide result instead."""
    category = publication.matter_category(matter)
    commune = matter.village.parent
    if category is None or commune is None or matter.commune_matter_id is not None:
        return
    document = sd.render_pdf(publication.matter_document(matter, commune))
    disclosures.publish(publication.matter_record(matter, commune, category=category, document=document), by=by)


# --- Commune-wide matters (art. 21.3) ------------------------------------------------------------


def commune_villages(commune: Unit, on: dt.date) -> list[Unit]:
    """The villages of the commune in force on `on`: all of them decide a commune-wide matter."""
    return list(Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE).in_force(on).order_by("name"))


@transaction.atomic
def create_commune_matter(
    *,
    commune: Unit,
    by: User,
    subject: int,
    method: str,
    title: str,
    description: str = "",
    options: Sequence[str] = DEFAULT_OPTIONS,
    on: dt.date | None = None,
) -> CommuneMatter:
    """A matter for every village of the commune to decide, each as its own matter (its meeting,
    ballot or online vote, its threshold over all its households); the commune then counts the
    villages. Every village needs its household register first."""
    _require_commune(by, commune)
    day = on or timezone.localdate()
    require_in_force(commune, day)
    villages = commune_villages(commune, day)
    if not villages:
        raise ValidationError(_("%(c)s chưa có thôn, tổ dân phố nào.") % {"c": commune.name})
    empty = [v.name for v in villages if households_total(v) == 0]
    if empty:
        raise ValidationError(_("Các thôn chưa có sổ hộ (không tính được ngưỡng trên tổng số hộ): %(v)s.") % {"v": ", ".join(empty)})
    item = CommuneMatter.objects.create(
        commune=commune,
        subject=subject,
        method=method,
        title=" ".join((title or "").split())[:300],
        description=description.strip(),
        created_by=by,
    )
    for village in villages:
        # The same checks as a village's own matter (subject, method, title, options); each village's
        # organisers then run it. The commune's officers organise every village of their commune.
        matter = create_matter(
            village=village, by=by, subject=subject, method=method, title=title, description=description, options=options, on=day
        )
        Matter.objects.filter(pk=matter.pk).update(commune_matter=item)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=item, unit_path=commune.path)
    return item


@transaction.atomic
def decide_commune_matter(*, item: CommuneMatter, by: User, on: dt.date, reference: str = "") -> CommuneMatter:
    """Count the villages once every village has its result (cancelled villages block: the matter
    belongs to all of them) and record the commune-wide result; under subjects 1–2 an option needs
    two thirds of the villages. A result the law makes a disclosure goes into the register."""
    _require_commune(by, item.commune)
    require_in_force(item.commune, on)
    locked = CommuneMatter.objects.select_for_update().get(pk=item.pk)
    if locked.state != CommuneMatterState.COLLECTING:
        raise ValidationError(_("Nội dung toàn xã này đã được tổng hợp kết quả hoặc đã huỷ."))
    if on > timezone.localdate():
        raise ValidationError({"on": _("Ngày tổng hợp không được ở tương lai.")})
    matters, counts = queries.commune_tally(locked)
    pending = [m.village.name for m in matters if m.state not in queries.DECIDED_STATES]
    if pending:
        raise ValidationError(_("Chưa tổng hợp được: các thôn chưa có kết quả: %(v)s.") % {"v": ", ".join(pending)})
    last = max(m.decided_on for m in matters if m.decided_on)
    if on < last:
        raise ValidationError(
            {"on": _("Ngày tổng hợp không được trước ngày thôn cuối cùng có kết quả (%(d)s).") % {"d": f"{last:%d/%m/%Y}"}}
        )
    before = audit.snapshot(locked)
    locked.villages_total = len(matters)
    locked.tally = [{"option": c.label, "villages_passed": c.villages_passed, "needed": c.needed, "passed": c.passed} for c in counts]
    locked.passed = any(c.passed for c in counts)
    locked.decided_on = on
    locked.reference = reference.strip()[:100]
    locked.state = CommuneMatterState.DECIDED
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.commune.path)
    category = conf.DISCLOSURE_CATEGORY_BY_SUBJECT.get(locked.subject)
    if category is not None:
        document = sd.render_pdf(publication.commune_matter_document(locked, matters, counts))
        disclosures.publish(publication.commune_matter_record(locked, category=category, document=document), by=by)
    return locked


# --- The online household vote ----------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(conf.CODE_ALPHABET) for _i in range(conf.CODE_LENGTH))


def _new_receipt(matter: Matter) -> str:
    while True:
        raw = "".join(secrets.choice(conf.CODE_ALPHABET) for _i in range(conf.RECEIPT_LENGTH))
        receipt = f"{raw[:4]}-{raw[4:]}"
        if not Ballot.objects.filter(matter=matter, receipt=receipt).exists():
            return receipt


def format_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(raw: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (raw or "").upper())[: conf.CODE_LENGTH * 2]


@dataclass(frozen=True)
class IssuedCode:
    household: Household
    code: str  # raw: printed once on the slip, never stored


@transaction.atomic
def open_vote(*, matter: Matter, by: User) -> list[IssuedCode]:
    """Open the online vote: needs the households' agreement (more than half of all households)
    and gives every household in residence a one-time code. The raw codes are returned once, for
    the slips; only their keyed hashes are kept."""
    _require_organiser(by, matter.village)
    require_in_force(matter.village, timezone.localdate())
    issued: list[IssuedCode] = []

    def apply(m: Matter) -> None:
        if m.method != Method.ONLINE:
            raise ValidationError(_("Nội dung này không quyết định bằng biểu quyết trực tuyến."))
        agreement = OnlineAgreement.objects.filter(matter=m).first()
        if agreement is None:
            raise ValidationError(_("Chưa ghi nhận sự đồng ý của các hộ về việc biểu quyết trực tuyến."))
        total = households_total(m.village)
        if not rules.online_allowed(m.subject, total, agreement.households_agreed):
            raise ValidationError(
                _("Chỉ được biểu quyết trực tuyến khi trên một nửa tổng số hộ đồng ý: %(a)d/%(t)d hộ là chưa đủ.")
                % {"a": agreement.households_agreed, "t": total}
            )
        if m.closes_at is None or m.closes_at <= timezone.now():
            raise ValidationError(_("Thời điểm kết thúc biểu quyết đã qua."))
        rows = []
        for household in Household.objects.filter(village=m.village, status=HouseholdStatus.ACTIVE).order_by("code"):
            code = new_code()
            issued.append(IssuedCode(household, code))
            rows.append(VoteCode(matter=m, household=household, digest=crypto.code_digest(code)))
        VoteCode.objects.bulk_create(rows)

    _step(matter, by=by, action=MatterAction.OPEN_VOTE, apply=apply)
    return issued


@transaction.atomic
def reissue_code(*, matter: Matter, by: User, household: Household) -> IssuedCode:
    """A new code for a household that lost its slip and has not voted; the old code stops working."""
    _require_organiser(by, matter.village)
    if matter.state != MatterState.VOTING:
        raise ValidationError(_("Chỉ cấp lại mã khi đang biểu quyết."))
    current = VoteCode.objects.select_for_update().filter(matter=matter, household=household, revoked=False).first()
    if current is None:
        raise ValidationError(_("Hộ này không có mã biểu quyết cho nội dung này."))
    if current.has_voted:
        raise ValidationError(_("Hộ đã bỏ phiếu: không cấp lại mã (hộ vẫn đổi được phiếu bằng mã cũ)."))
    current.revoked = True
    current.save(update_fields=["revoked"])
    code = new_code()
    VoteCode.objects.create(matter=matter, household=household, digest=crypto.code_digest(code))
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=matter, after={"reissued_code_for_household": household.code})
    return IssuedCode(household, code)


@dataclass(frozen=True)
class VoteReceipt:
    matter: Matter
    option: MatterOption
    receipt: str
    changed: bool


def _live_code(code: str, *, matter_id: int | None, lock: bool) -> VoteCode:
    """The code's row, or a ValidationError saying why it cannot be used (nothing changes)."""
    normalised = normalise_code(code)
    if len(normalised) != conf.CODE_LENGTH:
        raise ValidationError(_("Mã biểu quyết gồm %(n)d ký tự; hãy kiểm tra lại phiếu mã.") % {"n": conf.CODE_LENGTH})
    qs = VoteCode.objects.select_related("matter", "matter__village")
    if lock:
        qs = qs.select_for_update(of=("self",))
    row = qs.filter(digest=crypto.code_digest(normalised)).first()
    if row is None:
        raise ValidationError(_("Mã biểu quyết không đúng."))
    if matter_id is not None and row.matter_id != matter_id:
        raise ValidationError(_("Mã này không dùng cho nội dung biểu quyết này."))
    if row.revoked:
        raise ValidationError(_("Mã này đã được thay bằng mã mới; hãy dùng phiếu mã mới do Trưởng thôn cấp."))
    return row


def _require_open(matter: Matter, now: dt.datetime) -> None:
    if matter.method != Method.ONLINE:
        raise ValidationError(_("Nội dung này không biểu quyết trực tuyến."))
    if matter.state != MatterState.VOTING or (matter.closes_at is not None and matter.closes_at <= now):
        if matter.state in (MatterState.DRAFT, MatterState.ANNOUNCED):
            raise ValidationError(_("Biểu quyết trực tuyến chưa mở."))
        raise ValidationError(_("Biểu quyết đã kết thúc; không nhận thêm phiếu."))


@transaction.atomic
def cast_vote(*, code: str, matter_id: int, option_id: int, now: dt.datetime | None = None) -> VoteReceipt:
    """The household's vote with its code: the last vote counts. The code's row is locked, the
    ballot it cast before (found by the code's ballot hash) is deleted and a new one with a new
    random key and receipt written; concurrent votes with one code end with exactly one ballot."""
    now = now or timezone.now()
    row = _live_code(code, matter_id=matter_id, lock=True)
    matter = row.matter
    _require_open(matter, now)
    if row.on_paper:
        raise ValidationError(_("Hộ đã bỏ phiếu giấy; không bỏ phiếu trực tuyến được nữa."))
    option = MatterOption.objects.filter(matter=matter, pk=option_id).first()
    if option is None:
        raise ValidationError(_("Chọn một phương án của nội dung này."))
    lookup = crypto.ballot_lookup(normalise_code(code))
    deleted, _by_model = Ballot.objects.filter(lookup=lookup).delete()
    receipt = _new_receipt(matter)
    Ballot.objects.create(matter=matter, option=option, lookup=lookup, receipt=receipt)
    if not row.has_voted:
        VoteCode.objects.filter(pk=row.pk, has_voted=False).update(has_voted=True)
    return VoteReceipt(matter=matter, option=option, receipt=receipt, changed=bool(deleted))


@dataclass(frozen=True)
class VoteStatus:
    matter: Matter
    has_voted: bool
    on_paper: bool
    receipt: str
    option: MatterOption | None


def check_vote(*, code: str, matter_id: int | None = None) -> VoteStatus:
    """What the code's holder may know: whether the household has voted, its receipt and choice."""
    row = _live_code(code, matter_id=matter_id, lock=False)
    ballot = Ballot.objects.select_related("option").filter(lookup=crypto.ballot_lookup(normalise_code(code))).first()
    return VoteStatus(
        matter=row.matter,
        has_voted=row.has_voted,
        on_paper=row.on_paper,
        receipt=ballot.receipt if ballot else "",
        option=ballot.option if ballot else None,
    )


@transaction.atomic
def enter_paper_ballots(*, matter: Matter, by: User, households: Sequence[Household], votes: dict[int, int]) -> list[str]:
    """The village head enters the paper ballots of households that did not vote online: which
    households voted on paper (their codes then stop working) and how many ballots went to each
    option (the box is counted as a whole, so no ballot is tied to a household). Returns the new
    ballots' receipts."""
    _require_organiser(by, matter.village)
    _require_open(Matter.objects.get(pk=matter.pk), timezone.now())
    count = sum(votes.values())
    if count != len(households) or count == 0 or any(v < 0 for v in votes.values()):
        raise ValidationError(
            _("Số phiếu giấy theo phương án (%(v)d) phải bằng số hộ đã bỏ phiếu giấy (%(h)d).") % {"v": count, "h": len(households)}
        )
    options = {o.pk: o for o in matter.options.all()}
    if set(votes) - set(options):
        raise ValidationError(_("Phương án không thuộc nội dung này."))
    rows = list(VoteCode.objects.select_for_update().filter(matter=matter, household__in=households, revoked=False))
    if len(rows) != len({h.pk for h in households}):
        raise ValidationError(_("Có hộ không thuộc danh sách mã của nội dung này."))
    already = [r for r in rows if r.has_voted]
    if already:
        raise ValidationError(_("%(n)d hộ đã bỏ phiếu (trực tuyến hoặc giấy): mỗi hộ chỉ một phiếu.") % {"n": len(already)})
    VoteCode.objects.filter(pk__in=[r.pk for r in rows]).update(has_voted=True, on_paper=True)
    receipts = []
    ballots = []
    for option_id, n in votes.items():
        for _i in range(n):
            receipt = _new_receipt(matter)
            while receipt in receipts:
                receipt = _new_receipt(matter)
            receipts.append(receipt)
            ballots.append(Ballot(matter=matter, option=options[option_id], receipt=receipt))
    secrets.SystemRandom().shuffle(ballots)
    Ballot.objects.bulk_create(ballots)
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=matter, after={"paper_ballots": count}, unit_path=matter.village.path)
    return sorted(receipts)


@transaction.atomic
def close_vote(*, matter: Matter, by: Actor, now: dt.datetime | None = None) -> Matter:
    """After the closing time: count the ballots into the options, apply the pass rule over all
    households and publish the tally with every receipt (the scheduled job acts as SYSTEM)."""
    now = now or timezone.now()
    if by is not SYSTEM:
        _require_organiser(by, matter.village)

    def apply(m: Matter) -> None:
        if m.closes_at is not None and m.closes_at > now:
            raise ValidationError(
                _("Chưa đến thời điểm kết thúc biểu quyết (%(t)s).") % {"t": f"{timezone.localtime(m.closes_at):%H:%M %d/%m/%Y}"}
            )
        counts = dict(Ballot.objects.filter(matter=m).values_list("option").annotate(n=Count("pk")).values_list("option", "n"))
        for option in m.options.all():
            option.votes = counts.get(option.pk, 0)
            option.save(update_fields=["votes"])
        m.represented = VoteCode.objects.filter(matter=m, revoked=False, has_voted=True).count()
        _decide(m, total=households_total(m.village), decided_on=timezone.localdate(now))

    return _step(matter, by=by, action=MatterAction.CLOSE_VOTE, apply=apply)


def close_ended_votes(*, by: Actor, now: dt.datetime | None = None) -> int:
    """The scheduled job: close every online vote whose time is up."""
    now = now or timezone.now()
    closed = 0
    for matter in Matter.objects.filter(state=MatterState.VOTING, closes_at__lte=now):
        close_vote(matter=matter, by=by, now=now)
        closed += 1
    return closed


# --- Consultations on a draft -----------------------------------------------------------------


def _require_commune(by: Any, unit: Unit) -> None:
    if not (unit.kind == UnitKind.COMMUNE and can_reach(by, unit, COMMUNE_ROLES)):
        raise PermissionDenied(_("Chỉ UBND xã được lấy ý kiến và tổng hợp ý kiến của nhân dân."))


def consultation_min_close(kind: str, published_on: dt.date) -> dt.date:
    return published_on + dt.timedelta(days=conf.CONSULTATION_MIN_DAYS.get(kind, max(conf.CONSULTATION_MIN_DAYS.values())))


@transaction.atomic
def publish_consultation(
    *,
    unit: Unit,
    by: User,
    kind: str,
    title: str,
    draft: str,
    clauses: Sequence[str] = (),
    published_on: dt.date,
    closes_on: dt.date,
) -> Consultation:
    """Publish a draft for the people's opinions, for at least the period its kind requires."""
    _require_commune(by, unit)
    require_in_force(unit, published_on)
    if kind not in DraftKind.values:
        raise ValidationError({"kind": _("Chọn loại dự thảo.")})
    title, draft = " ".join((title or "").split()), (draft or "").strip()
    if not title or not draft:
        raise ValidationError(_("Nhập tên và nội dung dự thảo."))
    earliest = consultation_min_close(kind, published_on)
    if closes_on < earliest:
        raise ValidationError(
            {
                "closes_on": _("Thời gian lấy ý kiến ít nhất %(n)d ngày kể từ ngày công bố: hạn góp ý sớm nhất là %(d)s.")
                % {"n": (earliest - published_on).days, "d": f"{earliest:%d/%m/%Y}"}
            }
        )
    labels = [" ".join(c.split())[:200] for c in clauses if c and c.strip()]
    consultation = Consultation.objects.create(
        unit=unit,
        kind=kind,
        title=title[:300],
        draft=draft,
        clauses=labels,
        published_on=published_on,
        closes_on=closes_on,
        created_by=by,
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=consultation, unit_path=unit.path)
    return consultation


def _check_opinion(consultation: Consultation, *, text: str, clause: str, on: dt.date) -> tuple[str, str]:
    if consultation.state != ConsultationState.OPEN or on > consultation.closes_on:
        raise ValidationError(
            _("Đã hết thời gian góp ý (hạn %(d)s); ý kiến không được ghi nhận.") % {"d": f"{consultation.closes_on:%d/%m/%Y}"}
        )
    if on < consultation.published_on:
        raise ValidationError(_("Dự thảo chưa được công bố để lấy ý kiến."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Nhập nội dung góp ý.")})
    if len(text) > conf.OPINION_MAX_CHARS:
        raise ValidationError({"text": _("Nội dung góp ý dài quá %(n)d ký tự.") % {"n": conf.OPINION_MAX_CHARS}})
    clause = (clause or "").strip()
    if clause and clause not in consultation.clauses:
        raise ValidationError({"clause": _("Chọn một điều, khoản của dự thảo (hoặc để trống để góp ý chung).")})
    return text, clause


@dataclass(frozen=True)
class OpinionReceived:
    opinion: Opinion
    created: bool


@transaction.atomic
def submit_opinion(
    *, consultation: Consultation, text: str, clause: str = "", author_name: str = "", idempotency_key: str = "", client: str = ""
) -> OpinionReceived:
    """A citizen's opinion through the portal or the app, anonymous unless a name is given. A
    retry with the same key from the same client returns the first opinion and adds nothing."""
    today = timezone.localdate()
    text, clause = _check_opinion(consultation, text=text, clause=clause, on=today)
    key = digest(f"{client}:{idempotency_key.strip()[:200]}", purpose="participation-opinion") if idempotency_key.strip() else None
    if key:
        first = Opinion.objects.filter(idempotency_digest=key).first()
        if first is not None:
            return OpinionReceived(first, False)
    opinion = Opinion.objects.create(
        consultation=consultation,
        channel=OpinionChannel.PORTAL,
        clause=clause,
        text=text,
        author_name=" ".join(author_name.split())[:200],
        received_on=today,
        idempotency_digest=key,
    )
    return OpinionReceived(opinion, True)


@transaction.atomic
def enter_opinion(
    *, consultation: Consultation, by: User, channel: str, text: str, clause: str = "", author_name: str = "", received_on: dt.date
) -> Opinion:
    """An opinion received at a meeting, in the suggestion box or on the hotline, entered by staff."""
    _require_commune(by, consultation.unit)
    if channel not in (OpinionChannel.MEETING, OpinionChannel.BOX, OpinionChannel.HOTLINE):
        raise ValidationError({"channel": _("Chọn kênh: hội nghị, hòm thư góp ý hoặc đường dây nóng.")})
    text, clause = _check_opinion(consultation, text=text, clause=clause, on=received_on)
    opinion = Opinion.objects.create(
        consultation=consultation,
        channel=channel,
        clause=clause,
        text=text,
        author_name=" ".join(author_name.split())[:200],
        received_on=received_on,
        entered_by=by,
    )
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=opinion, unit_path=consultation.unit.path)
    return opinion


@dataclass(frozen=True)
class GroupAnswer:
    topic: str
    taken_up: bool
    reason: str
    opinion_ids: Sequence[int]


@transaction.atomic
def summarise_consultation(*, consultation: Consultation, by: User, summary: str, groups: Sequence[GroupAnswer]) -> Consultation:
    """At the close: the commune's summary, each group of opinions taken up or not and why; every
    opinion answered in exactly one group. Published on the commune's page."""
    _require_commune(by, consultation.unit)
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.state != ConsultationState.OPEN:
        raise ValidationError(_("Dự thảo này đã được tổng hợp ý kiến."))
    today = timezone.localdate()
    if today <= locked.closes_on:
        raise ValidationError(_("Chỉ tổng hợp sau khi hết hạn góp ý (%(d)s).") % {"d": f"{locked.closes_on:%d/%m/%Y}"})
    if not summary.strip():
        raise ValidationError({"summary": _("Nhập báo cáo tổng hợp.")})
    opinion_ids = set(locked.opinions.values_list("pk", flat=True))
    assigned = [i for g in groups for i in g.opinion_ids]
    if len(assigned) != len(set(assigned)) or set(assigned) != opinion_ids:
        raise ValidationError(_("Mỗi ý kiến phải thuộc đúng một nhóm trong báo cáo tổng hợp."))
    if any(not g.topic.strip() or not g.reason.strip() for g in groups):
        raise ValidationError(_("Mỗi nhóm ý kiến cần tên nhóm và lý do tiếp thu hoặc không tiếp thu."))
    found = personal_data_found("\n".join([summary, *(f"{g.topic}\n{g.reason}" for g in groups)]))
    if found:
        raise ValidationError(
            {
                "summary": _("Báo cáo tổng hợp được công khai nên không được chứa thông tin cá nhân: %(found)s.")
                % {"found": "; ".join(found)}
            }
        )
    before = audit.snapshot(locked)
    for position, g in enumerate(groups):
        group = OpinionGroup.objects.create(
            consultation=locked, position=position, topic=g.topic.strip()[:300], taken_up=g.taken_up, reason=g.reason.strip()
        )
        Opinion.objects.filter(pk__in=g.opinion_ids).update(group=group)
    locked.summary, locked.summarised_on, locked.state = summary.strip(), today, ConsultationState.SUMMARISED
    locked.save()
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, before=before, unit_path=locked.unit.path)
    # Published on the commune's page and recorded as a disclosure (category 11), in this transaction.
    document = sd.render_pdf(publication.consultation_document(locked))
    disclosures.publish(publication.consultation_record(locked, document=document), by=by)
    return locked


# --- Citizen initiative -----------------------------------------------------------------------


@transaction.atomic
def open_initiative(*, village: Unit, by: User, title: str, proposal: str, proposed_by: str) -> tuple[Initiative, list[IssuedCode]]:
    """Record the people's proposal and give every household in residence a code to back it with
    (art. 16: backed by at least 10 % of the households, it must be put to the community). The raw
    codes are returned once, for the slips."""
    _require_organiser(by, village)
    today = timezone.localdate()
    require_in_force(village, today)
    title, proposal, proposed_by = " ".join((title or "").split()), (proposal or "").strip(), " ".join((proposed_by or "").split())
    if not title or not proposal or not proposed_by:
        raise ValidationError(_("Nhập kiến nghị, nội dung và người khởi xướng."))
    total = households_total(village)
    if total == 0:
        raise ValidationError(_("Thôn chưa có hộ nào trong sổ hộ."))
    initiative = Initiative.objects.create(
        village=village,
        title=title[:300],
        proposal=proposal,
        proposed_by=proposed_by[:200],
        opened_on=today,
        households_total=total,
        needed=rules.initiative_needed(total),
        created_by=by,
    )
    issued: list[IssuedCode] = []
    rows = []
    for household in Household.objects.filter(village=village, status=HouseholdStatus.ACTIVE).order_by("code"):
        code = new_code()
        issued.append(IssuedCode(household, code))
        rows.append(InitiativeCode(initiative=initiative, household=household, digest=crypto.code_digest(code)))
    InitiativeCode.objects.bulk_create(rows)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=initiative, unit_path=village.path)
    return initiative, issued


@transaction.atomic
def support_initiative(*, code: str) -> Initiative:
    """A household backs an initiative with its code (once). When the backing reaches the share
    the law requires, the initiative must be put to the community: the commune is told."""
    normalised = normalise_code(code)
    if len(normalised) != conf.CODE_LENGTH:
        raise ValidationError(_("Mã gồm %(n)d ký tự; hãy kiểm tra lại phiếu mã.") % {"n": conf.CODE_LENGTH})
    row = InitiativeCode.objects.select_related("initiative", "initiative__village").filter(digest=crypto.code_digest(normalised)).first()
    if row is None:
        raise ValidationError(_("Mã ủng hộ kiến nghị không đúng."))
    if not InitiativeCode.objects.filter(pk=row.pk, supported=False).update(supported=True):
        raise ValidationError(_("Hộ đã ủng hộ kiến nghị này; mỗi hộ chỉ tính một lần."))
    initiative = Initiative.objects.select_for_update().get(pk=row.initiative_id)
    backing = InitiativeCode.objects.filter(initiative=initiative, supported=True).count()
    if initiative.state == InitiativeState.COLLECTING and backing >= initiative.needed:
        before = audit.snapshot(initiative)
        initiative.state, initiative.reached_on = InitiativeState.REACHED, timezone.localdate()
        initiative.save()
        audit.record(actor=SYSTEM, action=AuditEntry.Action.UPDATE, instance=initiative, before=before, unit_path=initiative.village.path)
        notify_role_holders(
            unit=initiative.village.parent,
            roles=COMMUNE_ROLES,
            subject=_("Kiến nghị của người dân %(v)s đủ số hộ ủng hộ") % {"v": initiative.village.name},
            body=_("“%(t)s”: %(b)d/%(n)d hộ ủng hộ (cần %(k)d). Kiến nghị phải được đưa ra cộng đồng bàn và quyết định.")
            % {"t": initiative.title, "b": backing, "n": initiative.households_total, "k": initiative.needed},
            link=links.absolute_url("participation:village", initiative.village_id),
            dedupe=f"participation-initiative-{initiative.pk}",
        )
    return initiative


@transaction.atomic
def put_initiative_to_community(
    *, initiative: Initiative, by: User, subject: int, method: str, options: Sequence[str] = DEFAULT_OPTIONS
) -> Matter:
    """An initiative that reached its backing becomes a matter of the village (art. 16: it must be
    put to the community), once; the matter then runs its own course (notice, meeting, ballot or
    vote). The village head and the commune are told."""
    locked = Initiative.objects.select_for_update(of=("self",)).select_related("village").get(pk=initiative.pk)
    _require_organiser(by, locked.village)
    if locked.state != InitiativeState.REACHED:
        raise ValidationError(_("Kiến nghị chưa đủ số hộ ủng hộ (cần %(n)d hộ): chưa phải đưa ra cộng đồng.") % {"n": locked.needed})
    if Matter.objects.filter(initiative=locked).exists():
        raise ValidationError(_("Kiến nghị này đã được đưa ra cộng đồng bàn và quyết định."))
    matter = create_matter(
        village=locked.village, by=by, subject=subject, method=method, title=locked.title, description=locked.proposal, options=options
    )
    Matter.objects.filter(pk=matter.pk).update(initiative=locked)
    matter.initiative = locked
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=locked, after={"matter": matter.pk}, unit_path=locked.village.path)
    notify_role_holders(
        unit=locked.village.parent,
        roles=COMMUNE_ROLES,
        subject=_("Kiến nghị của người dân %(v)s được đưa ra bàn và quyết định") % {"v": locked.village.name},
        body=_("“%(t)s” (đủ số hộ ủng hộ ngày %(d)s) đã thành nội dung bàn và quyết định của thôn.")
        % {"t": locked.title, "d": f"{locked.reached_on:%d/%m/%Y}" if locked.reached_on else ""},
        link=links.absolute_url("participation:matter", matter.pk),
        dedupe=f"participation-initiative-matter-{locked.pk}",
    )
    return matter
