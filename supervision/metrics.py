"""Figures other capabilities read by key (the periodic results report, certification)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from core.metrics import MetricValue
from supervision import clocks, queries
from supervision.models import ReportForm, UnitReport
from units.models import Unit
from units.structure import LineageIndex

REPORT_SOURCE = "Báo cáo định kỳ kết quả thực hiện dân chủ ở cơ sở"
SOURCE = "Sổ kiến nghị của Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng"


def recommendations_sent(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end, today=timezone.localdate())
    return MetricValue(float(f.sent), "kiến nghị", f.sent, SOURCE)


def recommendations_answered_on_time(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end, today=timezone.localdate())
    if not f.due:
        return MetricValue(None, "%", 0, SOURCE, note="Chưa có kiến nghị nào đến hạn trả lời trong kỳ.")
    return MetricValue(f.on_time_rate, "%", f.due, SOURCE)


def reports_overdue_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Periodic reports of units in each unit's subtree (its predecessors' included) past their due
    date today and never sent, for many units in one query."""
    index = LineageIndex(units)
    unsent = UnitReport.objects.filter(index.q("unit__path"), first_submitted_on__isnull=True, due_on__lt=timezone.localdate())
    counts = dict.fromkeys((u.pk for u in units), 0)
    for row in unsent.values("unit__path").annotate(n=Count("id")):
        for pk in index.owners(row["unit__path"]):
            counts[pk] += row["n"]
    link = reverse("supervision:report_list")
    note = "Báo cáo định kỳ quá hạn chưa gửi (tính đến hôm nay)."
    return {
        u.pk: MetricValue(float(counts[u.pk]), "báo cáo", counts[u.pk], REPORT_SOURCE, note=index.note(u.pk, note), link=link)
        for u in units
    }


def reports_overdue(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return reports_overdue_many(units=[unit], start=start, end=end)[unit.pk]


def report_completeness_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Per unit: the share of the units owing a periodic results report (every form in use) for the
    latest period ended by `end` that have sent it at least once, over those expected in its subtree
    (as the form's completeness page counts them). A fixed number of reads per form in use."""
    day = min(end, timezone.localdate())
    tops = {p for unit in units for p in _ancestor_paths(unit.path)}
    forms = list(ReportForm.objects.filter(in_use=True, province__path__in=tops).select_related("province"))
    expected: dict[int, int] = {unit.pk: 0 for unit in units}
    received: dict[int, int] = {unit.pk: 0 for unit in units}
    periods: list[str] = []
    for form in forms:
        p_start, p_end = clocks.last_ended_period(form.period_kind, day + dt.timedelta(days=1))
        periods.append(f"{form.title}: {p_start:%d/%m/%Y}–{p_end:%d/%m/%Y}")
        owing = dict(queries.expected_units(form, p_end).values_list("pk", "path"))
        sent = set(
            queries.period_reports(form, p_start)
            .filter(first_submitted_on__isnull=False, first_submitted_on__lte=day)
            .values_list("unit_id", flat=True)
        )
        for unit in units:
            inside = [pk for pk, path in owing.items() if path.startswith(unit.path)]
            expected[unit.pk] += len(inside)
            received[unit.pk] += sum(1 for pk in inside if pk in sent)
    link = reverse("supervision:report_list")
    out = {}
    for unit in units:
        n = expected[unit.pk]
        if not n:
            out[unit.pk] = MetricValue(None, "%", 0, REPORT_SOURCE, note="Không có đơn vị nào phải báo cáo định kỳ trong kỳ.", link=link)
            continue
        note = f"{received[unit.pk]}/{n} báo cáo đã gửi. " + "; ".join(periods)
        out[unit.pk] = MetricValue(round(100 * received[unit.pk] / n, 1), "%", n, REPORT_SOURCE, note=note, link=link)
    return out


def report_completeness(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return report_completeness_many(units=[unit], start=start, end=end)[unit.pk]


def _ancestor_paths(path: str) -> list[str]:
    """`path` and the paths of the units above it ("/1/5/30/" → "/1/", "/1/5/", "/1/5/30/")."""
    out = []
    i = path.find("/", 1)
    while i != -1:
        out.append(path[: i + 1])
        i = path.find("/", i + 1)
    return out


def reports_on_time_rate(*, unit: Unit, start: dt.date, end: dt.date) -> MetricValue:
    return reports_on_time_rate_many(units=[unit], start=start, end=end)[unit.pk]


def reports_on_time_rate_many(*, units: list[Unit], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Of the periodic reports in each unit's subtree (its predecessors' included) falling due in
    [start, end] (and already due today), the share first sent by their due date; one query for all
    the units. A report not sent by its due date is late. The link opens the report when there is
    one, else the report list."""
    horizon = min(end, timezone.localdate())
    index = LineageIndex(units)
    reports = UnitReport.objects.filter(index.q("unit__path"), due_on__gte=start, due_on__lte=horizon).values_list(
        "pk", "unit__path", "due_on", "first_submitted_on"
    )
    mine: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {unit.pk: [] for unit in units}
    for pk, path, due_on, sent_on in reports:
        for owner in index.owners(path):
            mine[owner].append((pk, due_on, sent_on))
    result = {}
    for unit in units:
        rows = mine[unit.pk]
        if not rows:
            note = index.note(unit.pk, "Chưa có báo cáo định kỳ nào đến hạn trong kỳ.")
            result[unit.pk] = MetricValue(None, "%", 0, REPORT_SOURCE, note=note)
            continue
        on_time = sum(1 for _pk, due_on, sent_on in rows if clocks.on_time(sent_on, due_on))
        link = reverse("supervision:report", args=[rows[0][0]]) if len(rows) == 1 else reverse("supervision:report_list")
        value = round(100 * on_time / len(rows), 1)
        result[unit.pk] = MetricValue(
            value, "%", len(rows), REPORT_SOURCE, note=index.note(unit.pk, ""), link=link, numerator=float(on_time)
        )
    return result
