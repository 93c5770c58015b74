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

from accounts.models import Role, User
from accounts.notifications import notify_role_holders
from accounts.scope import can_reach
from certification import permissions as perms
from certification.models import (
    DISTRICT_PENDING,
    AppraisalMember,
    AppraisalScore,
    CriterionKind,
    FileState,
    Level,
    MemberScore,
    Registration,
    SiteVisit,
    TeamAgreement,
)
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
    """The acting member's own per-criterion scores (MemberScore): nobody writes another member's
    score. Each change is audited with before/after; nothing is saved if one entry is bad. A change
    after the district team agreed cancels that agreement (the leader records it again)."""
    _require(perms.can_score(by, registration, level))
    _level_open(registration, level)
    parsed = _parse_entries(registration, entries, skip_blank=True)
    with transaction.atomic():
        existing = {s.criterion_id: s for s in registration.member_scores.filter(level=level, user=by)}
        changed = False
        for criterion, points, entry in parsed:
            assert points is not None  # blank scores were skipped
            comment = entry.comment.strip()
            row = existing.get(criterion.pk)
            before = snapshot(row) if row else None
            if row is None:
                row = MemberScore(registration=registration, level=level, criterion=criterion, user=by)
            elif row.score == points and row.comment == comment:
                continue
            row.score, row.comment = points, comment
            row.save()
            changed = True
            audit.record(actor=by, action=UPDATE if before else CREATE, instance=row, before=before, unit_path=registration.unit.path)
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


def member_score_table(registration: Registration, level: str) -> dict[int, dict[int, MemberScore]]:
    """criterion id → {member's user id → that member's own score} at `level`."""
    table: dict[int, dict[int, MemberScore]] = {}
    for row in registration.member_scores.filter(level=level).select_related("user"):
        table.setdefault(row.criterion_id, {})[row.user_id] = row
    return table


def agree_team_score(
    *, registration: Registration, by: User, level: str = Level.DISTRICT, entries: list[ScoreEntry] | None = None, dissent: str = ""
) -> TeamAgreement:
    """The team leader records the team's agreed score: a separate act from the members' own
    scores, which it never changes. Every member without a conflict of interest must have scored
    each criterion the team agrees on. Where the leader gives no agreed score for a criterion the
    members' identical score is taken; where they differ the leader must give one. At the district
    every criterion is agreed; the province may agree on some (the others keep the district's).
    `dissent` records any member's disagreement. The agreement keeps each member's scores of the
    moment; the agreed scores are audited with before/after."""
    _require(perms.can_lead(by, registration, level))
    _level_open(registration, level)
    given = {c.pk: (p, e) for c, p, e in _parse_entries(registration, entries or [], skip_blank=True)}
    members = [
        m
        for m in registration.members.filter(level=level).select_related("user")
        if m.declaration == AppraisalMember.Declaration.NO_CONFLICT
    ]
    table = member_score_table(registration, level)
    criteria = [c for c in registration.campaign.criteria_set.criteria.all() if c.kind != CriterionKind.COMPUTED]
    agreed: dict[int, tuple[Decimal, str]] = {}
    errors: list[str] = []
    for criterion in criteria:
        own = table.get(criterion.pk, {})
        if criterion.pk in given:
            points, entry = given[criterion.pk]
            assert points is not None
            agreed[criterion.pk] = (points, entry.comment.strip())
        elif own:
            values = {row.score for row in own.values()}
            if len(values) == 1:
                agreed[criterion.pk] = (values.pop(), "")
            else:
                errors.append(
                    _("%(code)s: các thành viên chấm khác nhau (%(values)s), tổ trưởng cần ghi điểm thống nhất.")
                    % {"code": criterion.code, "values": ", ".join(str(v) for v in sorted({r.score for r in own.values()}))}
                )
                continue
        elif level == Level.DISTRICT:
            errors.append(_("%(code)s: chưa có điểm thống nhất.") % {"code": criterion.code})
            continue
        else:
            continue
        unscored = [str(m.user) for m in members if m.user_id not in own]
        if unscored:
            errors.append(_("%(code)s: thành viên chưa tự chấm: %(names)s.") % {"code": criterion.code, "names": ", ".join(unscored)})
    if not agreed and not errors:
        errors.append(_("Chưa có điểm nào để thống nhất."))
    if errors:
        raise ValidationError(errors)
    dissent = (dissent or "").strip()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("campaign__criteria_set", "unit").get(pk=registration.pk)
        )
        existing = {s.criterion_id: s for s in registration.appraisal_scores.filter(level=level)}
        for criterion_id, (points, comment) in agreed.items():
            row = existing.get(criterion_id)
            before = snapshot(row) if row else None
            if row is not None and row.score == points and row.comment == comment and row.scored_by_id == by.pk:
                continue
            row = row or AppraisalScore(registration=registration, level=level, criterion_id=criterion_id)
            row.score, row.comment, row.scored_by = points, comment, by
            row.save()
            audit.record(actor=by, action=UPDATE if before else CREATE, instance=row, before=before, unit_path=registration.unit.path)
        scores = _level_scores(registration, level)
        total = evaluate(registration.campaign.criteria_set, scores).total
        codes = {c.pk: c.code for c in criteria}
        agreement = TeamAgreement.objects.create(
            registration=registration,
            level=level,
            agreed_by=by,
            total=total,
            dissent=dissent,
            member_scores={
                str(m.user): {codes[cid]: str(row[m.user_id].score) for cid, row in table.items() if m.user_id in row and cid in codes}
                for m in members
            },
        )
        before = snapshot(registration)
        if level == Level.DISTRICT:
            registration.district_total = total
            registration.district_agreed_at = agreement.agreed_at
        else:
            registration.province_rescored = True
        registration.save()
        audit.record(
            actor=by, action=UPDATE, instance=registration, before=before, unit_path=registration.unit.path, reason=f"agree:{level}"
        )
        audit.record(actor=by, action=CREATE, instance=agreement, unit_path=registration.unit.path, reason=dissent or f"agree:{level}")
        if level == Level.DISTRICT and registration.district_id:
            notify_role_holders(
                unit=registration.district,
                roles={Role.DISTRICT_COMMITTEE},
                subject=_("Tổ thẩm định đã thống nhất điểm hồ sơ %(unit)s") % {"unit": registration.unit},
                body=_("Tổng điểm thống nhất: %(total)s.") % {"total": total},
                dedupe=f"cert-agreed:{agreement.pk}",
                link=file_link(registration),
            )
    return agreement
