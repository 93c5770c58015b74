"""Criteria sets: created and revised as drafts, published once, then frozen."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import PROVINCE_ADMIN_ROLES
from accounts.scope import can_reach, role_roots
from certification import permissions as perms
from certification.models import CriteriaSet, Criterion, CriterionGroup, CriterionKind, StarBand
from certification.services._shared import CREATE, DELETE, UPDATE, _require
from core import audit
from core.audit import snapshot
from units.models import Unit, UnitKind
from units.structure import in_force_on


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
    errors.extend(star_band_problems(spec.bands, pass_mark=spec.pass_mark, total=total))
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


def star_band_problems(bands: list[tuple[int, Decimal]], *, pass_mark: Decimal, total: Decimal) -> list[str]:
    """Star bands must be ordered (more stars need a higher total), lie within the set's maximum
    and never below its pass mark."""
    problems: list[str] = []
    ordered = sorted(bands)
    for stars, minimum in ordered:
        if minimum < pass_mark:
            problems.append(
                _("Mức %(n)s sao (%(min)s) thấp hơn điểm đạt chuẩn %(mark)s.") % {"n": stars, "min": minimum, "mark": pass_mark}
            )
        if minimum > total:
            problems.append(_("Mức %(n)s sao (%(min)s) vượt tổng điểm tối đa %(total)s.") % {"n": stars, "min": minimum, "total": total})
    for (low_stars, low_min), (high_stars, high_min) in itertools.pairwise(ordered):
        if high_min <= low_min:
            problems.append(
                _("Mức %(high)s sao cần tổng điểm cao hơn mức %(low)s sao (%(hmin)s ≤ %(lmin)s).")
                % {"high": high_stars, "low": low_stars, "hmin": high_min, "lmin": low_min}
            )
    return problems


def _set_province(by: User, province: Unit | None) -> Unit | None:
    """The province a new set belongs to: the one named (within the actor's scope), else the
    actor's own province; None (a national template) only for an actor at the national level."""
    if province is not None:
        _require(can_reach(by, province, PROVINCE_ADMIN_ROLES))
        return province
    roots = role_roots(by, PROVINCE_ADMIN_ROLES)
    if any(r.kind == UnitKind.NATION for r in roots):
        return None
    for root in sorted(roots, key=lambda u: (not in_force_on(u), u.depth)):
        chain = [*root.ancestors(), root]
        found = next((u for u in chain if u.kind == UnitKind.PROVINCE), None)
        if found is not None:
            return found
    _require(False)
    return None


def create_criteria_set(*, spec: SetSpec, by: User, province: Unit | None = None) -> CriteriaSet:
    """A new draft of `province` (the actor's own by default; a national-level administrator's set
    is a national template): version 1 of a new family, or the next version of that family."""
    _require(perms.can_manage_criteria(by))
    _validate_spec(spec)
    owner = _set_province(by, province)
    with transaction.atomic():
        last = CriteriaSet.objects.filter(family=spec.family, province=owner).aggregate(v=Max("version"))["v"] or 0
        criteria_set = CriteriaSet.objects.create(
            province=owner,
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
    _require(perms.can_manage_set(by, criteria_set))
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
    _require(perms.can_manage_set(by, criteria_set))
    if not criteria_set.is_published:
        raise ValidationError(_("Chỉ sửa đổi được bộ tiêu chí đã ban hành; bản dự thảo thì sửa trực tiếp."))
    spec = spec_of(criteria_set)
    with transaction.atomic():
        new = create_criteria_set(spec=spec, by=by, province=criteria_set.province)
        new.revised_from = criteria_set
        new.save(update_fields=["revised_from"])
    return new


def replace_draft_content(*, criteria_set: CriteriaSet, spec: SetSpec, by: User) -> CriteriaSet:
    """Replace a draft's name, pass mark, bands, groups and criteria (e.g. from an edited Excel
    file). A published set is never changed: revise it first."""
    _require(perms.can_manage_set(by, criteria_set))
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
    _require(perms.can_manage_set(by, criteria_set))
    if criteria_set.is_published:
        raise ValidationError(_("Bộ tiêu chí đã ban hành không xoá được."))
    with transaction.atomic():
        before = snapshot(criteria_set)
        audit.record(actor=by, action=DELETE, instance=criteria_set, before=before)
        criteria_set.delete()


def copy_template(*, template: CriteriaSet, province: Unit, by: User) -> CriteriaSet:
    """A province's own draft copied from a national template (or another published set it may
    read), which it then adapts and publishes."""
    _require(can_reach(by, province, PROVINCE_ADMIN_ROLES))
    if template.province_id is not None and template.province_id != province.pk:
        _require(False)
    with transaction.atomic():
        new = create_criteria_set(spec=spec_of(template), by=by, province=province)
        new.revised_from = template
        new.save(update_fields=["revised_from"])
    return new
