"""The figure the chairman rating reads from the periodic reports: of the reports falling due in the
period (and due by today), the share first sent by the due date; one query for many units."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import metrics
from supervision.models import PeriodKind, ReportForm, UnitReport

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def test_reports_on_time_rate(bac_ninh, commune, other_commune) -> None:  # type: ignore[no-untyped-def]
    form = ReportForm.objects.create(
        province=bac_ninh, code="qcdc", title="Báo cáo kết quả thực hiện dân chủ", period_kind=PeriodKind.HALF_YEAR, due_working_days=10
    )

    def report(unit, start, due, sent):  # type: ignore[no-untyped-def]
        end = start.replace(month=start.month + 5, day=30)
        return UnitReport.objects.create(
            form=form, unit=unit, reviewer=bac_ninh, period_start=start, period_end=end, due_on=due, first_submitted_on=sent
        )

    report(commune, dt.date(2025, 7, 1), dt.date(2026, 1, 14), dt.date(2026, 1, 10))  # on time
    only = report(other_commune, dt.date(2025, 7, 1), dt.date(2026, 1, 14), None)  # never sent: late
    report(commune, dt.date(2026, 1, 1), dt.date(2026, 7, 14), dt.date(2026, 7, 20))  # sent late
    value = metrics.compute("supervision.reports_on_time_rate", unit=commune, start=START, end=END)
    assert (value.value, value.numerator, value.basis, value.link) == (50.0, 1.0, 2, "/staff/giam-sat/bao-cao/")
    other = metrics.compute("supervision.reports_on_time_rate", unit=other_commune, start=START, end=END)
    assert (other.value, other.numerator, other.basis, other.link) == (0.0, 0.0, 1, f"/staff/giam-sat/bao-cao/{only.pk}/")
    none = metrics.compute("supervision.reports_on_time_rate", unit=commune, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert none.value is None and none.basis == 0
    with CaptureQueriesContext(connection) as queries:
        batch = metrics.compute_many("supervision.reports_on_time_rate", units=[commune, other_commune, bac_ninh], start=START, end=END)
    # the units' predecessors (one query per hop of history), then the reports
    assert len(queries) <= 3 and batch[bac_ninh.pk].value == round(100 / 3, 1) and batch[commune.pk] == value
