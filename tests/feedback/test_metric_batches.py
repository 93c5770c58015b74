"""The figures the chairman rating reads for all of a province's units at once give what the
per-unit figures give (numerator and denominator included), in two queries (the units' predecessors, the cases)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import metrics
from feedback import services
from feedback.models import Category, Finding, RegisterClass

ANSWER = "Đã xác minh, làm việc với bộ phận một cửa và trả lời người phản ánh."


def _answered(make_case, unit, by, category, finding=""):  # type: ignore[no-untyped-def]
    case = services.accept_case(case=make_case(unit, category=category), by=by, register_class=RegisterClass.BEHAVIOUR)
    return services.answer_case(case=case, by=by, answer=ANSWER, **({"finding": finding} if finding else {}))


def test_batches_match_the_single_figures(make_case, doi_ngo, dong_hung, cam_son, luc_nam, district_officer) -> None:  # type: ignore[no-untyped-def]
    _answered(make_case, doi_ngo, district_officer, Category.CONDUCT_EXTRA_DEMANDS, Finding.SUBSTANTIATED)
    _answered(make_case, doi_ngo, district_officer, Category.CONDUCT_HARASSMENT, Finding.UNFOUNDED)
    _answered(make_case, dong_hung, district_officer, Category.CONDUCT_HARASSMENT, Finding.PARTLY)
    make_case(doi_ngo)  # received, not answered: not in the on-time rate's denominator
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=30), today
    units = [doi_ngo, dong_hung, cam_son, luc_nam]
    for key in ("feedback.on_time_rate", "feedback.harassment_substantiated"):
        with CaptureQueriesContext(connection) as queries:
            batch = metrics.compute_many(key, units=units, start=start, end=end)
        assert len(queries) == 2  # the units' predecessors (none here), then the cases
        for unit in units:
            single = metrics.compute(key, unit=unit, start=start, end=end)
            assert (batch[unit.pk].value, batch[unit.pk].basis, batch[unit.pk].link) == (single.value, single.basis, single.link), (
                key,
                unit,
            )
    assert metrics.compute_many("feedback.harassment_substantiated", units=units, start=start, end=end)[luc_nam.pk].value == 2.0
    rate = metrics.compute("feedback.on_time_rate", unit=luc_nam, start=start, end=end)
    assert rate.basis == 3 and rate.numerator is not None and 0 <= rate.numerator <= 3
    assert metrics.compute_many("feedback.on_time_rate", units=[cam_son], start=start, end=end)[cam_son.pk].value is None
