"""Figures other capabilities read by key (certification's computed criteria, the chairman rating)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.metrics import MetricValue
from feedback import conf, queries
from feedback.models import CONDUCT_CATEGORIES, OPEN, PROTECTED_KINDS, SUBSTANTIATED_FINDINGS, Case, Status
from units.models import Unit
from units.structure import LineageIndex

SOURCE = "Sổ phản ánh, kiến nghị (Nghị định 20/2008/NĐ-CP)"


def _history_note(f: queries.Figures) -> str:
    """Figures over a period spanning 1 July 2025 include the predecessors' cases: say so."""
    if not f.from_predecessors:
        return ""
    return f"Gồm {f.from_predecessors} phản ánh về đơn vị trước sắp xếp ({', '.join(f.predecessors)})."


def _dashboard(unit: Any, start: dt.date, end: dt.date) -> str:
    return reverse("feedback:dashboard") + "?" + urlencode({"unit": unit.pk, "from": start.isoformat(), "to": end.isoformat()})


def on_time_rate(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    return on_time_rate_many(units=[unit], start=start, end=end)[unit.pk]


def on_time_rate_many(*, units: list[Any], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """The share of reports answered on time for many units in one query: the cases about each
    unit's subtree or a predecessor's received in the period, less those routed away from it (a
    sensitive case registered outside the unit's subtree, as queries.routed_away), answered on time
    of those answered."""
    index = LineageIndex(units)
    rows = Case.objects.filter(
        index.q("concerned_unit__path"), received_at__date__gte=start, received_at__date__lte=end, answered_at__isnull=False
    ).values_list("concerned_unit__path", "register_unit__path", "about_officials", "category", "kind", "answered_on_time")
    answered = {unit.pk: 0 for unit in units}
    on_time = {unit.pk: 0 for unit in units}
    path_of = {unit.pk: unit.path for unit in units}
    for concerned, registered, about_officials, category, kind, in_time in rows:
        sensitive = about_officials or category in CONDUCT_CATEGORIES or kind in PROTECTED_KINDS
        for owner in index.owners(concerned):
            if sensitive and not (registered or "").startswith(path_of[owner]):
                continue  # routed away: handled above the unit, not in its figures
            answered[owner] += 1
            on_time[owner] += bool(in_time)
    result = {}
    for unit in units:
        link = _dashboard(unit, start, end)
        n = answered[unit.pk]
        if not n:
            note = index.note(unit.pk, "Chưa có phản ánh nào được trả lời trong kỳ.")
            result[unit.pk] = MetricValue(None, "%", 0, SOURCE, note=note, link=link)
        else:
            value = round(100 * on_time[unit.pk] / n, 1)
            result[unit.pk] = MetricValue(value, "%", n, SOURCE, note=index.note(unit.pk, ""), link=link, numerator=float(on_time[unit.pk]))
    return result


def counter_satisfaction(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end)
    source = "Đánh giá qua mã QR tại bộ phận một cửa"
    if not f.rating_total:
        return MetricValue(None, "%", 0, source, note="Chưa có lượt đánh giá nào trong kỳ.", link=_dashboard(unit, start, end))
    return MetricValue(f.satisfaction, "%", f.rating_total, source, link=_dashboard(unit, start, end))


def harassment_reports(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    """Harassment reports about the unit: those it handles, plus those handled above it only as a
    whole-quarter total of at least conf.ROUTED_AWAY_MIN_CASES (queries.figures); the note says so
    whenever that total is withheld, whether it is zero or not."""
    f = queries.figures(unit=unit, start=start, end=end)
    note = _history_note(f)
    if f.harassment_handled_elsewhere is None:
        withheld = f"Không gồm phản ánh do cấp trên xử lý khi chưa đủ {conf.ROUTED_AWAY_MIN_CASES} phản ánh trong các quý đã trọn."
        note = f"{note} {withheld}".strip()
    return MetricValue(float(f.harassment_reports), "phản ánh", f.total, SOURCE, note=note, link=_dashboard(unit, start, end))


def harassment_open(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    """Harassment and extra-demand reports about communes in the unit's subtree received up to
    `end` (in the period or before it) and still open: not yet answered, declined or closed. Every
    such case counts, whoever handles it: an appraisal must not pass over a complaint still open
    against the commune. The link opens the register filtered to harassment reports."""
    count = (
        Case.objects.filter(
            concerned_unit__path__startswith=unit.path, category__in=queries.HARASSMENT, status__in=OPEN, received_at__date__lte=end
        )
        .values("id")
        .count()
    )
    link = _case_list(unit, category=queries.HARASSMENT[0])
    return MetricValue(float(count), "phản ánh", count, SOURCE, note="Phản ánh gây phiền hà, sách nhiễu chưa giải quyết xong.", link=link)


def _case_list(unit: Unit, **filters: str) -> str:
    """The register filtered as the figure counts: a commune by its name; a unit above it needs no
    name (the register is already the reader's scope, and no commune's name holds the district's)."""
    query = {**filters, "q": unit.name} if unit.kind == "commune" else filters
    return reverse("feedback:case_list") + "?" + urlencode(query)


def harassment_open_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """harassment_open for many units in one read, each with its predecessors' communes."""
    index = LineageIndex(units)
    counts = {unit.pk: 0 for unit in units}
    paths = Case.objects.filter(
        index.q("concerned_unit__path"), category__in=queries.HARASSMENT, status__in=OPEN, received_at__date__lte=end
    ).values_list("concerned_unit__path", flat=True)
    for path in paths:
        for owner in index.owners(path):
            counts[owner] += 1
    note = "Phản ánh gây phiền hà, sách nhiễu chưa giải quyết xong."
    out = {}
    for unit in units:
        link = _case_list(unit, category=queries.HARASSMENT[0])
        out[unit.pk] = MetricValue(float(counts[unit.pk]), "phản ánh", counts[unit.pk], SOURCE, note=index.note(unit.pk, note), link=link)
    return out


def _overdue_on(cases: QuerySet[Case], day: dt.date) -> QuerySet[Case]:
    """Cases overdue on `day`: today, the register's own rule (queries.overdue_cases); for a past
    day, received by then, due before it and neither answered nor closed by then (waiting for
    information is not kept per day, so such a case counts as overdue)."""
    if day >= timezone.localdate():
        return queries.overdue_cases(cases, today=day)
    return cases.filter(
        Q(received_at__date__lte=day, due_on__lt=day)
        & (Q(answered_at__isnull=True) | Q(answered_at__date__gt=day))
        & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=day))
        & ~Q(status=Status.DECLINED)
    )


def overdue_open_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Reports about communes in each unit's subtree (predecessors included) overdue on `end`
    (the period's last day, or today while it runs): the register's "overdue" list on that day."""
    index = LineageIndex(units)
    day = min(end, timezone.localdate())
    counts = {unit.pk: 0 for unit in units}
    for path in _overdue_on(Case.objects.filter(index.q("concerned_unit__path")), day).values_list("concerned_unit__path", flat=True):
        for owner in index.owners(path):
            counts[owner] += 1
    note = f"Phản ánh quá hạn trả lời tại ngày {day:%d/%m/%Y}."
    out = {}
    for unit in units:
        link = _case_list(unit, overdue="1")
        out[unit.pk] = MetricValue(float(counts[unit.pk]), "phản ánh", counts[unit.pk], SOURCE, note=index.note(unit.pk, note), link=link)
    return out


def overdue_open(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return overdue_open_many(units=[unit], start=start, end=end)[unit.pk]


def harassment_substantiated(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    """Harassment and extra-demand reports about communes in the unit's subtree answered in the
    period with the conclusion that they were substantiated (wholly or partly): whoever handled
    them, as for open ones, since a substantiated case weighs on the commune's recognition."""
    return harassment_substantiated_many(units=[unit], start=start, end=end)[unit.pk]


def harassment_substantiated_many(*, units: list[Any], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """`harassment_substantiated` for many units in one query, each with its predecessors'
    communes: the concerned units' paths of the period's substantiated cases, each counted under
    every unit whose subtree (or a predecessor's) holds it."""
    index = LineageIndex(units)
    counts = {unit.pk: 0 for unit in units}
    paths = Case.objects.filter(
        index.q("concerned_unit__path"),
        category__in=queries.HARASSMENT,
        finding__in=SUBSTANTIATED_FINDINGS,
        answered_at__date__gte=start,
        answered_at__date__lte=end,
    ).values_list("concerned_unit__path", flat=True)
    for path in paths:
        for owner in index.owners(path):
            counts[owner] += 1
    note = "Phản ánh gây phiền hà, sách nhiễu đã kết luận có cơ sở (toàn bộ hoặc một phần) trong kỳ."
    result = {}
    for unit in units:
        count = counts[unit.pk]
        link = _case_list(unit, category=queries.HARASSMENT[0])
        result[unit.pk] = MetricValue(
            float(count), "phản ánh", count, SOURCE, note=index.note(unit.pk, note), link=link, numerator=float(count)
        )
    return result


def overdue_case_count() -> float:
    """Operators' gauge (core.prometheus): open reports past their due date, all provinces together
    (the same rule as the case list's "overdue" filter)."""
    return float(queries.overdue_cases(Case.objects.all()).count())


def forwarding_overdue_count() -> float:
    """Operators' gauge: reports outside the unit's competence not forwarded within the period."""
    return float(queries.forwarding_overdue(Case.objects.all()).count())
