"""Every write of the certification capability. Each service: keyword-only arguments, the acting
user explicit, one transaction, the permission check, an audit entry (scores with before/after) and
an outbox message to whoever acts next. A file only moves through `Registration.check_move`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach
from certification import conf
from certification import permissions as perms
from certification.models import (
    DECIDED,
    DISTRICT_PENDING,
    AppraisalMember,
    AppraisalScore,
    ApprovalChain,
    Campaign,
    CriteriaSet,
    Criterion,
    CriterionGroup,
    CriterionKind,
    DistrictForward,
    DistrictTarget,
    DocumentKind,
    DossierDocument,
    FileState,
    Level,
    Recognition,
    Registration,
    SelfScore,
    SiteVisit,
    StarBand,
)
from core import audit, metrics, outbox
from core.audit import snapshot
from core.models import AuditEntry
from core.uploads import store_upload
from units.models import Unit, UnitKind

CREATE, UPDATE, DELETE = AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE
REQUIRED_DOCUMENTS = tuple(DocumentKind.values)


# --- The pass rule -------------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    total: Decimal
    failed_mandatory: list[str]
    passed: bool
    stars: int


def evaluate(criteria_set: CriteriaSet, scores: dict[int, Decimal | None]) -> Result:
    """Apply the set's pass rule: total ≥ pass mark and no criterion below its mandatory minimum
    ("điểm liệt"); the stars are the highest band whose minimum the total reaches. A missing score
    counts as 0."""
    total = Decimal("0")
    failed: list[str] = []
    for criterion in criteria_set.criteria.all():
        score = scores.get(criterion.pk) or Decimal("0")
        total += score
        if criterion.mandatory_min is not None and score < criterion.mandatory_min:
            failed.append(criterion.code)
    passed = total >= criteria_set.pass_mark and not failed
    stars = 0
    if passed:
        stars = max((b.stars for b in criteria_set.star_bands.all() if total >= b.min_total), default=0)
    return Result(total=total, failed_mandatory=failed, passed=passed, stars=stars)


def metric_period(campaign: Campaign) -> tuple[dt.date, dt.date]:
    """Computed criteria use the 12 months before registration opens."""
    end = campaign.registration_opens - dt.timedelta(days=1)
    return end - dt.timedelta(days=364), end


def computed_score(criterion: Criterion, *, unit: Unit, campaign: Campaign) -> tuple[Decimal, metrics.MetricValue]:
    """Points for a computed criterion: proportional up to `metric_full_value` when higher is better,
    full points at or under it otherwise; 0 when the figure is missing."""
    start, end = metric_period(campaign)
    value = metrics.compute(criterion.metric_key, unit=unit, start=start, end=end)
    if value.value is None or criterion.metric_full_value is None:
        return Decimal("0"), value
    metric = metrics.get(criterion.metric_key)
    figure = Decimal(str(value.value))
    full = criterion.metric_full_value
    if metric is not None and not metric.higher_is_better:
        points = criterion.max_points if figure <= full else Decimal("0")
    else:
        ratio = min(Decimal("1"), figure / full) if full > 0 else Decimal("1")
        points = (criterion.max_points * ratio).quantize(Decimal("0.01"))
    return points, value


# --- Helpers -------------------------------------------------------------------------------
def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def _emails(unit: Unit | None, roles: Iterable[str]) -> list[str]:
    if unit is None:
        return []
    rows = RoleAssignment.objects.filter(unit=unit, role__in=list(roles), user__is_active=True).values_list("user__email", flat=True)
    return sorted({e for e in rows if e})


def _notify(unit: Unit | None, roles: Iterable[str], *, subject: str, body: str, dedupe: str) -> None:
    for email in _emails(unit, roles):
        outbox.queue_message(recipient=email, subject=subject, body=body, dedupe_key=f"{dedupe}:{email}")


def _move(registration: Registration, action: str, *, by: User, reason: str = "") -> None:
    # The state is re-read under a row lock: a stale object or a concurrent request cannot move the
    # file from a state it has already left.
    registration.state = Registration.objects.select_for_update().values_list("state", flat=True).get(pk=registration.pk)
    before = snapshot(registration)
    registration.state = registration.check_move(action)
    if reason:
        registration.last_reason = reason
    registration.save()
    audit.record(actor=by, action=UPDATE, instance=registration, before=before, unit_path=registration.unit.path, reason=reason or action)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Vui lòng ghi rõ lý do.")})
    return reason


def _too_long(model: type[Model], **values: str) -> dict[str, str]:
    """An error for each value longer than its column: PostgreSQL refuses such a value with a server
    error where SQLite would keep it whole."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        assert isinstance(field, Field)
        limit = field.max_length
        if limit is not None and len(value) > limit:
            label = str(field.verbose_name)
            errors[name] = _("“%(label)s” dài tối đa %(limit)s ký tự.") % {"label": label[:1].upper() + label[1:], "limit": limit}
    return errors


def _points(raw: Any, criterion: Criterion) -> Decimal | None:
    """Parse and check one score against the criterion's range and kind (None when left blank)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).replace(",", ".").strip()).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValidationError(_("%(code)s: “%(raw)s” không phải là số.") % {"code": criterion.code, "raw": raw}) from exc
    if value < 0:
        raise ValidationError(_("%(code)s: điểm không được âm.") % {"code": criterion.code})
    if value > criterion.max_points:
        raise ValidationError(
            _("%(code)s: điểm %(value)s vượt quá điểm tối đa %(max)s.")
            % {"code": criterion.code, "value": value, "max": criterion.max_points}
        )
    if criterion.kind == CriterionKind.YES_NO and value not in (Decimal("0"), criterion.max_points):
        raise ValidationError(
            _("%(code)s: tiêu chí Có/Không chỉ nhận 0 hoặc %(max)s điểm.") % {"code": criterion.code, "max": criterion.max_points}
        )
    return value


# --- Criteria sets -------------------------------------------------------------------------
@dataclass
class CriterionSpec:
    code: str
    text: str
    max_points: Decimal
    mandatory_min: Decimal | None = None
    evidence_expected: str = ""
    kind: str = CriterionKind.SCORED
    metric_key: str = ""
    metric_full_value: Decimal | None = None


@dataclass
class GroupSpec:
    code: str
    name: str
    criteria: list[CriterionSpec] = field(default_factory=list)


@dataclass
class SetSpec:
    family: str
    name: str
    pass_mark: Decimal
    description: str = ""
    is_sample: bool = False
    bands: list[tuple[int, Decimal]] = field(default_factory=list)
    groups: list[GroupSpec] = field(default_factory=list)


def _validate_spec(spec: SetSpec) -> None:
    errors: list[str] = []
    codes: set[str] = set()
    total = Decimal("0")
    for group in spec.groups:
        for c in group.criteria:
            if c.code in codes:
                errors.append(_("Mã tiêu chí %(code)s bị trùng.") % {"code": c.code})
            codes.add(c.code)
            total += c.max_points
            if c.max_points <= 0:
                errors.append(_("%(code)s: điểm tối đa phải lớn hơn 0.") % {"code": c.code})
            if c.mandatory_min is not None and not (0 <= c.mandatory_min <= c.max_points):
                errors.append(_("%(code)s: điểm liệt phải nằm trong 0..điểm tối đa.") % {"code": c.code})
            if c.kind == CriterionKind.COMPUTED and (not c.metric_key or c.metric_full_value is None):
                errors.append(_("%(code)s: tiêu chí tính từ số liệu cần mã số liệu và mức đạt điểm tối đa.") % {"code": c.code})
    if not codes:
        errors.append(_("Bộ tiêu chí chưa có tiêu chí nào."))
    if spec.pass_mark < 0 or spec.pass_mark > total:
        errors.append(_("Điểm đạt chuẩn %(mark)s phải nằm trong 0..%(total)s.") % {"mark": spec.pass_mark, "total": total})
    if len({s for s, _m in spec.bands}) != len(spec.bands):
        errors.append(_("Mỗi mức sao chỉ được khai báo một lần."))
    if errors:
        raise ValidationError(errors)


def _write_content(criteria_set: CriteriaSet, spec: SetSpec) -> None:
    StarBand.objects.bulk_create([StarBand(criteria_set=criteria_set, stars=s, min_total=m) for s, m in spec.bands])
    for g_order, g in enumerate(spec.groups):
        group = CriterionGroup.objects.create(criteria_set=criteria_set, code=g.code, name=g.name, order=g_order)
        Criterion.objects.bulk_create(
            [
                Criterion(
                    group=group,
                    criteria_set=criteria_set,
                    code=c.code,
                    text=c.text,
                    max_points=c.max_points,
                    mandatory_min=c.mandatory_min,
                    evidence_expected=c.evidence_expected,
                    kind=c.kind,
                    metric_key=c.metric_key,
                    metric_full_value=c.metric_full_value,
                    order=i,
                )
                for i, c in enumerate(g.criteria)
            ]
        )


def spec_of(criteria_set: CriteriaSet) -> SetSpec:
    """The set's content as a spec (for revising and exporting)."""
    groups = []
    for g in criteria_set.groups.prefetch_related("criteria"):
        groups.append(
            GroupSpec(
                g.code,
                g.name,
                [
                    CriterionSpec(
                        c.code, c.text, c.max_points, c.mandatory_min, c.evidence_expected, c.kind, c.metric_key, c.metric_full_value
                    )
                    for c in g.criteria.all()
                ],
            )
        )
    return SetSpec(
        family=criteria_set.family,
        name=criteria_set.name,
        pass_mark=criteria_set.pass_mark,
        description=criteria_set.description,
        is_sample=criteria_set.is_sample,
        bands=[(b.stars, b.min_total) for b in criteria_set.star_bands.all()],
        groups=groups,
    )


def create_criteria_set(*, spec: SetSpec, by: User) -> CriteriaSet:
    """A new draft: version 1 of a new family, or the next version of an existing family."""
    _require(perms.can_manage_criteria(by))
    _validate_spec(spec)
    with transaction.atomic():
        last = CriteriaSet.objects.filter(family=spec.family).aggregate(v=Max("version"))["v"] or 0
        criteria_set = CriteriaSet.objects.create(
            family=spec.family,
            version=last + 1,
            name=spec.name,
            description=spec.description,
            is_sample=spec.is_sample,
            pass_mark=spec.pass_mark,
        )
        _write_content(criteria_set, spec)
        audit.record(actor=by, action=CREATE, instance=criteria_set, after={**snapshot(criteria_set), "criteria": len(spec_codes(spec))})
    return criteria_set


def spec_codes(spec: SetSpec) -> list[str]:
    return [c.code for g in spec.groups for c in g.criteria]


def publish_criteria_set(*, criteria_set: CriteriaSet, by: User) -> CriteriaSet:
    """Draft → published; from then on the set never changes."""
    _require(perms.can_manage_criteria(by))
    with transaction.atomic():
        criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
        if criteria_set.is_published:
            raise ValidationError(_("Bộ tiêu chí này đã được ban hành."))
        before = snapshot(criteria_set)
        criteria_set.status = CriteriaSet.Status.PUBLISHED
        criteria_set.published_at = timezone.now()
        criteria_set.save()
        audit.record(actor=by, action=UPDATE, instance=criteria_set, before=before, reason="publish")
    return criteria_set


def revise_criteria_set(*, criteria_set: CriteriaSet, by: User) -> CriteriaSet:
    """A new draft version copying the published set's groups, criteria and bands."""
    _require(perms.can_manage_criteria(by))
    if not criteria_set.is_published:
        raise ValidationError(_("Chỉ sửa đổi được bộ tiêu chí đã ban hành; bản dự thảo thì sửa trực tiếp."))
    spec = spec_of(criteria_set)
    with transaction.atomic():
        new = create_criteria_set(spec=spec, by=by)
        new.revised_from = criteria_set
        new.save(update_fields=["revised_from"])
    return new


def replace_draft_content(*, criteria_set: CriteriaSet, spec: SetSpec, by: User) -> CriteriaSet:
    """Replace a draft's name, pass mark, bands, groups and criteria (e.g. from an edited Excel
    file). A published set is never changed: revise it first."""
    _require(perms.can_manage_criteria(by))
    _validate_spec(spec)
    with transaction.atomic():
        criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
        if criteria_set.is_published:
            raise ValidationError(_("Bộ tiêu chí đã ban hành không sửa được; hãy tạo phiên bản sửa đổi."))
        before = {**snapshot(criteria_set), "criteria": list(criteria_set.criteria.values_list("code", "max_points"))}
        criteria_set.criteria.all().delete()
        criteria_set.groups.all().delete()
        criteria_set.star_bands.all().delete()
        criteria_set.name, criteria_set.description, criteria_set.pass_mark = spec.name, spec.description, spec.pass_mark
        criteria_set.is_sample = spec.is_sample
        criteria_set.save()
        _write_content(criteria_set, spec)
        after = {**snapshot(criteria_set), "criteria": list(criteria_set.criteria.values_list("code", "max_points"))}
        audit.record(
            actor=by, action=UPDATE, instance=criteria_set, before=_plain_json(before), after=_plain_json(after), reason="replace_draft"
        )
    return criteria_set


def _plain_json(data: dict[str, Any]) -> dict[str, Any]:
    return {k: [[code, str(points)] for code, points in v] if k == "criteria" else v for k, v in data.items()}


def delete_draft_criteria_set(*, criteria_set: CriteriaSet, by: User) -> None:
    _require(perms.can_manage_criteria(by))
    if criteria_set.is_published:
        raise ValidationError(_("Bộ tiêu chí đã ban hành không xoá được."))
    with transaction.atomic():
        before = snapshot(criteria_set)
        audit.record(actor=by, action=DELETE, instance=criteria_set, before=before)
        criteria_set.delete()


# --- Campaigns -----------------------------------------------------------------------------
def create_campaign(
    *,
    by: User,
    province: Unit,
    year: int,
    name: str,
    criteria_set: CriteriaSet,
    approval_chain: str,
    target_share: Decimal,
    registration_opens: dt.date,
    registration_closes: dt.date,
    self_assessment_due: dt.date,
    province_appraisal_due: dt.date,
    district_appraisal_due: dt.date | None = None,
    district_targets: dict[Unit, Decimal] | None = None,
) -> Campaign:
    """A yearly campaign pinned to a published set; the approval chain is chosen here, not in code."""
    _require(can_reach(by, province, PROVINCE_ADMIN_ROLES))
    errors: dict[str, str] = {}
    if not criteria_set.is_published:
        errors["criteria_set"] = _("Chỉ dùng được bộ tiêu chí đã ban hành.")
    if not (Decimal("0") <= target_share <= Decimal("1")):
        errors["target_share"] = _("Chỉ tiêu phải nằm trong 0..100%.")
    if registration_closes < registration_opens:
        errors["registration_closes"] = _("Hạn đăng ký phải sau ngày mở đăng ký.")
    errors.update(_too_long(Campaign, name=name))
    if approval_chain not in ApprovalChain.values:
        errors["approval_chain"] = _("Quy trình xét duyệt không hợp lệ.")
    if approval_chain == ApprovalChain.COMMUNE_DISTRICT_PROVINCE and district_appraisal_due is None:
        errors["district_appraisal_due"] = _("Quy trình có cấp huyện cần hạn thẩm định cấp huyện.")
    if not conf.CAMPAIGN_FIRST_YEAR <= year <= conf.CAMPAIGN_LAST_YEAR:
        bounds = {"first": conf.CAMPAIGN_FIRST_YEAR, "last": conf.CAMPAIGN_LAST_YEAR}
        errors["year"] = _("Năm đánh giá phải từ %(first)s đến %(last)s.") % bounds
    elif Campaign.objects.filter(province=province, year=year).exists():
        errors["year"] = _("Năm %(year)s đã có đợt đánh giá.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            province=province,
            year=year,
            name=name,
            criteria_set=criteria_set,
            approval_chain=approval_chain,
            target_share=target_share,
            registration_opens=registration_opens,
            registration_closes=registration_closes,
            self_assessment_due=self_assessment_due,
            district_appraisal_due=district_appraisal_due,
            province_appraisal_due=province_appraisal_due,
        )
        for district, share in (district_targets or {}).items():
            DistrictTarget.objects.create(campaign=campaign, district=district, target_share=share)
        audit.record(actor=by, action=CREATE, instance=campaign, unit_path=province.path)
    return campaign


# --- Registration --------------------------------------------------------------------------
def district_of(unit: Unit, campaign: Campaign) -> Unit | None:
    if not campaign.has_district_step:
        return None
    parent = unit.parent
    return parent if parent is not None and parent.kind == UnitKind.DISTRICT else None


def eligibility_problems(*, campaign: Campaign, unit: Unit, today: dt.date | None = None) -> list[str]:
    """Why `unit` may not register now (empty list: it may). Blocks mass registration: outside the
    window, already holding a valid recognition, or failing a mandatory computed criterion."""
    today = today or timezone.localdate()
    problems: list[str] = []
    if unit.kind != UnitKind.COMMUNE or not unit.path.startswith(campaign.province.path):
        problems.append(_("Chỉ xã, phường, thị trấn thuộc tỉnh mới đăng ký được."))
        return problems
    if Registration.objects.filter(campaign=campaign, unit=unit).exists():
        problems.append(_("Đơn vị đã đăng ký trong đợt này."))
    if today < campaign.registration_opens or today > campaign.registration_closes:
        problems.append(
            _("Ngoài thời gian đăng ký (từ %(start)s đến %(end)s).")
            % {"start": campaign.registration_opens.strftime("%d/%m/%Y"), "end": campaign.registration_closes.strftime("%d/%m/%Y")}
        )
    held = (
        Recognition.objects.filter(registration__unit=unit, registration__state=FileState.RECOGNISED, valid_until__gte=today)
        .exclude(registration__campaign=campaign)
        .first()
    )
    if held is not None:
        problems.append(
            _("Đơn vị đang giữ công nhận còn hiệu lực đến %(date)s (quyết định %(number)s).")
            % {"date": held.valid_until.strftime("%d/%m/%Y"), "number": held.decision_number}
        )
    for criterion in campaign.criteria_set.criteria.filter(kind=CriterionKind.COMPUTED, mandatory_min__isnull=False):
        points, value = computed_score(criterion, unit=unit, campaign=campaign)
        if points < criterion.mandatory_min:  # type: ignore[operator]
            shown = "—" if value.value is None else f"{value.value:g}{value.unit}"
            problems.append(
                _("Không đạt tiêu chí bắt buộc %(code)s (số liệu hệ thống: %(value)s, được %(points)s/%(min)s điểm liệt).")
                % {"code": criterion.code, "value": shown, "points": points, "min": criterion.mandatory_min}
            )
    return problems


def register(*, campaign: Campaign, unit: Unit, by: User, today: dt.date | None = None) -> Registration:
    """The commune registers for the campaign if eligible; computed criteria are scored at once."""
    _require(perms.can_register(by, unit))
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        problems = eligibility_problems(campaign=campaign, unit=unit, today=today)
        if problems:
            raise ValidationError(problems)
        registration = Registration.objects.create(campaign=campaign, unit=unit, district=district_of(unit, campaign), registered_by=by)
        _refresh_computed(registration)
        audit.record(actor=by, action=CREATE, instance=registration, unit_path=unit.path)
        _notify(
            registration.district or campaign.province,
            {Role.DISTRICT_COMMITTEE} if registration.district else PROVINCE_ADMIN_ROLES,
            subject=_("%(unit)s đăng ký xây dựng chính quyền thân thiện %(year)s") % {"unit": unit, "year": campaign.year},
            body=_("Đơn vị đã đăng ký; hồ sơ tự đánh giá nộp trước %(date)s.")
            % {"date": campaign.self_assessment_due.strftime("%d/%m/%Y")},
            dedupe=f"cert-registered:{registration.pk}",
        )
    return registration


def _refresh_computed(registration: Registration) -> None:
    for criterion in registration.campaign.criteria_set.criteria.filter(kind=CriterionKind.COMPUTED):
        points, value = computed_score(criterion, unit=registration.unit, campaign=registration.campaign)
        SelfScore.objects.update_or_create(
            registration=registration,
            criterion=criterion,
            defaults={
                "score": points,
                "metric_value": None if value.value is None else Decimal(str(round(value.value, 2))),
                "metric_note": (value.note or f"{value.source} ({value.basis})")[:300],
                "explanation": _("Tính tự động từ số liệu hệ thống."),
            },
        )


def upload_document(*, registration: Registration, kind: str, fileobj: IO[bytes], name: str, by: User) -> DossierDocument:
    """Add one dossier document (checked and stored by core.uploads); replaces one of the same kind."""
    _require(perms.can_edit_file(by, registration))
    if registration.is_locked_for_commune:
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được."))
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Loại tài liệu không hợp lệ.")})
    with transaction.atomic():
        stored = store_upload(fileobj, name=name, by=by)
        old = list(registration.documents.filter(kind=kind))
        for doc in old:
            audit.record(actor=by, action=DELETE, instance=doc, before=snapshot(doc), unit_path=registration.unit.path)
            doc.delete()
        document = DossierDocument.objects.create(registration=registration, kind=kind, file=stored)
        audit.record(actor=by, action=CREATE, instance=document, unit_path=registration.unit.path)
    return document


@dataclass
class SelfScoreEntry:
    criterion_id: int
    score: Any = None
    evidence_link: str = ""
    explanation: str = ""
    evidence_upload: tuple[IO[bytes], str] | None = None


def save_self_scores(*, registration: Registration, entries: list[SelfScoreEntry], by: User) -> None:
    """Save a draft self-assessment. Every entry is checked first (range, kind); on any error
    nothing is saved and each bad criterion is named."""
    _require(perms.can_edit_file(by, registration))
    if registration.is_locked_for_commune:
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được."))
    parsed = _parse_entries(registration, entries, skip_blank=False)
    with transaction.atomic():
        existing = {s.criterion_id: s for s in registration.self_scores.all()}
        for criterion, points, entry in parsed:
            row = existing.get(criterion.pk) or SelfScore(registration=registration, criterion=criterion)
            before = snapshot(row) if row.pk else None
            row.score = points
            row.evidence_link = (entry.evidence_link or "").strip()
            row.explanation = (entry.explanation or "").strip()
            if entry.evidence_upload is not None:
                fileobj, name = entry.evidence_upload
                row.evidence_file = store_upload(fileobj, name=name, by=by)
            row.full_clean(exclude=["registration", "criterion"])
            row.save()
            audit.record(actor=by, action=UPDATE if before else CREATE, instance=row, before=before, unit_path=registration.unit.path)
        _refresh_computed(registration)


def submission_problems(registration: Registration) -> list[str]:
    problems = []
    present = set(registration.documents.values_list("kind", flat=True))
    for kind in REQUIRED_DOCUMENTS:
        if kind not in present:
            problems.append(_("Thiếu tài liệu: %(kind)s.") % {"kind": DocumentKind(kind).label})
    scores = {s.criterion_id: s for s in registration.self_scores.all()}
    for criterion in registration.campaign.criteria_set.criteria.all():
        row = scores.get(criterion.pk)
        if row is None or row.score is None:
            problems.append(_("%(code)s: chưa tự chấm điểm.") % {"code": criterion.code})
        elif row.score > 0 and not row.has_evidence:
            problems.append(_("%(code)s: điểm tự chấm cần tài liệu kiểm chứng, đường dẫn hoặc giải trình.") % {"code": criterion.code})
    return problems


def submit_self_assessment(*, registration: Registration, by: User) -> Registration:
    """The commune chairman signs off and sends the file up (to the district, or the province where
    the campaign's chain has no district step)."""
    _require(perms.can_sign_off(by, registration))
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("campaign", "unit", "district").get(pk=registration.pk)
        )
        _refresh_computed(registration)
        problems = submission_problems(registration)
        if problems:
            raise ValidationError(problems)
        action = "submit_to_district" if registration.district_id else "submit_to_province"
        registration.check_move(action)
        result = evaluate(registration.campaign.criteria_set, {s.criterion_id: s.score for s in registration.self_scores.all()})
        registration.self_total = result.total
        registration.submitted_at = timezone.now()
        registration.signed_off_by = by
        registration.district_agreed_at = None
        _move(registration, action, by=by)
        target, roles = (
            (registration.district, {Role.DISTRICT_COMMITTEE})
            if registration.district_id
            else (registration.campaign.province, PROVINCE_ADMIN_ROLES)
        )
        _notify(
            target,
            roles,
            subject=_("Hồ sơ của %(unit)s chờ thẩm định") % {"unit": registration.unit},
            body=_("Tổng điểm tự chấm: %(total)s.") % {"total": result.total},
            dedupe=f"cert-submitted:{registration.pk}:{registration.submitted_at.isoformat()}",
        )
    return registration


# --- Appraisal (both levels) ----------------------------------------------------------------
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


@dataclass
class ScoreEntry:
    criterion_id: int
    score: Any
    comment: str = ""


AnyEntry = TypeVar("AnyEntry", SelfScoreEntry, ScoreEntry)


def _parse_entries(
    registration: Registration, entries: list[AnyEntry], *, skip_blank: bool
) -> list[tuple[Criterion, Decimal | None, AnyEntry]]:
    """Check every score entry against the campaign's criteria set before anything is written:
    unknown criteria and bad scores are all reported together; computed criteria are ignored, and
    blank scores too when skip_blank (an appraiser leaves a criterion for later)."""
    criteria = {c.pk: c for c in registration.campaign.criteria_set.criteria.all()}
    errors: list[str] = []
    parsed: list[tuple[Criterion, Decimal | None, AnyEntry]] = []
    for entry in entries:
        criterion = criteria.get(entry.criterion_id)
        if criterion is None:
            errors.append(_("Tiêu chí không thuộc bộ tiêu chí của đợt."))
            continue
        if criterion.kind == CriterionKind.COMPUTED:
            continue
        try:
            points = _points(entry.score, criterion)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if points is None and skip_blank:
            continue
        parsed.append((criterion, points, entry))
    if errors:
        raise ValidationError(errors)
    return parsed


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


def district_propose(*, registration: Registration, by: User) -> Registration:
    """The district proposes recognition: needs the team's agreed score and a site visit."""
    _require(perms.can_run_district_step(by, registration))
    problems = []
    if registration.district_agreed_at is None:
        problems.append(_("Tổ thẩm định chưa thống nhất điểm."))
    if not registration.site_visits.exists():
        problems.append(_("Chưa có biên bản kiểm tra thực tế."))
    registration.refresh_from_db()
    registration.check_move("district_propose")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        _move(registration, "district_propose", by=by)
    return registration


def _return_to_commune(registration: Registration, action: str, *, reason: str, by: User) -> Registration:
    with transaction.atomic():
        _move(registration, action, by=by, reason=reason)
        _notify(
            registration.unit,
            {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN},
            subject=_("Hồ sơ chính quyền thân thiện được trả lại để bổ sung"),
            body=reason,
            dedupe=f"cert-return:{registration.pk}:{timezone.now().isoformat()}",
        )
    return registration


def district_return(*, registration: Registration, reason: str, by: User) -> Registration:
    _require(perms.can_run_district_step(by, registration))
    return _return_to_commune(registration, "district_return", reason=_reason(reason), by=by)


def district_decline(*, registration: Registration, reason: str, by: User) -> Registration:
    _require(perms.can_run_district_step(by, registration))
    return _return_to_commune(registration, "district_decline", reason=_reason(reason), by=by)


def forward_district(*, campaign: Campaign, district: Unit, by: User) -> DistrictForward:
    """Send the district's proposals to the province — only once every file the district must
    decide (submitted or returned by the province) has been decided."""
    _require(can_reach(by, district, {Role.DISTRICT_COMMITTEE}))
    files = Registration.objects.filter(campaign=campaign, district=district)
    pending = list(files.filter(state__in=DISTRICT_PENDING).select_related("unit"))
    if pending:
        raise ValidationError(
            _("Còn %(n)s hồ sơ chưa thẩm định xong: %(units)s.")
            % {"n": len(pending), "units": ", ".join(str(r.unit) for r in pending[:10])}
        )
    proposed = list(files.filter(state=FileState.DISTRICT_PROPOSED).select_related("unit"))
    if not proposed:
        raise ValidationError(_("Không có hồ sơ đề nghị công nhận để gửi tỉnh."))
    with transaction.atomic():
        for registration in proposed:
            _move(registration, "forward", by=by)
        forward = DistrictForward.objects.create(campaign=campaign, district=district, forwarded_by=by, file_count=len(proposed))
        audit.record(actor=by, action=CREATE, instance=forward, unit_path=district.path)
        _notify(
            campaign.province,
            PROVINCE_ADMIN_ROLES,
            subject=_("%(district)s đề nghị công nhận %(n)s xã") % {"district": district, "n": len(proposed)},
            body=", ".join(str(r.unit) for r in proposed),
            dedupe=f"cert-forward:{forward.pk}",
        )
    return forward


def province_send_back(*, registration: Registration, reason: str, by: User) -> Registration:
    """The province returns the file to the district (or to the commune where there is none)."""
    _require(perms.can_run_province_step(by, registration))
    reason = _reason(reason)
    if registration.district_id:
        with transaction.atomic():
            _move(registration, "province_return_district", by=by, reason=reason)
            _notify(
                registration.district,
                {Role.DISTRICT_COMMITTEE},
                subject=_("Tỉnh trả lại hồ sơ của %(unit)s") % {"unit": registration.unit},
                body=reason,
                dedupe=f"cert-back:{registration.pk}:{timezone.now().isoformat()}",
            )
        return registration
    return _return_to_commune(registration, "province_return_commune", reason=reason, by=by)


def final_scores(registration: Registration) -> dict[int, Decimal | None]:
    """The province's score where it re-scored, else the district's; every criterion must have one."""
    scores: dict[int, Decimal | None] = dict(_level_scores(registration, Level.DISTRICT))
    scores.update(_level_scores(registration, Level.PROVINCE))
    return scores


def decision_preview(registration: Registration) -> tuple[Result, list[str]]:
    scores = final_scores(registration)
    missing = [c.code for c in registration.campaign.criteria_set.criteria.all() if c.pk not in scores]
    return evaluate(registration.campaign.criteria_set, scores), missing


def recognise(
    *, registration: Registration, decision_number: str, decision_date: dt.date, signer: str, valid_until: dt.date, by: User
) -> Recognition:
    """Recognise with the star level the set's bands give; refused when the pass rule fails."""
    _require(perms.can_run_province_step(by, registration))
    registration.refresh_from_db()
    registration.check_move("recognise")
    result, missing = decision_preview(registration)
    errors = []
    if missing:
        errors.append(_("Chưa có điểm thẩm định cho: %(codes)s.") % {"codes": ", ".join(missing)})
    elif not result.passed:
        if result.failed_mandatory:
            errors.append(_("Không đạt điểm liệt ở: %(codes)s.") % {"codes": ", ".join(result.failed_mandatory)})
        if result.total < registration.campaign.criteria_set.pass_mark:
            errors.append(
                _("Tổng điểm %(total)s thấp hơn điểm đạt chuẩn %(mark)s.")
                % {"total": result.total, "mark": registration.campaign.criteria_set.pass_mark}
            )
    if not decision_number.strip() or not signer.strip():
        errors.append(_("Cần số quyết định và người ký."))
    errors.extend(_too_long(Recognition, decision_number=decision_number.strip(), signer=signer.strip()).values())
    if valid_until < decision_date:
        errors.append(_("Ngày hết hiệu lực phải sau ngày quyết định."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        registration.province_total = result.total
        _move(registration, "recognise", by=by)
        recognition = Recognition.objects.create(
            registration=registration,
            stars=result.stars,
            total=result.total,
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            signer=signer.strip(),
            valid_until=valid_until,
        )
        audit.record(actor=by, action=CREATE, instance=recognition, unit_path=registration.unit.path)
        _notify_decision(
            registration, _("%(unit)s được công nhận đạt chuẩn %(stars)s sao") % {"unit": registration.unit, "stars": result.stars}
        )
    return recognition


def _notify_decision(registration: Registration, subject: str) -> None:
    body = _("Xem hồ sơ trên hệ thống.")
    dedupe = f"cert-decision:{registration.pk}:{timezone.now().isoformat()}"
    _notify(registration.unit, {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}, subject=subject, body=body, dedupe=dedupe)
    _notify(registration.district, {Role.DISTRICT_COMMITTEE}, subject=subject, body=body, dedupe=dedupe)


def refuse(*, registration: Registration, reason: str, by: User) -> Registration:
    _require(perms.can_run_province_step(by, registration))
    reason = _reason(reason)
    result, _missing = decision_preview(registration)
    with transaction.atomic():
        registration.province_total = result.total
        registration.refusal_reason = reason
        _move(registration, "refuse", by=by, reason=reason)
        _notify_decision(registration, _("%(unit)s không được công nhận") % {"unit": registration.unit})
    return registration


def reopen(*, registration: Registration, reason: str, by: User) -> Registration:
    """Unlock a decided file for a new decision: an explicit, audited act of the standing office."""
    _require(can_reach(by, registration.campaign.province, PROVINCE_ADMIN_ROLES))
    reason = _reason(reason)
    with transaction.atomic():
        recognition = Recognition.objects.filter(registration=registration).first()
        _move(registration, "reopen", by=by, reason=reason)
        if recognition is not None:
            audit.record(
                actor=by, action=DELETE, instance=recognition, before=snapshot(recognition), unit_path=registration.unit.path, reason=reason
            )
            recognition.delete()
    return registration


def revoke(*, registration: Registration, reason: str, by: User) -> Recognition:
    """Withdraw a recognition (e.g. a substantiated harassment case); the decision stays on record."""
    _require(can_reach(by, registration.campaign.province, perms.PROVINCE_DECIDERS))
    reason = _reason(reason)
    with transaction.atomic():
        # The move is checked first: a file never recognised has no recognition to withdraw, and
        # gets the same clear refusal as any other move its state does not allow.
        _move(registration, "revoke", by=by, reason=reason)
        recognition = Recognition.objects.select_for_update().get(registration=registration)
        before = snapshot(recognition)
        recognition.revoked_at = timezone.now()
        recognition.revoked_reason = reason
        recognition.save()
        audit.record(actor=by, action=UPDATE, instance=recognition, before=before, unit_path=registration.unit.path, reason=reason)
        _notify_decision(registration, _("Thu hồi công nhận chính quyền thân thiện của %(unit)s") % {"unit": registration.unit})
    return recognition


def is_decided(registration: Registration) -> bool:
    return registration.state in DECIDED


# --- Reminders (a daily job) --------------------------------------------------------------
def send_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Remind whoever must act before each deadline, `conf.REMINDER_DAYS_BEFORE` days ahead and on
    the day; once a step is overdue, list the late files to the level above daily. Deduplicated per
    file, step and day, so a re-run sends nothing twice. Returns the number of files concerned."""
    today = today or timezone.localdate()
    count = 0
    for campaign in Campaign.objects.filter(province_appraisal_due__gte=today - dt.timedelta(days=60)).select_related("province"):
        steps = [
            ((FileState.REGISTERED, FileState.RETURNED_TO_COMMUNE), campaign.self_assessment_due, "commune", "tự đánh giá"),
            (
                (FileState.SUBMITTED, FileState.RETURNED_TO_DISTRICT, FileState.DISTRICT_PROPOSED),
                campaign.district_appraisal_due,
                "district",
                "thẩm định cấp huyện",
            ),
            ((FileState.AT_PROVINCE,), campaign.province_appraisal_due, "province", "thẩm định cấp tỉnh"),
        ]
        with transaction.atomic():
            for states, due, who, label in steps:
                if due is None:
                    continue
                days_left = (due - today).days
                if days_left not in (*conf.REMINDER_DAYS_BEFORE, 0) and days_left >= 0:
                    continue
                for reg in Registration.objects.filter(campaign=campaign, state__in=states).select_related("unit", "district"):
                    count += 1
                    if days_left >= 0:
                        subject = f"Nhắc hạn {label} ({due:%d/%m/%Y}): {reg.unit}"
                    else:
                        subject = f"Quá hạn {label} {-days_left} ngày: {reg.unit}"
                    target, roles = {
                        "commune": (reg.unit, {Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIRMAN}),
                        "district": (reg.district, {Role.DISTRICT_COMMITTEE}),
                        "province": (campaign.province, PROVINCE_ADMIN_ROLES),
                    }[who]
                    _notify(target, roles, subject=subject, body=subject, dedupe=f"cert-remind:{reg.pk}:{who}:{today.isoformat()}")
                    if days_left < 0 and who != "province":
                        # overdue: the level above hears about it too
                        above = (
                            (reg.district, {Role.DISTRICT_COMMITTEE})
                            if who == "commune" and reg.district
                            else (campaign.province, PROVINCE_ADMIN_ROLES)
                        )
                        _notify(
                            above[0], above[1], subject=subject, body=subject, dedupe=f"cert-overdue:{reg.pk}:{who}:{today.isoformat()}"
                        )
    return count
