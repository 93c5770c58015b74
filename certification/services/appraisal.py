"""Appraisal at either level: the team, conflict-of-interest declarations, scores, site visits and
the agreed team score."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scope import can_reach
from certification import permissions as perms
from certification.models import DISTRICT_PENDING, AppraisalMember, AppraisalScore, CriterionKind, FileState, Level, Registration, SiteVisit
from certification.scoring import evaluate
from certification.services._shared import CREATE, UPDATE, _require, _too_long, file_link
from certification.services.entries import ScoreEntry, _parse_entries
from core import audit, outbox
from core.audit import snapshot


def _level_open(registration: Registration, level: str) -> None:
    registration.refresh_from_db()
    ok = registration.state in DISTRICT_PENDING if level == Level.DISTRICT else registration.state == FileState.AT_PROVINCE
    if not ok:
        raise ValidationError(_("Hồ sơ không ở bước thẩm định của cấp này."))


def set_team(*, registration: Registration, level: str, members: list[Any], leader: Any, by: User) -> list[AppraisalMember]:
    """Form (or change) the appraisal team of one level. Members must work at that level within
    scope; each must then declare whether they have a conflict of interest."""
    _require(perms.can_form_team(by, registration, level))
    _level_open(registration, level)
    unit = perms.level_unit(registration, level)
    roles = perms.level_roles(level)
    if leader not in members:
        raise ValidationError({"leader": _("Tổ trưởng phải là thành viên của tổ.")})
    for user in members:
        if unit is None or not can_reach(user, unit, roles):
            raise ValidationError({"members": _("%(user)s không thuộc cấp thẩm định này.") % {"user": user}})
    with transaction.atomic():
        current = {m.user_id: m for m in registration.members.filter(level=level)}
        before = {"members": sorted(current), "leader": next((u for u, m in current.items() if m.is_leader), None)}
        wanted = {u.pk for u in members}
        registration.members.filter(level=level).exclude(user_id__in=wanted).delete()
        for user in members:
            member = current.get(user.pk) or AppraisalMember(registration=registration, level=level, user=user)
            member.is_leader = user.pk == leader.pk
            member.save()
        after = {"members": sorted(wanted), "leader": leader.pk}
        audit.record(
            actor=by,
            action=UPDATE,
            instance=registration,
            before=before,
            after=after,
            unit_path=registration.unit.path,
            reason=f"team:{level}",
        )
        for user in members:
            if user.email and user.pk not in current:
                outbox.queue_message(
                    recipient=user.email,
                    subject=_("Tham gia tổ thẩm định hồ sơ %(unit)s") % {"unit": registration.unit},
                    body=_("Vui lòng cam kết không xung đột lợi ích trước khi chấm điểm."),
                    link=file_link(registration),
                    dedupe_key=f"cert-team:{registration.pk}:{level}:{user.pk}",
                )
    return list(registration.members.filter(level=level))


def declare_interest(*, registration: Registration, level: str, has_conflict: bool, note: str = "", by: User) -> AppraisalMember:
    """A team member declares whether they have a conflict of interest; a conflicted member may
    not score this file."""
    member = perms.membership(by, registration, level)
    _require(member is not None)
    assert member is not None
    if has_conflict and not note.strip():
        raise ValidationError({"note": _("Vui lòng nêu mối quan hệ dẫn đến xung đột lợi ích.")})
    if too_long := _too_long(AppraisalMember, declaration_note=note.strip()):
        raise ValidationError({"note": too_long["declaration_note"]})
    with transaction.atomic():
        before = snapshot(member)
        member.declaration = AppraisalMember.Declaration.CONFLICT if has_conflict else AppraisalMember.Declaration.NO_CONFLICT
        member.declaration_note = note.strip()
        member.declared_at = timezone.now()
        member.save()
        audit.record(actor=by, action=UPDATE, instance=member, before=before, unit_path=registration.unit.path)
    return member


def save_appraisal_scores(*, registration: Registration, level: str, entries: list[ScoreEntry], by: User) -> None:
    """The team's per-criterion scores; each change is audited with before/after. Any change
    cancels an agreed district score. Nothing is saved if one entry is bad."""
    _require(perms.can_score(by, registration, level))
    _level_open(registration, level)
    parsed = _parse_entries(registration, entries, skip_blank=True)
    with transaction.atomic():
        existing = {s.criterion_id: s for s in registration.appraisal_scores.filter(level=level)}
        changed = False
        for criterion, points, entry in parsed:
            assert points is not None  # blank scores were skipped
            comment = entry.comment.strip()
            row = existing.get(criterion.pk)
            before = snapshot(row) if row else None
            if row is None:
                row = AppraisalScore(registration=registration, level=level, criterion=criterion, scored_by=by)
            elif row.score == points and row.comment == comment:
                continue
            row.score, row.comment, row.scored_by = points, comment, by
            row.save()
            changed = True
            audit.record(actor=by, action=UPDATE if before else CREATE, instance=row, before=before, unit_path=registration.unit.path)
        if changed and level == Level.PROVINCE and not registration.province_rescored:
            Registration.objects.filter(pk=registration.pk).update(province_rescored=True)
        if changed and level == Level.DISTRICT and registration.district_agreed_at:
            Registration.objects.filter(pk=registration.pk).update(district_agreed_at=None)
            registration.district_agreed_at = None


def record_site_visit(*, registration: Registration, visited_on: dt.date, participants: str, findings: str, by: User) -> SiteVisit:
    _require(perms.can_score(by, registration, Level.DISTRICT) or perms.can_score(by, registration, Level.PROVINCE))
    if not participants.strip() or not findings.strip():
        raise ValidationError(_("Vui lòng ghi thành phần và kết quả kiểm tra thực tế."))
    with transaction.atomic():
        visit = SiteVisit.objects.create(
            registration=registration, visited_on=visited_on, participants=participants.strip(), findings=findings.strip(), recorded_by=by
        )
        audit.record(actor=by, action=CREATE, instance=visit, unit_path=registration.unit.path)
    return visit


def _level_scores(registration: Registration, level: str) -> dict[int, Decimal | None]:
    """The level's scores; computed criteria always take the platform's figure, nobody re-scores them."""
    scores: dict[int, Decimal | None] = {
        s.criterion_id: s.score for s in registration.self_scores.filter(criterion__kind=CriterionKind.COMPUTED)
    }
    scores.update({s.criterion_id: s.score for s in registration.appraisal_scores.filter(level=level)})
    return scores


def agree_team_score(*, registration: Registration, by: User) -> Registration:
    """The district team leader records the team's agreed score (every criterion scored)."""
    _require(perms.can_lead(by, registration, Level.DISTRICT))
    _level_open(registration, Level.DISTRICT)
    scores = _level_scores(registration, Level.DISTRICT)
    missing = [c.code for c in registration.campaign.criteria_set.criteria.all() if c.pk not in scores]
    if missing:
        raise ValidationError(_("Chưa chấm các tiêu chí: %(codes)s.") % {"codes": ", ".join(missing)})
    with transaction.atomic():
        before = snapshot(registration)
        registration.district_total = evaluate(registration.campaign.criteria_set, scores).total
        registration.district_agreed_at = timezone.now()
        registration.save()
        audit.record(actor=by, action=UPDATE, instance=registration, before=before, unit_path=registration.unit.path, reason="agree")
    return registration
