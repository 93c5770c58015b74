"""Figures other capabilities read by key (certification's computed criteria, the chairman rating)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from core.metrics import MetricValue, units_holding
from feedback import conf, queries
from feedback.models import OPEN, SUBSTANTIATED_FINDINGS, Case

SOURCE = "Sổ phản ánh, kiến nghị (Nghị định 20/2008/NĐ-CP)"


def _history_note(f: queries.Figures) -> str:
    """Figures over a period spanning 1 July 2025 include the predecessors' cases: say so."""
    if not f.from_predecessors:
        return ""
    return f"Gồm {f.from_predecessors} phản ánh về đơn vị trước sắp xếp ({', '.join(f.predecessors)})."


def _dashboard(unit: Any, start: dt.date, end: dt.date) -> str:
    return reverse("feedback:dashboard") + "?" + urlencode({"unit": unit.pk, "from": start.isoformat(), "to": end.isoformat()})


def on_time_rate(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end)
    if not f.answered:
        return MetricValue(None, "%", 0, SOURCE, note="Chưa có phản ánh nào được trả lời trong kỳ.", link=_dashboard(unit, start, end))
    return MetricValue(f.on_time_rate, "%", f.answered, SOURCE, note=_history_note(f), link=_dashboard(unit, start, end))


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
    link = reverse("feedback:case_list") + "?" + urlencode({"category": queries.HARASSMENT[0], "q": unit.name})
    return MetricValue(float(count), "phản ánh", count, SOURCE, note="Phản ánh gây phiền hà, sách nhiễu chưa giải quyết xong.", link=link)


def harassment_substantiated(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    """Harassment and extra-demand reports about communes in the unit's subtree answered in the
    period with the conclusion that they were substantiated (wholly or partly): whoever handled
    them, as for open ones, since a substantiated case weighs on the commune's recognition."""
    cases = Case.objects.filter(
        concerned_unit__path__startswith=unit.path,
        category__in=queries.HARASSMENT,
        finding__in=SUBSTANTIATED_FINDINGS,
        answered_at__date__gte=start,
        answered_at__date__lte=end,
    )
    count = cases.values("id").count()
    link = reverse("feedback:case_list") + "?" + urlencode({"category": queries.HARASSMENT[0], "q": unit.name})
    note = "Phản ánh gây phiền hà, sách nhiễu đã kết luận có cơ sở (toàn bộ hoặc một phần) trong kỳ."
    return MetricValue(float(count), "phản ánh", count, SOURCE, note=note, link=link)


def overdue_open_each(*, units: Sequence[Any], start: dt.date, end: dt.date) -> dict[int, MetricValue]:
    """Reports about communes in each unit's subtree still open past their due date today (the
    case list's "overdue" rule), for many units in one query."""
    subtrees = Q(pk__in=[])
    for unit in units:
        subtrees |= Q(concerned_unit__path__startswith=unit.path)
    rows = queries.overdue_cases(Case.objects.filter(subtrees)).values("concerned_unit__path").annotate(n=Count("id"))
    counts = dict.fromkeys((u.pk for u in units), 0)
    for row in rows:
        for pk in units_holding(units, row["concerned_unit__path"]):
            counts[pk] += row["n"]
    return {
        u.pk: MetricValue(
            float(counts[u.pk]),
            "phản ánh",
            counts[u.pk],
            SOURCE,
            note="Phản ánh chưa trả lời đã quá hạn (tính đến hôm nay).",
            link=reverse("feedback:case_list") + "?" + urlencode({"overdue": "1", "q": u.name}),
        )
        for u in units
    }


def overdue_open(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    return overdue_open_each(units=[unit], start=start, end=end)[unit.pk]


def overdue_case_count() -> float:
    """Operators' gauge (core.prometheus): open reports past their due date, all provinces together
    (the same rule as the case list's "overdue" filter)."""
    return float(queries.overdue_cases(Case.objects.all()).count())


def forwarding_overdue_count() -> float:
    """Operators' gauge: reports outside the unit's competence not forwarded within the period."""
    return float(queries.forwarding_overdue(Case.objects.all()).count())
