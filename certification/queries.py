"""Reads shared by pages, the API and exports: files in the user's scope, target tracking, the
appraisal-quality figures and overdue files. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_queryset
from certification import conf
from certification.models import (
    AppraisalScore,
    Campaign,
    CitizenFigure,
    FileState,
    Level,
    ProvinceCheck,
    Recognition,
    Registration,
    SelfScore,
)
from certification.statistics import GapEstimate, mean_interval
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
    """The province's communes in force when the campaign's registration opens (the structure in force)."""
    day = campaign.registration_opens
    return Unit.objects.filter(kind=UnitKind.COMMUNE, path__startswith=campaign.province.path).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def held_recognitions(campaign: Campaign) -> dict[int, int | None]:
    """Communes of the campaign's province holding a recognition from an earlier campaign still in
    force at the campaign's time (today, or its last deadline once past): unit id → the district it
    lies in (None without one). They count towards this campaign's target (the notice's cumulative
    path: 30 % → 60 % → 100 %)."""
    as_of = min(timezone.localdate(), campaign.province_appraisal_due)
    rows = Recognition.objects.filter(
        registration__campaign__province=campaign.province,
        registration__campaign__year__lt=campaign.year,
        registration__state=S.RECOGNISED,
        revoked_at__isnull=True,
        decision_date__lte=as_of,
        valid_until__gte=as_of,
    ).values_list("registration__unit_id", "registration__unit__parent_id", "registration__unit__parent__kind")
    return {unit_id: (parent_id if kind == UnitKind.DISTRICT else None) for unit_id, parent_id, kind in rows}


def target_progress(*, campaign: Campaign) -> tuple[list[TargetRow], TargetRow]:
    """Recognised / total communes per district and for the province against the target, with the
    number still needed. A commune holding a recognition in force from an earlier campaign counts
    as recognised (once). Communes are those in force at the campaign's registration. Without a
    district step only the province row has content."""
    targets = {t.district_id: t.target_share for t in campaign.district_targets.all()}
    files = list(Registration.objects.filter(campaign=campaign).values_list("unit_id", "district_id", "state"))
    recognised_units: dict[int, int | None] = held_recognitions(campaign)
    recognised_units.update({unit_id: district_id for unit_id, district_id, state in files if state == S.RECOGNISED})
    total = _communes(campaign).count()
    province_row = TargetRow(campaign.province, total, len(files), len(recognised_units), campaign.target_share)
    rows: list[TargetRow] = []
    if campaign.has_district_step:
        registered: dict[int | None, int] = {}
        for _unit_id, district_id, _state in files:
            registered[district_id] = registered.get(district_id, 0) + 1
        recognised: dict[int | None, int] = {}
        for held_in in recognised_units.values():
            recognised[held_in] = recognised.get(held_in, 0) + 1
        districts = Unit.objects.filter(kind=UnitKind.DISTRICT, parent=campaign.province).annotate(
            communes=Count("children", filter=Q(children__kind=UnitKind.COMMUNE))
        )
        for d in districts.order_by("name"):
            communes: int = d.communes  # type: ignore[attr-defined]  # the annotate() above
            rows.append(TargetRow(d, communes, registered.get(d.pk, 0), recognised.get(d.pk, 0), targets.get(d.pk, campaign.target_share)))
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
class GapFile:
    """A sampled file the province re-appraised, with the district's and the province's totals."""

    file_id: int
    unit: str
    district_total: Decimal
    province_total: Decimal

    @property
    def gap(self) -> Decimal:
        return self.district_total - self.province_total


@dataclass
class QualityRow:
    """One district's appraisal quality in a campaign. The inflation estimate rests only on the
    files the province drew at random and re-appraised itself; a file it never re-scored is "not
    checked", never a perfect match."""

    district: Unit
    registered: int = 0
    proposed: int = 0
    recognised: int = 0
    refused: int = 0
    refusal_share: float = 0.0
    forwarded: int = 0  # files put through the province's check (drawn or recorded as not drawn)
    sampled: int = 0
    checked: int = 0  # sampled files the province re-appraised
    not_checked: int = 0  # proposed files without the province's own appraisal
    gap: GapEstimate = field(default_factory=lambda: GapEstimate(0, None))
    gap_files: list[GapFile] = field(default_factory=list)  # sampled files beyond the tolerance
    self_inflation: float | None = None
    compared: int = 0  # files with both self- and district scores
    copied: int = 0  # of which every district score equals the self-score
    criterion_gaps: list[tuple[str, float]] = field(default_factory=list)
    communes: int = 0
    communes_with_data: int = 0
    supported: int = 0  # communes whose citizens' figures all meet the bar
    mass_registration: bool = False
    disagreements: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def copies_self_scores(self) -> bool:
        return self.compared >= COPY_MIN_FILES and self.copied == self.compared

    @property
    def mean_gap(self) -> float | None:
        return self.gap.mean


# A district is said to copy self-scores only when it did so on at least this many files.
COPY_MIN_FILES = 2


def _f(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _meets_bar(key: str, value: float) -> bool:
    metric = metrics.get(key)
    if metric is None or metric.higher_is_better:
        return value >= conf.FLAG_BELOW
    return value <= conf.FLAG_ABOVE


def _figures(campaign: Campaign) -> tuple[dict[int, list[tuple[str, float, str]]], dt.datetime | None]:
    """The campaign's stored citizens' figures per commune (key, value, measure), and when they
    were read (the oldest)."""
    out: dict[int, list[tuple[str, float, str]]] = defaultdict(list)
    oldest = None
    for unit_id, key, value, measure, basis, at in CitizenFigure.objects.filter(campaign=campaign).values_list(
        "unit_id", "key", "value", "measure", "basis", "computed_at"
    ):
        oldest = at if oldest is None or at < oldest else oldest
        if value is not None and basis > 0:  # a figure resting on nothing (no report, no rating) is no data
            out[unit_id].append((key, value, measure))
    return out, oldest


def _number(value: Decimal | float, *, sign: bool = False) -> str:
    """A figure in the active language's format (9,5 in Vietnamese), without trailing zeros."""
    d = Decimal(str(value))
    d = d.quantize(Decimal(1)) if d == d.to_integral() else d.normalize()
    text = formats.number_format(d, use_l10n=True)
    return f"+{text}" if sign and d > 0 else text


def _failing(figures: list[tuple[str, float, str]]) -> list[str]:
    out = []
    for key, value, measure in figures:
        if not _meets_bar(key, value):
            metric = metrics.get(key)
            out.append(f"{metric.label if metric else key} = {_number(value)}{measure if measure == '%' else ' ' + measure}")
    return out


@dataclass
class Quality:
    rows: list[QualityRow]
    figures_at: dt.datetime | None
    tolerance: float


def appraisal_quality(*, campaign: Campaign, districts: list[int] | None = None) -> Quality:
    """Per district (all of them, or those in `districts`): registrations and outcomes; the
    province's check (forwarded, sampled, re-appraised, not checked); the district's inflation
    estimated from the sampled files (mean district − province gap, t-based 95 % interval); sampled
    files whose gap exceeds the tolerance; self − district gaps and whether the team copied the
    self-scores; mass registration against the communes' own citizens' figures; and recognitions
    that those figures contradict. Worst first. A fixed number of queries, whatever the files."""
    files = Registration.objects.filter(campaign=campaign, district__isnull=False)
    if districts is not None:
        files = files.filter(district_id__in=districts)
    stats = files.values("district").annotate(
        registered=Count("id"),
        proposed=Count("id", filter=Q(state__in=PROPOSED_STATES)),
        recognised=Count("id", filter=Q(state=S.RECOGNISED)),
        refused=Count("id", filter=Q(state=S.REFUSED)),
        forwarded=Count("province_check"),
        sampled=Count("province_check", filter=Q(province_check__drawn=True)),
        checked=Count("province_check", filter=Q(province_check__drawn=True, province_check__checked_at__isnull=False)),
        own_checks=Count("province_check", filter=Q(province_check__checked_at__isnull=False)),
    )
    rows: dict[int, QualityRow] = {}
    own_checks: dict[int, int] = {}
    for r in stats:
        values: dict[str, Any] = dict(r)
        pk = values.pop("district")
        own_checks[pk] = values.pop("own_checks")
        rows[pk] = QualityRow(district=None, **values)  # type: ignore[arg-type]  # set below from in_bulk
    units = Unit.objects.in_bulk(list(rows))
    tolerance = Decimal(str(conf.GAP_TOLERANCE))

    gaps: dict[int, list[GapFile]] = defaultdict(list)
    for pk, district_id, name, d_total, p_total in (
        ProvinceCheck.objects.filter(registration__in=files, drawn=True, checked_at__isnull=False, district_total__isnull=False)
        .order_by("registration__unit__name")
        .values_list("registration_id", "registration__district_id", "registration__unit__name", "district_total", "province_total")
    ):
        if d_total is not None and p_total is not None:
            gaps[district_id].append(GapFile(pk, name, d_total, p_total))

    inflation: dict[int, list[Decimal]] = defaultdict(list)
    for district_id, self_total, district_total in files.filter(self_total__isnull=False, district_total__isnull=False).values_list(
        "district", "self_total", "district_total"
    ):
        if self_total is not None and district_total is not None:
            inflation[district_id].append(self_total - district_total)

    # Copying: every district score of a file equal to the commune's own score for that criterion.
    own = {
        (reg, crit): score
        for reg, crit, score in SelfScore.objects.filter(registration__in=files, score__isnull=False).values_list(
            "registration_id", "criterion_id", "score"
        )
    }
    differs: dict[int, bool] = {}
    file_district: dict[int, int] = {}
    district_scores: dict[tuple[int, int], Decimal] = {}
    for reg, district_id, crit, score in AppraisalScore.objects.filter(
        registration__in=files, level=Level.DISTRICT, registration__district_total__isnull=False
    ).values_list("registration_id", "registration__district_id", "criterion_id", "score"):
        district_scores[(reg, crit)] = score
        file_district[reg] = district_id
        differs[reg] = differs.get(reg, False) or own.get((reg, crit)) != score
    for reg, district_id in file_district.items():
        rows[district_id].compared += 1
        rows[district_id].copied += 0 if differs[reg] else 1

    # Per-criterion gap district − province on the sampled files the province re-appraised.
    per_criterion: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for reg, district_id, code, crit, score in AppraisalScore.objects.filter(
        registration__in=files, level=Level.PROVINCE, registration__province_check__drawn=True
    ).values_list("registration_id", "registration__district_id", "criterion__code", "criterion_id", "score"):
        d = district_scores.get((reg, crit))
        if d is not None:
            per_criterion[district_id][code].append(d - score)

    figures, figures_at = _figures(campaign)
    communes: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.filter(parent_id__in=list(rows), kind=UnitKind.COMMUNE).values_list("pk", "parent_id"):
        communes[parent_id].append(pk)
    top = campaign.criteria_set.star_bands.order_by("-min_total").values_list("min_total", flat=True).first()
    watched = files.filter(Q(state=S.RECOGNISED) | Q(state__in=(S.AT_PROVINCE, S.DISTRICT_PROPOSED), district_total__gte=top or 0))
    for district_id, unit_id, name, state, stars, d_total in watched.order_by("unit__name").values_list(
        "district_id", "unit_id", "unit__name", "state", "recognition__stars", "district_total"
    ):
        failing = _failing(figures.get(unit_id, []))
        if failing:
            if state == S.RECOGNISED:
                what = _("công nhận %(stars)s★") % {"stars": stars}
            else:
                what = _("đề nghị, điểm huyện %(t)s") % {"t": _number(d_total or 0)}
            rows[district_id].disagreements.append(f"{name} ({what}): {'; '.join(failing)}")

    for pk, row in rows.items():
        row.district = units[pk]
        row.refusal_share = round(100 * row.refused / row.proposed, 1) if row.proposed else 0.0
        row.not_checked = max(0, row.proposed - own_checks[pk])
        row.gap = mean_interval([g.gap for g in gaps[pk]])
        row.gap_files = [g for g in gaps[pk] if abs(g.gap) > tolerance]
        row.self_inflation = _f(sum(inflation[pk]) / len(inflation[pk])) if inflation[pk] else None
        means = ((code, float(sum(v) / len(v))) for code, v in per_criterion[pk].items())
        row.criterion_gaps = sorted((m for m in means if m[1] != 0), key=lambda x: -abs(x[1]))[:5]
        row.communes = len(communes[pk])
        with_data = [u for u in communes[pk] if figures.get(u)]
        row.communes_with_data = len(with_data)
        row.supported = sum(1 for u in with_data if not _failing(figures[u]))
        row.mass_registration = bool(with_data) and row.registered > row.supported * (1 + conf.MASS_REGISTRATION_EXCESS)
        row.flags = _flags(row, tolerance)
    ordered = sorted(rows.values(), key=lambda r: (-len(r.flags), r.gap.mean is not None, -(r.gap.mean or 0), r.district.name))
    return Quality(ordered, figures_at, float(tolerance))


def _flags(row: QualityRow, tolerance: Decimal) -> list[str]:
    out = []
    if row.copies_self_scores:
        out.append(
            _("Tổ thẩm định chép điểm tự chấm: điểm huyện trùng điểm xã ở mọi tiêu chí trên %(n)s/%(n)s hồ sơ.") % {"n": row.compared}
        )
    if row.gap_files:
        out.append(
            _("%(n)s hồ sơ mẫu chênh hơn %(tol)s điểm so với tỉnh: %(files)s.")
            % {
                "n": len(row.gap_files),
                "tol": _number(tolerance),
                "files": ", ".join(f"{g.unit} ({_number(g.gap, sign=True)})" for g in row.gap_files),
            }
        )
    if row.gap.above_zero:
        out.append(
            _("Huyện chấm cao hơn tỉnh: trung bình %(mean)s điểm (khoảng tin cậy 95%%: %(lci)s – %(uci)s).")
            % {"mean": _number(row.gap.mean or 0), "lci": _number(row.gap.lci or 0), "uci": _number(row.gap.uci or 0)}
        )
    if row.mass_registration:
        out.append(
            _("Đăng ký tràn lan: %(reg)s xã đăng ký, chỉ %(ok)s/%(data)s xã có số liệu người dân đạt ngưỡng.")
            % {"reg": row.registered, "ok": row.supported, "data": row.communes_with_data}
        )
    if row.disagreements:
        out.append(_("%(n)s xã được công nhận/đề nghị trái với số liệu người dân.") % {"n": len(row.disagreements)})
    return out


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


def recognised_in(user: Any, campaign: Campaign) -> QuerySet[Registration]:
    """The recognised files of `campaign` within `user`'s scope, in the decision list's order."""
    return (
        files_for(user, campaign)
        .filter(state=S.RECOGNISED)
        .select_related("recognition", "unit", "district")
        .order_by("district__name", "unit__name")
    )


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
