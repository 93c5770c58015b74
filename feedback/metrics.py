"""Figures other capabilities read by key (certification's computed criteria, the chairman rating)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.metrics import MetricValue
from feedback import conf, queries

SOURCE = "Sổ phản ánh, kiến nghị (Nghị định 20/2008/NĐ-CP)"


def _history_note(f: queries.Figures) -> str:
    """Figures over a period spanning 1 July 2025 include the predecessors' cases: say so."""
    if not f.from_predecessors:
        return ""
    return f"Gồm {f.from_predecessors} phản ánh về đơn vị trước sắp xếp ({', '.join(f.predecessors)})."


def on_time_rate(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end)
    if not f.answered:
        return MetricValue(None, "%", 0, SOURCE, note="Chưa có phản ánh nào được trả lời trong kỳ.")
    return MetricValue(f.on_time_rate, "%", f.answered, SOURCE, note=_history_note(f))


def counter_satisfaction(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    f = queries.figures(unit=unit, start=start, end=end)
    source = "Đánh giá qua mã QR tại bộ phận một cửa"
    if not f.rating_total:
        return MetricValue(None, "%", 0, source, note="Chưa có lượt đánh giá nào trong kỳ.")
    return MetricValue(f.satisfaction, "%", f.rating_total, source)


def harassment_reports(*, unit: Any, start: dt.date, end: dt.date) -> MetricValue:
    """Harassment reports about the unit: those it handles, plus those handled above it only as a
    whole-quarter total of at least conf.ROUTED_AWAY_MIN_CASES (queries.figures); the note says so
    whenever that total is withheld, whether it is zero or not."""
    f = queries.figures(unit=unit, start=start, end=end)
    note = _history_note(f)
    if f.harassment_handled_elsewhere is None:
        withheld = f"Không gồm phản ánh do cấp trên xử lý khi chưa đủ {conf.ROUTED_AWAY_MIN_CASES} phản ánh trong các quý đã trọn."
        note = f"{note} {withheld}".strip()
    return MetricValue(float(f.harassment_reports), "phản ánh", f.total, SOURCE, note=note)
