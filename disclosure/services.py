"""Every write of the disclosure capability. Each staff action is one service: keyword-only, with
its actor, its own permission check, an audit entry, and one or more entries appended to the
commune's hash-chained register (in the same transaction, so neither exists without the other)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor, person
from accounts.models import Role, User
from accounts.notifications import notify_role_holders
from accounts.permissions import PROVINCE_ADMIN_ROLES
from core import audit, transitions, uploads
from core.disclosures import PublicRecord, Recorded
from core.links import absolute_url
from core.models import AuditEntry
from core.workdays import province_calendar
from disclosure import chain, conf, deadlines, photos
from disclosure.models import (
    SET_TRANSITIONS,
    Broadcast,
    CommuneContact,
    Disclosure,
    Form,
    Obligation,
    ObligationSet,
    Posting,
    PostingPhoto,
    RegisterEntry,
    SetState,
)
from disclosure.permissions import can_keep_register, can_manage_obligations
from units.models import Unit, UnitKind
from units.structure import level_above, require_in_force

CREATE = AuditEntry.Action.CREATE
UPDATE = AuditEntry.Action.UPDATE
WRITE_ROLES = {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}


# --- Obligations (versioned data) -------------------------------------------------------------
def _require_obligation_rights(by: Actor) -> None:
    if by is not SYSTEM and not can_manage_obligations(by):
        raise PermissionDenied


def default_obligations() -> list[dict[str, Any]]:
    """The 14 categories with the law's forms, deadline and durations (conf.py, DOMAIN.md)."""
    rows = []
    for number, title in conf.CATEGORIES.items():
        forms = [Form.NOTICE_BOARD, Form.PORTAL]
        if number in conf.LOUDSPEAKER_CATEGORIES:
            forms.append(Form.LOUDSPEAKER)
        rows.append(
            {
                "number": number,
                "title": title,
                "source": f"{conf.LAW}, Điều 11 khoản {number}",
                "forms": [str(f) for f in forms],
                "at_villages": number in conf.VILLAGE_CATEGORIES,
                "deadline_working_days": conf.DEFAULT_DEADLINE_WORKING_DAYS,
                "deadline_source": conf.DEADLINE_SOURCE,
                "permanent": number in conf.PERMANENT_CATEGORIES,
                "min_posting_days": 0 if number in conf.PERMANENT_CATEGORIES else conf.DEFAULT_POSTING_DAYS,
                "loudspeaker_days": conf.DEFAULT_LOUDSPEAKER_DAYS if number in conf.LOUDSPEAKER_CATEGORIES else 0,
            }
        )
    return rows


def ensure_obligations(*, by: Actor) -> ObligationSet:
    """The obligations in force; the first time, version 1 seeded from the law's defaults."""
    _require_obligation_rights(by)
    with transaction.atomic():
        current = ObligationSet.objects.select_for_update().filter(state=SetState.PUBLISHED).order_by("-version").first()
        if current is not None:
            return current
        version = (ObligationSet.objects.aggregate(models.Max("version"))["version__max"] or 0) + 1
        current = ObligationSet.objects.create(
            version=version, name=_("Nghĩa vụ công khai theo Luật 10/2022/QH15"), state=SetState.PUBLISHED, published_at=timezone.now()
        )
        for row in default_obligations():
            Obligation.objects.create(obligation_set=current, **row)
        audit.record(actor=by, action=CREATE, instance=current)
    return current


def revise_obligations(*, by: User) -> ObligationSet:
    """A new draft version copying the version in force (or the existing draft, if there is one)."""
    _require_obligation_rights(by)
    with transaction.atomic():
        draft = ObligationSet.objects.select_for_update().filter(state=SetState.DRAFT).first()
        if draft is not None:
            return draft
        base = ensure_obligations(by=by)
        version = (ObligationSet.objects.aggregate(models.Max("version"))["version__max"] or 0) + 1
        draft = ObligationSet.objects.create(version=version, name=base.name, state=SetState.DRAFT, revised_from=base)
        for ob in base.obligations.all():
            Obligation.objects.create(
                obligation_set=draft,
                **{f: getattr(ob, f) for f in (*EDITABLE_FIELDS, "number", "title")},
            )
        audit.record(actor=by, action=CREATE, instance=draft)
    return draft


EDITABLE_FIELDS = (
    "source",
    "forms",
    "at_villages",
    "deadline_working_days",
    "deadline_source",
    "permanent",
    "min_posting_days",
    "loudspeaker_days",
)


def update_obligation(*, by: User, obligation: Obligation, changes: dict[str, Any]) -> Obligation:
    _require_obligation_rights(by)
    with transaction.atomic():
        obligation = Obligation.objects.select_for_update(of=("self",)).select_related("obligation_set").get(pk=obligation.pk)
        if obligation.obligation_set.state != SetState.DRAFT:
            raise ValidationError(_("Chỉ sửa được bản dự thảo; hãy tạo phiên bản mới."))
        before = audit.snapshot(obligation)
        for name, value in changes.items():
            if name not in EDITABLE_FIELDS:
                raise ValidationError(_("Không sửa được trường “%(name)s”.") % {"name": name})
            setattr(obligation, name, value)
        if obligation.permanent:
            obligation.min_posting_days = 0
        elif Form.NOTICE_BOARD in obligation.forms and obligation.min_posting_days < 1:
            raise ValidationError(_("Nhập số ngày niêm yết tối thiểu (hoặc chọn niêm yết thường xuyên)."))
        unknown = [f for f in obligation.forms if f not in Form.values]
        if unknown or not obligation.forms:
            raise ValidationError(_("Chọn ít nhất một hình thức công khai hợp lệ."))
        obligation.full_clean()
        obligation.save()
        audit.record(actor=by, action=UPDATE, instance=obligation, before=before)
    return obligation


def publish_obligations(*, by: User, obligation_set: ObligationSet) -> ObligationSet:
    """Put a draft in force; the version in force before it is retired (its disclosures keep it)."""
    _require_obligation_rights(by)
    with transaction.atomic():
        draft = ObligationSet.objects.select_for_update().get(pk=obligation_set.pk)
        before = audit.snapshot(draft)
        draft.state = transitions.move(SET_TRANSITIONS, draft.state, SetState.PUBLISHED, refusal=_("Phiên bản này không còn là dự thảo."))
        for old in ObligationSet.objects.select_for_update().filter(state=SetState.PUBLISHED).exclude(pk=draft.pk):
            old_before = audit.snapshot(old)
            old.state = transitions.move(SET_TRANSITIONS, old.state, SetState.RETIRED)
            old.save(update_fields=["state"])
            audit.record(actor=by, action=UPDATE, instance=old, before=old_before)
        draft.published_at = timezone.now()
        draft.save(update_fields=["state", "published_at"])
        audit.record(actor=by, action=UPDATE, instance=draft, before=before)
    return draft


# --- The register -----------------------------------------------------------------------------
def _require_register(by: Actor, unit: Unit) -> None:
    if by is not SYSTEM and not can_keep_register(by, unit):
        raise PermissionDenied
    if unit.kind != UnitKind.COMMUNE:
        raise ValidationError(_("Chỉ xã, phường, đặc khu có sổ công khai."))


def _actor_label(by: Actor) -> str:
    user = person(by)
    return (user.get_full_name() or user.get_username()) if user else str(SYSTEM)


def append(*, unit: Unit, kind: str, instance: models.Model, by: Actor) -> RegisterEntry:
    """Append one entry to `unit`'s chain: the record's current reading, signed with the
    predecessor's hash. The commune's row is locked, so two entries never take the same number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append() must run inside transaction.atomic()")
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    last = RegisterEntry.objects.filter(unit=unit).order_by("-seq").first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else chain.GENESIS
    payload = chain.reading(instance)
    return RegisterEntry.objects.create(
        unit=unit,
        seq=seq,
        kind=kind,
        object_label=instance._meta.label_lower,
        object_pk=instance.pk,
        payload=payload,
        prev_hash=prev,
        hash=chain.entry_hash(prev_hash=prev, unit_id=unit.pk, seq=seq, kind=kind, payload=payload),
        recorded_at=timezone.now(),
        actor_label=_actor_label(by),
    )


def _check_dates(*, document_date: dt.date, disclosed_on: dt.date | None, today: dt.date) -> None:
    if document_date > today:
        raise ValidationError({"document_date": _("Ngày văn bản %(d)s ở tương lai.") % {"d": f"{document_date:%d/%m/%Y}"}})
    if disclosed_on is not None:
        if disclosed_on > today:
            raise ValidationError({"disclosed_on": _("Ngày công khai %(d)s ở tương lai.") % {"d": f"{disclosed_on:%d/%m/%Y}"}})
        if disclosed_on < document_date:
            raise ValidationError(
                {
                    "disclosed_on": _("Ngày công khai %(d)s trước ngày văn bản %(doc)s.")
                    % {"d": f"{disclosed_on:%d/%m/%Y}", "doc": f"{document_date:%d/%m/%Y}"}
                }
            )


def _villages_of(unit: Unit, villages: Iterable[Unit], on: dt.date) -> list[Unit]:
    chosen = list(villages)
    for village in chosen:
        if village.parent_id != unit.pk or village.kind != UnitKind.VILLAGE:
            raise ValidationError({"villages": _("%(v)s không thuộc %(u)s.") % {"v": village.name, "u": unit.name}})
        require_in_force(village, on)
    return chosen


def _reference(unit: Unit, year: int) -> str:
    count = Disclosure.objects.filter(unit=unit, reference__startswith=f"CK-{unit.code}-{year}-").count()
    return f"CK-{unit.code}-{year}-{count + 1:04d}"


def _open_postings(*, disclosure: Disclosure, on: dt.date, at_office: bool, villages: Sequence[Unit], by: Actor) -> None:
    places: list[Unit | None] = ([None] if at_office else []) + list(villages)
    if not places:
        raise ValidationError({"at_office": _("Niêm yết phải có ít nhất một nơi: trụ sở xã hoặc nhà văn hoá thôn.")})
    for village in places:
        posting = Posting.objects.create(disclosure=disclosure, village=village, started_on=on)
        append(unit=disclosure.unit, kind=RegisterEntry.Kind.DISCLOSED, instance=posting, by=by)


def _clean_forms(forms: Iterable[str]) -> list[str]:
    chosen = sorted({str(f) for f in forms})
    if any(f not in Form.values for f in chosen):
        raise ValidationError({"forms": _("Hình thức công khai không hợp lệ.")})
    return chosen


def record_disclosure(
    *,
    by: Actor,
    unit: Unit,
    obligation: Obligation,
    title: str,
    document_number: str,
    document_date: dt.date,
    issuer: str,
    document: IO[bytes] | Any | None = None,
    document_name: str = "",
    disclosed_on: dt.date | None = None,
    forms: Iterable[str] = (),
    at_office: bool = True,
    villages: Iterable[Unit] = (),
    corrects: Disclosure | None = None,
    correction_reason: str = "",
    today: dt.date | None = None,
) -> Disclosure:
    """Write a document into the commune's register, with its due date; with `disclosed_on`, also
    its disclosure (forms, and for a notice-board posting the places it is posted at). A correction
    names the disclosure it corrects and why; the corrected one stays in the register."""
    _require_register(by, unit)
    today = today or timezone.localdate()
    _check_dates(document_date=document_date, disclosed_on=disclosed_on, today=today)
    require_in_force(unit, document_date)
    if disclosed_on is not None:
        require_in_force(unit, disclosed_on)
    if obligation.obligation_set.state != SetState.PUBLISHED:
        raise ValidationError({"obligation": _("Nhóm nội dung này không thuộc bộ nghĩa vụ đang áp dụng.")})
    title, document_number, issuer = title.strip(), document_number.strip(), issuer.strip()
    if not (title and document_number and issuer):
        raise ValidationError(_("Nhập trích yếu, số ký hiệu và cơ quan ban hành văn bản."))
    chosen_forms = _clean_forms(forms)
    if disclosed_on is not None and not chosen_forms:
        raise ValidationError({"forms": _("Chọn ít nhất một hình thức công khai.")})
    if corrects is not None:
        if corrects.unit_id != unit.pk:
            raise ValidationError(_("Chỉ đính chính được văn bản trong sổ của chính xã."))
        if corrects.corrections.exists():
            raise ValidationError(_("Văn bản này đã được đính chính; hãy đính chính bản mới nhất."))
        if not correction_reason.strip():
            raise ValidationError({"correction_reason": _("Nêu lý do đính chính.")})
    with transaction.atomic():
        chosen_villages = _villages_of(unit, villages, disclosed_on or document_date)
        stored = None
        if document is not None:
            stored = uploads.store_upload(
                document, name=document_name or "van-ban", by=person(by), max_bytes=conf.PHOTO_MAX_BYTES, allowed=conf.DOCUMENT_TYPES
            )
        deadline = deadlines.due(document_date, obligation, province_calendar())
        disclosure = Disclosure.objects.create(
            unit=unit,
            obligation=obligation,
            reference=_reference(unit, document_date.year),
            title=title[:500],
            document_number=document_number[:100],
            document_date=document_date,
            issuer=issuer[:200],
            document_file=stored,
            due_on=deadline.due,
            due_reasoning=deadlines.reasoning(deadline, obligation)[:500],
            disclosed_on=disclosed_on,
            forms=chosen_forms,
            corrects=corrects,
            correction_reason=correction_reason.strip()[:500],
            recorded_at=timezone.now(),
            recorded_by=person(by),
        )
        kind = RegisterEntry.Kind.CORRECTION if corrects else RegisterEntry.Kind.REGISTERED
        append(unit=unit, kind=kind, instance=disclosure, by=by)
        if disclosed_on is not None and Form.NOTICE_BOARD in chosen_forms:
            _open_postings(disclosure=disclosure, on=disclosed_on, at_office=at_office, villages=chosen_villages, by=by)
        audit.record(actor=by, action=CREATE, instance=disclosure, unit_path=unit.path)
        if corrects is not None:
            notify_role_holders(
                unit=level_above(unit, today),
                roles=PROVINCE_ADMIN_ROLES,
                subject=_("%(unit)s đính chính văn bản công khai %(ref)s") % {"unit": unit.name, "ref": corrects.reference},
                body=disclosure.correction_reason,
                link=absolute_url("disclosure:detail", disclosure.pk),
                dedupe=f"disclosure-correction:{disclosure.pk}",
            )
    return disclosure


def disclose(
    *,
    by: Actor,
    disclosure: Disclosure,
    disclosed_on: dt.date,
    forms: Iterable[str],
    at_office: bool = True,
    villages: Iterable[Unit] = (),
    today: dt.date | None = None,
) -> Disclosure:
    """Record that a registered document was disclosed: on which day, how, and where it is posted."""
    _require_register(by, disclosure.unit)
    today = today or timezone.localdate()
    with transaction.atomic():
        disclosure = (
            Disclosure.objects.select_for_update(of=("self",)).select_related("unit", "obligation", "document_file").get(pk=disclosure.pk)
        )
        if disclosure.disclosed_on is not None:
            raise ValidationError(_("Văn bản này đã được ghi là công khai ngày %(d)s.") % {"d": f"{disclosure.disclosed_on:%d/%m/%Y}"})
        _check_dates(document_date=disclosure.document_date, disclosed_on=disclosed_on, today=today)
        require_in_force(disclosure.unit, disclosed_on)
        chosen_forms = _clean_forms(forms)
        if not chosen_forms:
            raise ValidationError({"forms": _("Chọn ít nhất một hình thức công khai.")})
        chosen_villages = _villages_of(disclosure.unit, villages, disclosed_on)
        before = audit.snapshot(disclosure)
        disclosure.disclosed_on = disclosed_on
        disclosure.forms = chosen_forms
        disclosure.save(update_fields=["disclosed_on", "forms", "search_text"])
        append(unit=disclosure.unit, kind=RegisterEntry.Kind.DISCLOSED, instance=disclosure, by=by)
        if Form.NOTICE_BOARD in chosen_forms:
            _open_postings(disclosure=disclosure, on=disclosed_on, at_office=at_office, villages=chosen_villages, by=by)
        audit.record(actor=by, action=UPDATE, instance=disclosure, before=before, unit_path=disclosure.unit.path)
    return disclosure


def add_photo(
    *,
    by: Actor,
    posting: Posting,
    upload: IO[bytes] | Any,
    name: str,
    purpose: str = PostingPhoto.Purpose.POSTED,
    browser_position: tuple[float, float] | None = None,
    received_at: dt.datetime | None = None,
) -> PostingPhoto:
    """Attach a notice-board photo to a posting. Its time and place are read and checked; a photo
    that proves nothing is kept, unproven, with the reason. A taking-down photo ends the posting
    on the day it was taken (or today)."""
    unit = posting.disclosure.unit
    _require_register(by, unit)
    if purpose not in PostingPhoto.Purpose.values:
        raise ValidationError(_("Loại ảnh không hợp lệ."))
    if browser_position is not None:
        lat, lon = browser_position
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError(_("Toạ độ điện thoại gửi lên không hợp lệ."))
    received_at = received_at or timezone.now()
    uploads.check_upload(upload, name=name, max_bytes=conf.PHOTO_MAX_BYTES, allowed=conf.PHOTO_TYPES)
    facts = photos.read_exif(upload)
    commune = (unit.latitude, unit.longitude) if unit.latitude is not None and unit.longitude is not None else None
    with transaction.atomic():
        posting = (
            Posting.objects.select_for_update(of=("self",))
            .select_related("disclosure__unit", "disclosure__obligation", "village")
            .get(pk=posting.pk)
        )
        if posting.ended_on is not None:
            raise ValidationError(_("Điểm niêm yết này đã kết thúc ngày %(d)s.") % {"d": f"{posting.ended_on:%d/%m/%Y}"})
        assessment = photos.assess(
            facts,
            browser_position=browser_position,
            received_at=received_at,
            commune_position=commune,
            earliest=posting.started_on,
            max_distance_m=conf.PHOTO_MAX_DISTANCE_METRES,
        )
        stored = uploads.store_upload(upload, name=name, by=person(by), max_bytes=conf.PHOTO_MAX_BYTES, allowed=conf.PHOTO_TYPES)
        photo = PostingPhoto.objects.create(
            posting=posting,
            purpose=purpose,
            file=stored,
            taken_at=assessment.taken_at,
            time_source=assessment.time_source,
            latitude=assessment.latitude,
            longitude=assessment.longitude,
            location_source=assessment.location_source,
            distance_m=assessment.distance_m,
            proven=assessment.proven,
            unproven_reason=" ".join(assessment.reasons)[:500],
            uploaded_at=received_at,
        )
        append(unit=unit, kind=RegisterEntry.Kind.PHOTO, instance=photo, by=by)
        audit.record(actor=by, action=CREATE, instance=photo, unit_path=unit.path)
        if purpose == PostingPhoto.Purpose.TAKEN_DOWN:
            day = timezone.localtime(assessment.taken_at).date() if assessment.taken_at else timezone.localdate(received_at)
            _end(posting, max(day, posting.started_on), by=by)
    return photo


def _end(posting: Posting, ended_on: dt.date, *, by: Actor) -> None:
    before = audit.snapshot(posting)
    posting.ended_on = ended_on
    posting.save(update_fields=["ended_on"])
    append(unit=posting.disclosure.unit, kind=RegisterEntry.Kind.POSTING_ENDED, instance=posting, by=by)
    audit.record(actor=by, action=UPDATE, instance=posting, before=before, unit_path=posting.disclosure.unit.path)


def end_posting(*, by: Actor, posting: Posting, ended_on: dt.date, today: dt.date | None = None) -> Posting:
    """Record the day a posting was taken down (which closes its period)."""
    _require_register(by, posting.disclosure.unit)
    today = today or timezone.localdate()
    with transaction.atomic():
        posting = (
            Posting.objects.select_for_update(of=("self",)).select_related("disclosure__unit", "disclosure__obligation").get(pk=posting.pk)
        )
        if posting.ended_on is not None:
            raise ValidationError(_("Điểm niêm yết này đã kết thúc ngày %(d)s.") % {"d": f"{posting.ended_on:%d/%m/%Y}"})
        if ended_on > today:
            raise ValidationError({"ended_on": _("Ngày gỡ xuống %(d)s ở tương lai.") % {"d": f"{ended_on:%d/%m/%Y}"}})
        if ended_on < posting.started_on:
            raise ValidationError(
                {"ended_on": _("Ngày gỡ xuống trước ngày bắt đầu niêm yết %(d)s.") % {"d": f"{posting.started_on:%d/%m/%Y}"}}
            )
        _end(posting, ended_on, by=by)
    return posting


def log_broadcast(*, by: Actor, disclosure: Disclosure, day: dt.date, note: str = "", today: dt.date | None = None) -> Broadcast:
    """One day's reading on the loudspeakers (once per day per disclosure)."""
    _require_register(by, disclosure.unit)
    today = today or timezone.localdate()
    if disclosure.disclosed_on is None:
        raise ValidationError(_("Văn bản chưa được ghi là công khai."))
    if day > today:
        raise ValidationError({"day": _("Ngày phát %(d)s ở tương lai.") % {"d": f"{day:%d/%m/%Y}"}})
    if day < disclosure.document_date:
        raise ValidationError({"day": _("Ngày phát trước ngày văn bản.")})
    with transaction.atomic():
        if Broadcast.objects.filter(disclosure=disclosure, day=day).exists():
            raise ValidationError({"day": _("Đã ghi buổi phát loa ngày %(d)s.") % {"d": f"{day:%d/%m/%Y}"}})
        broadcast = Broadcast.objects.create(disclosure=disclosure, day=day, note=note.strip()[:300])
        append(unit=disclosure.unit, kind=RegisterEntry.Kind.BROADCAST, instance=broadcast, by=by)
        audit.record(actor=by, action=CREATE, instance=broadcast, unit_path=disclosure.unit.path)
    return broadcast


def update_contact(*, by: Actor, unit: Unit, address: str, reception_schedule: str, phone: str, email: str) -> CommuneContact:
    """The address, reception schedule and contacts the commune's public page shows."""
    _require_register(by, unit)
    with transaction.atomic():
        contact, created = CommuneContact.objects.select_for_update().get_or_create(unit=unit)
        before = None if created else audit.snapshot(contact)
        contact.address, contact.reception_schedule, contact.phone, contact.email = (
            address.strip()[:300],
            reception_schedule.strip()[:2000],
            phone.strip()[:40],
            email.strip(),
        )
        contact.full_clean()
        contact.save()
        audit.record(actor=by, action=CREATE if created else UPDATE, instance=contact, before=before, unit_path=unit.path)
    return contact


# --- Clocks -----------------------------------------------------------------------------------
def send_reminders(*, by: Actor = SYSTEM, today: dt.date | None = None) -> int:
    """Remind each commune of documents falling due within REMINDER_WORKING_DAYS working days and of
    postings whose required period ends within POSTING_END_REMINDER_DAYS days (not to take them
    down early). One message per item and kind, however often the job runs."""
    if by is not SYSTEM:
        raise PermissionDenied
    today = today or timezone.localdate()
    calendar = province_calendar()
    horizon = calendar.add_working_days(today, conf.REMINDER_WORKING_DAYS)
    sent = 0
    with transaction.atomic():
        pending = Disclosure.objects.filter(disclosed_on__isnull=True, due_on__gte=today, due_on__lte=horizon, corrections__isnull=True)
        for d in pending.select_related("unit"):
            notify_role_holders(
                unit=d.unit,
                roles=WRITE_ROLES,
                subject=_("Sắp đến hạn công khai: %(title)s") % {"title": d.title[:120]},
                body=_("Hạn công khai %(due)s. %(why)s") % {"due": f"{d.due_on:%d/%m/%Y}", "why": d.due_reasoning},
                link=absolute_url("disclosure:detail", d.pk),
                dedupe=f"disclosure-due:{d.pk}",
            )
            sent += 1
        window = today + dt.timedelta(days=conf.POSTING_END_REMINDER_DAYS)
        open_postings = Posting.objects.filter(ended_on__isnull=True, disclosure__obligation__permanent=False).select_related(
            "disclosure__unit", "disclosure__obligation", "village"
        )
        for p in open_postings:
            until = deadlines.posting_required_until(p, p.disclosure.obligation)
            if until is None or not (today <= until <= window):
                continue
            notify_role_holders(
                unit=p.disclosure.unit,
                roles=WRITE_ROLES,
                subject=_("Thời gian niêm yết sắp đủ: %(title)s") % {"title": p.disclosure.title[:120]},
                body=_("%(place)s: niêm yết đến hết ngày %(until)s; đừng gỡ xuống trước ngày này, và chụp ảnh khi gỡ.")
                % {"place": p.place, "until": f"{until:%d/%m/%Y}"},
                link=absolute_url("disclosure:detail", p.disclosure_id),
                dedupe=f"disclosure-posting-end:{p.pk}",
            )
            sent += 1
    return sent


# --- Records other capabilities publish (core.disclosures) ------------------------------------
def receive_public_record(record: PublicRecord, *, by: Actor) -> Recorded:
    """Write another capability's public record (a consultation's summary, a recognised community
    decision) into the commune's register, disclosed on the portal on `record.disclosed_on`. The
    publishing capability has already checked `by`'s right to the act; the register records who
    did it. Once per act: a record whose `source_key` is already in the commune's register returns
    that entry and writes nothing."""
    unit = record.unit
    if unit.kind != UnitKind.COMMUNE:
        raise ValidationError(_("Chỉ xã, phường, đặc khu có sổ công khai."))
    require_in_force(unit, record.disclosed_on)
    source_key = record.source_key.strip()[:100]
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()  # one writer per commune's register
        existing = Disclosure.objects.filter(unit=unit, source_key=source_key).first()
        if existing is not None:
            return Recorded(existing.reference, absolute_url("disclosure_public:item", existing.reference), created=False)
        obligation = ensure_obligations(by=SYSTEM).obligations.filter(number=record.category).first()
        if obligation is None:
            raise ValidationError(_("Bộ nghĩa vụ công khai đang áp dụng không có nhóm %(n)d.") % {"n": record.category})
        stored = None
        if record.document is not None:
            stored = uploads.store_upload(
                io.BytesIO(record.document),
                name=record.document_name or "van-ban.pdf",
                by=person(by),
                max_bytes=conf.PHOTO_MAX_BYTES,
                allowed=conf.DOCUMENT_TYPES,
            )
        deadline = deadlines.due(record.document_date, obligation, province_calendar())
        disclosure = Disclosure.objects.create(
            unit=unit,
            obligation=obligation,
            reference=_reference(unit, record.document_date.year),
            title=record.title.strip()[:500],
            document_number=(record.document_number.strip() or _("Không số"))[:100],
            document_date=record.document_date,
            issuer=record.issuer.strip()[:200],
            document_file=stored,
            due_on=deadline.due,
            due_reasoning=deadlines.reasoning(deadline, obligation)[:500],
            disclosed_on=record.disclosed_on,
            forms=[str(Form.PORTAL)],
            recorded_at=timezone.now(),
            recorded_by=person(by),
            source_key=source_key,
            source_link=record.source_link[:500],
        )
        append(unit=unit, kind=RegisterEntry.Kind.REGISTERED, instance=disclosure, by=by)
        audit.record(actor=by, action=CREATE, instance=disclosure, unit_path=unit.path)
    return Recorded(disclosure.reference, absolute_url("disclosure_public:item", disclosure.reference), created=True)
