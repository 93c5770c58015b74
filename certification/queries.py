"""Reads shared by pages, the API and exports: files in the user's scope, target tracking, the
appraisal-quality table and overdue files. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.scope import scope_queryset
from certification import conf
from certification.models import AppraisalScore, Campaign, FileState, Level, Registration
from core import metrics
from units.models import Unit, UnitKind

S = FileState
# States a file reaches only after the district proposed it.
PROPOSED_STATES = (S.DISTRICT_PROPOSED, S.AT_PROVINCE, S.RETURNED_TO_DISTRICT, S.RECOGNISED, S.REFUSED, S.REVOKED)


def files_for(user: Any, campaign: Campaign) -> QuerySet[Registration]:
    """The campaign's files the user may see (commune: its own; district: its communes; province: all)."""
    qs = Registration.objects.filter(campaign=campaign).select_related("unit", "district", "recognition")
    return scope_queryset(qs, user)


@dataclass
class TargetRow:
    unit: Unit
    communes: int
    registered: int
    recognised: int
    target_share: Decimal
    target_count: int = 0
    still_needed: int = 0
    share: float = 0.0

    def __post_init__(self) -> None:
        self.target_count = math.ceil(float(self.target_share) * self.communes - 1e-9)
        self.still_needed = max(0, self.target_count - self.recognised)
        self.share = round(100 * self.recognised / self.communes, 1) if self.communes else 0.0


def _communes(campaign: Campaign) -> QuerySet[Unit]:
    return Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=campaign.province.path)


def target_progress(*, campaign: Campaign) -> tuple[list[TargetRow], TargetRow]:
    """Recognised / total communes per district and for the province against the target, with the
    number still needed. Without a district step only the province row has content."""
    targets = {t.district_id: t.target_share for t in campaign.district_targets.all()}
    counts = Registration.objects.filter(campaign=campaign).aggregate(
        registered=Count("id"), recognised=Count("id", filter=Q(state=S.RECOGNISED))
    )
    total = _communes(campaign).count()
    province_row = TargetRow(campaign.province, total, counts["registered"], counts["recognised"], campaign.target_share)
    rows: list[TargetRow] = []
    if campaign.has_district_step:
        per_district = {
            r["district"]: r
            for r in Registration.objects.filter(campaign=campaign)
            .values("district")
            .annotate(registered=Count("id"), recognised=Count("id", filter=Q(state=S.RECOGNISED)))
        }
        districts = Unit.objects.filter(kind=UnitKind.DISTRICT, parent=campaign.province).annotate(
            communes=Count("children", filter=Q(children__kind=UnitKind.COMMUNE))
        )
        for d in districts.order_by("name"):
            r: dict[str, Any] = dict(per_district.get(d.pk, {}))
            communes: int = d.communes  # type: ignore[attr-defined]  # the annotate() above
            rows.append(TargetRow(d, communes, r.get("registered", 0), r.get("recognised", 0), targets.get(d.pk, campaign.target_share)))
    return rows, province_row


def target_history(*, province: Unit) -> list[TargetRow]:
    """The province row of every campaign, oldest first (for the chart and the year table)."""
    out = []
    for campaign in Campaign.objects.filter(province=province).select_related("province").order_by("year"):
        _rows, total = target_progress(campaign=campaign)
        total.unit = campaign  # type: ignore[assignment]  # the history row is labelled by its campaign
        out.append(total)
    return out


@dataclass
class QualityRow:
    district: Unit
    registered: int = 0
    proposed: int = 0
    recognised: int = 0
    refused: int = 0
    refusal_share: float = 0.0
    mean_gap: float | None = None
    self_inflation: float | None = None
    criterion_gaps: list[tuple[str, float]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _f(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def appraisal_quality(*, campaign: Campaign, with_flags: bool = True) -> list[QualityRow]:
    """Per district: registrations vs recognitions, the share of its proposals the province refused,
    the mean gap district − province score, self-score inflation (self − district), the criteria with
    the largest gap, and communes whose proposal disagrees with citizens' data. Worst first."""
    files = Registration.objects.filter(campaign=campaign, district__isnull=False)
    stats = files.values("district").annotate(
        registered=Count("id"),
        proposed=Count("id", filter=Q(state__in=PROPOSED_STATES)),
        recognised=Count("id", filter=Q(state=S.RECOGNISED)),
        refused=Count("id", filter=Q(state=S.REFUSED)),
    )
    rows = {r["district"]: QualityRow(district=None, **{k: v for k, v in r.items() if k != "district"}) for r in stats}  # type: ignore[arg-type]  # aggregate() rows
    decided = list(
        files.filter(province_total__isnull=False, district_total__isnull=False).values_list("district", "district_total", "province_total")
    )
    gaps: dict[int, list[Decimal]] = defaultdict(list)
    for district_id, district_total, province_total in decided:
        if district_total is not None and province_total is not None:
            gaps[district_id].append(district_total - province_total)
    inflation: dict[int, list[Decimal]] = defaultdict(list)
    pairs = files.filter(self_total__isnull=False, district_total__isnull=False).values_list("district", "self_total", "district_total")
    for district_id, self_total, district_total in pairs:
        if self_total is not None and district_total is not None:
            inflation[district_id].append(self_total - district_total)
    # Per-criterion gap where the province re-scored a criterion the district scored.
    district_scores = {
        (s["registration_id"], s["criterion_id"]): s["score"]
        for s in AppraisalScore.objects.filter(registration__campaign=campaign, level=Level.DISTRICT).values(
            "registration_id", "criterion_id", "score"
        )
    }
    per_criterion: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for s in AppraisalScore.objects.filter(
        registration__campaign=campaign, level=Level.PROVINCE, registration__district__isnull=False
    ).values("registration_id", "registration__district_id", "criterion__code", "criterion_id", "score"):
        d = district_scores.get((s["registration_id"], s["criterion_id"]))
        if d is not None:
            per_criterion[s["registration__district_id"]][s["criterion__code"]].append(d - s["score"])
    units = Unit.objects.in_bulk(list(rows))
    for pk, row in rows.items():
        row.district = units[pk]
        row.refusal_share = round(100 * row.refused / row.proposed, 1) if row.proposed else 0.0
        row.mean_gap = _f(sum(gaps[pk]) / len(gaps[pk])) if gaps[pk] else None
        row.self_inflation = _f(sum(inflation[pk]) / len(inflation[pk])) if inflation[pk] else None
        row.criterion_gaps = sorted(((code, float(sum(v) / len(v))) for code, v in per_criterion[pk].items()), key=lambda x: -x[1])[:5]
    if with_flags:
        _flag_disagreements(campaign, rows)
    return sorted(rows.values(), key=lambda r: (-r.refusal_share, -(r.mean_gap or 0), -(r.self_inflation or 0)))


def _flag_disagreements(campaign: Campaign, rows: dict[int, QualityRow]) -> None:
    """Proposed communes with a high district score while citizens' figures (once the feedback or
    survey capabilities register them) say otherwise."""
    keys = [k for k in conf.FLAG_METRICS if metrics.get(k) is not None]
    if not keys:
        return
    end = timezone.localdate()
    start = end - dt.timedelta(days=365)
    high = campaign.criteria_set.star_bands.order_by("-min_total").values_list("min_total", flat=True).first() or Decimal("0")
    for reg in Registration.objects.filter(campaign=campaign, state__in=PROPOSED_STATES, district_total__gte=high).select_related("unit"):
        for key in keys:
            value = metrics.compute(key, unit=reg.unit, start=start, end=end)
            metric = metrics.get(key)
            if value.value is None or metric is None:
                continue
            low = value.value < conf.FLAG_BELOW if metric.higher_is_better else value.value > conf.FLAG_ABOVE
            if low and reg.district_id in rows:
                rows[reg.district_id].flags.append(
                    f"{reg.unit}: {metric.label} = {value.value:g}{value.unit}, điểm huyện {reg.district_total}"
                )


@dataclass
class OverdueFile:
    registration: Registration
    step: str
    due_on: dt.date
    days_late: int


def overdue_files(*, user: Any, campaign: Campaign, today: dt.date | None = None) -> list[OverdueFile]:
    """Files whose current step's deadline has passed, most late first."""
    today = today or timezone.localdate()
    steps = [
        ((S.REGISTERED, S.RETURNED_TO_COMMUNE), campaign.self_assessment_due, "Tự đánh giá (xã)"),
        ((S.SUBMITTED, S.RETURNED_TO_DISTRICT, S.DISTRICT_PROPOSED), campaign.district_appraisal_due, "Thẩm định cấp huyện"),
        ((S.AT_PROVINCE,), campaign.province_appraisal_due, "Thẩm định cấp tỉnh"),
    ]
    out: list[OverdueFile] = []
    for states, due, label in steps:
        if due is None or due >= today:
            continue
        for reg in files_for(user, campaign).filter(state__in=states):
            out.append(OverdueFile(reg, label, due, (today - due).days))
    return sorted(out, key=lambda o: (-o.days_late, o.registration.unit.name))


def unit_under(paths: list[str], lookup: str = "unit__path") -> Q:
    """Rows whose unit lies under any of `paths`."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def recognised_for_public(*, limit: int = 50, within: list[str] | None = None) -> QuerySet[Registration]:
    """Recognised files, newest first; `within` (materialised paths) keeps those of one province and
    its predecessors (`units.structure.lineage_paths`)."""
    files = Registration.objects.filter(state=S.RECOGNISED)
    if within is not None:
        files = files.filter(unit_under(within))
    return files.select_related("unit", "district", "campaign", "recognition").order_by(
        "-campaign__year", "-recognition__stars", "unit__name"
    )[:limit]
