"""Reads: boards and recommendations in a user's scope, the overdue list, figures per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.scope import scope_queryset
from core.models import AuditEntry
from supervision import clocks, composition, conf
from supervision.models import (
    Aggregation,
    Board,
    IndicatorKind,
    Meeting,
    MeetingKind,
    Recommendation,
    RecommendationState,
    ReportForm,
    ReportIndicator,
    ReportSection,
    ReportState,
    ReportValue,
    UnitReport,
)
from units.models import Unit, UnitKind
from units.structure import lineage_paths, with_predecessors


def recommendations_in_scope(user: Any) -> QuerySet[Recommendation]:
    return scope_queryset(Recommendation.objects.select_related("board__unit"), user, unit_path="board__unit__path")


def overdue(user: Any, on: dt.date) -> QuerySet[Recommendation]:
    """Unanswered recommendations past their due day, oldest first."""
    return recommendations_in_scope(user).filter(state=RecommendationState.SENT, due_on__lt=on).order_by("due_on", "pk")


def board_breaches(board: Board, on: dt.date) -> list[composition.Breach]:
    villages = Unit.objects.in_force(on).filter(parent=board.unit, kind=UnitKind.VILLAGE)
    return composition.check(kind=board.kind, members=board.members.all(), villages=villages, on=on)


@dataclass(frozen=True)
class Figures:
    sent: int  # recommendations sent in the period
    due: int  # of those, due by the day figures are read
    answered: int
    answered_on_time: int
    overdue: int  # unanswered past due

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.answered_on_time / self.due, 1) if self.due else None


def figures(*, unit: Unit, start: dt.date, end: dt.date, today: dt.date) -> Figures:
    """Recommendations to the communes of `unit`'s subtree (and its predecessors') sent in
    [start, end]."""
    paths = Q(pk__in=[])
    for path in lineage_paths(unit):
        paths |= Q(board__unit__path__startswith=path)
    rows = list(Recommendation.objects.filter(paths, sent_on__gte=start, sent_on__lte=end).exclude(state=RecommendationState.WITHDRAWN))
    due = [r for r in rows if r.due_on < today or r.answered_on is not None]
    answered = [r for r in rows if r.answered_on is not None]
    on_time = [r for r in answered if not clocks.answered_late(r)]
    late_open = [r for r in rows if clocks.is_overdue(r, today)]
    return Figures(sent=len(rows), due=len(due), answered=len(answered), answered_on_time=len(on_time), overdue=len(late_open))


def meetings_in_scope(user: Any) -> QuerySet[Meeting]:
    return scope_queryset(Meeting.objects.select_related("unit", "unit__parent"), user)


def communes_without_dialogue(user: Any, year: int) -> QuerySet[Unit]:
    """Communes in force at the year's end in the user's scope that held no dialogue conference that
    year (the Law asks for at least conf.DIALOGUES_PER_YEAR)."""
    end = dt.date(year, 12, 31)
    held = (
        Meeting.objects.filter(kind=MeetingKind.DIALOGUE, held_on__year=year)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=conf.DIALOGUES_PER_YEAR)
        .values("unit_id")
    )
    communes = scope_queryset(Unit.objects.in_force(end).filter(kind=UnitKind.COMMUNE), user, unit_path="path")
    return communes.exclude(pk__in=held).order_by("name")


# --- The periodic results report ------------------------------------------------------------------
def _under(paths: list[str], lookup: str = "path") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def expected_units(form: ReportForm, end: dt.date, user: Any = None) -> QuerySet[Unit]:
    """The units that owe the report for a period ending `end`: those of the form's reporting kind
    in force on `end` in the form's province (and in `user`'s scope when given)."""
    units: QuerySet[Unit] = Unit.objects.in_force(end).filter(_under(lineage_paths(form.province)), kind=form.reporting_kind)
    if user is not None:
        units = scope_queryset(units, user, unit_path="path")
    return units.order_by("name")


def period_reports(form: ReportForm, start: dt.date) -> QuerySet[UnitReport]:
    """The reports of every version of the form for the period beginning `start`."""
    return UnitReport.objects.filter(form__province=form.province, form__code=form.code, period_start=start)


def units_not_submitted(form: ReportForm, start: dt.date, end: dt.date) -> QuerySet[Unit]:
    sent = period_reports(form, start).filter(first_submitted_on__isnull=False).values("unit_id")
    return expected_units(form, end).exclude(pk__in=sent)


@dataclass
class UnitStatus:
    unit: Unit
    report: UnitReport | None
    status: str  # "on_time", "late", "pending" (not yet due), "overdue" (due and not sent)


@dataclass
class Completeness:
    """As DHIS2 counts them: expected reports, received (sent at least once), on time (first sent
    by the due day), with the rates over expected."""

    due_on: dt.date
    rows: list[UnitStatus] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def received(self) -> int:
        return sum(r.status in ("on_time", "late") for r in self.rows)

    @property
    def on_time(self) -> int:
        return sum(r.status == "on_time" for r in self.rows)

    @property
    def overdue(self) -> list[UnitStatus]:
        return [r for r in self.rows if r.status == "overdue"]

    def rate(self, count: int) -> float | None:
        return round(100 * count / self.expected, 1) if self.expected else None

    @property
    def received_rate(self) -> float | None:
        return self.rate(self.received)

    @property
    def on_time_rate(self) -> float | None:
        return self.rate(self.on_time)


def completeness(*, form: ReportForm, start: dt.date, end: dt.date, due_on: dt.date, today: dt.date, user: Any = None) -> Completeness:
    reports = {r.unit_id: r for r in period_reports(form, start).select_related("unit")}
    result = Completeness(due_on=due_on)
    for unit in expected_units(form, end, user):
        report = reports.get(unit.pk)
        sent = report.first_submitted_on if report is not None else None
        if sent is not None:
            status = "on_time" if clocks.on_time(sent, due_on) else "late"
        else:
            status = "overdue" if today > due_on else "pending"
        result.rows.append(UnitStatus(unit=unit, report=report, status=status))
    return result


@dataclass(frozen=True)
class AggregateLine:
    indicator: ReportIndicator
    value: Decimal | None
    reports: int  # accepted reports with a figure for it


@dataclass
class UnitTotals:
    """The totals of one level (the province, or a district before 1 July 2025) over the accepted
    reports of the units it received them from."""

    unit: Unit
    lines: list[AggregateLine]
    accepted: int


@dataclass
class Compiled:
    """The compiled report of `total.unit` for a period, with a subtotal for each level between it
    and the reporting units in the structure in force then (the districts before 1 July 2025;
    none after, when the communes report to the province)."""

    total: UnitTotals
    levels: list[UnitTotals]


def _combine(indicator: ReportIndicator, figures: list[Decimal]) -> Decimal | None:
    """Counts and amounts add up; a rate is the mean over the units that gave one."""
    if not figures:
        return None
    if indicator.aggregation == Aggregation.AVERAGE:
        return (sum(figures, Decimal(0)) / len(figures)).quantize(Decimal("0.01"))
    return sum(figures, Decimal(0))


def compile_report(*, form: ReportForm, top: Unit, start: dt.date) -> Compiled:
    """The totals of `top` (a province, or a district for a period before the merger) over its
    units' accepted reports for the period beginning `start`, with subtotals per level in between.

    The lines are `form`'s numeric indicators; a report filed on another version of the form
    counts by indicator code (a version keeps the codes it did not change). Reports are read in
    `top`'s subtree and its predecessors' (units.structure.lineage_paths); each goes to the level
    that reviewed it (`reviewer`, the level above in force on the period's last day), so a
    province's period before 1 July 2025 shows each district's totals. Every total is computed
    from the units' own figures: a rate is the mean over all the units that gave one, not a mean
    of the districts' means."""
    indicators = list(ReportIndicator.objects.filter(section__form=form, kind=IndicatorKind.NUMBER).select_related("section"))
    accepted = period_reports(form, start).filter(_under(lineage_paths(top), "unit__path"), state=ReportState.ACCEPTED)
    reviewer_of = dict(accepted.values_list("pk", "reviewer_id"))
    by_level: dict[int | None, dict[str, list[Decimal]]] = {}
    for report_id, code, number in ReportValue.objects.filter(report__in=accepted, number__isnull=False).values_list(
        "report_id", "indicator__code", "number"
    ):
        if number is None:
            continue
        for key in (None, reviewer_of[report_id]):
            by_level.setdefault(key, {}).setdefault(code, []).append(number)

    def lines(key: int | None) -> list[AggregateLine]:
        by_code = by_level.get(key, {})
        return [
            AggregateLine(indicator=i, value=_combine(i, by_code.get(i.code, [])), reports=len(by_code.get(i.code, []))) for i in indicators
        ]

    counts: dict[int, int] = {}
    for reviewer_id in reviewer_of.values():
        counts[reviewer_id] = counts.get(reviewer_id, 0) + 1
    own = {u.pk for u in with_predecessors([top])}
    below = Unit.objects.filter(pk__in=[pk for pk in counts if pk not in own]).order_by("name")
    return Compiled(
        total=UnitTotals(unit=top, lines=lines(None), accepted=len(reviewer_of)),
        levels=[UnitTotals(unit=u, lines=lines(u.pk), accepted=counts[u.pk]) for u in below],
    )


def aggregate(*, form: ReportForm, reviewer: Unit, start: dt.date) -> tuple[list[AggregateLine], int]:
    """The level's totals for the period (compile_report's total) and how many reports it holds."""
    compiled = compile_report(form=form, top=reviewer, start=start)
    return compiled.total.lines, compiled.total.accepted


def form_history(form: ReportForm) -> QuerySet[AuditEntry]:
    """The audit trail of one version of a form: the version itself, its sections and indicators,
    including those removed while it was a draft (found by the form or section their images name;
    the sections copied from the version before are the form's own)."""
    label = ReportSection._meta.label
    sections = AuditEntry.objects.filter(model_label=label).filter(Q(after__form_id=form.pk) | Q(before__form_id=form.pk))
    section_ids = sorted({int(pk) for pk in sections.values_list("object_pk", flat=True)} | set(form.sections.values_list("pk", flat=True)))
    return (
        AuditEntry.objects.filter(
            Q(model_label=ReportForm._meta.label, object_pk=str(form.pk))
            | Q(model_label=label, object_pk__in=[str(pk) for pk in section_ids])
            | Q(model_label=ReportIndicator._meta.label) & (Q(after__section_id__in=section_ids) | Q(before__section_id__in=section_ids))
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )
