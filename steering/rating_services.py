"""Writes of the chairman responsibility rating: the province's method versions (draft → published,
components and bands edited only in a draft, every edit audited) and the computation of ratings
for a province's units over a period with the published method."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor, person
from core import audit, metrics
from core.models import AuditEntry
from steering import rating
from steering.models import (
    ChairmanRating,
    Direction,
    MethodState,
    RatingBand,
    RatingComponent,
    RatingFigure,
    RatingMethod,
    Scale,
)
from steering.rating_permissions import can_compute, can_edit_method
from units.models import Unit


def _require_editor(by: Actor, province: Unit) -> None:
    if by is not SYSTEM and not can_edit_method(by, province):
        raise PermissionDenied(_("Chỉ cơ quan thường trực Ban Chỉ đạo tỉnh được sửa phương pháp xếp loại."))


def _require_draft(method: RatingMethod) -> None:
    if method.state != MethodState.DRAFT:
        raise ValidationError(_("Phương pháp đã ban hành không sửa được; hãy tạo phiên bản mới."))


def _decimal(value: Any, label: str, *, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(label)s phải là một số.") % {"label": label}) from None
    if not number.is_finite() or number < low or number > high:
        raise ValidationError(_("%(label)s phải từ %(low)s đến %(high)s.") % {"label": label, "low": low, "high": high})
    return number


@transaction.atomic
def create_method(*, by: Actor, province: Unit, title: str, basis: str = "", copy_of: RatingMethod | None = None) -> RatingMethod:
    """A new draft version of the province's method: a copy of `copy_of` (a revision), else the
    defaults of steering.rating (the first draft), which the province then edits."""
    _require_editor(by, province)
    if not title.strip():
        raise ValidationError(_("Phương pháp cần có tên."))
    if copy_of is not None and copy_of.province_id != province.pk:
        raise ValidationError(_("Chỉ sửa đổi được phương pháp của chính tỉnh."))
    version = (RatingMethod.objects.filter(province=province).aggregate(v=Max("version"))["v"] or 0) + 1
    method = RatingMethod.objects.create(
        province=province, version=version, title=title.strip(), basis=basis.strip(), created_by=person(by)
    )
    if copy_of is not None:
        components = [
            (c.metric_key, c.label, c.weight, c.direction, c.scale, c.points_per_item, c.min_denominator) for c in copy_of.components.all()
        ]
        bands = [(b.label, b.min_score) for b in copy_of.bands.all()]
    else:
        components = [(k, label, Decimal(w), d, s, Decimal(p), m) for k, label, w, d, s, p, m in rating.DEFAULT_COMPONENTS]
        bands = [(label, Decimal(score)) for label, score in rating.DEFAULT_BANDS]
    for order, (key, label, weight, direction, scale, per, minimum) in enumerate(components, start=1):
        RatingComponent.objects.create(
            method=method,
            order=order,
            metric_key=key,
            label=label,
            weight=weight,
            direction=direction,
            scale=scale,
            points_per_item=per,
            min_denominator=minimum,
        )
    for label, score in bands:
        RatingBand.objects.create(method=method, label=label, min_score=score)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=method, after=_method_image(method), unit_path=province.path)
    return method


def _method_image(method: RatingMethod) -> dict[str, Any]:
    """The method with its components and bands, for the audit trail's before/after."""
    image = audit.snapshot(method)
    image["components"] = [audit.snapshot(c) for c in method.components.order_by("order")]
    image["bands"] = [audit.snapshot(b) for b in method.bands.order_by("-min_score")]
    return image


@contextmanager
def _editing(by: Actor, method: RatingMethod) -> Iterator[RatingMethod]:
    """A change to a draft method (inside the caller's transaction): by the province's editor only,
    the draft locked against a concurrent edit, its before and after in the audit trail."""
    _require_editor(by, method.province)
    method = RatingMethod.objects.select_for_update(of=("self",)).get(pk=method.pk)
    _require_draft(method)
    before = _method_image(method)
    yield method
    audit.record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        instance=method,
        before=before,
        after=_method_image(method),
        unit_path=method.province.path,
    )


@transaction.atomic
def save_component(
    *,
    by: Actor,
    method: RatingMethod,
    metric_key: str,
    label: str,
    weight: Any,
    direction: str,
    scale: str,
    points_per_item: Any = 0,
    min_denominator: Any = 1,
    component: RatingComponent | None = None,
) -> RatingComponent:
    """Add a component to a draft, or change one. The figure must be one the platform computes."""
    with _editing(by, method) as method:
        if metrics.get(metric_key) is None:
            raise ValidationError(_("Nguồn số liệu “%(key)s” không có trên nền tảng.") % {"key": metric_key})
        if not label.strip():
            raise ValidationError(_("Thành phần cần có tên."))
        if direction not in Direction.values or scale not in Scale.values:
            raise ValidationError(_("Chiều hoặc thang của thành phần không hợp lệ."))
        weight_value = _decimal(weight, _("Trọng số"), low=Decimal("0.01"), high=Decimal(1000))
        per = _decimal(points_per_item or 0, _("Điểm trừ mỗi vụ việc"), low=Decimal(0), high=Decimal(100))
        if scale == Scale.COUNT and per == 0:
            raise ValidationError(_("Thành phần đếm vụ việc cần có số điểm cho mỗi vụ việc."))
        minimum = _decimal(min_denominator, _("Số liệu tối thiểu"), low=Decimal(0), high=Decimal(100000))
        if minimum != minimum.to_integral_value():
            raise ValidationError(_("Số liệu tối thiểu phải là số nguyên."))
        clash = method.components.filter(metric_key=metric_key)
        if component is not None:
            if component.method_id != method.pk:
                raise ValidationError(_("Thành phần không thuộc phương pháp này."))
            clash = clash.exclude(pk=component.pk)
        if clash.exists():
            raise ValidationError(_("Nguồn số liệu này đã có trong phương pháp."))
        if component is None:
            order = (method.components.aggregate(o=Max("order"))["o"] or 0) + 1
            component = RatingComponent(method=method, order=order)
        component.metric_key, component.label, component.weight = metric_key, label.strip(), weight_value
        component.direction, component.scale, component.points_per_item = direction, scale, per
        component.min_denominator = int(minimum)
        component.save()
        return component


@transaction.atomic
def remove_component(*, by: Actor, component: RatingComponent) -> None:
    with _editing(by, component.method):
        component.delete()


@transaction.atomic
def save_band(*, by: Actor, method: RatingMethod, label: str, min_score: Any, band: RatingBand | None = None) -> RatingBand:
    """Add a band to a draft, or change one: a label and the least score (0–100) that earns it."""
    with _editing(by, method) as method:
        if not label.strip():
            raise ValidationError(_("Mức xếp loại cần có tên."))
        score = _decimal(min_score, _("Điểm tối thiểu"), low=Decimal(0), high=Decimal(100))
        clash = method.bands.filter(min_score=score)
        if band is not None:
            if band.method_id != method.pk:
                raise ValidationError(_("Mức xếp loại không thuộc phương pháp này."))
            clash = clash.exclude(pk=band.pk)
        if clash.exists():
            raise ValidationError(_("Đã có mức xếp loại với điểm tối thiểu này."))
        band = band or RatingBand(method=method)
        band.label, band.min_score = label.strip(), score
        band.save()
        return band


@transaction.atomic
def remove_band(*, by: Actor, band: RatingBand) -> None:
    with _editing(by, band.method):
        band.delete()


@transaction.atomic
def publish_method(*, by: Actor, method: RatingMethod) -> RatingMethod:
    """Put a draft in force: it needs a component and a band reaching 0 (every score gets a band).
    The version in force until now is retired; ratings computed with it keep it."""
    _require_editor(by, method.province)
    method = RatingMethod.objects.select_for_update(of=("self",)).get(pk=method.pk)
    _require_draft(method)
    if not method.components.exists():
        raise ValidationError(_("Phương pháp cần ít nhất một thành phần."))
    if not method.bands.filter(min_score=0).exists():
        raise ValidationError(_("Cần một mức xếp loại có điểm tối thiểu 0 để mọi kết quả đều được xếp loại."))
    for previous in RatingMethod.objects.select_for_update(of=("self",)).filter(province=method.province, state=MethodState.PUBLISHED):
        before = audit.snapshot(previous)
        previous.state = MethodState.RETIRED
        previous.save(update_fields=["state"])
        audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=previous, before=before, unit_path=previous.province.path)
    before = audit.snapshot(method)
    method.state, method.published_at, method.published_by = MethodState.PUBLISHED, timezone.now(), person(by)
    method.save(update_fields=["state", "published_at", "published_by"])
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=method, before=before, unit_path=method.province.path)
    return method


def _figures_for(units: list[Unit], keys: list[str], start: dt.date, end: dt.date) -> dict[int, dict[str, metrics.MetricValue]]:
    """Each unit's figures for `keys`, one bulk read per metric for all the units
    (core.metrics.compute_many): a unit formed from others (the 1 July 2025 communes rated over
    2025) has its predecessors' records counted too."""
    result: dict[int, dict[str, metrics.MetricValue]] = {u.pk: {} for u in units}
    for key in keys:
        for pk, value in metrics.compute_many(key, units=units, start=start, end=end).items():
            result[pk][key] = value
    return result


@transaction.atomic
def compute_ratings(*, by: Actor, province: Unit, start: dt.date, end: dt.date) -> list[ChairmanRating]:
    """Rate the chairman of every commune (and district, where they existed) of the province over
    [start, end] with its published method: the figures are read once per metric for all units,
    each rating keeps its method version and its figures. Computing again with the same version
    replaces that version's ratings for the period; ratings of other versions stay."""
    if by is not SYSTEM and not can_compute(by, province):
        raise PermissionDenied(_("Chỉ Ban Chỉ đạo tỉnh được tính xếp loại chủ tịch UBND."))
    if end < start:
        raise ValidationError(_("Ngày kết thúc kỳ phải sau ngày bắt đầu."))
    if start > timezone.localdate():
        raise ValidationError(_("Kỳ xếp loại chưa bắt đầu."))
    method = rating.published_method(province)
    if method is None:
        raise ValidationError(_("Tỉnh chưa ban hành phương pháp xếp loại."))
    components = list(method.components.all())
    bands = list(method.bands.all())
    units = list(rating.rated_units(province, start, end))
    figures = _figures_for(units, [c.metric_key for c in components], start, end)
    ChairmanRating.objects.filter(method=method, period_start=start, period_end=end).delete()
    now = timezone.now()
    results = {u.pk: rating.evaluate(components, bands, figures[u.pk]) for u in units}
    ratings = ChairmanRating.objects.bulk_create(
        [
            ChairmanRating(
                method=method,
                unit=u,
                period_start=start,
                period_end=end,
                score=None if results[u.pk].score is None else Decimal(str(results[u.pk].score)),
                band=results[u.pk].band,
                computed_at=now,
                computed_by=person(by),
            )
            for u in units
        ]
    )
    rows = []
    for saved in ratings:
        for order, r in enumerate(results[saved.unit_id].figures, start=1):
            rows.append(
                RatingFigure(
                    rating=saved,
                    order=order,
                    metric_key=r.component.metric_key,
                    label=r.component.label,
                    weight=r.component.weight,
                    weight_used=r.weight_used,
                    value=r.figure.value,
                    measure=r.figure.unit[:30],
                    numerator=r.figure.numerator,
                    denominator=r.figure.basis,
                    min_denominator=r.component.min_denominator,
                    score=r.score,
                    included=r.included,
                    source=r.figure.source[:300],
                    note=r.note,
                    link=r.figure.link[:500],
                )
            )
    RatingFigure.objects.bulk_create(rows)
    audit.record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        instance=method,
        before=audit.snapshot(method),
        after={**audit.snapshot(method), "computed": {"start": start.isoformat(), "end": end.isoformat(), "units": len(units)}},
        unit_path=province.path,
        reason=f"Tính xếp loại chủ tịch UBND {start:%d/%m/%Y}–{end:%d/%m/%Y}",
    )
    return ratings
